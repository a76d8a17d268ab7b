package messages

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// Store keeps the outbox.
type Store struct {
	db *gorm.DB
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Enqueue stores msg as queued. Pass the caller's transaction as tx so the
// message is stored together with the change it reports (a booking and its
// confirmation, or neither); with a nil tx it is stored on its own.
func (s *Store) Enqueue(ctx context.Context, tx *gorm.DB, msg *Message) error {
	if err := msg.Validate(); err != nil {
		return err
	}
	if tx == nil {
		tx = s.db
	}
	now := time.Now().UTC()
	msg.ID = 0
	msg.Status = Queued
	msg.Attempts = 0
	msg.NextAttemptAt = now
	msg.LeaseUntil = nil
	msg.SentAt = nil
	return tx.WithContext(ctx).Create(msg).Error
}

// Filter narrows List.
type Filter struct {
	Status Status // "" for all
	Ref    string // "" for all
	Limit  int    // 0 for 200
}

// List returns messages, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Message, error) {
	q := s.db.WithContext(ctx).Clauses(dbresolver.Write).Order("created_at DESC, id DESC")
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Ref != "" {
		q = q.Where("ref = ?", f.Ref)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var out []Message
	return out, q.Limit(f.Limit).Find(&out).Error
}

// Counts returns how many messages are in each status.
func (s *Store) Counts(ctx context.Context) (map[Status]int64, error) {
	var rows []struct {
		Status Status
		N      int64
	}
	err := s.db.WithContext(ctx).Model(&Message{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error
	out := map[Status]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}

// Get returns one message.
func (s *Store) Get(ctx context.Context, id uint) (*Message, error) {
	var m Message
	err := s.db.WithContext(ctx).Clauses(dbresolver.Write).Take(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &m, err
}

// Retry puts a failed or held message back in the queue to be tried now,
// after staff have fixed the cause (an address, the SMTP settings).
func (s *Store) Retry(ctx context.Context, id uint) error {
	res := s.db.WithContext(ctx).Model(&Message{}).
		Where("id = ? AND status IN ?", id, []Status{Failed, Held}).
		Updates(map[string]any{"status": Queued, "attempts": 0, "next_attempt_at": time.Now().UTC(), "lease_until": nil})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// MarkHandled records that staff passed a held message on by hand.
func (s *Store) MarkHandled(ctx context.Context, id uint) error {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&Message{}).Where("id = ? AND status = ?", id, Held).
		Updates(map[string]any{"status": Sent, "sent_at": now, "last_error": "Passed on by staff"})
	if res.Error == nil && res.RowsAffected == 0 {
		_, err := s.Get(ctx, id)
		return err
	}
	return res.Error
}

// Forget deletes every message about refs, inside the caller's
// transaction: used by retention, since a message body can name a person.
func (s *Store) Forget(ctx context.Context, tx *gorm.DB, refs []string) error {
	if len(refs) == 0 {
		return nil
	}
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx).Where("ref IN ?", refs).Delete(&Message{}).Error
}
