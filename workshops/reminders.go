package workshops

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// reminder records that one reminder went to one booking; its primary
// key makes sure it is sent once even with several instances running.
type reminder struct {
	BookingID uint   `gorm:"primaryKey;autoIncrement:false"`
	Offset    string `gorm:"primaryKey"`
	SentAt    time.Time
}

func (reminder) TableName() string { return "workshop_reminders" }

// SendReminders queues a reminder for every confirmed booking whose event
// starts within one of offsets (for example 48h and 2h) and has not had
// that reminder yet. It returns how many it queued.
func (s *Store) SendReminders(ctx context.Context, offsets []time.Duration) (int, error) {
	now := s.now()
	sent := 0
	for _, off := range offsets {
		var due []Booking
		err := s.db.WithContext(ctx).Joins("JOIN workshop_events e ON e.id = workshop_bookings.event_id").
			Where("workshop_bookings.status = ? AND e.status = ? AND e.starts_at > ? AND e.starts_at <= ?", Confirmed, Published, now, now.Add(off)).
			Where("NOT EXISTS (SELECT 1 FROM workshop_reminders r WHERE r.booking_id = workshop_bookings.id AND r.\"offset\" = ?)", off.String()).
			Find(&due).Error
		if err != nil {
			return sent, err
		}
		for i := range due {
			ok, err := s.remind(ctx, &due[i], off.String(), now)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// remind stores the reminder mark and the message together; a mark that
// already exists means another instance got there first.
func (s *Store) remind(ctx context.Context, b *Booking, offset string, now time.Time) (bool, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&reminder{BookingID: b.ID, Offset: offset, SentAt: now}).Error; err != nil {
			return err
		}
		e, err := s.fullEvent(tx, b.EventID)
		if err != nil {
			return err
		}
		b.Event = e
		return s.enqueue(ctx, tx, b, kindReminder, s.reminderText(b))
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return false, nil
	}
	return err == nil, err
}
