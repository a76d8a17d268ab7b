// Package privacy answers data-protection requests and applies retention
// across codesign. It finds everything held about a person (by email
// address, phone number or survey receipt) in surveys, the safeguarding
// queue, coded passages, report quotes, workshops, panels and the outbox;
// exports it for an access request; erases it for good in one transaction;
// and removes, kind by kind, what has been kept long enough, with a dry run
// that says what would go.
//
// It owns no tables: each domain package deletes its own rows, inside the
// transaction opened here. The only thing it stores is two rows of the
// shared settings table: the retention policy last configured, and the
// lease that makes the daily retention run once per deployment.
package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"codesign/messages"
	"codesign/panels"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/plugin/dbresolver"
)

// Policy says how long each kind of personal data is kept, in days.
type Policy struct {
	// SurveyContactDays: contact details given in survey answers, after the
	// survey closes.
	SurveyContactDays int `json:"survey_contact_days"`
	// WorkshopDays: attendees' names, contact details and free text, after
	// the workshop ends (config workshops.retention_days).
	WorkshopDays int `json:"workshop_days"`
	// ApplicationDays: panel applications not taken forward, after the
	// panel's recruitment closes.
	ApplicationDays int `json:"application_days"`
	// MemberDays: panel members, after they leave and are paid.
	MemberDays int `json:"member_days"`
	// MessageDays: outbox messages, after they are sent or passed on.
	MessageDays int `json:"message_days"`
}

// DefaultPolicy is the policy config.yaml documents.
func DefaultPolicy() Policy {
	return Policy{SurveyContactDays: 90, WorkshopDays: 90, ApplicationDays: 90, MemberDays: 90, MessageDays: 30}
}

// Validate refuses a period under a day: retention must never delete what
// was just given.
func (p Policy) Validate() error {
	for name, days := range map[string]int{"survey_contact_days": p.SurveyContactDays, "workshop_days": p.WorkshopDays,
		"application_days": p.ApplicationDays, "member_days": p.MemberDays, "message_days": p.MessageDays} {
		if days < 1 {
			return fmt.Errorf("retention %s: %d must be 1 or more", name, days)
		}
	}
	return nil
}

// Service finds, exports, erases and retains personal data across the
// domain packages.
type Service struct {
	db     *gorm.DB
	policy Policy
	now    func() time.Time

	surveys      *surveys.Store
	safeguarding *safeguarding.Store
	themes       *themes.Store
	reports      *reports.Store
	workshops    *workshops.Store
	panels       *panels.Store
	messages     *messages.Store
}

// New returns a Service over db applying policy. now is the clock; nil
// means time.Now.
func New(db *gorm.DB, policy Policy, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	msgs := messages.NewStore(db)
	sv := surveys.NewStore(db)
	sv.SetClock(now)
	rp := reports.NewStore(db)
	rp.SetClock(func() time.Time { return now().UTC() })
	return &Service{db: db, policy: policy, now: func() time.Time { return now().UTC() },
		surveys: sv, safeguarding: safeguarding.NewStore(db, msgs), themes: themes.NewStore(db), reports: rp,
		workshops: workshops.NewStore(db, msgs, workshops.Options{Now: now}),
		panels:    panels.NewStore(db, msgs, panels.Options{Now: now}), messages: msgs}
}

// Policy is the policy the service applies.
func (s *Service) Policy() Policy { return s.policy }

// setting is a row of the settings table every instance shares.
type setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (setting) TableName() string { return "settings" }

const policyKey = "privacy.retention_policy"

// Stored returns a Service with the policy the background job last
// recorded (see ApplyDaily), or the default before it has run: how the
// admin pages learn the configured policy without reading the config.
func Stored(ctx context.Context, db *gorm.DB, now func() time.Time) (*Service, error) {
	var row setting
	err := db.WithContext(ctx).Clauses(dbresolver.Write).Where("key = ?", policyKey).Take(&row).Error
	p := DefaultPolicy()
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return nil, err
	default:
		if err := json.Unmarshal([]byte(row.Value), &p); err != nil || p.Validate() != nil {
			p = DefaultPolicy()
		}
	}
	return New(db, p, now), nil
}

// rememberPolicy records the policy for Stored, writing only when it
// changed.
func (s *Service) rememberPolicy(ctx context.Context) error {
	b, err := json.Marshal(s.policy)
	if err != nil {
		return err
	}
	var row setting
	err = s.db.WithContext(ctx).Clauses(dbresolver.Write).Where("key = ?", policyKey).Take(&row).Error
	if err == nil && row.Value == string(b) {
		return nil
	}
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"})}).
		Create(&setting{Key: policyKey, Value: string(b), UpdatedAt: s.now()}).Error
}

// secureDelete asks SQLite to overwrite what it deletes, so erased words
// do not linger in free pages of the file. PostgreSQL's VACUUM reclaims
// dead rows in its own time; backups keep old data until they expire.
func secureDelete(tx *gorm.DB) error {
	if tx.Dialector.Name() != "sqlite" {
		return nil
	}
	return tx.Exec("PRAGMA secure_delete = ON").Error
}
