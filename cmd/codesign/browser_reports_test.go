package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"codesign/database"
	"codesign/surveys"
	"codesign/themes"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// confirmCodes codes a consultation's answers and accepts every suggestion,
// as facilitators would in the review queue, so that it has findings.
func confirmCodes(t *testing.T, dsn, slug string) uint {
	t.Helper()
	db, err := database.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	ctx := context.Background()
	ss, ts := surveys.NewStore(db), themes.NewStore(db)
	sv, err := ss.BySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := ss.FreeTextSince(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var units []themes.Unit
	scopes := map[string]bool{}
	for _, u := range texts {
		if u.SurveyID == sv.ID {
			scope := fmt.Sprintf("survey:%d:%s", u.SurveyID, u.QuestionKey)
			scopes[scope] = true
			units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(u.AnswerID), 10), Scope: scope, Text: u.Text})
		}
	}
	cb, _ := themes.DefaultCodebook()
	if _, err := ts.Add(ctx, themes.NewCoder(cb), units, nil); err != nil {
		t.Fatal(err)
	}
	for scope := range scopes {
		if _, err := ts.BulkAccept(ctx, themes.Filter{Scope: scope}, 1); err != nil {
			t.Fatal(err)
		}
	}
	return sv.ID
}

// An officer builds the findings of a consultation, picks a quote, adds a
// commitment (a mistake first), publishes and gives the owner a private
// link; the owner posts an update; a resident reads the results and the
// tracker on a small screen. axe-core runs on every page.
func TestBrowserOfficerPublishesResults(t *testing.T) {
	ctx := newBrowser(t, true)
	srv := startServer(t, nil)
	const slug = "crisis-support-at-night"
	id := confirmCodes(t, srv.DSN, slug)
	browserLogin(t, ctx, srv)

	visit(t, ctx, srv.URL+"/staff/reports")
	checkA11y(t, ctx, "staff results")
	// The whole programme: its consultations, with the past workshop's
	// coded notes, added up.
	clickLink(t, ctx, "Findings across the whole programme")
	if got := text(t, ctx, "main"); !strings.Contains(got, "A person is counted once in each consultation") || !strings.Contains(got, "Crisis support at night") {
		t.Fatalf("programme findings:\n%s", got)
	}
	checkA11y(t, ctx, "programme findings")
	visit(t, ctx, srv.URL+"/staff/reports")
	submit(t, ctx, nil, fmt.Sprintf(`main form:has(input[name=survey][value="%d"]) button`, id))
	base := location(t, ctx)
	if got := text(t, ctx, "main"); !strings.Contains(got, "people took part") || !strings.Contains(got, "Crisis response") {
		t.Fatalf("findings:\n%s", got)
	}
	checkA11y(t, ctx, "findings")
	visit(t, ctx, base+"?unconfirmed=1")
	checkA11y(t, ctx, "findings with unconfirmed suggestions")

	visit(t, ctx, base+"/quotes?code=support_organisation")
	checkA11y(t, ctx, "quotes")
	submit(t, ctx, nil, "main .cs-passages form button")
	if got := text(t, ctx, "main .cs-quotes"); len(strings.TrimSpace(got)) < 10 {
		t.Fatalf("no quote in the draft: %q", got)
	}
	checkA11y(t, ctx, "quotes with one picked")

	visit(t, ctx, base+"/commitments/new")
	checkA11y(t, ctx, "new commitment")
	submit(t, ctx, map[string]string{"#you_said": "You want somewhere to go at night."}, "main form button[type=submit]")
	if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "Enter the team that owns this") || !strings.Contains(got, "Select at least one theme") {
		t.Fatalf("error summary = %q", got)
	}
	checkA11y(t, ctx, "new commitment with errors")
	if err := chromedp.Run(ctx, chromedp.Click("#code-crisis_response", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	due := strconv.Itoa(time.Now().Year()+1) + "-03-31"
	submit(t, ctx, map[string]string{"#we_did": "We will open a crisis café in Holloway, open until 11pm every day.",
		"#owner_org": "Whittington Health", "#owner_team": "Crisis services", "#due": due}, "main form button[type=submit]")
	if got := text(t, ctx, "main"); !strings.Contains(got, "crisis café in Holloway") {
		t.Fatalf("commitments:\n%s", got)
	}
	checkA11y(t, ctx, "commitments")

	visit(t, ctx, base+"/publish")
	checkA11y(t, ctx, "publish")
	submit(t, ctx, nil, `main form[action$="/publish"] button`)
	if got := text(t, ctx, "main"); !strings.Contains(got, "Version 1 is published") {
		t.Fatalf("after publishing:\n%s", got)
	}
	checkA11y(t, ctx, "versions")

	visit(t, ctx, base+"/commitments")
	clickLink(t, ctx, "You said")
	checkA11y(t, ctx, "commitment")
	submit(t, ctx, nil, `main form[action$="/link"] button`)
	link := text(t, ctx, ".cs-link-box")
	if !strings.Contains(link, "/commitment-updates/") {
		t.Fatalf("partner link = %q", link)
	}
	checkA11y(t, ctx, "commitment with partner link")
	submit(t, ctx, nil, `header form[action="/logout"] button`)

	// The owner posts an update through the private link.
	visit(t, ctx, srv.URL+link[strings.Index(link, "/commitment-updates/"):])
	checkA11y(t, ctx, "partner page")
	if err := chromedp.Run(ctx, chromedp.Click("#status-in_progress", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, map[string]string{"#note": "We have found a building on Holloway Road."}, "main form button[type=submit]")
	checkA11y(t, ctx, "partner page after an update")

	// A resident on a small screen.
	visit(t, ctx, srv.URL+"/results")
	checkA11y(t, ctx, "results list")
	clickLink(t, ctx, "Crisis support at night")
	got := text(t, ctx, "main")
	for _, w := range []string{"people answered the consultation", "What you said", "crisis café in Holloway", "In progress", "We have found a building", "fewer than 5"} {
		if !strings.Contains(got, w) {
			t.Errorf("results page lacks %q", w)
		}
	}
	var overflow bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)); err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("the results page scrolls sideways on a small screen")
	}
	checkA11y(t, ctx, "results page")
	checkPrint(t, ctx)
	visit(t, ctx, srv.URL+"/results?owner=Whittington+Health#tracker")
	if got := text(t, ctx, "main"); !strings.Contains(got, "crisis café in Holloway") {
		t.Errorf("tracker filtered by owner:\n%s", got)
	}
	checkA11y(t, ctx, "tracker filtered")
}

// checkPrint prints the page as the browser's "Save as PDF" would: the
// navigation, contents and forms are left out, the findings and
// commitments are not.
func checkPrint(t *testing.T, ctx context.Context) {
	t.Helper()
	var hidden []string
	var pdf []byte
	err := chromedp.Run(ctx,
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`[".cs-header__nav", ".cs-contents", ".cs-phase", "#did", ".cs-commitment", "#said"]
			.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display === "none")`, &hidden),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPrintBackground(true).Do(ctx)
			return err
		}),
		emulation.SetEmulatedMedia().WithMedia(""),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(hidden, " ") != ".cs-header__nav .cs-contents .cs-phase" {
		t.Errorf("hidden in print: %v", hidden)
	}
	if len(pdf) < 10_000 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("the printed PDF is %d bytes", len(pdf))
	}
}
