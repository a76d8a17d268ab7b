package workshops

import (
	"context"
	"errors"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

var errAlreadyCancelled = &errs.Conflict{Message: "This booking is already cancelled."}

// Cancel cancels the booking behind a private link. If it held a place,
// the first person waiting is given it and told.
func (s *Store) Cancel(ctx context.Context, token string) (*Booking, error) {
	b, err := s.ByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	return b, s.cancelBooking(ctx, nil, b.ID)
}

// CancelBooking is Cancel for staff, by booking id.
func (s *Store) CancelBooking(ctx context.Context, actor *uint, id uint) error {
	return s.cancelBooking(ctx, actor, id)
}

func (s *Store) cancelBooking(ctx context.Context, actor *uint, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var b Booking
		if err := tx.Take(&b, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if _, err := lockEvent(tx, b.EventID); err != nil {
			return err
		}
		// Read again under the lock: a double click must not cancel twice.
		if err := tx.Take(&b, id).Error; err != nil {
			return err
		}
		if !b.Active() {
			return errAlreadyCancelled
		}
		heldPlace := b.Status == Confirmed
		now := s.now()
		if err := tx.Model(&b).Updates(map[string]any{"status": BookingCancelled, "cancelled_at": now}).Error; err != nil {
			return err
		}
		e, err := s.fullEvent(tx, b.EventID)
		if err != nil {
			return err
		}
		b.Event = e
		if err := s.enqueue(ctx, tx, &b, kindCancelled, s.bookingCancelledText(&b)); err != nil {
			return err
		}
		if heldPlace {
			if err := s.promote(ctx, tx, e); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "workshop.booking.cancel", Target: bookingRef(b.ID)})
	})
}

// promote gives free places to the people waiting longest, while the
// event is still to come.
func (s *Store) promote(ctx context.Context, tx *gorm.DB, e *Event) error {
	if e.Status != Published || !s.now().Before(e.StartsAt) {
		return nil
	}
	taken, err := placesTaken(tx, e.ID)
	if err != nil {
		return err
	}
	for free := int64(e.Capacity) - taken; free > 0; free-- {
		var next Booking
		err := tx.Where("event_id = ? AND status = ?", e.ID, Waiting).Order("created_at, id").Take(&next).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.Model(&next).Updates(map[string]any{"status": Confirmed, "promoted_at": s.now()}).Error; err != nil {
			return err
		}
		next.Status, next.Event = Confirmed, e
		if err := s.enqueue(ctx, tx, &next, kindPromoted, s.promotedText(&next)); err != nil {
			return err
		}
	}
	return nil
}

// CancelEvent cancels a workshop and tells everyone booked or waiting.
func (s *Store) CancelEvent(ctx context.Context, actor *uint, id uint, reason string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := lockEvent(tx, id)
		if err != nil {
			return err
		}
		if old.Status == Cancelled {
			return &errs.Conflict{Message: "This workshop is already cancelled."}
		}
		if err := tx.Model(old).Updates(map[string]any{"status": Cancelled, "cancelled_at": s.now()}).Error; err != nil {
			return err
		}
		e, err := s.fullEvent(tx, id)
		if err != nil {
			return err
		}
		var people []Booking
		if err := tx.Where("event_id = ? AND status IN ?", id, []BookingStatus{Confirmed, Waiting}).Order("id").Find(&people).Error; err != nil {
			return err
		}
		for i := range people {
			people[i].Event = e
			if err := s.enqueue(ctx, tx, &people[i], kindEventCancelled, s.eventCancelledText(&people[i], reason)); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "workshop.cancel", Target: eventRef(id)})
	})
}
