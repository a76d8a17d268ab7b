package workshops

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// What data-protection work needs from the workshop tables. Each method
// takes the caller's transaction as tx (nil uses the store's database).

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// Ref names the booking in messages and the audit log: "booking:12".
func (b *Booking) Ref() string { return bookingRef(b.ID) }

// personalColumns are what a booking holds about the person; clearing them
// leaves a row that only counts.
func personalColumns(now time.Time) map[string]any {
	return map[string]any{"name": "", "email": "", "phone": "", "interpreter_language": "", "access_notes": "", "dietary": "",
		"consent_contact": false, "manage_token_hash": nil, "idempotency_key": nil, "anonymised_at": now}
}

// BookingsMatching returns the bookings whose email or phone match reports
// true for, each with its event, oldest first. Contact details are written
// in too many ways to compare in SQL, so they are read a batch at a time.
func (s *Store) BookingsMatching(ctx context.Context, tx *gorm.DB, match func(string) bool) ([]Booking, error) {
	var rows []struct {
		ID    uint
		Email string
		Phone string
	}
	var ids []uint
	err := s.on(ctx, tx).Model(&Booking{}).Select("id, email, phone").Where("email <> '' OR phone <> ''").
		FindInBatches(&rows, 1000, func(*gorm.DB, int) error {
			for _, r := range rows {
				if (r.Email != "" && match(r.Email)) || (r.Phone != "" && match(r.Phone)) {
					ids = append(ids, r.ID)
				}
			}
			return nil
		}).Error
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []Booking
	if err := s.on(ctx, tx).Where("id IN ?", ids).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, err
	}
	events := map[uint]*Event{}
	for i := range out {
		e, ok := events[out[i].EventID]
		if !ok {
			e = &Event{}
			if err := s.on(ctx, tx).Take(e, out[i].EventID).Error; err != nil {
				return nil, err
			}
			events[e.ID] = e
		}
		out[i].Event = e
	}
	return out, nil
}

// BookingErasure says what EraseBookings did.
type BookingErasure struct {
	// Deleted counts bookings of workshops still to come: the row is
	// gone, and a place it held goes to the first person waiting.
	Deleted int
	// Anonymised counts bookings of workshops that have ended: the row
	// keeps only its status and access-need keys, so attendance counts and
	// access-need totals still add up, exactly as retention leaves it.
	Anonymised int
}

// EraseBookings erases a person's bookings inside tx, and the messages
// about them. Nobody is told: the person asked to be forgotten.
func (s *Store) EraseBookings(ctx context.Context, tx *gorm.DB, ids []uint) (BookingErasure, error) {
	var out BookingErasure
	db := s.on(ctx, tx)
	refs := make([]string, 0, len(ids))
	for _, id := range ids {
		var b Booking
		if err := db.Take(&b, id).Error; err != nil {
			return out, notFoundOr(err)
		}
		e, err := lockEvent(db, b.EventID)
		if err != nil {
			return out, err
		}
		refs = append(refs, b.Ref())
		if e.Past(s.now()) {
			if err := db.Model(&b).Updates(personalColumns(s.now())).Error; err != nil {
				return out, err
			}
			out.Anonymised++
			continue
		}
		if err := s.deleteBooking(ctx, db, &b); err != nil {
			return out, err
		}
		out.Deleted++
	}
	return out, s.msgs.Forget(ctx, db, refs)
}

func (s *Store) deleteBooking(ctx context.Context, db *gorm.DB, b *Booking) error {
	if err := db.Where("booking_id = ?", b.ID).Delete(&reminder{}).Error; err != nil {
		return err
	}
	if err := db.Delete(b).Error; err != nil {
		return err
	}
	if b.Status != Confirmed {
		return nil
	}
	e, err := s.fullEvent(db, b.EventID)
	if err != nil {
		return err
	}
	return s.promote(ctx, db, e)
}

func notFoundOr(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// endedBefore picks the events retention clears: ended before cutoff and
// not cleared yet.
func endedBefore(db *gorm.DB, cutoff time.Time) *gorm.DB {
	return db.Model(&Event{}).Select("id").Where("ends_at < ? AND anonymised_at IS NULL", cutoff)
}

// AnonymiseDue counts what Anonymise(keep) would clear now: the events, and
// their bookings.
func (s *Store) AnonymiseDue(ctx context.Context, tx *gorm.DB, keep time.Duration) (events, bookings int64, err error) {
	db := s.on(ctx, tx)
	cutoff := s.now().Add(-keep)
	if err := endedBefore(db, cutoff).Count(&events).Error; err != nil {
		return 0, 0, err
	}
	err = db.Model(&Booking{}).Where("event_id IN (?)", endedBefore(db, cutoff)).Count(&bookings).Error
	return events, bookings, err
}

// AnonymiseEnded is Anonymise inside the caller's transaction, for every
// event at once: a run cut short leaves nothing half-cleared, and the next
// run does all of it. It returns how many events and bookings it cleared.
func (s *Store) AnonymiseEnded(ctx context.Context, tx *gorm.DB, keep time.Duration) (events, bookings int64, err error) {
	db := s.on(ctx, tx)
	cutoff, now := s.now().Add(-keep), s.now()
	var ids []uint
	if err := db.Model(&Booking{}).Where("event_id IN (?)", endedBefore(db, cutoff)).Pluck("id", &ids).Error; err != nil {
		return 0, 0, err
	}
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = bookingRef(id)
	}
	if err := s.msgs.Forget(ctx, db, refs); err != nil {
		return 0, 0, err
	}
	res := db.Model(&Booking{}).Where("event_id IN (?)", endedBefore(db, cutoff)).Updates(personalColumns(now))
	if res.Error != nil {
		return 0, 0, res.Error
	}
	ev := db.Model(&Event{}).Where("ends_at < ? AND anonymised_at IS NULL", cutoff).Update("anonymised_at", now)
	return ev.RowsAffected, res.RowsAffected, ev.Error
}
