package app

import (
	"net/url"
	"strconv"
	"strings"

	"codesign/accounts"
	"codesign/errs"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// Double coding: an officer gives a random sample of one scope to two
// facilitators, each codes it alone in the same queue (their decisions
// kept apart from the review queue and from each other), and the report
// compares them with Cohen's kappa.

// isCoder reports whether the signed-in user is one of an assignment's
// two coders.
func (a *App) isCoder(c *fiber.Ctx, as *themes.Assignment) bool {
	u := currentUser(c)
	return u.ID == as.CoderAID || u.ID == as.CoderBID
}

// assignmentView is an assignment with names for people.
type assignmentView struct {
	*themes.Assignment
	Info           scopeInfo
	CoderA, CoderB string
	Mine           bool
}

func (a *App) assignmentViews(c *fiber.Ctx, list []themes.Assignment) ([]assignmentView, error) {
	names, err := a.staffNames(c.UserContext())
	if err != nil {
		return nil, err
	}
	out := make([]assignmentView, 0, len(list))
	for i := range list {
		as := &list[i]
		info, err := a.describeScope(c.UserContext(), as.Scope)
		if err != nil {
			info = scopeInfo{Scope: as.Scope, Title: as.Scope}
		}
		out = append(out, assignmentView{Assignment: as, Info: info, CoderA: names[as.CoderAID], CoderB: names[as.CoderBID], Mine: a.isCoder(c, as)})
	}
	return out, nil
}

// doubleCodingList lists the samples: an officer sees every one, a
// facilitator those they code.
func (a *App) doubleCodingList(c *fiber.Ctx) error {
	u := currentUser(c)
	officer := u.Role.AtLeast(accounts.Officer)
	who := u.ID
	if officer {
		who = 0
	}
	list, err := a.Themes.Assignments(c.UserContext(), who)
	if err != nil {
		return err
	}
	views, err := a.assignmentViews(c, list)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_themes/double_list", fiber.Map{"Title": "Double coding", "Assignments": views, "CanAssign": officer})
}

// newDoubleCoding is the form an officer assigns a sample with.
func (a *App) newDoubleCoding(c *fiber.Ctx) error {
	return a.renderAssignForm(c, fiber.StatusOK, map[string]string{"size": "30", "blind": "yes", "scope": strings.Clone(c.Query("scope"))}, nil)
}

func (a *App) renderAssignForm(c *fiber.Ctx, status int, form map[string]string, problems *errs.Fields) error {
	ctx := c.UserContext()
	counts, err := a.Themes.Scopes(ctx)
	if err != nil {
		return err
	}
	var scopes []option
	for _, sc := range counts {
		if info, err := a.describeScope(ctx, sc.Scope); err == nil {
			scopes = append(scopes, option{sc.Scope, info.Title + ": " + info.Label + " (" + strconv.Itoa(sc.Passages) + " passages)"})
		}
	}
	users, err := a.Accounts.List(ctx)
	if err != nil {
		return err
	}
	var coders []option
	for _, u := range users {
		if !u.Disabled() && u.Role.AtLeast(accounts.Facilitator) {
			coders = append(coders, option{strconv.FormatUint(uint64(u.ID), 10), u.Name + " (" + u.Role.Label() + ")"})
		}
	}
	data := fiber.Map{"Title": "Assign a sample for double coding", "Scopes": scopes, "Coders": coders, "Form": form, "MaxSample": themes.MaxSample}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_themes/double_new", data)
}

// assignDoubleCoding stores the assignment and its random sample.
func (a *App) assignDoubleCoding(c *fiber.Ctx) error {
	form := map[string]string{}
	for _, k := range []string{"scope", "coder_a", "coder_b", "size", "blind"} {
		form[k] = strings.TrimSpace(strings.Clone(c.FormValue(k)))
	}
	size, err := strconv.Atoi(form["size"])
	if err != nil {
		size = -1
	}
	as := &themes.Assignment{Scope: form["scope"], CoderAID: formUint(c, "coder_a"), CoderBID: formUint(c, "coder_b"), Size: size,
		Blind: form["blind"] == "yes", CreatedBy: currentUser(c).ID}
	problems := &errs.Fields{}
	if _, err := a.describeScope(c.UserContext(), as.Scope); err != nil {
		problems.Add("scope", "Choose what to sample")
	}
	for _, k := range []string{"coder_a", "coder_b"} {
		if id := formUint(c, k); id != 0 && !a.canCode(c, id) {
			problems.Add(k, "Choose a member of staff who can sign in")
		}
	}
	if err := as.Validate(); err != nil {
		f, _ := fieldsOf(err)
		for _, k := range f.Order {
			problems.Add(k, f.Messages[k])
		}
	}
	if !problems.Has() {
		err = a.Themes.Assign(c.UserContext(), as)
		if f, ok := fieldsOf(err); ok {
			problems = f
		} else if err != nil {
			return err
		}
	}
	if problems.Has() {
		return a.renderAssignForm(c, fiber.StatusUnprocessableEntity, form, problems)
	}
	return a.redirectWithFlash(c, "/staff/themes/double/"+strconv.FormatUint(uint64(as.ID), 10)+"/report",
		"Sample of "+strconv.Itoa(as.Size)+" passages assigned. Each coder will find it under Double coding.")
}

// canCode reports whether user id is active staff.
func (a *App) canCode(c *fiber.Ctx, id uint) bool {
	u, err := a.Accounts.ByID(c.UserContext(), id)
	return err == nil && !u.Disabled() && u.Role.AtLeast(accounts.Facilitator)
}

// assignmentFor loads the assignment in the URL for one of its coders,
// or for an officer when others may look too.
func (a *App) assignmentFor(c *fiber.Ctx, officersToo bool) (*themes.Assignment, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	as, err := a.Themes.Assignment(c.UserContext(), uint(id))
	if err != nil {
		return nil, err
	}
	if !a.isCoder(c, as) && !(officersToo && currentUser(c).Role.AtLeast(accounts.Officer)) {
		return nil, fiber.ErrForbidden
	}
	return as, nil
}

// doubleCodingQueue is a coder's own queue over the sample.
func (a *App) doubleCodingQueue(c *fiber.Ctx) error {
	as, err := a.assignmentFor(c, false)
	if err != nil {
		return err
	}
	if _, err := pageParam(c); err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	v := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(k, val []byte) { v.Add(string(k), string(val)) })
	v.Set("scope", as.Scope)
	q, problems := parseQueue(v, cb)
	status := fiber.StatusOK
	if problems.Has() {
		status = fiber.StatusUnprocessableEntity
	}
	return a.renderQueue(c, q, as, status, problems)
}

