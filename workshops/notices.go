package workshops

import (
	"context"
	"fmt"
	"strings"
	"time"

	"codesign/messages"

	"gorm.io/gorm"
)

// Message kinds, as the outbox shows them.
const (
	kindConfirmed      = "booking_confirmed"
	kindWaiting        = "waiting_list"
	kindPromoted       = "waiting_list_place"
	kindCancelled      = "booking_cancelled"
	kindEventCancelled = "workshop_cancelled"
	kindReminder       = "reminder"
)

// enqueue queues body for the booking's email, or its phone number (held
// for staff to call or text) when there is no email.
func (s *Store) enqueue(ctx context.Context, tx *gorm.DB, b *Booking, kind string, text notice) error {
	to := b.Email
	if to == "" {
		to = b.Phone
	}
	if to == "" {
		return nil // anonymised by retention: there is no one to tell
	}
	return s.msgs.Enqueue(ctx, tx, &messages.Message{To: to, Subject: text.subject, Body: text.body, Kind: kind, Ref: bookingRef(b.ID)})
}

type notice struct{ subject, body string }

// notify sends the first message after a booking: confirmed, or waiting.
func (s *Store) notify(ctx context.Context, tx *gorm.DB, b *Booking, token string) error {
	link := s.manageLink(token)
	if b.Status == Waiting {
		return s.enqueue(ctx, tx, b, kindWaiting, notice{
			subject: "You are on the waiting list: " + b.Event.Title,
			body: s.letter(b, "The workshop is full, so you are on the waiting list. If a place comes up, it is yours "+
				"automatically and we will tell you straight away.",
				"To change your access needs or leave the waiting list, use your private link:\n"+link),
		})
	}
	return s.enqueue(ctx, tx, b, kindConfirmed, notice{
		subject: "Your place is booked: " + b.Event.Title,
		body: s.letter(b, "Your place is booked. We look forward to seeing you.",
			"To see your booking, change your access needs, add it to your calendar or cancel, use your private link:\n"+link),
	})
}

func (s *Store) promotedText(b *Booking) notice {
	return notice{
		subject: "A place has come up for you: " + b.Event.Title,
		body: s.letter(b, "Good news: a place has come up and it is now yours. You do not need to do anything to accept it.",
			"If you can no longer come, please cancel with the private link in your first email so someone else can have the place."),
	}
}

func (s *Store) bookingCancelledText(b *Booking) notice {
	return notice{
		subject: "Your booking is cancelled: " + b.Event.Title,
		body: s.letter(b, "Your booking is cancelled. Thank you for letting us know.",
			"You are welcome at any other workshop: see "+s.opts.BaseURL+"/workshops"),
	}
}

func (s *Store) eventCancelledText(b *Booking, reason string) notice {
	why := "We are sorry: this workshop has been cancelled."
	if r := strings.TrimSpace(reason); r != "" {
		why += " " + r
	}
	return notice{
		subject: "Cancelled: " + b.Event.Title,
		body:    s.letter(b, why, "Other workshops you can come to are listed at "+s.opts.BaseURL+"/workshops"),
	}
}

func (s *Store) reminderText(b *Booking) notice {
	return notice{
		subject: "Reminder: " + b.Event.Title + " on " + s.when(b.Event.StartsAt),
		body: s.letter(b, "This is a reminder that you have a place at this workshop.",
			"If you can no longer come, please cancel with the private link in your first email so someone else can have the place."),
	}
}

// letter lays out every message the same way: greeting, news, the event's
// details with its access information, what to do next.
func (s *Store) letter(b *Booking, news, next string) string {
	e := b.Event
	var w strings.Builder
	fmt.Fprintf(&w, "Hello %s,\n\n%s\n\n", b.Name, news)
	fmt.Fprintf(&w, "Workshop: %s\nWhen: %s to %s (UK time)\nWhere: %s\n", e.Title, s.when(e.StartsAt), s.clock(e.EndsAt), e.Where())
	if e.HasVenue() {
		w.WriteString("\nAccess at the venue:\n")
		for _, line := range VenueAccess(e.Venue) {
			w.WriteString("- " + line + "\n")
		}
	}
	if e.IsOnline() && b.Status == Confirmed && e.OnlineDetails != "" {
		w.WriteString("\nHow to join online:\n" + e.OnlineDetails + "\n")
	}
	if needs := b.Needs(); len(needs) > 0 {
		w.WriteString("\nYou told us you need:\n")
		for _, n := range needs {
			w.WriteString("- " + n.Label() + "\n")
		}
		w.WriteString("We will be in touch if we cannot arrange something.\n")
	}
	fmt.Fprintf(&w, "\n%s\n\nIf you need help with anything, reply to this message.\n", next)
	return w.String()
}

func (s *Store) manageLink(token string) string { return s.opts.BaseURL + "/bookings/" + token }

// when formats a time for people in London: "Tuesday 12 May 2026 at 6:00pm".
func (s *Store) when(t time.Time) string {
	lt := t.In(s.opts.London)
	return lt.Format("Monday 2 January 2006") + " at " + s.clock(t)
}

func (s *Store) clock(t time.Time) string {
	return strings.ToLower(t.In(s.opts.London).Format("3:04pm"))
}
