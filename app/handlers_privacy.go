package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"codesign/audit"
	"codesign/errs"
	"codesign/privacy"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// privacyRoutes registers the data-protection pages under /admin: finding
// what is held about a person, the access-request download, erasure with
// its confirmation, retention's dry run and the audit log as CSV. A person
// is always sent in a POST body, never a URL, so no address or phone number
// lands in browser history, logs or a Referer.
func (a *App) privacyRoutes(admin fiber.Router) {
	admin.Get("/privacy", a.privacyHome)
	admin.Post("/privacy/search", a.privacySearch)
	admin.Post("/privacy/access", a.privacyAccess)
	admin.Post("/privacy/erase", a.privacyConfirmErase)
	admin.Post("/privacy/erase/confirm", a.privacyErase)
	admin.Get("/privacy/retention", a.retentionPage)
	admin.Post("/privacy/retention", a.applyRetention)
	admin.Get("/audit.csv", a.auditCSV)
}

// privacy builds the service over the app's database with the retention
// policy the background job last recorded.
func (a *App) privacy(ctx context.Context) (*privacy.Service, error) {
	return privacy.Stored(ctx, a.DB, nil)
}

func (a *App) privacyHome(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "admin_privacy/index", fiber.Map{"Title": "Data protection requests"})
}

// subjectOr422 reads the person from the form, or shows the search form
// again with the message and what was typed.
func (a *App) subjectOr422(c *fiber.Ctx) (privacy.Subject, bool, error) {
	raw := strings.Clone(c.FormValue("subject"))
	subj, err := privacy.ParseSubject(raw)
	if f, ok := fieldsOf(err); ok {
		return subj, false, a.render(c, fiber.StatusUnprocessableEntity, "admin_privacy/index", fiber.Map{
			"Title": "Data protection requests", "Errors": f, "Form": map[string]string{"subject": raw}})
	}
	return subj, true, err
}

func (a *App) privacySearch(c *fiber.Ctx) error {
	subj, ok, err := a.subjectOr422(c)
	if !ok || err != nil {
		return err
	}
	svc, err := a.privacy(c.UserContext())
	if err != nil {
		return err
	}
	r, err := svc.Search(c.UserContext(), &currentUser(c).ID, subj)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin_privacy/results", fiber.Map{"Title": "What we hold", "Subject": subj,
		"Report": r, "Groups": a.privacyGroups(r)})
}

// privacyAccess downloads everything held as JSON. The file is built in
// memory first, so a failure is an error page rather than half a file.
func (a *App) privacyAccess(c *fiber.Ctx) error {
	subj, ok, err := a.subjectOr422(c)
	if !ok || err != nil {
		return err
	}
	ctx, u := c.UserContext(), currentUser(c)
	svc, err := a.privacy(ctx)
	if err != nil {
		return err
	}
	allowed, err := a.Safeguarding.Allowed(ctx, u.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := svc.Access(ctx, &u.ID, subj, allowed, &buf); err != nil {
		return err
	}
	name := "access-request-" + string(subj.Kind) + "-" + a.nowLondon().Format("2006-01-02-150405") + ".json"
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(buf.Bytes())
}

// privacyConfirmErase shows what erasure will remove and asks for the
// person's detail to be typed again.
func (a *App) privacyConfirmErase(c *fiber.Ctx) error {
	subj, ok, err := a.subjectOr422(c)
	if !ok || err != nil {
		return err
	}
	return a.renderEraseConfirm(c, fiber.StatusOK, subj, nil, "")
}

func (a *App) renderEraseConfirm(c *fiber.Ctx, status int, subj privacy.Subject, problems *errs.Fields, typed string) error {
	svc, err := a.privacy(c.UserContext())
	if err != nil {
		return err
	}
	r, err := svc.Find(c.UserContext(), subj)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": "Erase everything we hold", "Subject": subj, "Report": r, "Counts": nonZero(r),
		"Form": map[string]string{"confirm": typed}}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "admin_privacy/confirm", data)
}

