package workshops

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// Note is a facilitator's write-up of a workshop, typed or uploaded.
type Note struct {
	ID           uint
	EventID      uint
	AuthorUserID *uint
	Title        string
	Source       string // "typed", or the uploaded file's name
	Body         string
	CreatedAt    time.Time
}

// TableName keeps workshop tables together.
func (Note) TableName() string { return "workshop_notes" }

// MaxNoteBytes is the largest note kept, as text.
const MaxNoteBytes = 200 << 10

// Validate checks a note before it is saved.
func (n *Note) Validate() error {
	f := &errs.Fields{}
	n.Title, n.Body = strings.TrimSpace(n.Title), strings.TrimSpace(strings.ReplaceAll(n.Body, "\r\n", "\n"))
	if n.Title == "" {
		f.Add("title", "Enter a title for the notes")
	} else if len(n.Title) > 200 {
		f.Add("title", "Title must be 200 characters or fewer")
	}
	switch {
	case n.Body == "":
		f.Add("body", "Type or paste the notes, or choose a file")
	case len(n.Body) > MaxNoteBytes:
		f.Add("body", "The notes must be 200 KB of text or less")
	case !utf8.ValidString(n.Body):
		f.Add("body", "The notes must be plain text")
	}
	if n.Source == "" {
		n.Source = "typed"
	}
	return f.Err()
}

// AddNote stores a note on an event.
func (s *Store) AddNote(ctx context.Context, n *Note) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := lockEvent(tx, n.EventID); err != nil {
			return err
		}
		if err := tx.Create(n).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: n.AuthorUserID, Action: "workshop.note", Target: eventRef(n.EventID)})
	})
}

// Notes returns an event's notes, oldest first.
func (s *Store) Notes(ctx context.Context, eventID uint) ([]Note, error) {
	var out []Note
	return out, s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("created_at, id").Find(&out).Error
}

// Unit is one passage of text for thematic coding: Source names the
// workshop ("workshop:12"), ID the passage ("note:3:2"), stable as long as
// the note is.
type Unit struct {
	Source string
	ID     string
	Text   string
}

// NoteUnits splits the notes of the given events (every event when none
// are given) into passages, one per paragraph.
func (s *Store) NoteUnits(ctx context.Context, eventIDs ...uint) ([]Unit, error) {
	q := s.db.WithContext(ctx).Order("event_id, id")
	if len(eventIDs) > 0 {
		q = q.Where("event_id IN ?", eventIDs)
	}
	var notes []Note
	if err := q.Find(&notes).Error; err != nil {
		return nil, err
	}
	var out []Unit
	for _, n := range notes {
		for i, p := range Passages(n.Body) {
			out = append(out, Unit{Source: eventRef(n.EventID), ID: fmt.Sprintf("note:%d:%d", n.ID, i+1), Text: p})
		}
	}
	return out, nil
}

// Passages splits text at blank lines, and treats each bullet or numbered
// line as a passage of its own, since facilitators write one point a line.
func Passages(text string) []string {
	var out []string
	var para []string
	flush := func() {
		if p := strings.TrimSpace(strings.Join(para, " ")); p != "" {
			out = append(out, p)
		}
		para = para[:0]
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case isBullet(t):
			flush()
			para = append(para, strings.TrimSpace(strings.TrimLeft(t, "-*•0123456789.) ")))
			flush()
		default:
			para = append(para, t)
		}
	}
	flush()
	return out
}

func isBullet(t string) bool {
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "• ") {
		return true
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t)-1 && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}
