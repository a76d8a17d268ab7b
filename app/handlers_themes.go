package app

import "github.com/gofiber/fiber/v2"

// themeRoutes registers the thematic-coding staff pages under /staff.
func (a *App) themeRoutes(staff fiber.Router) {}

// themeAPIRoutes registers the thematic-coding API routes; staff guards
// each staff route.
func (a *App) themeAPIRoutes(api fiber.Router, staff fiber.Handler) {}
