package workshops

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"codesign/programmes"
)

// FuzzCalendar: whatever staff type into a workshop (commas, semicolons,
// new lines, long lines, any script), the calendar file parses back and the
// title survives the round trip.
func FuzzCalendar(f *testing.F) {
	f.Add("Telling your story once", "Bring a friend; tea, cake & BSL.", "Finsbury Library", "Line one\nLine two", true)
	f.Add("", "", "", "", false)
	f.Add(strings.Repeat("Ω", 200), "a,b;c\\d", "Café \"Hub\"", "\r\n\r\n", true)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		f.Fatal(err)
	}
	s := &Store{opts: Options{London: london, BaseURL: "https://codesign.example"}}
	f.Fuzz(func(t *testing.T, title, summary, venue, online string, confirmed bool) {
		for _, v := range []string{title, summary, venue, online} {
			if !utf8.ValidString(v) {
				return // the HTTP layer refuses invalid UTF-8 before it gets here
			}
		}
		start := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
		e := &Event{ID: 7, Title: title, Summary: summary, Format: Hybrid, OnlineDetails: online, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Venue: &programmes.Venue{Name: venue, Address: "1 High Street"}, UpdatedAt: start}
		b := &Booking{ID: 3, Event: e, Status: Waiting}
		if confirmed {
			b.Status = Confirmed
		}
		out := s.Calendar(b, start)
		cal, err := ics.ParseCalendar(strings.NewReader(out))
		if err != nil {
			t.Fatalf("calendar does not parse: %v\n%s", err, out)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		got := evs[0].GetProperty(ics.ComponentPropertySummary)
		if got == nil {
			t.Fatal("no SUMMARY")
		}
		// The parser leaves escapes in place; compare with them taken out.
		if strings.TrimSpace(title) != "" && !strings.Contains(strings.ReplaceAll(got.Value, "\\", ""), strings.ReplaceAll(firstLine(title), "\\", "")) {
			t.Fatalf("title %q came back as %q", title, got.Value)
		}
		for _, line := range strings.Split(out, "\r\n") {
			if len(line) > 75 {
				t.Fatalf("line of %d octets (RFC 5545 folds at 75): %q", len(line), line)
			}
		}
	})
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}
