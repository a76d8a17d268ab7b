package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

// workshopList is the public list of upcoming workshops, filterable by
// locality, format and date.
func (a *App) workshopList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	q := workshops.Query{PublishedOnly: true, UpcomingAt: time.Now(), Locality: c.Query("locality"), Format: workshops.Format(c.Query("format"))}
	form := map[string]string{"locality": q.Locality, "format": string(q.Format), "from": c.Query("from")}
	problems := &errs.Fields{}
	if from := c.Query("from"); from != "" {
		d, err := time.ParseInLocation("2006-01-02", from, a.london)
		if err != nil {
			problems.Add("from", "Enter a date, like 2026-05-12")
		} else {
			q.From = d
		}
	}
	events, err := a.Workshops.List(ctx, q)
	if err != nil {
		return err
	}
	locs, err := a.Programmes.Localities(ctx)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": "Workshops", "Events": events, "Localities": locs, "Formats": workshops.Formats, "Form": form}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, fiber.StatusOK, "workshops/list", data)
}

// publicEvent loads an event residents may see: published or cancelled.
func (a *App) publicEvent(c *fiber.Ctx) (*workshops.Event, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	e, err := a.Workshops.Get(c.UserContext(), uint(id))
	if err != nil {
		return nil, err
	}
	if e.Status == workshops.Draft {
		return nil, workshops.ErrNotFound
	}
	return e, nil
}

func (a *App) workshopPage(c *fiber.Ctx) error {
	e, err := a.publicEvent(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "workshops/event", a.eventData(e, map[string]string{"idempotency_key": accounts.NewSecret(24)}, nil, nil))
}

func (a *App) eventData(e *workshops.Event, form map[string]string, checked map[string]bool, problems *errs.Fields) fiber.Map {
	now := time.Now()
	data := fiber.Map{"Title": e.Title, "Event": e, "Access": workshops.VenueAccess(e.Venue), "Open": e.Open(now), "Past": e.Past(now),
		"Needs": workshops.Needs, "Form": form, "Checked": checked, "Description": paragraphsOf(e.Description), "Times": a.timeRange(e),
		"ConsentText": workshops.ConsentText}
	if problems != nil {
		data["Errors"] = problems
	}
	return data
}

// bookWorkshop signs a resident up from the event page. The manage token
// is derived from the form's idempotency key, so a double click shows the
// same private link as the first click.
func (a *App) bookWorkshop(c *fiber.Ctx) error {
	e, err := a.publicEvent(c)
	if err != nil {
		return err
	}
	in, form, checked := signupFromForm(c)
	if in.IdempotencyKey == "" || len(in.IdempotencyKey) > 100 {
		in.IdempotencyKey = accounts.NewSecret(24)
		form["idempotency_key"] = in.IdempotencyKey
	}
	in.ManageToken = a.bookingToken(in.IdempotencyKey)
	_, err = a.Workshops.Book(c.UserContext(), e.ID, in)
	if f, ok := fieldsOf(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "workshops/event", a.eventData(e, form, checked, f))
	}
	var conflict *errs.Conflict
	if errors.As(err, &conflict) {
		return a.render(c, fiber.StatusConflict, "workshops/closed", fiber.Map{"Title": "You cannot book this workshop", "Event": e, "Message": conflict.Message})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/bookings/"+in.ManageToken+"/confirmation", fiber.StatusSeeOther)
}

// bookingToken turns a form's idempotency key into the booking's private
// token with the server's secret key, so knowing the key reveals nothing.
func (a *App) bookingToken(key string) string {
	m := hmac.New(sha256.New, a.opts.SessionKey)
	m.Write([]byte("booking:" + key))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// signupFromForm reads the sign-up form, and returns what was entered so
// a form with mistakes can be shown again as it was.
func signupFromForm(c *fiber.Ctx) (workshops.Signup, map[string]string, map[string]bool) {
	names := []string{"name", "email", "phone", "interpreter_language", "access_notes", "dietary", "idempotency_key", "consent_contact"}
	form := map[string]string{}
	for _, n := range names {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	in := workshops.Signup{Name: form["name"], Email: form["email"], Phone: form["phone"], InterpreterLanguage: form["interpreter_language"],
		AccessNotes: form["access_notes"], Dietary: form["dietary"], ConsentContact: form["consent_contact"] == "yes", IdempotencyKey: form["idempotency_key"]}
	checked := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("access_needs") {
		in.AccessNeeds = append(in.AccessNeeds, workshops.Need(v))
		checked[string(v)] = true
	}
	return in, form, checked
}

// paragraphsOf splits staff-written text at blank lines, for <p> tags.
func paragraphsOf(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// timeRange is "2:00pm to 4:00pm" in UK time.
func (a *App) timeRange(e *workshops.Event) string {
	clock := func(t time.Time) string { return strings.ToLower(t.In(a.london).Format("3:04pm")) }
	return clock(e.StartsAt) + " to " + clock(e.EndsAt)
}
