package app

import (
	"strings"

	"codesign/reports"

	"github.com/gofiber/fiber/v2"
)

// Public results: the list of published results with a tracker of every
// commitment, one consultation's results, and its open data. Everything
// here is read from published versions, so nothing a resident sees is
// ever a raw response or a count under 5.

func (a *App) resultsIndex(c *fiber.Ctx) error {
	ctx := c.UserContext()
	list, err := a.Reports.PublishedList(ctx)
	if err != nil {
		return err
	}
	f := reports.TrackerFilter{Theme: c.Query("theme"), Owner: c.Query("owner"), Status: reports.CommitmentStatus(c.Query("status"))}
	tr, err := a.Reports.Track(ctx, f)
	if err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	var themeOpts []reportOption
	for _, code := range cb.Codes {
		if code.Parent == "" {
			themeOpts = append(themeOpts, reportOption{Value: code.Key, Label: code.Label})
		}
	}
	filtered := f.Theme != "" || f.Owner != "" || f.Status != ""
	return a.render(c, fiber.StatusOK, "results/index", fiber.Map{"Title": "What happened", "List": list, "Tracker": tr,
		"Filter": f, "Filtered": filtered, "ThemeOptions": themeOpts, "Statuses": reports.CommitmentStatuses, "Tags": statusTags})
}

// reportOption is a choice in a select.
type reportOption struct{ Value, Label string }

// published loads the latest published results for :slug.
func (a *App) published(c *fiber.Ctx) (*reports.Results, error) {
	return a.Reports.Published(c.UserContext(), c.Params("slug"))
}

func (a *App) resultsPage(c *fiber.Ctx) error {
	res, err := a.published(c)
	if err != nil {
		return err
	}
	r, err := a.Reports.Get(c.UserContext(), res.ReportID)
	if err != nil {
		return err
	}
	checkins, err := a.Reports.CheckinResults(c.UserContext(), r)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "results/show", fiber.Map{"Title": res.Publication.Snapshot.Title,
		"R": newResultsView(res, checkins), "Tags": statusTags, "Public": true, "BaseURL": a.opts.BaseURL})
}

func (a *App) resultsCSV(c *fiber.Ctx) error {
	res, err := a.published(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+res.Publication.Snapshot.Survey.Slug+`-results.csv"`)
	return res.WriteCSV(c.Response().BodyWriter())
}

func (a *App) resultsJSON(c *fiber.Ctx) error {
	res, err := a.published(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+res.Publication.Snapshot.Survey.Slug+`-results.json"`)
	return c.JSON(res.API())
}

// apiResults is GET /api/v1/surveys/{slug}/results: published results only,
// 404 before the first publish.
func (a *App) apiResults(c *fiber.Ctx) error {
	res, err := a.published(c)
	if err != nil {
		return err
	}
	return c.JSON(res.API())
}

// Partners update their own commitment through a private link. A wrong
// or replaced link is a plain 404.

func (a *App) partnerPage(c *fiber.Ctx) error {
	cm, err := a.Reports.ByPartnerToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return a.renderPartner(c, fiber.StatusOK, cm, map[string]string{"status": string(cm.Status)}, nil)
}

func (a *App) renderPartner(c *fiber.Ctx, status int, cm *reports.Commitment, form map[string]string, problems error) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	data := fiber.Map{"Title": "Update a commitment", "C": cm, "Form": form, "Statuses": reports.CommitmentStatuses, "Tags": statusTags}
	if f, ok := fieldsOf(problems); ok {
		data["Errors"] = f
	}
	return a.render(c, status, "results/partner", data)
}

func (a *App) partnerUpdate(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	form := map[string]string{"status": c.FormValue("status"), "note": c.FormValue("note"), "reason": c.FormValue("reason")}
	p := reports.Progress{Status: reports.CommitmentStatus(form["status"]), Note: form["note"], Reason: form["reason"]}
	_, err := a.Reports.PartnerRecord(c.UserContext(), token, p)
	if _, ok := fieldsOf(err); ok {
		cm, lerr := a.Reports.ByPartnerToken(c.UserContext(), token)
		if lerr != nil {
			return lerr
		}
		return a.renderPartner(c, fiber.StatusUnprocessableEntity, cm, form, err)
	} else if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/commitment-updates/"+token, "Thank you. Your update is saved and shows on the public results page now.")
}
