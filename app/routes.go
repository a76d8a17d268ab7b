package app

import (
	"net/http"

	"codesign/accounts"
	"codesign/static"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// routes lists every route codesign serves. Permission is attached to the
// group, never checked ad hoc inside a handler.
func (a *App) routes(f *fiber.App) {
	f.Use(recover.New(), a.securityHeaders, logRequests)
	f.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 3600}))
	f.Get("/healthz", a.health)
	f.Use(validUTF8, a.csrf, a.loadUser)
	// One limiter shared by every public POST, so a client has one budget.
	limit := a.rateLimit()

	// Public pages for residents: no account, ever.
	f.Get("/", a.home)
	f.Get("/privacy", a.textPage("privacy"))
	f.Get("/accessibility", a.textPage("accessibility"))
	f.Get("/help", a.textPage("help"))
	// The resident's journey through a consultation.
	f.Get("/consultations", a.consultationList)
	f.Get("/consultations/:slug", a.surveyStart)
	f.Get("/consultations/:slug/pages/:n<int>", a.surveyPage)
	f.Post("/consultations/:slug/pages/:n<int>", limit, a.saveSurveyPage)
	f.Get("/consultations/:slug/check", a.checkAnswers)
	f.Post("/consultations/:slug/submit", limit, a.submitSurvey)
	f.Get("/consultations/:slug/confirmation", a.surveyConfirmation)
	f.Get("/consultations/:slug/saved", a.savedPage)
	f.Get("/consultations/:slug/resume/:token", a.resumeSurvey)
	// Empty states until panels and results are built.
	a.panelRoutes(f, limit)
	f.Get("/panels", a.textPage("panels"))
	a.reportRoutes(f, limit)
	f.Get("/results", a.textPage("results"))
	f.Get("/login", a.loginForm)
	f.Post("/login", limit, a.login)
	f.Post("/logout", a.logout)
	f.Get("/workshops", a.workshopList)
	f.Get("/workshops/:id<int>", a.workshopPage)
	f.Post("/workshops/:id<int>/book", limit, a.bookWorkshop)
	f.Get("/bookings/:token", a.manageBooking)
	f.Get("/bookings/:token/confirmation", a.bookingConfirmation)
	f.Get("/bookings/:token/calendar.ics", a.bookingCalendar)
	f.Post("/bookings/:token/needs", limit, a.updateBookingNeeds)
	f.Post("/bookings/:token/cancel", limit, a.cancelBooking)

	staff := f.Group("/staff", a.requireRole(accounts.Facilitator))
	staff.Get("/", a.staffHome)
	staff.Get("/workshops", a.staffWorkshops)
	staff.Get("/workshops/new", a.newWorkshopForm)
	staff.Post("/workshops", a.createWorkshop)
	staff.Get("/workshops/:id<int>", a.staffWorkshop)
	staff.Get("/workshops/:id<int>/edit", a.editWorkshopForm)
	staff.Post("/workshops/:id<int>", a.updateWorkshop)
	staff.Post("/workshops/:id<int>/cancel", a.cancelWorkshop)
	staff.Post("/workshops/:id<int>/adjustments", a.markAdjustment)
	staff.Post("/workshops/:id<int>/bookings/:booking<int>/cancel", a.staffCancelBooking)
	staff.Get("/workshops/:id<int>/bookings.csv", a.workshopCSV)
	staff.Get("/workshops/:id<int>/attendance", a.attendanceForm)
	staff.Post("/workshops/:id<int>/attendance", a.saveAttendance)
	staff.Get("/workshops/:id<int>/notes", a.notesPage)
	staff.Post("/workshops/:id<int>/notes", a.addNotes)
	a.surveyStaffRoutes(staff)
	a.surveyResponseRoutes(staff)
	a.themeRoutes(staff)
	a.themeModelRoutes(staff)
	a.safeguardingRoutes(staff)
	a.panelStaffRoutes(staff)
	a.reportStaffRoutes(staff)

	admin := f.Group("/admin", a.requireRole(accounts.Admin))
	admin.Get("/users", a.listUsers)
	admin.Get("/users/new", a.newUserForm)
	admin.Post("/users", a.createUser)
	admin.Post("/users/:id<int>/role", a.changeRole)
	admin.Post("/users/:id<int>/disable", a.setDisabled(true))
	admin.Post("/users/:id<int>/enable", a.setDisabled(false))
	admin.Get("/audit", a.auditLog)
	admin.Get("/outbox", a.outbox)
	admin.Post("/outbox/:id<int>/retry", a.retryMessage)
	admin.Post("/outbox/:id<int>/handled", a.messageHandled)
	a.privacyRoutes(admin)

	// The API: public routes first; staff routes carry their role check
	// on the route, because a group here would share the /api/v1 prefix.
	api := f.Group("/api/v1")
	apiStaff := a.requireRole(accounts.Facilitator)
	api.Get("/programme", a.apiProgramme)
	api.Get("/me", apiStaff, a.apiMe)
	api.Get("/workshops", a.apiWorkshops)
	api.Post("/workshops/:id<int>/bookings", limit, a.apiBook)
	api.Get("/workshops/:id<int>/bookings", apiStaff, a.apiWorkshopBookings)
	api.Delete("/bookings/:token", limit, a.apiCancelBooking)
	api.Get("/surveys", a.apiSurveys)
	api.Get("/surveys/:slug", a.apiSurveyDefinition)
	api.Post("/surveys/:slug/responses", limit, a.apiSubmitResponse)
	a.surveyStaffAPIRoutes(api, apiStaff)
	a.surveyResponseAPIRoutes(api, apiStaff)
	a.themeAPIRoutes(api, apiStaff)
	a.panelAPIRoutes(api, apiStaff)
	a.reportAPIRoutes(api, apiStaff)

	f.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
