package app

import (
	"strconv"
	"strings"
	"time"

	"codesign/errs"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

var eventFormFields = []string{"title", "summary", "description", "format", "locality", "venue", "online_details", "starts_date",
	"starts_time", "ends_time", "deadline_date", "deadline_time", "capacity", "waiting_list_limit", "facilitators", "survey_slug", "status"}

// eventFromForm reads the staff form. Dates and times are typed in UK
// time and turned into instants with the Europe/London rules, so an event
// in summer is stored an hour earlier in UTC than the clock on the wall.
func (a *App) eventFromForm(c *fiber.Ctx) (*workshops.Event, map[string]string, *errs.Fields) {
	form := map[string]string{}
	for _, n := range eventFormFields {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	f := &errs.Fields{}
	e := &workshops.Event{Title: form["title"], Summary: form["summary"], Description: form["description"], Format: workshops.Format(form["format"]),
		OnlineDetails: form["online_details"], Facilitators: form["facilitators"], SurveySlug: form["survey_slug"], Status: workshops.Status(form["status"])}
	if id, err := strconv.ParseUint(form["locality"], 10, 32); err == nil {
		e.LocalityID = uint(id)
	}
	if id, err := strconv.ParseUint(form["venue"], 10, 32); err == nil && id > 0 {
		v := uint(id)
		e.VenueID = &v
	}
	if n, err := strconv.Atoi(form["capacity"]); err == nil {
		e.Capacity = n
	} else {
		f.Add("capacity", "Enter the number of places, like 20")
	}
	if v := form["waiting_list_limit"]; v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			e.WaitingListLimit = n
		} else {
			f.Add("waiting_list_limit", "Enter the number of waiting list places, like 20, or leave it empty")
		}
	}
	e.StartsAt = a.londonAt(f, "starts_date", form["starts_date"], form["starts_time"])
	e.EndsAt = a.londonAt(f, "ends_time", form["starts_date"], form["ends_time"])
	if form["deadline_date"] != "" {
		e.SignupDeadline = a.londonAt(f, "deadline_date", form["deadline_date"], form["deadline_time"])
	}
	// Validate adds the rest; a field that could not be parsed keeps its
	// parsing message.
	if more, ok := fieldsOf(e.Validate()); ok {
		for _, k := range more.Order {
			f.Add(k, more.Messages[k])
		}
	}
	return e, form, f
}

// londonAt reads a date (2006-01-02) and a time (15:04, default 23:59 for
// deadlines) as UK time.
func (a *App) londonAt(f *errs.Fields, field, date, clock string) time.Time {
	if clock == "" && field == "deadline_date" {
		clock = "23:59"
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, a.london)
	if err != nil {
		f.Add(field, "Enter a date like 2026-05-12 and a time like 18:00")
		return time.Time{}
	}
	return t.UTC()
}

// formOfEvent fills the edit form from a stored event.
func (a *App) formOfEvent(e *workshops.Event) map[string]string {
	start, end, deadline := e.StartsAt.In(a.london), e.EndsAt.In(a.london), e.SignupDeadline.In(a.london)
	form := map[string]string{"title": e.Title, "summary": e.Summary, "description": e.Description, "format": string(e.Format),
		"locality": strconv.FormatUint(uint64(e.LocalityID), 10), "online_details": e.OnlineDetails,
		"starts_date": start.Format("2006-01-02"), "starts_time": start.Format("15:04"), "ends_time": end.Format("15:04"),
		"deadline_date": deadline.Format("2006-01-02"), "deadline_time": deadline.Format("15:04"),
		"capacity": strconv.Itoa(e.Capacity), "facilitators": e.Facilitators, "survey_slug": e.SurveySlug, "status": string(e.Status)}
	if e.VenueID != nil {
		form["venue"] = strconv.FormatUint(uint64(*e.VenueID), 10)
	}
	if e.WaitingListLimit > 0 {
		form["waiting_list_limit"] = strconv.Itoa(e.WaitingListLimit)
	}
	return form
}
