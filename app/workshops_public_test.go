package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"codesign/workshops"
)

func TestWorkshopListAndFilters(t *testing.T) {
	f := newWorkshopHarness(t)
	f.event("Open session", 5, 72*time.Hour, workshops.Published)
	f.event("Secret draft", 5, 72*time.Hour, workshops.Draft)
	f.event("Next month", 5, 40*24*time.Hour, workshops.Published)
	from := time.Now().Add(20 * 24 * time.Hour).Format("2006-01-02")
	cases := []struct {
		name, url string
		want      []string
		notWant   []string
	}{
		{"all upcoming", "/workshops", []string{"Open session", "Next month", "5 places left"}, []string{"Secret draft"}},
		{"by locality", "/workshops?locality=" + f.north.Key, []string{"Open session"}, nil},
		{"other locality", "/workshops?locality=nowhere", []string{"There are no workshops that match"}, []string{"Open session"}},
		{"by format", "/workshops?format=online", nil, []string{"Open session"}},
		{"by date", "/workshops?from=" + from, []string{"Next month"}, []string{"Open session"}},
		{"bad date", "/workshops?from=soon", []string{"Enter a date"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := f.do("GET", c.url, nil)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(body, w) {
					t.Errorf("must not show %q", w)
				}
			}
		})
	}
}

func TestEventPageShowsAccessAndPlaces(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Small room", 1, 72*time.Hour, workshops.Published)
	status, body, _ := f.do("GET", eventURL(e), nil)
	if status != 200 || !strings.Contains(body, "1 place left") || !strings.Contains(body, "Step-free access") || !strings.Contains(body, "What to expect") {
		t.Fatalf("status %d\n%.2000s", status, body)
	}
	if _, err := f.ws.Book(context.Background(), e.ID, workshops.Signup{Name: "A", Email: "a@example.org"}); err != nil {
		t.Fatal(err)
	}
	_, body, _ = f.do("GET", eventURL(e), nil)
	if !strings.Contains(body, "Full - join the waiting list") || !strings.Contains(body, "Join the waiting list</button>") {
		t.Fatal("a full event must offer the waiting list")
	}
	draft := f.event("Draft", 1, 72*time.Hour, workshops.Draft)
	if status, _, _ := f.do("GET", eventURL(draft), nil); status != 404 {
		t.Fatalf("draft event status %d, want 404", status)
	}
}

func TestResidentBooksManagesAndCancels(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Booking journey", 1, 72*time.Hour, workshops.Published)
	// The form shows exactly the consent wording a booking keeps.
	if _, page, _ := f.do("GET", eventURL(e), nil); !strings.Contains(page, `<label for="consent_contact">`+workshops.ConsentText+`</label>`) {
		t.Fatal("the consent box does not show workshops.ConsentText")
	}
	status, _, loc := f.signup(e, url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "access_needs": {"bsl_interpreter", "step_free"}, "consent_contact": {"yes"}})
	if status != 303 || !strings.HasPrefix(loc, "/bookings/") || !strings.HasSuffix(loc, "/confirmation") {
		t.Fatalf("status %d location %q", status, loc)
	}
	manage := strings.TrimSuffix(loc, "/confirmation")
	_, body, _ := f.do("GET", loc, nil)
	if !strings.Contains(body, "Your place is booked") || !strings.Contains(body, "http://example.test"+manage) {
		t.Fatalf("confirmation page:\n%.2000s", body)
	}
	sent := f.outbox("booking_confirmed", "ann@example.org")
	if len(sent) != 1 || !strings.Contains(sent[0].Body, "http://example.test"+manage) || !strings.Contains(sent[0].Body, "BSL interpreter") {
		t.Fatalf("confirmation message %+v", sent)
	}
	status, ics, resp := f.do("GET", manage+"/calendar.ics", nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") || !strings.Contains(ics, "DTSTART;TZID=Europe/London:") {
		t.Fatalf("calendar %d %q\n%s", status, resp.Header.Get("Content-Type"), ics)
	}
	// Someone else joins the waiting list, then Ann changes her needs and cancels.
	if _, _, loc2 := f.signup(e, url.Values{"name": {"Bob"}, "phone": {"07700 900982"}}); !strings.HasSuffix(loc2, "/confirmation") {
		t.Fatalf("waiting list sign-up went to %q", loc2)
	}
	status, _, _ = f.do("POST", manage+"/needs", url.Values{"access_needs": {"large_print"}, "dietary": {"Halal"}})
	if status != 303 {
		t.Fatalf("update needs status %d", status)
	}
	if _, body, _ = f.do("GET", manage, nil); !strings.Contains(body, "Large print") || strings.Contains(body, "BSL interpreter</dd>") {
		t.Fatalf("needs not updated:\n%.3000s", body)
	}
	if status, _, _ = f.do("POST", manage+"/cancel", url.Values{}); status != 303 {
		t.Fatalf("cancel status %d", status)
	}
	if _, body, _ = f.do("GET", manage, nil); !strings.Contains(body, "Cancelled") {
		t.Fatal("manage page does not say cancelled")
	}
	if status, body, _ = f.do("POST", manage+"/cancel", url.Values{}); status != 409 || !strings.Contains(body, "already cancelled") {
		t.Fatalf("second cancel: %d", status)
	}
	if got := f.outbox("waiting_list_place", "07700 900982"); len(got) != 1 || got[0].To != "07700 900982" {
		t.Fatalf("Bob was not promoted and told: %+v", got)
	}
}