// agreementRow is one code's agreement, named.
type agreementRow struct {
	themes.Agreement
	Label string
}

// agreementTable is agreement by code between two raters.
type agreementTable struct {
	First, Second string
	Rows          []agreementRow
}

// disagreementRow is a code one coder applied to a passage and the other
// did not.
type disagreementRow struct {
	PassageID uint
	Text      string
	Label     string
	By        string
}

// doubleCodingReport shows agreement between the coders, and between
// codesign and each coder.
func (a *App) doubleCodingReport(c *fiber.Ctx) error {
	as, err := a.assignmentFor(c, true)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	rep, err := a.Themes.Agreement(ctx, as.ID)
	if err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	views, err := a.assignmentViews(c, []themes.Assignment{*as})
	if err != nil {
		return err
	}
	v := views[0]
	table := func(r themes.Report, first, second string) agreementTable {
		t := agreementTable{First: first, Second: second, Rows: make([]agreementRow, len(r.Codes))}
		for i, ag := range r.Codes {
			t.Rows[i] = agreementRow{Agreement: ag, Label: labelOf(cb, ag.Code)}
		}
		return t
	}
	var dis []disagreementRow
	for _, d := range rep.Humans.Disagreements {
		by := v.CoderB
		if d.ByA {
			by = v.CoderA
		}
		dis = append(dis, disagreementRow{PassageID: d.Unit, Text: rep.Passages[d.Unit].Text, Label: labelOf(cb, d.Code), By: by})
	}
	return a.render(c, fiber.StatusOK, "staff_themes/report", fiber.Map{"Title": "Agreement: " + v.Info.Label, "A": v, "Report": rep,
		"Humans": table(rep.Humans, v.CoderA, v.CoderB), "MachineA": table(rep.MachineA, "Suggested", v.CoderA),
		"MachineB": table(rep.MachineB, "Suggested", v.CoderB), "Disagreements": dis})
}
