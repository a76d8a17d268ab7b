package app

import (
	"strconv"
	"time"

	"codesign/errs"
	"codesign/reports"

	"github.com/gofiber/fiber/v2"
)

var commitmentFields = []string{"you_said", "we_did", "owner_org", "owner_team", "status", "reason", "due"}

// codeBox is a theme or code to tick on the commitment form, with the
// evidence behind it.
type codeBox struct {
	Key, Label string
	Theme      bool
	Evidence   reports.Cell
	Checked    bool
}

// commitmentView is a commitment in the staff list, with its evidence.
type commitmentView struct {
	reports.Commitment
	Evidence reports.Cell
	Labels   []string
}

func (a *App) commitmentsPage(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	cs, err := a.Reports.Commitments(ctx, rc.Report.ID)
	if err != nil {
		return err
	}
	f, err := a.Reports.Findings(ctx, rc.Survey, false)
	if err != nil {
		return err
	}
	views := make([]commitmentView, len(cs))
	for i, cm := range cs {
		views[i] = commitmentView{Commitment: cm, Evidence: f.Evidence(cm.Codes)}
		for _, code := range cm.Codes {
			views[i].Labels = append(views[i].Labels, f.Label(code))
		}
	}
	data := rc.page(c, "Commitments: "+rc.Survey.Title, "Commitments")
	data["Commitments"], data["Tags"] = views, statusTags
	return a.render(c, fiber.StatusOK, "staff_reports/commitments", data)
}

// commitmentForm fills what the add and edit forms need.
func (a *App) commitmentForm(c *fiber.Ctx, rc *reportCtx, title string, form map[string]string, codes []string, problems *errs.Fields) (fiber.Map, error) {
	ctx := c.UserContext()
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	f, err := a.Reports.Findings(ctx, rc.Survey, false)
	if err != nil {
		return nil, err
	}
	ticked := map[string]bool{}
	for _, code := range codes {
		ticked[code] = true
	}
	var boxes []codeBox
	for _, cd := range cb.Codes {
		boxes = append(boxes, codeBox{Key: cd.Key, Label: cd.Label, Theme: cd.Parent == "", Evidence: f.Evidence([]string{cd.Key}), Checked: ticked[cd.Key]})
	}
	data := rc.page(c, title, "Commitments")
	data["Form"], data["Codes"], data["Statuses"] = form, boxes, reports.CommitmentStatuses
	if problems.Has() {
		data["Errors"] = problems
	}
	return data, nil
}

func (a *App) newCommitmentForm(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	form := map[string]string{"status": string(reports.Planned), "owner_org": "Islington Council"}
	data, err := a.commitmentForm(c, rc, "Add a commitment", form, nil, nil)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_reports/commitment_form", data)
}

// commitmentFromForm reads the commitment form. The due date is a day.
func commitmentFromForm(c *fiber.Ctx) (*reports.Commitment, map[string]string, []string, *errs.Fields) {
	form := trimmed(c, commitmentFields...)
	var codes []string
	for _, v := range c.Request().PostArgs().PeekMulti("codes") {
		codes = append(codes, string(v))
	}
	f := &errs.Fields{}
	cm := &reports.Commitment{YouSaid: form["you_said"], WeDid: form["we_did"], Codes: codes, OwnerOrg: form["owner_org"],
		OwnerTeam: form["owner_team"], Status: reports.CommitmentStatus(form["status"]), Reason: form["reason"]}
	if form["due"] != "" {
		due, err := time.Parse(time.DateOnly, form["due"])
		if err != nil {
			f.Add("due", "Enter the date this is due, like 2027-03-31")
		}
		cm.DueOn = due
	}
	return cm, form, codes, f
}

// mergeFields adds err's field messages to f, and returns err if it is
// anything else.
func mergeFields(f *errs.Fields, err error) error {
	if more, ok := fieldsOf(err); ok {
		for _, k := range more.Order {
			f.Add(k, more.Messages[k])
		}
		return nil
	}
	return err
}

func (a *App) createCommitment(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	cm, form, codes, problems := commitmentFromForm(c)
	if !problems.Has() {
		if err := mergeFields(problems, a.Reports.AddCommitment(c.UserContext(), staffActor(c), rc.Report.ID, cm)); err != nil {
			return err
		}
	}
	if problems.Has() {
		data, err := a.commitmentForm(c, rc, "Add a commitment", form, codes, problems)
		if err != nil {
			return err
		}
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_reports/commitment_form", data)
	}
	return a.redirectWithFlash(c, rc.Base+"/commitments", "Commitment added to the draft.")
}

