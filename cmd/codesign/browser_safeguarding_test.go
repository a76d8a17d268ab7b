package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"codesign/config"
	"codesign/database"
	"codesign/safeguarding"
	"codesign/surveys"

	"github.com/chromedp/chromedp"
)

// submitRiskAnswer sends a response to the demo consultation through the
// public API, with words in its first optional free-text question and an
// email address, as a resident's phone app might.
func submitRiskAnswer(t *testing.T, srv *testServer, words string) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/v1/surveys/early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	var def surveys.Definition
	err = json.NewDecoder(resp.Body).Decode(&def)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]any{}
	var text string
	for _, p := range def.Pages {
		for _, q := range p.Questions {
			switch {
			case q.Required && len(q.Options) > 0 && p.ShowIf == nil && q.ShowIf == nil:
				answers[q.Key] = q.Options[0].Value
			case q.Type == surveys.Textarea && p.ShowIf == nil && text == "":
				text = q.Key
				answers[q.Key] = words
			case q.Type == surveys.Email:
				answers[q.Key] = "resident@example.org"
			}
		}
	}
	body, _ := json.Marshal(map[string]any{"answers": answers})
	resp, err = http.Post(srv.URL+"/api/v1/surveys/early-help-islington/responses", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || text == "" {
		t.Fatalf("submitting (free text in %q): %d %s", text, resp.StatusCode, b)
	}
}

// screenUntilQueued runs screening rounds against the server's database,
// as the background job does every 30 seconds, until an item holds words.
// A round that meets the server's own job skips what the job is screening,
// so it may take a second round.
func screenUntilQueued(t *testing.T, srv *testServer, words string) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load("", false, srv.getenv)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	s, sg := &server{cfg: cfg, db: db}, safeguarding.NewStore(db, nil)
	for range 40 {
		if err := s.screenNewText(ctx); err != nil {
			t.Fatal(err)
		}
		items, err := sg.Waiting(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if strings.Contains(it.Text, words) {
				return
			}
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("%q was not queued", words)
}

// A resident discloses risk through the API; the admin gives themselves
// the safeguarding permission, finds the item in the queue, sees the
// flagged sentence in context and the contact details, and records what
// they did. Every page passes axe-core, with and without JavaScript.
func TestBrowserSafeguardingQueue(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			srv := startServer(t, nil)
			const sentence = "Since the winter on Holloway Road some nights I want to end my life."
			submitRiskAnswer(t, srv, `The hub helped <script>alert("x")</script>. `+sentence)
			screenUntilQueued(t, srv, "Holloway Road")

			browserLogin(t, ctx, srv)
			visit(t, ctx, srv.URL+"/staff/safeguarding")
			if got := text(t, ctx, "main"); !strings.Contains(got, "safeguarding permission") || strings.Contains(got, "Holloway Road") {
				t.Fatalf("without the permission the admin sees:\n%s", got)
			}
			checkA11y(t, ctx, "refused")

			visit(t, ctx, srv.URL+"/staff/safeguarding/people")
			checkA11y(t, ctx, "permission page")
			submit(t, ctx, nil, "main table form button[type=submit]")
			if got := text(t, ctx, "main"); !strings.Contains(got, "can now see the safeguarding queue") {
				t.Fatalf("after granting:\n%s", got)
			}

			visit(t, ctx, srv.URL+"/staff/safeguarding")
			if got := text(t, ctx, "main"); !strings.Contains(got, "Holloway Road") || !strings.Contains(got, "waiting") {
				t.Fatalf("queue:\n%s", got)
			}
			checkA11y(t, ctx, "queue")
			if err := chromedp.Run(ctx, chromedp.Evaluate(`window.__csOld = true`, nil),
				chromedp.Click(`//main//tr[contains(., "Holloway Road")]//a`, chromedp.BySearch)); err != nil {
				t.Fatal(err)
			}
			waitForNewPage(t, ctx)
			if got := text(t, ctx, "main mark"); !strings.Contains(got, "end my life") {
				t.Errorf("highlighted: %q", got)
			}
			if got := text(t, ctx, "main blockquote"); !strings.Contains(got, `<script>alert("x")</script>`) {
				t.Errorf("the context is not shown as written: %q", got)
			}
			checkA11y(t, ctx, "item")

			clickLink(t, ctx, "See their contact details")
			if got := text(t, ctx, "main"); !strings.Contains(got, "resident@example.org") {
				t.Fatalf("contact page:\n%s", got)
			}
			checkA11y(t, ctx, "contact details")
			clickLink(t, ctx, "Back to item")

			// No action chosen: the summary says so and the notes are kept.
			submit(t, ctx, map[string]string{"#notes": "Rang the duty team"}, "main form button[type=submit]")
			if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "Select what you did") {
				t.Fatalf("error summary = %q", got)
			}
			var kept string
			if err := chromedp.Run(ctx, chromedp.Value("#notes", &kept, chromedp.ByQuery)); err != nil || kept != "Rang the duty team" {
				t.Errorf("notes not kept: %q %v", kept, err)
			}
			checkA11y(t, ctx, "action with errors")

			if err := chromedp.Run(ctx, chromedp.Click("#action-referred", chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			submit(t, ctx, nil, "main form button[type=submit]")
			got := text(t, ctx, "main")
			if !strings.Contains(got, "Recorded: Referred.") || !strings.Contains(got, "Rang the duty team") || !strings.Contains(got, "recorded by") {
				t.Fatalf("after recording:\n%s", got)
			}
			checkA11y(t, ctx, "item with history")
		})
	}
}
