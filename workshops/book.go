package workshops

import (
	"context"
	"errors"
	"strconv"

	"codesign/accounts"
	"codesign/errs"

	"gorm.io/gorm"
)

var errCancelled = &errs.Conflict{Message: "This workshop has been cancelled, so it cannot be booked or changed."}

// ErrWaitingListFull means the event is full and so is its waiting list.
var ErrWaitingListFull = &errs.Conflict{Message: "This workshop is full and the waiting list is full, so you cannot join it. " +
	"Have a look at the other workshops, or contact the team if you would still like to come."}

// Book signs a resident up: a confirmed place while there is one, else a
// place on the waiting list while it has room (else ErrWaitingListFull).
// The booking and its message are stored in one transaction, in which the
// event row is locked (PostgreSQL) or the single writer is held (SQLite),
// so neither places nor the waiting list are ever over-filled.
func (s *Store) Book(ctx context.Context, eventID uint, in Signup) (*Booking, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.ManageToken == "" {
		in.ManageToken = accounts.NewSecret(32)
	}
	var b *Booking
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		b, err = s.book(ctx, tx, eventID, in)
		return err
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) && in.IdempotencyKey != "" {
		// The unique index caught a repeat the lookup missed: the first
		// submission won, so return it.
		return s.byIdempotencyKey(ctx, s.db, eventID, in.IdempotencyKey)
	}
	return b, err
}

func (s *Store) book(ctx context.Context, tx *gorm.DB, eventID uint, in Signup) (*Booking, error) {
	if _, err := lockEvent(tx, eventID); err != nil {
		return nil, err
	}
	e, err := s.fullEvent(tx, eventID)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		if prev, err := s.byIdempotencyKey(ctx, tx, eventID, in.IdempotencyKey); err == nil {
			return prev, nil
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	if err := s.checkOpen(e); err != nil {
		return nil, err
	}
	taken, err := placesTaken(tx, eventID)
	if err != nil {
		return nil, err
	}
	b := newBooking(e, in)
	if taken >= int64(e.Capacity) {
		waiting, err := countStatus(tx, eventID, Waiting)
		if err != nil {
			return nil, err
		}
		if waiting >= int64(e.WaitingLimit()) {
			return nil, ErrWaitingListFull
		}
		b.Status = Waiting
	}
	if err := tx.Create(b).Error; err != nil {
		return nil, err
	}
	return b, s.notify(ctx, tx, b, in.ManageToken)
}

// checkOpen says, in words a resident understands, why an event cannot be
// booked now.
func (s *Store) checkOpen(e *Event) error {
	now := s.now()
	switch {
	case e.Status == Cancelled:
		return errCancelled
	case e.Status != Published:
		return ErrNotFound
	case !now.Before(e.StartsAt):
		return &errs.Conflict{Message: "This workshop has already started or taken place, so it can no longer be booked."}
	case !now.Before(e.SignupDeadline):
		return &errs.Conflict{Message: "Sign-up for this workshop closed on " + s.when(e.SignupDeadline) + ". Contact the team if you would still like to come."}
	}
	return nil
}

func newBooking(e *Event, in Signup) *Booking {
	hash := accounts.HashSecret(in.ManageToken)
	b := &Booking{EventID: e.ID, Event: e, Status: Confirmed, Name: in.Name, Email: in.Email, Phone: in.Phone,
		AccessNeeds: joinNeeds(in.AccessNeeds), InterpreterLanguage: in.InterpreterLanguage, AccessNotes: in.AccessNotes,
		Dietary: in.Dietary, ConsentContact: in.ConsentContact, ManageTokenHash: &hash}
	if in.ConsentContact {
		b.ConsentText = ConsentText
	}
	if in.IdempotencyKey != "" {
		key := in.IdempotencyKey
		b.IdempotencyKey = &key
	}
	return b
}

// placesTaken counts the bookings that hold a place, read inside the
// booking transaction so the answer cannot change before the insert.
func placesTaken(tx *gorm.DB, eventID uint) (int64, error) {
	return countStatus(tx, eventID, holdsPlace...)
}

// countStatus counts an event's bookings in the given statuses. The index
// on (event_id, status) makes it read only those rows, never the
// cancellations, so the count is bounded by places plus the waiting list.
func countStatus(tx *gorm.DB, eventID uint, statuses ...BookingStatus) (int64, error) {
	var n int64
	err := tx.Model(&Booking{}).Where("event_id = ? AND status IN ?", eventID, statuses).Count(&n).Error
	return n, err
}

func (s *Store) fullEvent(tx *gorm.DB, id uint) (*Event, error) {
	var e Event
	err := s.events(tx).Take(&e, "workshop_events.id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &e, err
}

func (s *Store) byIdempotencyKey(ctx context.Context, tx *gorm.DB, eventID uint, key string) (*Booking, error) {
	var b Booking
	err := tx.WithContext(ctx).Where("event_id = ? AND idempotency_key = ?", eventID, key).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	b.Event, err = s.fullEvent(tx.WithContext(ctx), eventID)
	return &b, err
}

// ByToken finds a booking from its private link. Every failure looks the
// same, so the answer never says whether a token once existed.
func (s *Store) ByToken(ctx context.Context, token string) (*Booking, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, ErrNotFound
	}
	var b Booking
	err := s.db.WithContext(ctx).Where("manage_token_hash = ?", accounts.HashSecret(token)).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	b.Event, err = s.fullEvent(s.db.WithContext(ctx), b.EventID)
	return &b, err
}

// Bookings returns an event's bookings: places in booking order, then the
// waiting list in queue order, then cancellations.
func (s *Store) Bookings(ctx context.Context, eventID uint) ([]Booking, error) {
	var out []Booking
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).
		Order("CASE status WHEN 'waiting' THEN 2 WHEN 'cancelled' THEN 3 ELSE 1 END, created_at, id").Find(&out).Error
	return out, err
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