// staffCommitmentOf loads the commitment named by :c.
func (a *App) staffCommitmentOf(c *fiber.Ctx, rc *reportCtx) (*reports.Commitment, error) {
	id, err := c.ParamsInt("c")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Reports.Commitment(c.UserContext(), rc.Report.ID, uint(id))
}

func (a *App) commitmentPage(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	cm, err := a.staffCommitmentOf(c, rc)
	if err != nil {
		return err
	}
	return a.renderCommitment(c, rc, cm, fiber.StatusOK, formOfCommitment(cm), cm.Codes, nil, "")
}

func formOfCommitment(cm *reports.Commitment) map[string]string {
	return map[string]string{"you_said": cm.YouSaid, "we_did": cm.WeDid, "owner_org": cm.OwnerOrg, "owner_team": cm.OwnerTeam,
		"due": cm.DueOn.Format(time.DateOnly), "status": string(cm.Status)}
}

// renderCommitment shows a commitment's edit form, its log and the form
// for a new update; link is a new partner link to show once.
func (a *App) renderCommitment(c *fiber.Ctx, rc *reportCtx, cm *reports.Commitment, status int, form map[string]string, codes []string, problems *errs.Fields, link string) error {
	data, err := a.commitmentForm(c, rc, "Commitment: "+cm.YouSaid, form, codes, problems)
	if err != nil {
		return err
	}
	data["C"], data["Tags"], data["Link"] = cm, statusTags, link
	if link != "" {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return a.render(c, status, "staff_reports/commitment", data)
}

func (a *App) editCommitment(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	old, err := a.staffCommitmentOf(c, rc)
	if err != nil {
		return err
	}
	cm, form, codes, problems := commitmentFromForm(c)
	cm.ID = old.ID
	if !problems.Has() {
		if err := mergeFields(problems, a.Reports.EditCommitment(c.UserContext(), staffActor(c), rc.Report.ID, cm)); err != nil {
			return err
		}
	}
	if problems.Has() {
		form["status"] = string(old.Status)
		return a.renderCommitment(c, rc, old, fiber.StatusUnprocessableEntity, form, codes, problems, "")
	}
	return a.redirectWithFlash(c, rc.Base+"/commitments/"+strconv.FormatUint(uint64(cm.ID), 10), "Commitment saved in the draft. Publish a new version for residents to see the change.")
}

func (a *App) recordProgress(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	cm, err := a.staffCommitmentOf(c, rc)
	if err != nil {
		return err
	}
	form := trimmed(c, "status", "note", "reason")
	p := reports.Progress{Status: reports.CommitmentStatus(form["status"]), Note: form["note"], Reason: form["reason"]}
	err = a.Reports.Record(c.UserContext(), staffActor(c), rc.Report.ID, cm.ID, p)
	if f, ok := fieldsOf(err); ok {
		edit := formOfCommitment(cm)
		for k, v := range form {
			edit["progress_"+k] = v
		}
		return a.renderCommitment(c, rc, cm, fiber.StatusUnprocessableEntity, edit, cm.Codes, prefixed(f, "progress_"), "")
	} else if err != nil {
		return err
	}
	return a.redirectWithFlash(c, rc.Base+"/commitments/"+strconv.FormatUint(uint64(cm.ID), 10)+"#updates", "Update added. It shows on the public page now.")
}

// prefixed renames field errors, for the second form on a page.
func prefixed(f *errs.Fields, prefix string) *errs.Fields {
	out := &errs.Fields{}
	for _, k := range f.Order {
		out.Add(prefix+k, f.Messages[k])
	}
	return out
}

func (a *App) partnerLink(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	cm, err := a.staffCommitmentOf(c, rc)
	if err != nil {
		return err
	}
	token, err := a.Reports.PartnerLink(c.UserContext(), staffActor(c), rc.Report.ID, cm.ID)
	if err != nil {
		return err
	}
	return a.renderCommitment(c, rc, cm, fiber.StatusOK, formOfCommitment(cm), cm.Codes, nil, a.opts.BaseURL+"/commitment-updates/"+token)
}
