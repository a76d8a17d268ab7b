package workshops

import (
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

const londonTZID = "Europe/London"

// Calendar returns an RFC 5545 calendar file for a booking: the event in
// UK local time with a VTIMEZONE for Europe/London, so calendars show the
// right time on both sides of the clocks changing. Joining details are
// included only for a confirmed place.
func (s *Store) Calendar(b *Booking, now time.Time) string {
	e := b.Event
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//codesign//workshops//EN")
	addLondon(cal)
	ev := cal.AddEvent("workshop-" + itoa(e.ID) + "-booking-" + itoa(b.ID) + "@codesign")
	ev.SetDtStampTime(now)
	ev.SetModifiedAt(e.UpdatedAt)
	ev.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(s.opts.London).Format("20060102T150405"), ics.WithTZID(londonTZID))
	ev.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(s.opts.London).Format("20060102T150405"), ics.WithTZID(londonTZID))
	ev.SetSummary(e.Title)
	ev.SetLocation(e.Where())
	ev.SetURL(s.opts.BaseURL + "/workshops/" + itoa(e.ID))
	if e.Status == Cancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	ev.SetDescription(s.calendarText(b))
	// RFC 5545 lines end in CRLF; the library defaults to the platform's.
	return cal.Serialize(ics.WithNewLineWindows)
}

func (s *Store) calendarText(b *Booking) string {
	e := b.Event
	var w strings.Builder
	w.WriteString(e.Summary)
	if e.HasVenue() {
		w.WriteString("\n\nAccess: " + strings.Join(VenueAccess(e.Venue), ". "))
	}
	if e.IsOnline() && b.Status == Confirmed && e.OnlineDetails != "" {
		w.WriteString("\n\nHow to join online: " + e.OnlineDetails)
	}
	return strings.TrimSpace(w.String())
}

// addLondon describes UK time: GMT in winter, BST from the last Sunday
// of March to the last Sunday of October, changing at 01:00 UTC.
func addLondon(cal *ics.Calendar) {
	tz := cal.AddTimezone(londonTZID)
	rule := func(c *ics.ComponentBase, name, from, to, start, rrule string) {
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), from)
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), to)
		c.SetProperty(ics.ComponentPropertyDtStart, start)
		c.SetProperty(ics.ComponentPropertyRrule, rrule)
	}
	summer := &ics.Daylight{}
	rule(&summer.ComponentBase, "BST", "+0000", "+0100", "19700329T010000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	winter := &ics.Standard{}
	rule(&winter.ComponentBase, "GMT", "+0100", "+0000", "19701025T020000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append(tz.Components, summer, winter)
}
