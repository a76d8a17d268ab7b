package app

import (
	"strings"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelAppRow is an application in the staff list.
type panelAppRow struct {
	panels.Application
	StatusLabel, Payment string
	Areas                []string // officers only
}

// panelApplications lists a panel's applications, filtered by selection
// state and by a name or email address.
func (a *App) panelApplications(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	all, err := a.Panels.Applications(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	status, q := c.Query("status"), strings.ToLower(strings.TrimSpace(c.Query("q")))
	officer := panelOfficer(c)
	rows := []panelAppRow{}
	for _, ap := range all {
		if status != "" && string(ap.Status) != status {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(ap.Name), q) && !strings.Contains(ap.Email, q) {
			continue
		}
		row := panelAppRow{Application: ap, StatusLabel: ap.Status.Label(), Payment: panels.Label(panels.PaymentPreferences, ap.PaymentPreference)}
		if officer {
			row.Areas = panelLabels(panels.LivedExperienceAreas, ap.Areas())
		}
		rows = append(rows, row)
	}
	data := staffPanelData(c, p, "Applications", "Applications")
	data["Rows"], data["Total"], data["Statuses"] = rows, len(all), panelStatuses
	data["Form"] = map[string]string{"status": status, "q": c.Query("q")}
	data["Filtered"] = status != "" || q != ""
	return a.render(c, fiber.StatusOK, "staff_panels/applications", data)
}

// panelStatuses are the selection states in the order staff meet them.
var panelStatuses = []panels.Status{panels.Received, panels.Shortlisted, panels.Invited, panels.Waiting, panels.Accepted, panels.Declined}

// panelApplicationOf loads the application named by :app, which must
// belong to p. Officers open the statement, and that is audited; other
// staff get the application without it.
func (a *App) panelApplicationOf(c *fiber.Ctx, p *panels.Panel) (*panels.Application, []panels.Note, error) {
	id, err := panelParam(c, "app")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.UserContext()
	var ap *panels.Application
	var notes []panels.Note
	if panelOfficer(c) {
		ap, notes, err = a.Panels.ViewApplication(ctx, &currentUser(c).ID, id)
	} else if ap, err = a.Panels.Application(ctx, id); err == nil {
		notes, err = a.Panels.Notes(ctx, id)
	}
	if err != nil {
		return nil, nil, err
	}
	if ap.PanelID != p.ID {
		return nil, nil, panels.ErrNotFound
	}
	return ap, notes, nil
}

// panelNote is a staff note with its author's name.
type panelNote struct {
	panels.Note
	Author string
}

func (a *App) panelApplication(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	ap, notes, err := a.panelApplicationOf(c, p)
	if err != nil {
		return err
	}
	data, err := a.applicationData(c, p, ap, notes)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_panels/application", data)
}

// applicationData fills an application's page. Lived experience, the
// statement and the equality answers are special-category data: only
// officers see them.
func (a *App) applicationData(c *fiber.Ctx, p *panels.Panel, ap *panels.Application, notes []panels.Note) (fiber.Map, error) {
	users, err := a.Accounts.List(c.UserContext())
	if err != nil {
		return nil, err
	}
	names := map[uint]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	withNames := make([]panelNote, 0, len(notes))
	for _, n := range notes {
		who := "Staff"
		if n.AuthorID != nil && names[*n.AuthorID] != "" {
			who = names[*n.AuthorID]
		}
		withNames = append(withNames, panelNote{Note: n, Author: who})
	}
	var next []panelChoice
	for i, s := range panels.Next(ap.Status) {
		id := "to-" + string(s)
		if i == 0 {
			id = "to"
		}
		next = append(next, panelChoice{ID: id, Value: string(s), Label: decisionLabel(s)})
	}
	data := staffPanelData(c, p, ap.Name, "Applications")
	data["App"], data["StatusLabel"], data["Notes"], data["Next"] = ap, ap.Status.Label(), withNames, next
	data["Payment"] = panels.Label(panels.PaymentPreferences, ap.PaymentPreference)
	if panelOfficer(c) {
		data["Areas"] = panelLabels(panels.LivedExperienceAreas, ap.Areas())
		data["Equality"] = [][2]string{{"Age", panels.Label(panels.AgeBands, ap.AgeBand)},
			{"Ethnic group", panels.Label(panels.Ethnicities, ap.Ethnicity)}, {"Locality", panels.Label(panels.Localities, ap.Locality)}}
	}
	if _, ok := data["Form"]; !ok {
		data["Form"] = map[string]string{}
	}
	return data, nil
}

// decisionLabel says what choosing s does.
func decisionLabel(s panels.Status) string {
	switch s {
	case panels.Shortlisted:
		return "Shortlist (the applicant is not told yet)"
	case panels.Invited:
		return "Invite to an informal conversation"
	case panels.Accepted:
		return "Offer a place: they become a member and get their private link"
	case panels.Waiting:
		return "Put on the waiting list"
	case panels.Declined:
		return "Decline, with a reason for the team and a kind message to the applicant"
	}
	return s.Label()
}

// decideApplication applies a member of staff's decision. The domain
// queues the message to the applicant in the same transaction.
func (a *App) decideApplication(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	ap, notes, err := a.panelApplicationOf(c, p)
	if err != nil {
		return err
	}
	form := map[string]string{"to": c.FormValue("to"), "reason": strings.TrimSpace(c.FormValue("reason")),
		"message": strings.TrimSpace(c.FormValue("message")), "term_start": strings.TrimSpace(c.FormValue("term_start"))}
	f := &errs.Fields{}
	d := panels.Decision{To: panels.Status(form["to"]), Reason: form["reason"], Message: form["message"]}
	if !panels.CanMove(ap.Status, d.To) {
		f.Add("to", "Select a decision")
	}
	if form["term_start"] != "" {
		if day, ok := a.panelDay(form["term_start"]); ok {
			d.TermStart = day
		} else {
			f.Add("term_start", "Enter the date the term starts, like 2027-01-31")
		}
	}
	var decided *panels.Decided
	if !f.Has() {
		decided, err = a.Panels.Decide(c.UserContext(), &currentUser(c).ID, ap.ID, d)
		if err := mergePanelFields(f, err); err != nil {
			return err
		}
	}
	if f.Has() {
		data, err := a.applicationData(c, p, ap, notes)
		if err != nil {
			return err
		}
		data["Form"] = form
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_panels/application", withPanelErrors(data, f))
	}
	return a.redirectWithFlash(c, panelBase(p)+"/applications/"+panelIDStr(ap.ID), decisionFlash(ap.Name, decided))
}

func decisionFlash(name string, d *panels.Decided) string {
	switch d.Application.Status {
	case panels.Accepted:
		return name + " is now a member. We have sent them a message with their private link."
	case panels.Shortlisted:
		return name + " is shortlisted. They are told at the next decision."
	case panels.Declined:
		return name + " has been declined and sent your message."
	}
	return name + " is now: " + strings.ToLower(d.Application.Status.Label()) + ". We have sent them a message."
}

// addApplicationNote adds a staff-only note.
func (a *App) addApplicationNote(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	ap, notes, err := a.panelApplicationOf(c, p)
	if err != nil {
		return err
	}
	body := c.FormValue("note")
	f := &errs.Fields{}
	if err := mergePanelFields(f, a.Panels.AddNote(c.UserContext(), &currentUser(c).ID, ap.ID, body)); err != nil {
		return err
	}
	if f.Has() {
		data, err := a.applicationData(c, p, ap, notes)
		if err != nil {
			return err
		}
		data["Form"] = map[string]string{"note": body}
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_panels/application", withPanelErrors(data, f))
	}
	return a.redirectWithFlash(c, panelBase(p)+"/applications/"+panelIDStr(ap.ID)+"#notes", "Note added.")
}

// erasePanelApplication deletes, for good, an applicant who did not become
// a member: what the form promised once recruitment is over. A member is
// erased from their member page, which also keeps their payments right.
func (a *App) erasePanelApplication(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	id, err := panelParam(c, "app")
	if err != nil {
		return err
	}
	ap, err := a.Panels.Application(c.UserContext(), id)
	if err != nil {
		return err
	}
	if ap.PanelID != p.ID {
		return panels.ErrNotFound
	}
	if ap.Status == panels.Accepted {
		return &errs.Conflict{Message: "This applicant is a member. Erase their details from their member page instead."}
	}
	if err := a.Panels.EraseApplication(c.UserContext(), &currentUser(c).ID, ap.ID); err != nil {
		return err
	}
	return a.redirectWithFlash(c, panelBase(p)+"/applications", "The application has been erased. Nothing the applicant told us is kept.")
}

// panelRepresentation compares members and applicants with the panel's
// diversity targets; every count under 5 comes back as "fewer than 5".
func (a *App) panelRepresentation(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	rows, err := a.Panels.Representation(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	data := staffPanelData(c, p, "Representativeness", "Representativeness")
	data["Rows"] = rows
	return a.render(c, fiber.StatusOK, "staff_panels/representation", data)
}
