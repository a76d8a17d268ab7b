package workshops

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Anonymise removes names, contact details and free text from bookings of
// events that ended more than keep ago, and deletes the messages sent to
// them. Statuses and access-need keys stay, so attendance counts and
// access-need totals still add up. It returns how many events it cleared.
func (s *Store) Anonymise(ctx context.Context, keep time.Duration) (int, error) {
	cutoff := s.now().Add(-keep)
	var events []Event
	err := s.db.WithContext(ctx).Where("ends_at < ? AND anonymised_at IS NULL", cutoff).Find(&events).Error
	if err != nil {
		return 0, err
	}
	for _, e := range events {
		if err := s.anonymiseEvent(ctx, e.ID); err != nil {
			return 0, err
		}
	}
	return len(events), nil
}

func (s *Store) anonymiseEvent(ctx context.Context, id uint) error {
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []uint
		if err := tx.Model(&Booking{}).Where("event_id = ?", id).Pluck("id", &ids).Error; err != nil {
			return err
		}
		refs := make([]string, len(ids))
		for i, b := range ids {
			refs[i] = bookingRef(b)
		}
		if err := s.msgs.Forget(ctx, tx, refs); err != nil {
			return err
		}
		err := tx.Model(&Booking{}).Where("event_id = ?", id).Updates(map[string]any{
			"name": "", "email": "", "phone": "", "interpreter_language": "", "access_notes": "", "dietary": "",
			"manage_token_hash": nil, "idempotency_key": nil, "anonymised_at": now,
		}).Error
		if err != nil {
			return err
		}
		return tx.Model(&Event{}).Where("id = ?", id).Update("anonymised_at", now).Error
	})
}
