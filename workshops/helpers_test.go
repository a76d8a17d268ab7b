package workshops_test

import (
	"context"
	"testing"
	"time"

	"codesign/messages"
	"codesign/programmes"
	"codesign/workshops"

	"gorm.io/gorm"
)

// fixture is a store over a database with one locality and two venues,
// and a clock the test can move.
type fixture struct {
	store  *workshops.Store
	msgs   *messages.Store
	db     *gorm.DB
	now    time.Time
	london *time.Location
	north  programmes.Locality
	venue  programmes.Venue
}

func newFixture(t testing.TB, db *gorm.DB) *fixture {
	t.Helper()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	ps := programmes.NewStore(db)
	ctx := context.Background()
	err = ps.Seed(ctx, &programmes.Programme{Slug: "p", Name: "P", Organisation: "O", Summary: "S"},
		[]programmes.Locality{{Key: "north", Name: "North", Sort: 1}, {Key: "south", Name: "South", Sort: 2}},
		[]programmes.SeedVenue{{LocalityKey: "north", Venue: programmes.Venue{Name: "Archway Library", Kind: "library",
			Address: "Highgate Hill", StepFree: true, HearingLoop: true, Notes: "Lift to the first floor."}}})
	if err != nil {
		t.Fatal(err)
	}
	locs, _ := ps.Localities(ctx)
	venues, _ := ps.Venues(ctx)
	f := &fixture{db: db, msgs: messages.NewStore(db), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), london: london, north: locs[0], venue: venues[0]}
	f.store = workshops.NewStore(db, f.msgs, workshops.Options{BaseURL: "https://codesign.example", London: london, Now: func() time.Time { return f.now }})
	return f
}

// event creates a published in-person event a week ahead.
func (f *fixture) event(t testing.TB, capacity int) *workshops.Event {
	t.Helper()
	start := f.now.Add(7 * 24 * time.Hour)
	e := &workshops.Event{Title: "What helps in Archway", Format: workshops.InPerson, LocalityID: f.north.ID, VenueID: &f.venue.ID,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), SignupDeadline: start.Add(-24 * time.Hour), Capacity: capacity,
		Status: workshops.Published, Facilitators: "Ade and Sam"}
	if err := f.store.Create(context.Background(), nil, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func (f *fixture) book(t *testing.T, e *workshops.Event, name string) *workshops.Booking {
	t.Helper()
	b, err := f.store.Book(context.Background(), e.ID, workshops.Signup{Name: name, Email: name + "@example.org", ManageToken: token(name)})
	if err != nil {
		t.Fatalf("booking %s: %v", name, err)
	}
	return b
}

// token makes a manage token long enough to be accepted.
func token(name string) string { return "tok-" + name + "-0123456789abcdefghij" }

func (f *fixture) outbox(t *testing.T, kind string) []messages.Message {
	t.Helper()
	all, err := f.msgs.List(context.Background(), messages.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []messages.Message
	for _, m := range all {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}
