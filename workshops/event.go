// Package workshops owns co-design workshop events and the residents who
// book them: capacity and the waiting list, access needs and the
// adjustments staff arrange, attendance, facilitators' notes (exposed as
// text units for thematic coding), reminders and retention. Messages to
// residents go through the messages outbox in the same transaction as the
// change they report.
package workshops

import (
	"fmt"
	"strings"
	"time"

	"codesign/errs"
	"codesign/programmes"
)

// Format is how people take part.
type Format string

// The formats.
const (
	InPerson Format = "in_person"
	Online   Format = "online"
	Hybrid   Format = "hybrid"
)

// Formats lists the formats in form order.
var Formats = []Format{InPerson, Online, Hybrid}

// Label is the format's name for people.
func (f Format) Label() string {
	switch f {
	case InPerson:
		return "In person"
	case Online:
		return "Online"
	case Hybrid:
		return "In person or online"
	}
	return string(f)
}

// Status is an event's state.
type Status string

// The statuses. Only published events are shown to residents.
const (
	Draft     Status = "draft"
	Published Status = "published"
	Cancelled Status = "cancelled"
)

// Statuses lists the statuses staff may choose on the form; cancelling is
// its own action because it tells everyone booked.
var Statuses = []Status{Draft, Published}

// ErrNotFound means no such event, booking or note.
var ErrNotFound = fmt.Errorf("workshop record %w", errs.ErrNotFound)

// Event is one workshop.
type Event struct {
	ID          uint
	Title       string
	Summary     string
	Description string
	Format      Format
	LocalityID  uint
	Locality    programmes.Locality
	VenueID     *uint
	Venue       *programmes.Venue
	// OnlineDetails are the joining instructions, shown only to confirmed
	// attendees.
	OnlineDetails string
	StartsAt      time.Time
	EndsAt        time.Time
	Capacity      int
	// WaitingListLimit is the most people who may wait for a place; 0
	// means the default (see WaitingLimit).
	WaitingListLimit int
	SignupDeadline   time.Time
	Facilitators     string
	SurveySlug       string // the consultation it feeds, if any
	Status           Status
	CancelledAt      *time.Time
	AnonymisedAt     *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time

	// Confirmed and Waiting are counted by the store when listing.
	Confirmed int `gorm:"-"`
	Waiting   int `gorm:"-"`
}

// TableName keeps workshop tables together.
func (Event) TableName() string { return "workshop_events" }

// Validate checks an event before it is saved.
func (e *Event) Validate() error {
	f := &errs.Fields{}
	e.Title = strings.TrimSpace(e.Title)
	if e.Title == "" {
		f.Add("title", "Enter a title")
	} else if len(e.Title) > 200 {
		f.Add("title", "Title must be 200 characters or fewer")
	}
	if len(e.Summary) > 500 {
		f.Add("summary", "Summary must be 500 characters or fewer")
	}
	switch e.Format {
	case InPerson, Online, Hybrid:
	default:
		f.Add("format", "Select how people take part")
	}
	if e.LocalityID == 0 {
		f.Add("locality", "Select a locality")
	}
	if e.Format != Online && e.VenueID == nil {
		f.Add("venue", "Select a venue for an in-person workshop")
	}
	if e.Format != InPerson && strings.TrimSpace(e.OnlineDetails) == "" {
		f.Add("online_details", "Enter the online joining details")
	}
	e.validateTimes(f)
	if e.Capacity < 1 || e.Capacity > 1000 {
		f.Add("capacity", "Capacity must be between 1 and 1000")
	}
	if e.WaitingListLimit < 0 || e.WaitingListLimit > 1000 {
		f.Add("waiting_list_limit", "Waiting list places must be between 1 and 1000, or left empty")
	}
	if e.Status != Draft && e.Status != Published && e.Status != Cancelled {
		f.Add("status", "Select draft or published")
	}
	return f.Err()
}

func (e *Event) validateTimes(f *errs.Fields) {
	if e.StartsAt.IsZero() {
		f.Add("starts_date", "Enter the date and start time")
		return
	}
	if e.EndsAt.IsZero() || !e.EndsAt.After(e.StartsAt) {
		f.Add("ends_time", "The end time must be after the start time")
	}
	if e.SignupDeadline.IsZero() {
		e.SignupDeadline = e.StartsAt
	}
	if e.SignupDeadline.After(e.StartsAt) {
		f.Add("deadline_date", "The sign-up deadline must be before the workshop starts")
	}
}

// PlacesLeft is how many confirmed places remain.
func (e *Event) PlacesLeft() int { return max(e.Capacity-e.Confirmed, 0) }

// Full reports whether new sign-ups join the waiting list.
func (e *Event) Full() bool { return e.PlacesLeft() == 0 }

// MinWaitingList is the shortest default waiting list.
const MinWaitingList = 50

// WaitingLimit is how many people may wait for a place: the event's own
// limit, or by default as many as it has places, and at least
// MinWaitingList. A limit keeps every count of an event's bookings small,
// however popular it is.
func (e *Event) WaitingLimit() int {
	if e.WaitingListLimit > 0 {
		return e.WaitingListLimit
	}
	return max(e.Capacity, MinWaitingList)
}

// WaitingListFull reports whether nobody else can sign up.
func (e *Event) WaitingListFull() bool { return e.Full() && e.Waiting >= e.WaitingLimit() }

// Open reports whether residents may sign up at now.
func (e *Event) Open(now time.Time) bool {
	return e.Status == Published && now.Before(e.SignupDeadline) && now.Before(e.StartsAt)
}

// Past reports whether the event has ended.
func (e *Event) Past(now time.Time) bool { return !now.Before(e.EndsAt) }

// HasVenue reports whether people meet in a room.
func (e *Event) HasVenue() bool { return e.Format != Online && e.Venue != nil }

// IsOnline reports whether people can join online.
func (e *Event) IsOnline() bool { return e.Format != InPerson }

// Where describes the place in a line.
func (e *Event) Where() string {
	switch {
	case e.HasVenue() && e.Format == Hybrid:
		return e.Venue.Name + ", " + e.Venue.Address + " (or online)"
	case e.HasVenue():
		return e.Venue.Name + ", " + e.Venue.Address
	}
	return "Online"
}

// VenueAccess lists the venue's access features in words, and what it
// lacks, so people can decide before they book.
func VenueAccess(v *programmes.Venue) []string {
	if v == nil {
		return nil
	}
	yes := func(ok bool, have, lack string) string {
		if ok {
			return have
		}
		return lack
	}
	out := []string{
		yes(v.StepFree, "Step-free access", "No step-free access"),
		yes(v.HearingLoop, "Hearing loop", "No hearing loop"),
		yes(v.AccessibleToilet, "Accessible toilet", "No accessible toilet"),
		yes(v.QuietRoom, "Quiet room available", "No quiet room"),
		yes(v.BabyChanging, "Baby-changing facilities", "No baby-changing facilities"),
	}
	if v.Notes != "" {
		out = append(out, v.Notes)
	}
	return out
}
