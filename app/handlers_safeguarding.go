package app

import "github.com/gofiber/fiber/v2"

// safeguardingRoutes registers the safeguarding queue under /staff.
func (a *App) safeguardingRoutes(staff fiber.Router) {}
