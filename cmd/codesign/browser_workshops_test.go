package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// clickLink follows the link whose text contains label.
func clickLink(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	sel := `//main//a[contains(., "` + label + `")]`
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.__csOld = true`, nil), chromedp.Click(sel, chromedp.BySearch)); err != nil {
		t.Fatalf("following %q: %v", label, err)
	}
	waitForNewPage(t, ctx)
}

// A resident finds a workshop in their area, books with access needs,
// gets the confirmation, downloads the calendar file and cancels through
// the private link, with and without JavaScript.
func TestBrowserResidentBooksAWorkshop(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			srv := startServer(t, nil)

			visit(t, ctx, srv.URL+"/workshops")
			checkA11y(t, ctx, "workshops")
			if err := chromedp.Run(ctx, chromedp.SetValue("#locality", "central", chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			submit(t, ctx, nil, "form.cs-filter button[type=submit]")
			list := text(t, ctx, "main")
			if !strings.Contains(list, "Community hub drop-in design session") || strings.Contains(list, "What helps when things get hard?") {
				t.Fatalf("central workshops:\n%s", list)
			}
			checkA11y(t, ctx, "workshops in central")

			clickLink(t, ctx, "Community hub drop-in design session")
			if got := text(t, ctx, "main"); !strings.Contains(got, "places left") || !strings.Contains(got, "Step-free access") {
				t.Errorf("event page lacks places or access:\n%s", got)
			}
			checkA11y(t, ctx, "event")

			// A mistake first: the page keeps what was typed.
			submit(t, ctx, map[string]string{"#name": "Rosa Lee", "#email": "rosa-at-example"}, "main form button[type=submit]")
			if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "correct format") {
				t.Errorf("error summary = %q", got)
			}
			checkA11y(t, ctx, "sign-up with errors")
			if err := chromedp.Run(ctx, chromedp.Click("#need-bsl_interpreter", chromedp.ByQuery), chromedp.Click("#need-step_free", chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			submit(t, ctx, map[string]string{"#email": "rosa@example.org"}, "main form button[type=submit]")
			if h1 := text(t, ctx, "h1"); h1 != "Your place is booked" {
				t.Fatalf("confirmation h1 = %q", h1)
			}
			checkA11y(t, ctx, "confirmation")

			var ics string
			if err := chromedp.Run(ctx, chromedp.AttributeValue(`a[href$="calendar.ics"]`, "href", &ics, nil, chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			checkCalendar(t, srv.URL+ics)

			clickLink(t, ctx, "See or change your booking")
			if got := text(t, ctx, "main"); !strings.Contains(got, "BSL interpreter") || !strings.Contains(strings.ToLower(got), "place booked") {
				t.Errorf("manage page:\n%s", got)
			}
			checkA11y(t, ctx, "manage booking")
			submit(t, ctx, nil, "main form[action$=cancel] button")
			if got := text(t, ctx, "main"); !strings.Contains(got, "Your booking is cancelled") || strings.Contains(got, "Cancel my booking") {
				t.Errorf("after cancelling:\n%s", got)
			}
			checkA11y(t, ctx, "booking cancelled")
		})
	}
}

func checkCalendar(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(string(body), "DTSTART;TZID=Europe/London:") || !strings.Contains(string(body), "BEGIN:VTIMEZONE") {
		t.Errorf("calendar file %d %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// Staff pages for workshops pass the same accessibility checks.
func TestBrowserStaffWorkshopPages(t *testing.T) {
	ctx := newBrowser(t, true)
	srv := startServer(t, nil)
	browserLogin(t, ctx, srv)
	visit(t, ctx, srv.URL+"/staff/workshops")
	checkA11y(t, ctx, "staff workshops")
	clickLink(t, ctx, "Telling your story once")
	if got := text(t, ctx, "main"); !strings.Contains(got, "BSL interpreter x") || !strings.Contains(got, "Waiting") {
		t.Errorf("staff event page:\n%s", got)
	}
	checkA11y(t, ctx, "staff workshop")
	var eventURL string
	if err := chromedp.Run(ctx, chromedp.Location(&eventURL)); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"attendance", "notes"} {
		visit(t, ctx, eventURL+"/"+page)
		checkA11y(t, ctx, page)
	}
	// The demo's past workshop has notes: their suggested codes are checked too.
	found := false
	for id := 1; id <= 12 && !found; id++ {
		visit(t, ctx, fmt.Sprintf("%s/staff/workshops/%d/notes", srv.URL, id))
		if strings.Contains(text(t, ctx, "main"), "Suggested themes") {
			found = true
			checkA11y(t, ctx, "notes with suggested themes")
		}
	}
	if !found {
		t.Error("no demo workshop shows suggested themes for its notes")
	}
	visit(t, ctx, srv.URL+"/staff/workshops/new")
	submit(t, ctx, map[string]string{"#title": "Half finished"}, "main form button[type=submit]")
	checkA11y(t, ctx, "new workshop with errors")
	visit(t, ctx, srv.URL+"/admin/outbox")
	checkA11y(t, ctx, "outbox")
}
