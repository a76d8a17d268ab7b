package workshops

import (
	"context"
	"errors"
	"time"

	"codesign/audit"
	"codesign/messages"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Options are what the store needs to write messages.
type Options struct {
	// BaseURL starts the private links in messages.
	BaseURL string
	// London is the time zone times are shown in.
	London *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store reads and writes events and bookings.
type Store struct {
	db   *gorm.DB
	msgs *messages.Store
	opts Options
}

// NewStore returns a Store over db that queues its messages in msgs.
func NewStore(db *gorm.DB, msgs *messages.Store, opts Options) *Store {
	if opts.London == nil {
		london, err := time.LoadLocation("Europe/London")
		if err != nil {
			london = time.UTC // no zone database: times are still right, shown as UTC
		}
		opts.London = london
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{db: db, msgs: msgs, opts: opts}
}

func (s *Store) now() time.Time { return s.opts.Now().UTC() }

// Create stores a new event.
func (s *Store) Create(ctx context.Context, actor *uint, e *Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	normaliseTimes(e)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit(clause.Associations).Create(e).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "workshop.create", Target: eventRef(e.ID)})
	})
}

// Update saves staff changes to an event. Cancelling is done with Cancel,
// so a status of cancelled cannot be set or undone here.
func (s *Store) Update(ctx context.Context, actor *uint, e *Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	normaliseTimes(e)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := lockEvent(tx, e.ID)
		if err != nil {
			return err
		}
		if old.Status == Cancelled || e.Status == Cancelled {
			return errCancelled
		}
		e.CreatedAt = old.CreatedAt
		if err := tx.Omit(clause.Associations).Save(e).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "workshop.update", Target: eventRef(e.ID)})
	})
}

func normaliseTimes(e *Event) {
	e.StartsAt, e.EndsAt, e.SignupDeadline = e.StartsAt.UTC(), e.EndsAt.UTC(), e.SignupDeadline.UTC()
	if e.Format == Online {
		e.VenueID = nil
	}
}

// Get returns an event with its venue, locality and booking counts.
func (s *Store) Get(ctx context.Context, id uint) (*Event, error) {
	var e Event
	err := s.events(s.db.WithContext(ctx)).Take(&e, "workshop_events.id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	list := []Event{e}
	if err := s.count(ctx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

func (s *Store) events(q *gorm.DB) *gorm.DB {
	return q.Model(&Event{}).Joins("Locality").Preload("Venue.Locality")
}

// lockEvent reads an event inside tx, locking its row on PostgreSQL so
// bookings for it are decided one at a time. SQLite needs no lock: its
// single writer runs transactions one after another.
func lockEvent(tx *gorm.DB, id uint) (*Event, error) {
	var e Event
	q := tx
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Take(&e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &e, err
}

// Query narrows List.
type Query struct {
	PublishedOnly bool
	UpcomingAt    time.Time // only events that end after this; zero for all
	Locality      string    // locality key
	Format        Format
	From, To      time.Time // starts on or after From, before To
}

// List returns events in start order, with their booking counts.
func (s *Store) List(ctx context.Context, q Query) ([]Event, error) {
	db := s.events(s.db.WithContext(ctx)).Order("workshop_events.starts_at, workshop_events.id")
	if q.PublishedOnly {
		db = db.Where("workshop_events.status IN ?", []Status{Published, Cancelled})
	}
	if !q.UpcomingAt.IsZero() {
		db = db.Where("workshop_events.ends_at > ?", q.UpcomingAt.UTC())
	}
	if q.Locality != "" {
		db = db.Where(`"Locality".key = ?`, q.Locality)
	}
	if q.Format != "" {
		db = db.Where("workshop_events.format = ?", q.Format)
	}
	if !q.From.IsZero() {
		db = db.Where("workshop_events.starts_at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		db = db.Where("workshop_events.starts_at < ?", q.To.UTC())
	}
	var out []Event
	if err := db.Find(&out).Error; err != nil {
		return nil, err
	}
	return out, s.count(ctx, out)
}

// count fills Confirmed and Waiting for each event. Cancelled bookings
// are left out in the query, so the index skips them: an event's
// cancellations grow without limit, its places and waiting list do not.
func (s *Store) count(ctx context.Context, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]uint, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	var rows []struct {
		EventID uint
		Status  BookingStatus
		N       int
	}
	err := s.db.WithContext(ctx).Model(&Booking{}).Select("event_id, status, count(*) AS n").
		Where("event_id IN ? AND status IN ?", ids, append([]BookingStatus{Waiting}, holdsPlace...)).Group("event_id, status").Scan(&rows).Error
	if err != nil {
		return err
	}
	byID := make(map[uint]*Event, len(events))
	for i := range events {
		byID[events[i].ID] = &events[i]
	}
	for _, r := range rows {
		e := byID[r.EventID]
		if e == nil {
			continue
		}
		switch r.Status {
		case Confirmed, Attended, NoShow:
			e.Confirmed += r.N
		case Waiting:
			e.Waiting += r.N
		}
	}
	return nil
}

func eventRef(id uint) string   { return "workshop:" + itoa(id) }
func bookingRef(id uint) string { return "booking:" + itoa(id) }
