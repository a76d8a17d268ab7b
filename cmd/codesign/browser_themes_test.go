package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/config"
	"codesign/database"

	"github.com/chromedp/chromedp"
)

// addFacilitator adds a second member of staff to the server's database.
func addFacilitator(t *testing.T, srv *testServer) uint {
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
	u, err := accounts.NewStore(db).Create(ctx, nil, accounts.NewUser{Email: "fac@example.org", Name: "Fran Facilitator",
		Role: accounts.Facilitator, Password: "a long facilitator password"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// codeNow runs one coding round against the server's database, as the
// background job does every 30 seconds. The server's own job may be
// running too: that is safe by design.
func codeNow(t *testing.T, srv *testServer) {
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
	if err := (&server{cfg: cfg, db: db}).codeNewText(ctx); err != nil {
		t.Fatal(err)
	}
}

// A facilitator reviews the coded demo consultation: the list of
// questions, a queue with its evidence, an accept and its undo (by button
// without JavaScript, by the a and u keys with it), the codebook, emerging
// topics, double coding and coding on demand. Every page passes axe-core.
func TestBrowserThematicCoding(t *testing.T) {
	srv := startServer(t, nil)
	codeNow(t, srv)
	fran := strconv.FormatUint(uint64(addFacilitator(t, srv)), 10)
	for _, js := range []bool{false, true} {
		name := map[bool]string{false: "without JavaScript", true: "with JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			browserLogin(t, ctx, srv)
			visit(t, ctx, srv.URL+"/staff/themes")
			checkA11y(t, ctx, "scopes")
			var queue string
			var ok bool
			if err := chromedp.Run(ctx, chromedp.AttributeValue(`a[href^="/staff/themes/queue"]`, "href", &queue, &ok, chromedp.ByQuery)); err != nil || !ok {
				t.Fatalf("no question to review (%v)", err)
			}
			visit(t, ctx, srv.URL+queue)
			checkA11y(t, ctx, "queue")
			if !strings.Contains(text(t, ctx, "main"), "Waiting") {
				t.Fatal("the queue has nothing waiting")
			}
			decideInBrowser(t, ctx, js, "a", `.cs-passage [data-key=a]`)
			if got := text(t, ctx, ".cs-notification"); !strings.Contains(got, "Accepted") {
				t.Fatalf("after accepting: %q", got)
			}
			checkA11y(t, ctx, "queue after a decision")
			decideInBrowser(t, ctx, js, "u", `#undo-button`)
			if got := text(t, ctx, ".cs-notification"); !strings.Contains(got, "Undone") {
				t.Fatalf("after undoing: %q", got)
			}
			for _, page := range []string{"/staff/themes/codebook", "/staff/themes/topics", "/staff/themes/double", "/staff/themes/double/new"} {
				visit(t, ctx, srv.URL+page)
				checkA11y(t, ctx, page)
			}
			doubleCodeInBrowser(t, ctx, srv, fran)
			visit(t, ctx, srv.URL+"/staff/themes")
			submit(t, ctx, nil, `form[action="/staff/themes/batches"] button`)
			if got := text(t, ctx, "main"); !strings.Contains(got, "answers coded") {
				t.Fatalf("progress page: %q", got)
			}
			checkA11y(t, ctx, "coding progress")
		})
	}
}

// doubleCodeInBrowser assigns a blind sample to the admin and another
// facilitator, codes one passage of it as the admin, and reads the report.
func doubleCodeInBrowser(t *testing.T, ctx context.Context, srv *testServer, other string) {
	t.Helper()
	visit(t, ctx, srv.URL+"/staff/themes/double/new")
	var scope, me string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("#scope").options[1].value`, &scope),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#coder_a option")).find(o => o.text.startsWith("Admin") || o.text.includes("(Admin)")).value`, &me)); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, map[string]string{"#scope": scope, "#coder_a": me, "#coder_b": other, "#size": "5"}, `main form button[type=submit]`)
	if got := text(t, ctx, "h1"); !strings.HasPrefix(got, "Agreement") {
		t.Fatalf("after assigning, the page is %q", got)
	}
	checkA11y(t, ctx, "agreement report, nothing coded")
	submit(t, ctx, nil, `a.cs-button[href^="/staff/themes/double/"]`)
	checkA11y(t, ctx, "double coding queue")
	submit(t, ctx, nil, `.cs-passage form.cs-inline-form button`)
	if got := text(t, ctx, ".cs-notification"); !strings.Contains(got, "no code applies") {
		t.Fatalf("after no code applies: %q", got)
	}
	visit(t, ctx, srv.URL+"/staff/themes/double")
	checkA11y(t, ctx, "double coding list")
}

// decideInBrowser presses a decision button: by clicking it without
// JavaScript, or with JavaScript by focusing a button in the first passage
// and pressing key.
func decideInBrowser(t *testing.T, ctx context.Context, js bool, key, button string) {
	t.Helper()
	var err error
	if js {
		err = chromedp.Run(ctx, chromedp.Focus(`.cs-passage button`, chromedp.ByQuery), chromedp.Evaluate(`window.__csOld = true`, nil),
			chromedp.KeyEvent(key))
	} else {
		err = chromedp.Run(ctx, chromedp.Evaluate(`window.__csOld = true`, nil), chromedp.Click(button, chromedp.ByQuery))
	}
	if err != nil {
		t.Fatalf("pressing %s: %v", key, err)
	}
	waitForNewPage(t, ctx)
}
