package app

import (
	"errors"
	"strconv"

	"codesign/errs"
	"codesign/panels"
	"codesign/reports"

	"github.com/gofiber/fiber/v2"
)

func (a *App) publishPage(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	return a.renderPublish(c, rc, fiber.StatusOK, map[string]string{}, nil)
}

// renderPublish shows the draft as it will be published, the panel review
// and the publish form, which carries the revision shown so that a change
// made meanwhile is never published unseen.
func (a *App) renderPublish(c *fiber.Ctx, rc *reportCtx, status int, form map[string]string, problem error) error {
	ctx := c.UserContext()
	f, err := a.Reports.Findings(ctx, rc.Survey, false)
	if err != nil {
		return err
	}
	quotes, err := a.Reports.Quotes(ctx, rc.Report.ID)
	if err != nil {
		return err
	}
	cs, err := a.Reports.Commitments(ctx, rc.Report.ID)
	if err != nil {
		return err
	}
	vs, err := a.Reports.Versions(ctx, rc.Report.ID)
	if err != nil {
		return err
	}
	ps, err := a.Panels.List(ctx)
	if err != nil {
		return err
	}
	data := rc.page(c, "Review and publish: "+rc.Survey.Title, "Review and publish")
	data["F"], data["Quotes"], data["Commitments"], data["Versions"], data["Panels"] = f, quotes, cs, vs, ps
	data["Form"], data["Tags"] = form, statusTags
	if len(vs) > 0 {
		data["Last"] = vs[0]
		data["Changed"] = vs[0].Revision != rc.Report.Revision
	}
	if id := rc.Report.ReviewID; id != nil {
		if rv, err := a.Panels.GetReview(ctx, *id); err == nil {
			data["Review"] = rv
		} else if !errors.Is(err, errs.ErrNotFound) {
			return err
		}
	}
	var conflict *errs.Conflict
	if fe, ok := fieldsOf(problem); ok {
		data["Errors"] = fe
	} else if errors.As(problem, &conflict) {
		data["Problem"] = conflict.Message
	}
	return a.render(c, status, "staff_reports/publish", data)
}

func (a *App) publishReport(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	form := trimmed(c, "revision", "note")
	rev, err := strconv.Atoi(form["revision"])
	if err != nil {
		return fiber.ErrBadRequest
	}
	u := currentUser(c)
	pub, told, err := a.Reports.Publish(c.UserContext(), rc.Report.ID, reports.PublishInput{Revision: rev, Note: form["note"],
		Actor: staffActor(c), ActorName: u.Name, Link: a.opts.BaseURL + "/results/" + rc.Survey.Slug})
	var conflict *errs.Conflict
	if _, ok := fieldsOf(err); ok {
		return a.renderPublish(c, rc, fiber.StatusUnprocessableEntity, form, err)
	} else if errors.As(err, &conflict) {
		// Show the draft as it is now, with the new revision in the form.
		rc, rerr := a.staffReportOf(c)
		if rerr != nil {
			return rerr
		}
		return a.renderPublish(c, rc, fiber.StatusConflict, form, err)
	} else if err != nil {
		return err
	}
	msg := "Version " + strconv.Itoa(pub.Version) + " is published."
	if told == 1 {
		msg += " 1 person who asked to hear back is being sent the link."
	} else if told > 1 {
		msg += " " + strconv.Itoa(told) + " people who asked to hear back are being sent the link."
	}
	return a.redirectWithFlash(c, rc.Base+"/versions", msg)
}

// sendForReview asks a panel to read the draft's words before publishing:
// the panels module sends the members their private links.
func (a *App) sendForReview(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	id, err := strconv.ParseUint(c.FormValue("panel"), 10, 32)
	if err != nil || id == 0 {
		f := &errs.Fields{}
		f.Add("panel", "Select the panel to send the draft to")
		return a.renderPublish(c, rc, fiber.StatusUnprocessableEntity, map[string]string{}, f.Err())
	}
	d, err := a.Reports.ReviewDraft(ctx, rc.Report.ID)
	if err != nil {
		return err
	}
	rv := &panels.Review{PanelID: uint(id), Title: "Draft results: " + rc.Survey.Title,
		Intro: "Before we publish what we heard and what we will do, please read each item. Tell us if the words are clear, fair and kind, " +
			"and whether anything could identify someone. Approve the items you are happy with."}
	for _, it := range d.Items {
		rv.Items = append(rv.Items, panels.ReviewItem{Ref: it.Ref, Text: it.Text})
	}
	if err := a.Panels.CreateReview(ctx, staffActor(c), rv); err != nil {
		return err
	}
	if err := a.Reports.SentForReview(ctx, staffActor(c), rc.Report.ID, rv.ID, d.Revision); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/panels/"+strconv.FormatUint(id, 10)+"/reviews/"+strconv.FormatUint(uint64(rv.ID), 10),
		"The draft is ready for the panel. Send the members their links from this page.")
}