func (a *App) privacyErase(c *fiber.Ctx) error {
	subj, ok, err := a.subjectOr422(c)
	if !ok || err != nil {
		return err
	}
	typed := strings.Clone(c.FormValue("confirm"))
	if !subj.Matches(typed) {
		f := &errs.Fields{}
		f.Add("confirm", "Type the "+subj.Kind.Label()+" shown above to confirm")
		return a.renderEraseConfirm(c, fiber.StatusUnprocessableEntity, subj, f, typed)
	}
	svc, err := a.privacy(c.UserContext())
	if err != nil {
		return err
	}
	e, err := svc.Erase(c.UserContext(), &currentUser(c).ID, subj)
	if err != nil {
		return err
	}
	// Shown at once rather than after a redirect: the page lists the other
	// contact details the erased records held, which must not go into a
	// cookie or a URL. Sending the form again erases nothing more.
	return a.render(c, fiber.StatusOK, "admin_privacy/erased", fiber.Map{"Title": "Erasure", "Erasure": e})
}

func (a *App) retentionPage(c *fiber.Ctx) error {
	svc, err := a.privacy(c.UserContext())
	if err != nil {
		return err
	}
	r, err := svc.Retention(c.UserContext())
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin_privacy/retention", fiber.Map{"Title": "Retention", "Report": r})
}

func (a *App) applyRetention(c *fiber.Ctx) error {
	svc, err := a.privacy(c.UserContext())
	if err != nil {
		return err
	}
	r, err := svc.Apply(c.UserContext(), &currentUser(c).ID)
	if err != nil {
		return err
	}
	msg := "Nothing was due for removal."
	if r.Total() > 0 {
		var parts []string
		for _, k := range r.Kinds {
			if k.Count > 0 {
				parts = append(parts, k.Amount()+" ("+strings.ToLower(k.Label)+")")
			}
		}
		msg = "Retention applied. Removed " + strings.Join(parts, ", ") + "."
	}
	return a.redirectWithFlash(c, "/admin/privacy/retention", msg)
}

// auditCSV streams the whole audit log, oldest first, as a spreadsheet.
// Cells that a spreadsheet would run as a formula are made plain text. The
// download is itself recorded.
func (a *App) auditCSV(c *fiber.Ctx) error {
	ctx, u := c.UserContext(), currentUser(c)
	users, err := a.Accounts.List(ctx)
	if err != nil {
		return err
	}
	names := map[uint]string{}
	for _, x := range users {
		names[x.ID] = x.Name
	}
	if err := audit.Record(ctx, a.DB, audit.Event{ActorUserID: &u.ID, Action: "audit.exported", Target: "audit_log", Detail: "csv"}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit-log-`+a.nowLondon().Format("2006-01-02")+`.csv"`)
	store, london, bg := a.Audit, a.london, context.WithoutCancel(ctx)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		_, _ = w.WriteString("\ufeff")
		cw := csv.NewWriter(w)
		err := cw.Write([]string{"id", "when (UK time)", "who", "action", "record", "detail"})
		if err == nil {
			err = store.Each(bg, func(e audit.Event) error {
				who := "System"
				if e.ActorUserID != nil {
					who = names[*e.ActorUserID]
					if who == "" {
						who = "user " + strconv.FormatUint(uint64(*e.ActorUserID), 10)
					}
				}
				return cw.Write([]string{strconv.FormatUint(uint64(e.ID), 10), e.At.In(london).Format("2006-01-02 15:04:05"),
					themes.SafeCell(who), themes.SafeCell(e.Action), themes.SafeCell(e.Target), themes.SafeCell(e.Detail)})
			})
		}
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			slog.Error("audit log download stopped part-way", "err", err)
		}
	})
	return nil
}

