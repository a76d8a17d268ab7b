package app

import "github.com/gofiber/fiber/v2"

// panelRoutes registers the public panel pages; limit guards public POSTs.
func (a *App) panelRoutes(f fiber.Router, limit fiber.Handler) {}

// panelStaffRoutes registers the staff panel pages under /staff.
func (a *App) panelStaffRoutes(staff fiber.Router) {}

// panelAPIRoutes registers the panel API routes; staff guards each staff
// route.
func (a *App) panelAPIRoutes(api fiber.Router, staff fiber.Handler) {}
