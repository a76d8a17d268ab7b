package panels

import (
	"context"
	"strings"
	"time"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// Session is one panel meeting or activity.
type Session struct {
	ID        uint
	PanelID   uint
	Title     string
	Activity  string
	StartsAt  time.Time
	Minutes   int // length
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps the table name stable.
func (Session) TableName() string { return "panel_sessions" }

// Hours is the session's length in hours, for people.
func (s *Session) Hours() string { return hoursLabel(s.Minutes) }

// maxMinutes is the longest session or attendance accepted: twelve hours.
const maxMinutes = 12 * 60

// Validate checks a session before it is stored.
func (s *Session) Validate() error {
	f := &errs.Fields{}
	s.Title = strings.TrimSpace(s.Title)
	if s.Title == "" || len(s.Title) > 200 {
		f.Add("title", "Enter a title of 200 characters or fewer")
	}
	if !validKey(Activities, s.Activity) {
		f.Add("activity", "Select the activity")
	}
	if s.StartsAt.IsZero() {
		f.Add("date", "Enter a date like 2027-03-04 and a time like 18:00")
	}
	if s.Minutes <= 0 || s.Minutes > maxMinutes {
		f.Add("hours", "Length must be more than 0 and no more than 12 hours")
	}
	return f.Err()
}

// CreateSession stores a new session for a panel.
func (s *Store) CreateSession(ctx context.Context, actor *uint, sess *Session) error {
	if err := sess.Validate(); err != nil {
		return err
	}
	sess.StartsAt = sess.StartsAt.UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Panel
		if err := tx.Take(&p, sess.PanelID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Create(sess).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_session.create", Target: ref("session", sess.ID)})
	})
}

// Session returns one session.
func (s *Store) Session(ctx context.Context, id uint) (*Session, error) {
	var out Session
	if err := s.db.WithContext(ctx).Take(&out, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &out, nil
}

// Sessions lists a panel's sessions, newest first.
func (s *Store) Sessions(ctx context.Context, panelID uint) ([]Session, error) {
	var out []Session
	return out, s.db.WithContext(ctx).Where("panel_id = ?", panelID).Order("starts_at DESC, id DESC").Find(&out).Error
}

// UpcomingSessions lists a panel's sessions that start after now, soonest first.
func (s *Store) UpcomingSessions(ctx context.Context, panelID uint) ([]Session, error) {
	var out []Session
	return out, s.db.WithContext(ctx).Where("panel_id = ? AND starts_at > ?", panelID, s.now()).
		Order("starts_at, id").Find(&out).Error
}

func hoursLabel(minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case m == 0 && h == 1:
		return "1 hour"
	case m == 0:
		return itoa(h) + " hours"
	case h == 0:
		return itoa(m) + " minutes"
	}
	return itoa(h) + "h " + itoa(m) + "m"
}