func (a *App) nowLondon() time.Time { return time.Now().In(a.london) }

// privacyGroup is one kind of record on the results page: how many, and a
// line about each, saying what it is without repeating what it holds.
type privacyGroup struct {
	Label string
	Items []string
}

func (a *App) privacyGroups(r *privacy.Report) []privacyGroup {
	var out []privacyGroup
	add := func(label string, items []string) {
		if len(items) > 0 {
			out = append(out, privacyGroup{Label: fmt.Sprintf("%s (%d)", label, len(items)), Items: items})
		}
	}
	var lines []string
	for _, x := range r.Responses {
		contact := 0
		for _, an := range x.Answers {
			if an.Personal {
				contact++
			}
		}
		lines = append(lines, fmt.Sprintf("Response %s to “%s”, sent %s: %d answers, %d of them contact details.", x.Receipt, x.Survey,
			a.londonTime(x.SubmittedAt), len(x.Answers), contact))
	}
	add("Survey responses", lines)
	lines = nil
	for _, d := range r.Drafts {
		lines = append(lines, fmt.Sprintf("Unfinished answers to “%s”, saved %s, kept until %s.", d.Survey, a.londonTime(d.SavedAt), a.londonTime(d.ExpiresAt)))
	}
	add("Unfinished survey answers", lines)
	lines = nil
	for _, it := range r.Safeguarding {
		lines = append(lines, fmt.Sprintf("Safeguarding item %d: an answer flagged for risk in response %d, queued %s, status %s. Its words are shown only in the safeguarding queue.",
			it.ID, it.ResponseID, a.londonTime(it.QueuedAt), strings.ReplaceAll(it.Status, "_", " ")))
	}
	add("Safeguarding queue", lines)
	if n := len(r.Passages); n > 0 {
		add("Coded passages", []string{fmt.Sprintf("%d sentences of their answers, stored for thematic coding.", n)})
	}
	lines = nil
	for _, q := range r.Quotes {
		lines = append(lines, fmt.Sprintf("A quote from their answers in report %d (in the draft and in any published version).", q.ReportID))
	}
	add("Quotes in reports", lines)
	add("Workshop bookings", a.bookingLines(r))
	add("Panel applications and memberships", a.panelLines(r))
	lines = nil
	for _, m := range r.Messages {
		lines = append(lines, fmt.Sprintf("“%s” to %s: a %s message, %s, created %s.", m.Subject, m.To, strings.ReplaceAll(m.Kind, "_", " "), m.Status, a.londonTime(m.CreatedAt)))
	}
	add("Messages", lines)
	return out
}

func (a *App) bookingLines(r *privacy.Report) []string {
	var lines []string
	for _, b := range r.Bookings {
		when := "still to come: erasing deletes the booking and offers the place to the first person waiting"
		if b.Ended {
			when = "ended: erasing keeps only the status and access needs, as an anonymous count"
		}
		lines = append(lines, fmt.Sprintf("“%s” on %s, %s (workshop %s).", b.Event, a.londonTime(b.StartsAt), strings.ReplaceAll(b.Status, "_", " "), when))
	}
	return lines
}

func (a *App) panelLines(r *privacy.Report) []string {
	var lines []string
	for _, ap := range r.Applications {
		lines = append(lines, fmt.Sprintf("Application to “%s”, %s, made %s.", ap.Panel, ap.Status, a.londonTime(ap.AppliedAt)))
	}
	for _, m := range r.Members {
		lines = append(lines, fmt.Sprintf("Member of “%s”, %s, with %d payments and %d review comments.", m.Panel, m.Status, len(m.Payments), len(m.Comments)))
	}
	return lines
}

// nonZero lists the kinds a report holds records of.
func nonZero(r *privacy.Report) []privacy.Count {
	var out []privacy.Count
	for _, c := range r.Counts() {
		if c.N > 0 {
			out = append(out, c)
		}
	}
	return out
}
