// Package safeguarding makes sure a risk disclosure reaches a person: free
// text the thematic coder flags for risk goes into a queue that only staff
// with the safeguarding permission see, the duty contact is told through
// the outbox (without the text), and every action on an item is recorded.
// It knows nothing of HTTP, and reads no other package's tables: callers
// hand it the text to screen.
package safeguarding

import (
	"fmt"
	"strconv"

	"codesign/errs"
	"codesign/messages"

	"gorm.io/gorm"
)

// Store keeps the safeguarding queue.
type Store struct {
	db   *gorm.DB
	msgs *messages.Store
}

// NewStore returns a Store over db that notifies through msgs.
func NewStore(db *gorm.DB, msgs *messages.Store) *Store { return &Store{db: db, msgs: msgs} }

// ErrNotFound means no such item.
var ErrNotFound = fmt.Errorf("safeguarding item %w", errs.ErrNotFound)

// Status is where an item is: new until someone records an action, then
// the last action recorded.
type Status string

// The statuses. Every one but New is also an action staff can record.
const (
	New       Status = "new"
	Reviewed  Status = "reviewed"
	Contacted Status = "contacted"
	Referred  Status = "referred"
	NoAction  Status = "no_action"
)

// Actions are what staff can record, in the order the form offers them.
var Actions = []Status{Reviewed, Contacted, Referred, NoAction}

// Label is the status in words.
func (s Status) Label() string {
	switch s {
	case New:
		return "New"
	case Reviewed:
		return "Reviewed"
	case Contacted:
		return "Contacted"
	case Referred:
		return "Referred"
	case NoAction:
		return "No action needed"
	}
	return string(s)
}

// Hint says what recording the action means.
func (s Status) Hint() string {
	switch s {
	case Reviewed:
		return "You have read it and decided what happens next."
	case Contacted:
		return "Someone has been in touch with the person."
	case Referred:
		return "You have passed it to another service, such as the crisis team or children's or adults' safeguarding."
	case NoAction:
		return "Nothing needs to be done. Explain why in the notes."
	}
	return ""
}

// IsAction reports whether s is something staff can record.
func (s Status) IsAction() bool {
	for _, a := range Actions {
		if a == s {
			return true
		}
	}
	return false
}

// Kind is where a flagged text came from.
type Kind string

// The kinds of source.
const (
	SurveyAnswer Kind = "survey_answer"
	WorkshopNote Kind = "workshop_note"
)

// ItemRef names an item in the audit log: never its text.
func ItemRef(id uint) string { return "safeguarding_item:" + strconv.FormatUint(uint64(id), 10) }

// QueueRef names the queue itself in the audit log and the outbox.
const QueueRef = "safeguarding_queue"
