package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/programmes"
	"codesign/reports"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// reportRow is one consultation in the staff list of results.
type reportRow struct {
	Survey    surveys.Survey
	Report    *reports.Report
	Published *reports.Publication
	Changed   bool // edited since the last version
}

func (a *App) staffReports(c *fiber.Ctx) error {
	ctx := c.UserContext()
	svs, err := a.Surveys.List(ctx, surveys.ListQuery{})
	if err != nil {
		return err
	}
	rs, err := a.Reports.List(ctx)
	if err != nil {
		return err
	}
	latest, err := a.Reports.LatestVersions(ctx)
	if err != nil {
		return err
	}
	rows := make([]reportRow, 0, len(svs))
	for _, sv := range svs {
		row := reportRow{Survey: sv}
		if r, ok := rs[sv.ID]; ok {
			row.Report = &r
			if p, ok := latest[r.ID]; ok {
				row.Published, row.Changed = &p, p.Revision != r.Revision
			}
		}
		rows = append(rows, row)
	}
	data := fiber.Map{"Title": "Results: you said, we did", "Rows": rows, "CanEdit": currentUser(c).Role.AtLeast(accounts.Officer)}
	if p, err := a.Programmes.Current(ctx); err == nil {
		data["Programme"] = p
	} else if !errors.Is(err, programmes.ErrNotFound) {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_reports/list", data)
}

func (a *App) startReport(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.FormValue("survey"), 10, 32)
	if err != nil || id == 0 {
		return fiber.ErrNotFound
	}
	r, err := a.Reports.Start(c.UserContext(), staffActor(c), uint(id))
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, reportBase(r.ID), "Results started. Check the findings, then pick quotes and add commitments.")
}

// findingRow is a theme or one of its codes in the staff findings table.
type findingRow struct {
	Key, Label      string
	Theme           bool
	Respondents     reports.Cell
	Passages        reports.Cell
	Workshops       int // workshops whose notes mention it: not people, never suppressed
	Share           int
	WithSuggestions *reports.Cell // counting unconfirmed suggestions, when asked for
}

func findingRows(f, with *reports.Findings) []findingRow {
	lookup := map[string]reports.Cell{}
	if with != nil {
		for _, t := range with.Themes {
			lookup[t.Key] = t.Respondents
			for _, cc := range t.Codes {
				lookup[cc.Key] = cc.Respondents
			}
		}
	}
	pick := func(key string) *reports.Cell {
		if with == nil {
			return nil
		}
		v := lookup[key]
		if _, ok := lookup[key]; !ok {
			v = reports.Cell{Suppressed: true}
		}
		return &v
	}
	var rows []findingRow
	for _, t := range f.Themes {
		rows = append(rows, findingRow{Key: t.Key, Label: t.Label, Theme: true, Respondents: t.Respondents, Passages: t.Passages,
			Workshops: t.Workshops, Share: t.Share, WithSuggestions: pick(t.Key)})
		for _, cc := range t.Codes {
			rows = append(rows, findingRow{Key: cc.Key, Label: cc.Label, Respondents: cc.Respondents, Passages: cc.Passages,
				Workshops: cc.Workshops, Share: cc.Share, WithSuggestions: pick(cc.Key)})
		}
	}
	return rows
}

// consentChoices are the answers that can mean "you may quote me".
func consentChoices(sv *surveys.Survey) []reportOption {
	out := []reportOption{{Value: "", Label: "Anyone: the privacy notice says anonymous quotes may be published"}}
	for _, q := range sv.Questions() {
		if q.Type != surveys.Radio || q.Personal {
			continue
		}
		for _, o := range q.Options {
			out = append(out, reportOption{Value: q.Key + "=" + o.Value, Label: "Only people who answered \"" + q.Label + "\" with \"" + o.Label + "\""})
		}
	}
	return out
}

func (a *App) staffReport(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	r := rc.Report
	form := map[string]string{"title": r.Title, "intro": r.Intro}
	if r.ConsentKey != "" {
		form["consent"] = r.ConsentKey + "=" + r.ConsentValue
	}
	return a.renderFindings(c, rc, fiber.StatusOK, form, nil)
}

func (a *App) renderFindings(c *fiber.Ctx, rc *reportCtx, status int, form map[string]string, problems *errs.Fields) error {
	ctx := c.UserContext()
	f, err := a.Reports.Findings(ctx, rc.Survey, false)
	if err != nil {
		return err
	}
	var with *reports.Findings
	unconfirmed := c.Query("unconfirmed") == "1"
	if unconfirmed {
		if with, err = a.Reports.Findings(ctx, rc.Survey, true); err != nil {
			return err
		}
	}
	data := rc.page(c, "Findings: "+rc.Survey.Title, "Findings")
	data["F"], data["Rows"], data["Unconfirmed"], data["Form"] = f, findingRows(f, with), unconfirmed, form
	data["Consent"] = consentChoices(rc.Survey)
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_reports/show", data)
}

func (a *App) updateReport(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	form := map[string]string{"title": c.FormValue("title"), "intro": c.FormValue("intro"), "consent": c.FormValue("consent")}
	_, err = a.Reports.Update(c.UserContext(), staffActor(c), rc.Report.ID, reports.Details{Title: form["title"], Intro: form["intro"], Consent: form["consent"]})
	if f, ok := fieldsOf(err); ok {
		return a.renderFindings(c, rc, fiber.StatusUnprocessableEntity, form, f)
	} else if err != nil {
		return err
	}
	return a.redirectWithFlash(c, rc.Base, "Details saved.")
}

// staffFindingsCSV downloads the findings as they are now (confirmed codes
// only, small numbers suppressed), before or after publishing.
func (a *App) staffFindingsCSV(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	f, err := a.Reports.Findings(c.UserContext(), rc.Survey, false)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+rc.Survey.Slug+`-findings-`+time.Now().Format("2006-01-02")+`.csv"`)
	return f.WriteCSV(c.Response().BodyWriter())
}

func (a *App) versionsPage(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	vs, err := a.Reports.Versions(c.UserContext(), rc.Report.ID)
	if err != nil {
		return err
	}
	data := rc.page(c, "Versions: "+rc.Survey.Title, "Versions")
	data["Versions"] = vs
	if rc.Report.CheckinID != nil {
		data["Checkin"] = *rc.Report.CheckinID
	}
	return a.render(c, fiber.StatusOK, "staff_reports/versions", data)
}

// versionPage shows an old version exactly as residents read it then.
func (a *App) versionPage(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	v, err := c.ParamsInt("v")
	if err != nil || v <= 0 {
		return fiber.ErrNotFound
	}
	res, err := a.Reports.AsPublished(c.UserContext(), rc.Report.ID, v)
	if err != nil {
		return err
	}
	vs, err := a.Reports.Versions(c.UserContext(), rc.Report.ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "results/show", fiber.Map{"Title": "Version " + strconv.Itoa(v) + ": " + res.Publication.Snapshot.Title,
		"R": newResultsView(res, nil), "Tags": statusTags, "Public": false, "Latest": len(vs) > 0 && vs[0].Version == v,
		"Back": rc.Base + "/versions"})
}

func (a *App) createCheckin(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	sv, err := a.Reports.CreateCheckin(c.UserContext(), staffActor(c), rc.Report.ID)
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/surveys/"+strconv.FormatUint(uint64(sv.ID), 10),
		"One-year check-in created as a draft, with a question for each commitment. Check the words, then open it.")
}

// trimmed reads form fields, trimmed.
func trimmed(c *fiber.Ctx, names ...string) map[string]string {
	form := map[string]string{}
	for _, n := range names {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	return form
}
