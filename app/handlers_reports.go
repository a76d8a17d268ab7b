package app

import "github.com/gofiber/fiber/v2"

// reportRoutes registers the public results pages; limit guards public
// POSTs.
func (a *App) reportRoutes(f fiber.Router, limit fiber.Handler) {}

// reportStaffRoutes registers the staff pages for findings, commitments and
// publishing under /staff.
func (a *App) reportStaffRoutes(staff fiber.Router) {}

// reportAPIRoutes registers the results API; staff guards staff routes.
func (a *App) reportAPIRoutes(api fiber.Router, staff fiber.Handler) {}
