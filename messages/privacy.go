package messages

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// What data-protection work needs from the outbox. Each method takes the
// caller's transaction as tx (nil uses the store's database).

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// Matching returns the messages sent or waiting to go to a recipient that
// match reports true for, or about one of refs (a message about a booking
// names the person who booked), oldest first. Addresses and numbers are
// written in too many ways to compare in SQL, so recipients are read a batch
// at a time.
func (s *Store) Matching(ctx context.Context, tx *gorm.DB, match func(recipient string) bool, refs []string) ([]Message, error) {
	var rows []struct {
		ID        uint
		Recipient string
	}
	var ids []uint
	err := s.on(ctx, tx).Model(&Message{}).Select("id, recipient").FindInBatches(&rows, 1000, func(*gorm.DB, int) error {
		for _, r := range rows {
			if match(r.Recipient) {
				ids = append(ids, r.ID)
			}
		}
		return nil
	}).Error
	if err != nil || (len(ids) == 0 && len(refs) == 0) {
		return nil, err
	}
	q := s.on(ctx, tx).Where("id IN ?", append(ids, 0))
	if len(refs) > 0 {
		q = q.Or("ref IN ?", refs)
	}
	var out []Message
	return out, q.Order("id").Find(&out).Error
}

// Erase deletes messages by id, for good.
func (s *Store) Erase(ctx context.Context, tx *gorm.DB, ids []uint) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res := s.on(ctx, tx).Where("id IN ?", ids).Delete(&Message{})
	return res.RowsAffected, res.Error
}

// doneBefore picks messages that were sent, or passed on by staff, before
// cutoff. Queued, failed and held messages still need someone and stay.
func doneBefore(db *gorm.DB, cutoff time.Time) *gorm.DB {
	return db.Where("status = ? AND COALESCE(sent_at, updated_at) < ?", Sent, cutoff)
}

// DoneBefore counts what DeleteDoneBefore would delete.
func (s *Store) DoneBefore(ctx context.Context, tx *gorm.DB, cutoff time.Time) (int64, error) {
	var n int64
	return n, doneBefore(s.on(ctx, tx).Model(&Message{}), cutoff).Count(&n).Error
}

// DeleteDoneBefore deletes messages sent or passed on before cutoff: their
// bodies name people and nothing needs them once delivered.
func (s *Store) DeleteDoneBefore(ctx context.Context, tx *gorm.DB, cutoff time.Time) (int64, error) {
	res := doneBefore(s.on(ctx, tx), cutoff).Delete(&Message{})
	return res.RowsAffected, res.Error
}