func TestDoubleClickMakesOneBooking(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Double click", 5, 72*time.Hour, workshops.Published)
	form := url.Values{"name": {"Ann"}, "email": {"ann@example.org"}, "idempotency_key": {"one-form-key-123456"}}
	_, _, first := f.signup(e, form)
	_, _, second := f.signup(e, form)
	all, _ := f.ws.Bookings(context.Background(), e.ID)
	if first == "" || first != second || len(all) != 1 {
		t.Fatalf("two submissions: %q and %q, %d bookings", first, second, len(all))
	}
}

func TestSignupBadInputKeepsWhatWasTyped(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Bad input", 5, 72*time.Hour, workshops.Published)
	cases := []struct {
		name string
		form url.Values
		want []string
	}{
		{"bad email", url.Values{"name": {"Ann Smith"}, "email": {"ann-at-example"}, "access_needs": {"hearing_loop"}},
			[]string{"Enter an email address in the correct format", `value="ann-at-example"`, `value="Ann Smith"`, `value="hearing_loop" checked`, `href="#email"`}},
		{"bad phone", url.Values{"name": {"Ann"}, "phone": {"ring me"}}, []string{"Enter a phone number, like", `value="ring me"`}},
		{"no contact", url.Values{"name": {"Ann"}}, []string{"Enter an email address or a phone number"}},
		{"interpreter without language", url.Values{"name": {"Ann"}, "email": {"a@example.org"}, "access_needs": {"language_interpreter"}}, []string{"Enter which language"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := f.signup(e, c.form)
			if status != 422 {
				t.Fatalf("status %d", status)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
		})
	}
	if all, _ := f.ws.Bookings(context.Background(), e.ID); len(all) != 0 {
		t.Fatalf("invalid sign-ups stored %d bookings", len(all))
	}
}

func TestClosedAndCancelledEventsGetAClearPage(t *testing.T) {
	f := newWorkshopHarness(t)
	closed := f.event("Closing soon", 5, 30*time.Minute, workshops.Published) // deadline was an hour before the start
	cancelled := f.event("Called off", 5, 72*time.Hour, workshops.Cancelled)
	status, body, _ := f.signup(closed, url.Values{"name": {"Ann"}, "email": {"a@example.org"}})
	if status != 409 || !strings.Contains(body, "Sign-up for this workshop closed") {
		t.Fatalf("after deadline: %d\n%.1500s", status, body)
	}
	if _, body, _ := f.do("GET", eventURL(closed), nil); !strings.Contains(body, "Sign-up for this workshop has closed") {
		t.Fatal("event page does not say sign-up has closed")
	}
	status, body, _ = f.signup(cancelled, url.Values{"name": {"Ann"}, "email": {"a@example.org"}})
	if status != 409 || !strings.Contains(body, "has been cancelled") {
		t.Fatalf("cancelled: %d", status)
	}
	if _, body, _ := f.do("GET", eventURL(cancelled), nil); !strings.Contains(body, "This workshop has been cancelled") {
		t.Fatal("event page does not say cancelled")
	}
}

func TestWrongManageTokenIs404WithNoHint(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Tokens", 5, 72*time.Hour, workshops.Published)
	_, _, loc := f.signup(e, url.Values{"name": {"Ann"}, "email": {"a@example.org"}})
	real := strings.TrimSuffix(loc, "/confirmation")
	// A cancelled-then-forgotten token and a made-up one must look alike.
	s1, b1, _ := f.do("GET", real+"x", nil)
	s2, b2, _ := f.do("GET", "/bookings/short", nil)
	s3, _, _ := f.do("POST", "/bookings/"+strings.Repeat("a", 43)+"/cancel", url.Values{})
	s4, _, _ := f.do("GET", "/bookings/"+strings.Repeat("a", 43)+"/calendar.ics", nil)
	if s1 != 404 || s2 != 404 || s3 != 404 || s4 != 404 || b1 != b2 {
		t.Fatalf("statuses %d %d %d %d; bodies differ: %v", s1, s2, s3, s4, b1 != b2)
	}
}
