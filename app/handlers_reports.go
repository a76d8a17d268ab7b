package app

import (
	"strconv"

	"codesign/accounts"
	"codesign/reports"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// "You said, we did": officers turn confirmed codes into findings, pick
// quotes, add commitments, have the panel check the words and publish;
// residents read the results and track every commitment; partners update
// their own commitments through a private link.

// reportRoutes registers the public results pages; limit guards public
// POSTs.
func (a *App) reportRoutes(f fiber.Router, limit fiber.Handler) {
	f.Get("/results", a.resultsIndex)
	f.Get("/results/:slug", a.resultsPage)
	f.Get("/results/:slug/data.csv", a.resultsCSV)
	f.Get("/results/:slug/data.json", a.resultsJSON)
	f.Get("/commitment-updates/:token", a.partnerPage)
	f.Post("/commitment-updates/:token", limit, a.partnerUpdate)
}

// reportStaffRoutes registers the staff pages for findings (of each
// consultation and of the whole programme), commitments and publishing
// under /staff. Every member of staff may read them; officers
// change them.
func (a *App) reportStaffRoutes(staff fiber.Router) {
	officer := a.requireRole(accounts.Officer)
	staff.Get("/reports", a.staffReports)
	staff.Post("/reports", officer, a.startReport)
	staff.Get("/reports/:id<int>", a.staffReport)
	staff.Post("/reports/:id<int>", officer, a.updateReport)
	staff.Get("/reports/:id<int>/findings.csv", a.staffFindingsCSV)
	staff.Get("/reports/:id<int>/quotes", a.quotesPage)
	staff.Post("/reports/:id<int>/quotes", officer, a.addQuote)
	staff.Post("/reports/:id<int>/quotes/:quote<int>/remove", officer, a.removeQuote)
	staff.Get("/reports/:id<int>/commitments", a.commitmentsPage)
	staff.Get("/reports/:id<int>/commitments/new", officer, a.newCommitmentForm)
	staff.Post("/reports/:id<int>/commitments", officer, a.createCommitment)
	staff.Get("/reports/:id<int>/commitments/:c<int>", a.commitmentPage)
	staff.Post("/reports/:id<int>/commitments/:c<int>", officer, a.editCommitment)
	staff.Post("/reports/:id<int>/commitments/:c<int>/progress", officer, a.recordProgress)
	staff.Post("/reports/:id<int>/commitments/:c<int>/link", officer, a.partnerLink)
	staff.Get("/reports/:id<int>/publish", a.publishPage)
	staff.Post("/reports/:id<int>/publish", officer, a.publishReport)
	staff.Post("/reports/:id<int>/review", officer, a.sendForReview)
	staff.Get("/reports/:id<int>/versions", a.versionsPage)
	staff.Get("/reports/:id<int>/versions/:v<int>", a.versionPage)
	staff.Post("/reports/:id<int>/checkin", officer, a.createCheckin)
	staff.Get("/programmes/:id<int>/findings", a.programmeFindings)
	staff.Get("/programmes/:id<int>/findings.csv", a.programmeFindingsCSV)
}

// reportAPIRoutes registers the results API; staff guards staff routes.
// GET /api/v1/surveys/{slug}/results is public: published results only.
func (a *App) reportAPIRoutes(api fiber.Router, staff fiber.Handler) {
	api.Get("/surveys/:slug/results", a.apiResults)
}

// reportCtx is what every staff page of one report needs.
type reportCtx struct {
	Report *reports.Report
	Survey *surveys.Survey
	Base   string
}

// staffReportOf loads the report named by :id and its survey.
func (a *App) staffReportOf(c *fiber.Ctx) (*reportCtx, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	r, err := a.Reports.Get(c.UserContext(), uint(id))
	if err != nil {
		return nil, err
	}
	sv, err := a.Surveys.Get(c.UserContext(), r.SurveyID)
	if err != nil {
		return nil, err
	}
	return &reportCtx{Report: r, Survey: sv, Base: reportBase(r.ID)}, nil
}

func reportBase(id uint) string { return "/staff/reports/" + strconv.FormatUint(uint64(id), 10) }

// reportTabs are the sections of a report's staff pages.
func (rc *reportCtx) tabs(current string) []navItem {
	items := []navItem{{Href: rc.Base, Label: "Findings"}, {Href: rc.Base + "/quotes", Label: "Quotes"},
		{Href: rc.Base + "/commitments", Label: "Commitments"}, {Href: rc.Base + "/publish", Label: "Review and publish"},
		{Href: rc.Base + "/versions", Label: "Versions"}}
	for i := range items {
		items[i].Current = items[i].Label == current
	}
	return items
}

// page starts the data of a report's staff page.
func (rc *reportCtx) page(c *fiber.Ctx, title, tab string) fiber.Map {
	u := currentUser(c)
	return fiber.Map{"Title": title, "Report": rc.Report, "Survey": rc.Survey, "Base": rc.Base, "Tabs": rc.tabs(tab),
		"CanEdit": u != nil && u.Role.AtLeast(accounts.Officer)}
}

// staffActor is the signed-in member of staff, for the audit log.
func staffActor(c *fiber.Ctx) *uint {
	if u := currentUser(c); u != nil {
		id := u.ID
		return &id
	}
	return nil
}
