package app

import "github.com/gofiber/fiber/v2"

// surveyStaffRoutes registers the staff pages for building consultations and
// reading their responses, under the /staff group.
func (a *App) surveyStaffRoutes(staff fiber.Router) {}
