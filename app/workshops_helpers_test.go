package app_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"codesign/messages"
	"codesign/programmes"
	"codesign/workshops"
)

// wsFixture gives HTTP tests direct access to the workshops and outbox
// stores over the harness's database, to set up events and check results.
type wsFixture struct {
	*harness
	ws    *workshops.Store
	msgs  *messages.Store
	venue programmes.Venue
	north programmes.Locality
}

func newWorkshopHarness(t *testing.T) *wsFixture {
	t.Helper()
	h := newHarness(t)
	msgs := messages.NewStore(h.db)
	ps := programmes.NewStore(h.db)
	venues, err := ps.Venues(context.Background())
	if err != nil || len(venues) == 0 {
		t.Fatalf("demo venues: %v", err)
	}
	locs, _ := ps.Localities(context.Background())
	return &wsFixture{harness: h, ws: workshops.NewStore(h.db, msgs, workshops.Options{BaseURL: "http://example.test"}),
		msgs: msgs, venue: venues[0], north: locs[0]}
}

// event creates an event at the first demo venue starting in `in`.
func (f *wsFixture) event(title string, capacity int, in time.Duration, status workshops.Status) *workshops.Event {
	f.t.Helper()
	start := time.Now().Add(in).Truncate(time.Minute)
	e := &workshops.Event{Title: title, Summary: "Tell us what helps.", Description: "We will talk in small groups.\n\nTea and biscuits.",
		Format: workshops.InPerson, LocalityID: f.venue.LocalityID, VenueID: &f.venue.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		SignupDeadline: start.Add(-time.Hour), Capacity: capacity, Status: workshops.Published, Facilitators: "Ade"}
	if status == workshops.Draft {
		e.Status = workshops.Draft
	}
	if err := f.ws.Create(context.Background(), nil, e); err != nil {
		f.t.Fatal(err)
	}
	if status == workshops.Cancelled {
		if err := f.ws.CancelEvent(context.Background(), nil, e.ID, ""); err != nil {
			f.t.Fatal(err)
		}
	}
	return e
}

func eventURL(e *workshops.Event) string { return "/workshops/" + strconv.FormatUint(uint64(e.ID), 10) }
func staffURL(e *workshops.Event) string {
	return "/staff/workshops/" + strconv.FormatUint(uint64(e.ID), 10)
}

var idemRe = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// signup opens the event page (for the CSRF token and the form's key)
// and posts the form with values.
func (f *wsFixture) signup(e *workshops.Event, values url.Values) (int, string, string) {
	f.t.Helper()
	_, page, _ := f.do("GET", eventURL(e), nil)
	if f.csrf == "" {
		f.do("GET", "/login", nil) // a closed event has no form: take the token from another page
	}
	if values.Get("idempotency_key") == "" {
		if m := idemRe.FindStringSubmatch(page); m != nil {
			values.Set("idempotency_key", m[1])
		}
	}
	status, body, resp := f.do("POST", eventURL(e)+"/book", values)
	return status, body, resp.Header.Get("Location")
}

// outbox returns the messages of kind sent to any of to (all when none),
// leaving out those the demo content queued.
func (f *wsFixture) outbox(kind string, to ...string) []messages.Message {
	f.t.Helper()
	all, err := f.msgs.List(context.Background(), messages.Filter{})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []messages.Message
	for _, m := range all {
		if m.Kind == kind && (len(to) == 0 || slices.Contains(to, m.To)) {
			out = append(out, m)
		}
	}
	return out
}
