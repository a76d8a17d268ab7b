// Package audit keeps the append-only log of staff actions on accounts and
// personal data. Other packages write to it inside their own transactions,
// so an action and its audit entry are stored together or not at all.
package audit

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Event is one audited action. Target names a record ("user:12"), never a
// person's email or name, so the log holds no personal data of its own.
type Event struct {
	ID          uint `gorm:"primaryKey"`
	At          time.Time
	ActorUserID *uint
	Action      string
	Target      string
	Detail      string
}

// TableName keeps the table name stable.
func (Event) TableName() string { return "audit_events" }

// Actions recorded by the foundation.
const (
	LoginSucceeded = "login.succeeded"
	LoginFailed    = "login.failed"
	Logout         = "logout"
	UserCreated    = "user.created"
	RoleChanged    = "user.role_changed"
	UserDisabled   = "user.disabled"
	UserEnabled    = "user.enabled"
	TokenCreated   = "token.created"
)

// Record appends e using tx (a transaction or the plain database).
func Record(ctx context.Context, tx *gorm.DB, e Event) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	if len(e.Detail) > 1000 {
		e.Detail = e.Detail[:1000]
	}
	return tx.WithContext(ctx).Create(&e).Error
}

// Store reads the log.
type Store struct{ db *gorm.DB }

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Recent returns the newest events first.
func (s *Store) Recent(ctx context.Context, limit int) ([]Event, error) {
	var out []Event
	err := s.db.WithContext(ctx).Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}
