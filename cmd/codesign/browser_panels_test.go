package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"codesign/database"
	"codesign/messages"
	"codesign/panels"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"
)

// click clicks the element matching sel, without waiting for a new page.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Click(sel, chromedp.ByQuery)); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

// panelsDB opens the test server's database alongside it, to read what a
// resident would find in their inbox and to set up a review, which the
// reports pages (not built yet) will create.
func panelsDB(t *testing.T, srv *testServer) *gorm.DB {
	t.Helper()
	db, err := database.Open("sqlite", srv.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) })
	return db
}

var memberLinkRe = regexp.MustCompile(`/panel-member/[A-Za-z0-9_-]+`)

// A resident applies to the demo's recruiting panel, with and without
// JavaScript, fixing a mistake on the way.
func TestBrowserResidentAppliesToAPanel(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			srv := startServer(t, nil)
			applyToDemoPanel(t, ctx, srv, "rosa.lee@example.org")
		})
	}
}

func applyToDemoPanel(t *testing.T, ctx context.Context, srv *testServer, email string) {
	t.Helper()
	visit(t, ctx, srv.URL+"/panels")
	checkA11y(t, ctx, "panels")
	clickLink(t, ctx, "Lived experience advisory group")
	if got := text(t, ctx, "main"); !strings.Contains(got, "How you are paid") || !strings.Contains(got, "benefits") || !strings.Contains(got, "How we use your information") {
		t.Errorf("panel page:\n%s", got)
	}
	checkA11y(t, ctx, "panel")
	clickLink(t, ctx, "Apply to join")
	checkA11y(t, ctx, "application form")

	// A mistake first: the page keeps what was typed.
	click(t, ctx, "#lived_experience-carer")
	submit(t, ctx, map[string]string{"#name": "Rosa Lee", "#email": "rosa-at-example", "#statement": "I care for my brother."}, "main form button[type=submit]")
	if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "correct format") || !strings.Contains(got, "Tick the box") {
		t.Errorf("error summary = %q", got)
	}
	checkA11y(t, ctx, "application with errors")
	var statement string
	if err := chromedp.Run(ctx, chromedp.Value("#statement", &statement, chromedp.ByQuery)); err != nil || statement != "I care for my brother." {
		t.Errorf("statement after errors = %q (%v)", statement, err)
	}
	for _, sel := range []string{"#payment_preference", "#age_band-25-34", "#ethnicity-prefer_not_to_say", "#locality", "#consent_store"} {
		click(t, ctx, sel)
	}
	submit(t, ctx, map[string]string{"#email": email}, "main form button[type=submit]")
	if h1 := text(t, ctx, "h1"); h1 != "We have your application" {
		t.Fatalf("acknowledgement h1 = %q\n%s", h1, text(t, ctx, "main"))
	}
	checkA11y(t, ctx, "acknowledgement")
}

