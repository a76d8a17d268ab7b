// Package messages owns codesign's outbox: every message it sends to a
// person (booking confirmations, reminders, cancellations, promotions) is
// stored here first, in the same transaction as the change it reports, and
// delivered later by Deliver. Without SMTP, messages are held for staff to
// read and pass on; nothing is ever silently dropped.
package messages

import (
	"fmt"
	"strings"
	"time"

	"codesign/errs"
)

// Status is where a message is in its life.
type Status string

// The statuses. Held means there is no way to send it (no SMTP configured,
// or a phone number only): staff see it in the outbox and pass it on.
const (
	Queued Status = "queued"
	Sent   Status = "sent"
	Failed Status = "failed"
	Held   Status = "held"
)

// ErrNotFound means no such message.
var ErrNotFound = fmt.Errorf("message %w", errs.ErrNotFound)

// Message is one plain-text message to one person.
type Message struct {
	ID       uint
	To       string `gorm:"column:recipient"`
	Subject  string
	Body     string
	Kind     string // confirmation, reminder, cancellation, promotion...
	Ref      string // the record it is about, such as "booking:12"
	Status   Status
	Attempts int
	// NextAttemptAt is when Deliver may next try it.
	NextAttemptAt time.Time
	LeaseUntil    *time.Time `json:"-"`
	// LastError says why the last attempt failed, without personal data
	// besides the recipient.
	LastError string
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    *time.Time
}

// Validate checks a message before it is queued.
func (m *Message) Validate() error {
	f := &errs.Fields{}
	if strings.TrimSpace(m.To) == "" {
		f.Add("to", "Enter who the message is to")
	}
	if strings.TrimSpace(m.Subject) == "" {
		f.Add("subject", "Enter a subject")
	}
	if strings.TrimSpace(m.Body) == "" {
		f.Add("body", "Enter the message")
	}
	if m.Kind == "" {
		f.Add("kind", "Say what kind of message this is")
	}
	return f.Err()
}

// IsEmail reports whether the message goes to an email address, as opposed
// to a phone number that staff must call or text by hand.
func (m *Message) IsEmail() bool { return strings.Contains(m.To, "@") }
