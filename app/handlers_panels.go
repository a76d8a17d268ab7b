package app

import (
	"strconv"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// Experts-by-experience panels. Residents read about a recruiting panel and
// apply without an account; members reach their sessions, payments and
// reviews of draft findings through private links; staff select applicants,
// record sessions and settle payments. Facilitators may read every staff
// page except what applicants wrote about their lived experience; changes,
// decisions and the finance export are for officers and admins.

// panelRoutes registers the public panel pages; limit guards public POSTs.
// The public API's application route is here too, so that it shares the
// one rate-limit budget with every other public POST.
func (a *App) panelRoutes(f fiber.Router, limit fiber.Handler) {
	f.Get("/panels", a.panelList)
	f.Get("/panels/:slug", a.panelPage)
	f.Get("/panels/:slug/apply", a.applyForm)
	f.Post("/panels/:slug/apply", limit, a.applyToPanel)
	f.Get("/panels/:slug/applied", a.panelApplied)
	f.Get("/panel-member/:token", a.memberPage)
	f.Post("/panel-member/:token/leave", limit, a.memberLeave)
	f.Get("/panel-review/:token", a.reviewPage)
	f.Post("/panel-review/:token", limit, a.saveReview)
	f.Post("/api/v1/panels/:id<int>/applications", limit, a.apiApply)
}

// panelStaffRoutes registers the staff panel pages under /staff.
func (a *App) panelStaffRoutes(staff fiber.Router) {
	officer := a.requireRole(accounts.Officer)
	staff.Get("/panels", a.staffPanels)
	staff.Get("/panels/new", officer, a.newPanelForm)
	staff.Post("/panels", officer, a.createPanel)
	staff.Get("/panels/:id<int>", a.staffPanel)
	staff.Get("/panels/:id<int>/edit", officer, a.editPanelForm)
	staff.Post("/panels/:id<int>", officer, a.updatePanel)
	staff.Get("/panels/:id<int>/applications", a.panelApplications)
	staff.Get("/panels/:id<int>/applications/:app<int>", a.panelApplication)
	staff.Post("/panels/:id<int>/applications/:app<int>/decision", officer, a.decideApplication)
	staff.Post("/panels/:id<int>/applications/:app<int>/notes", officer, a.addApplicationNote)
	staff.Post("/panels/:id<int>/applications/:app<int>/erase", officer, a.erasePanelApplication)
	staff.Get("/panels/:id<int>/representation", a.panelRepresentation)
	staff.Get("/panels/:id<int>/members", a.panelMembers)
	staff.Get("/panels/:id<int>/members/:member<int>", a.panelMember)
	staff.Post("/panels/:id<int>/members/:member<int>", officer, a.updatePanelMember)
	staff.Post("/panels/:id<int>/members/:member<int>/link", officer, a.newMemberLink)
	staff.Post("/panels/:id<int>/members/:member<int>/erase", officer, a.erasePanelMember)
	staff.Get("/panels/:id<int>/sessions", a.panelSessions)
	staff.Get("/panels/:id<int>/sessions/new", officer, a.newSessionForm)
	staff.Post("/panels/:id<int>/sessions", officer, a.createPanelSession)
	staff.Get("/panels/:id<int>/sessions/:session<int>", a.panelSession)
	staff.Post("/panels/:id<int>/sessions/:session<int>/attendance", officer, a.savePanelAttendance)
	staff.Get("/panels/:id<int>/payments", a.panelPayments)
	staff.Get("/panels/:id<int>/payments.csv", officer, a.panelFinanceCSV)
	staff.Post("/panels/:id<int>/payments/:payment<int>/approve", officer, a.approvePayment)
	staff.Post("/panels/:id<int>/payments/:payment<int>/paid", officer, a.markPaymentPaid)
	staff.Get("/panels/:id<int>/totals", a.panelYearTotals)
	staff.Get("/panels/:id<int>/reviews/:review<int>", officer, a.panelReviewFeedback)
	staff.Post("/panels/:id<int>/reviews/:review<int>/invite", officer, a.invitePanelReview)
}

// panelAPIRoutes registers the panel API routes; staff guards each staff
// route.
func (a *App) panelAPIRoutes(api fiber.Router, staff fiber.Handler) {
	api.Get("/panels", a.apiPanels)
	api.Get("/panels/:id<int>/representation", staff, a.apiRepresentation)
}

// staffPanelOf loads the panel named by :id.
func (a *App) staffPanelOf(c *fiber.Ctx) (*panels.Panel, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Panels.Get(c.UserContext(), uint(id))
}

// panelParam reads a positive id from the URL.
func panelParam(c *fiber.Ctx, name string) (uint, error) {
	id, err := c.ParamsInt(name)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return uint(id), nil
}

// panelBase is the staff address of a panel.
func panelBase(p *panels.Panel) string { return "/staff/panels/" + panelIDStr(p.ID) }

func panelIDStr(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// panelOfficer reports whether the signed-in member of staff may manage
// panels and read lived-experience statements.
func panelOfficer(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && u.Role.AtLeast(accounts.Officer)
}

// panelTabs is the sub-navigation of a panel's staff pages.
func panelTabs(p *panels.Panel, current string) []navItem {
	base := panelBase(p)
	tabs := []navItem{{base, "Overview", false}, {base + "/applications", "Applications", false},
		{base + "/representation", "Representativeness", false}, {base + "/members", "Members", false},
		{base + "/sessions", "Sessions", false}, {base + "/payments", "Payments", false}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Label == current
	}
	return tabs
}

// staffPanelData starts the data of a panel's staff page.
func staffPanelData(c *fiber.Ctx, p *panels.Panel, title, tab string) fiber.Map {
	return fiber.Map{"Title": title + ": " + p.Name, "Heading": title, "Panel": p, "Base": panelBase(p),
		"Tabs": panelTabs(p, tab), "Officer": panelOfficer(c)}
}

// withPanelErrors adds field errors to page data, when there are any.
func withPanelErrors(data fiber.Map, f *errs.Fields) fiber.Map {
	if f.Has() {
		data["Errors"] = f
	}
	return data
}

// mergePanelFields adds the messages of err, when it carries field errors, to
// f, and reports whether err was anything else.
func mergePanelFields(f *errs.Fields, err error) error {
	if err == nil {
		return nil
	}
	more, ok := fieldsOf(err)
	if !ok {
		return err
	}
	for _, k := range more.Order {
		f.Add(k, more.Messages[k])
	}
	return nil
}

// panelDay reads a date typed as 2026-05-12 as the start of that day in
// UK time.
func (a *App) panelDay(s string) (time.Time, bool) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), a.london)
	if err != nil {
		return time.Time{}, false
	}
	return d, true
}

// panelDayOf formats an instant as the UK date a form shows.
func (a *App) panelDayOf(t time.Time) string { return t.In(a.london).Format("2006-01-02") }

// panelLabels turns stored keys into the labels people read.
func panelLabels(opts []panels.Option, keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, panels.Label(opts, k))
	}
	return out
}