// Staff accept the resident, record a session with expenses and approve
// the payment; the new member sees it on their private page and reviews
// draft findings. Every page passes axe.
func TestBrowserStaffRunAPanel(t *testing.T) {
	ctx := newBrowser(t, true)
	srv := startServer(t, nil)
	applyToDemoPanel(t, ctx, srv, "rosa.lee@example.org")

	browserLogin(t, ctx, srv)
	visit(t, ctx, srv.URL+"/staff/panels")
	checkA11y(t, ctx, "staff panels")
	clickLink(t, ctx, "Lived experience advisory group")
	checkA11y(t, ctx, "panel overview")
	var base string
	if err := chromedp.Run(ctx, chromedp.Location(&base)); err != nil {
		t.Fatal(err)
	}
	visit(t, ctx, base+"/representation")
	if got := text(t, ctx, "main"); !strings.Contains(got, "fewer than 5") {
		t.Errorf("representativeness:\n%s", got)
	}
	checkA11y(t, ctx, "representativeness")
	visit(t, ctx, base+"/applications")
	checkA11y(t, ctx, "applications")
	clickLink(t, ctx, "Rosa Lee")
	if got := text(t, ctx, "main"); !strings.Contains(got, "I care for my brother.") {
		t.Errorf("application page lacks the statement:\n%s", got)
	}
	checkA11y(t, ctx, "application")

	// Declining needs a reason and a kind message; then accept instead.
	click(t, ctx, "#to-declined")
	submit(t, ctx, nil, "form[action$=decision] button[type=submit]")
	if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "reason") {
		t.Errorf("decline without a reason: %q", got)
	}
	checkA11y(t, ctx, "decision with errors")
	click(t, ctx, "#to-accepted")
	submit(t, ctx, nil, "form[action$=decision] button[type=submit]")
	if got := text(t, ctx, "main"); !strings.Contains(got, "is now a member") {
		t.Fatalf("after accepting:\n%s", got)
	}
	checkA11y(t, ctx, "accepted")

	visit(t, ctx, base+"/members")
	checkA11y(t, ctx, "members")
	clickLink(t, ctx, "Rosa Lee")
	checkA11y(t, ctx, "member")

	// A session, then attendance with expenses.
	visit(t, ctx, base+"/sessions/new")
	checkA11y(t, ctx, "new session")
	submit(t, ctx, map[string]string{"#title": "First meeting", "#hours": "lots"}, "main form button[type=submit]")
	checkA11y(t, ctx, "new session with errors")
	submit(t, ctx, map[string]string{"#date": "2026-01-15", "#time": "18:00", "#hours": "2"}, "main form button[type=submit]")
	if got := text(t, ctx, "h1"); got != "First meeting" {
		t.Fatalf("session page h1 = %q", got)
	}
	var memberID string
	if err := chromedp.Run(ctx, chromedp.AttributeValue(`//label[contains(., "Rosa Lee")]`, "for", &memberID, nil, chromedp.BySearch)); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(memberID, "attended_")
	click(t, ctx, "#attended_"+id)
	submit(t, ctx, map[string]string{"#hours_" + id: "-2", "#expenses_" + id: "4.80"}, "form[action$=attendance] button[type=submit]")
	if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "Hours must be more than 0") || !strings.Contains(got, "receipt") {
		t.Errorf("bad attendance: %q", got)
	}
	checkA11y(t, ctx, "attendance with errors")
	submit(t, ctx, map[string]string{"#hours_" + id: "2", "#receipt_" + id: "Bus fares"}, "form[action$=attendance] button[type=submit]")
	checkA11y(t, ctx, "session with attendance")

	visit(t, ctx, base+"/payments?from=2026-01-01&to=2026-01-31")
	if got := text(t, ctx, "main"); !strings.Contains(got, "£54.80") {
		t.Errorf("payments:\n%s", got)
	}
	checkA11y(t, ctx, "payments")
	submit(t, ctx, nil, "form[action$=approve] button")
	if got := text(t, ctx, "main"); !strings.Contains(got, "Payment approved") || !strings.Contains(got, "Mark paid") {
		t.Errorf("after approving:\n%s", got)
	}
	checkA11y(t, ctx, "payment approved")
	visit(t, ctx, base+"/totals?year=2025")
	checkA11y(t, ctx, "tax-year totals")
	visit(t, ctx, base+"/edit")
	checkA11y(t, ctx, "edit panel")

	// The member's own page, through the link in their message.
	db := panelsDB(t, srv)
	sent, err := messages.NewStore(db).List(context.Background(), messages.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var link string
	for _, m := range sent {
		if m.Kind == "panel_decision" && m.To == "rosa.lee@example.org" {
			link = memberLinkRe.FindString(m.Body)
		}
	}
	if link == "" {
		t.Fatal("no acceptance message with a private link")
	}
	visit(t, ctx, srv.URL+link)
	if got := text(t, ctx, "main"); !strings.Contains(got, "First meeting") || !strings.Contains(got, "Approved, to be paid") {
		t.Errorf("member page:\n%s", got)
	}
	checkA11y(t, ctx, "member's page")

	// A review of draft findings, as the reports pages will create it.
	ps := panels.NewStore(db, messages.NewStore(db), panels.Options{})
	p, err := ps.BySlug(context.Background(), "lived-experience-advisory-group")
	if err != nil {
		t.Fatal(err)
	}
	r := &panels.Review{PanelID: p.ID, Title: "Draft: what we heard and what we will do", Items: []panels.ReviewItem{
		{Ref: "finding:1", Text: "People told us they wait too long for a first appointment."},
		{Ref: "commitment:1", Text: "We will offer drop-in support at Finsbury Library every Tuesday."}}}
	if err := ps.CreateReview(context.Background(), nil, r); err != nil {
		t.Fatal(err)
	}
	links, err := ps.Invite(context.Background(), nil, r.ID)
	if err != nil || len(links) == 0 {
		t.Fatalf("invite: %v %v", links, err)
	}
	members, _ := ps.Members(context.Background(), p.ID)
	visit(t, ctx, srv.URL+"/panel-review/"+links[members[0].ID])
	checkA11y(t, ctx, "review of draft findings")
	item := r.Items[0].ID
	click(t, ctx, "#approved_"+itoaID(r.Items[1].ID))
	submit(t, ctx, map[string]string{"#comment_" + itoaID(item): "Say how long: weeks, not \"a period\"."}, "main form button[type=submit]")
	if got := text(t, ctx, "main"); !strings.Contains(got, "Your comments are saved") {
		t.Errorf("after saving the review:\n%s", got)
	}
	checkA11y(t, ctx, "review saved")
	visit(t, ctx, base+"/reviews/"+itoaID(r.ID))
	if got := text(t, ctx, "main"); !strings.Contains(got, "weeks, not") {
		t.Errorf("officer's view of the review:\n%s", got)
	}
	checkA11y(t, ctx, "review feedback")
}

func itoaID(id uint) string { return strconv.FormatUint(uint64(id), 10) }
