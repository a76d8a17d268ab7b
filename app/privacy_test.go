package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/messages"
	"codesign/workshops"
)

// privacyHarness signs in an admin. Until routes.go calls privacyRoutes the
// pages answer 404, and these tests say so instead of failing.
func privacyHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.user("dpo@example.org", accounts.Admin)
	h.login("dpo@example.org")
	return h
}

const resident = "res.ident@example.org"

// seedResident gives a resident a flagged survey response with their email,
// a workshop booking and a message whose subject holds markup.
func seedResident(t *testing.T, h *harness) {
	t.Helper()
	flagAnswer(t, h, riskAnswer, resident)
	ctx := context.Background()
	msgs := messages.NewStore(h.db)
	ws := workshops.NewStore(h.db, msgs, workshops.Options{BaseURL: "http://example.test"})
	events, err := ws.List(ctx, workshops.Query{PublishedOnly: true, UpcomingAt: time.Now()})
	if err != nil || len(events) == 0 {
		t.Fatalf("no demo workshop to book: %v", err)
	}
	if _, err := ws.Book(ctx, events[0].ID, workshops.Signup{Name: "Res Ident", Email: resident, ManageToken: "tok-res-ident-0123456789abcdefghij"}); err != nil {
		t.Fatal(err)
	}
	if err := msgs.Enqueue(ctx, nil, &messages.Message{To: resident, Subject: `<script>alert("subject")</script>`, Body: "Hello", Kind: "manual", Ref: "manual:1"}); err != nil {
		t.Fatal(err)
	}
}

func TestPrivacyPagesAreForAdminsOnly(t *testing.T) {
	h := privacyHarness(t)
	pages := []struct{ method, path string }{
		{"GET", "/admin/privacy"}, {"POST", "/admin/privacy/search"}, {"POST", "/admin/privacy/access"},
		{"POST", "/admin/privacy/erase"}, {"POST", "/admin/privacy/erase/confirm"},
		{"GET", "/admin/privacy/retention"}, {"POST", "/admin/privacy/retention"}, {"GET", "/admin/audit.csv"},
	}
	for _, role := range []accounts.Role{accounts.Facilitator, accounts.Officer} {
		h.user(string(role)+"@example.org", role)
		h.login(string(role) + "@example.org")
		for _, p := range pages {
			var form url.Values
			if p.method == "POST" {
				form = url.Values{"subject": {resident}, "confirm": {resident}}
			}
			if status, _, _ := h.do(p.method, p.path, form); status != 403 {
				t.Errorf("%s %s %s: %d, want 403", role, p.method, p.path, status)
			}
		}
	}
	h.do("POST", "/logout", url.Values{})
	if status, _, resp := h.do("GET", "/admin/privacy", nil); status != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("signed out: %d %q", status, resp.Header.Get("Location"))
	}
}

func TestSearchDownloadAndEraseAPerson(t *testing.T) {
	h := privacyHarness(t)
	seedResident(t, h)

	status, body, _ := h.do("POST", "/admin/privacy/search", url.Values{"subject": {"  RES.Ident@example.org "}})
	if status != 200 {
		t.Fatalf("search: %d\n%.600s", status, body)
	}
	for _, want := range []string{"What we hold about " + resident, "Survey responses (1)", "Safeguarding queue (1)", "Workshop bookings (1)",
		"Messages (", `&lt;script&gt;alert(&#34;subject&#34;)&lt;/script&gt;`, "Download everything (access request)", "Erase everything"} {
		if !strings.Contains(body, want) {
			t.Errorf("results lack %q", want)
		}
	}
	if strings.Contains(body, `<script>alert("subject")`) || strings.Contains(body, "end my life") {
		t.Error("results show markup unescaped, or flagged words")
	}

	status, body, resp := h.do("POST", "/admin/privacy/access", url.Values{"subject": {resident}})
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="access-request-email-`) {
		t.Fatalf("download: %d %q %q", status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	var report map[string]any
	if err := json.Unmarshal([]byte(body), &report); err != nil || !strings.Contains(body, resident) {
		t.Fatalf("download is not the JSON report: %v\n%.300s", err, body)
	}
	if strings.Contains(body, "end my life") {
		t.Error("an admin without the safeguarding permission downloaded flagged words")
	}

	status, body, _ = h.do("POST", "/admin/privacy/erase", url.Values{"subject": {resident}})
	if status != 200 || !strings.Contains(body, "To confirm, type the email address again") || !strings.Contains(body, "1 survey response") {
		t.Fatalf("confirmation page: %d\n%.600s", status, body)
	}
	for _, typed := range []string{"someone@else.example.org", `<script>alert("typed")</script>`} {
		status, body, _ = h.do("POST", "/admin/privacy/erase/confirm", url.Values{"subject": {resident}, "confirm": {typed}})
		if status != 422 || !strings.Contains(body, "Type the email address shown above to confirm") || !strings.Contains(body, "There is a problem") {
			t.Errorf("a mismatch: %d\n%.600s", status, body)
		}
		if strings.Contains(body, typed) != !strings.Contains(typed, "<") {
			t.Errorf("typed value %q not kept, or not escaped", typed)
		}
	}
	if !strings.Contains(body, `value="&lt;script&gt;alert(&#34;typed&#34;)&lt;/script&gt;"`) {
		t.Errorf("the typed value is not kept escaped\n%.1500s", body)
	}
	if _, body, _ = h.do("POST", "/admin/privacy/search", url.Values{"subject": {resident}}); !strings.Contains(body, "Survey responses (1)") {
		t.Fatal("a mismatched confirmation erased something")
	}

	status, body, _ = h.do("POST", "/admin/privacy/erase/confirm", url.Values{"subject": {resident}, "confirm": {"Res.Ident@Example.org"}})
	if status != 200 || !strings.Contains(body, "Erased") || !strings.Contains(body, "1 survey response") {
		t.Fatalf("erasure: %d\n%.800s", status, body)
	}
	if _, body, _ = h.do("POST", "/admin/privacy/search", url.Values{"subject": {resident}}); !strings.Contains(body, "Nothing found") {
		t.Errorf("found after erasure\n%.600s", body)
	}
	events, err := audit.NewStore(h.db).Recent(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Action] = true
		if strings.Contains(e.Detail, "res.ident") || strings.Contains(e.Target, "res.ident") {
			t.Errorf("the audit log names the person: %+v", e)
		}
	}
	for _, action := range []string{"privacy.search", "privacy.access", "privacy.erase"} {
		if !seen[action] {
			t.Errorf("%s was not audited", action)
		}
	}
}

func TestPrivacyBadInput(t *testing.T) {
	h := privacyHarness(t)
	status, body, _ := h.do("POST", "/admin/privacy/search", url.Values{"subject": {`<script>alert(1)</script>`}})
	if status != 422 || !strings.Contains(body, "Enter an email address, a phone number or a receipt reference") ||
		!strings.Contains(body, `value="&lt;script&gt;alert(1)&lt;/script&gt;"`) || strings.Contains(body, "<script>alert(1)") {
		t.Errorf("markup typed as a subject: %d\n%.1200s", status, body)
	}
	if status, body, _ := h.do("POST", "/admin/privacy/search", url.Values{"subject": {"\xff\xfe"}}); status != 400 || !strings.Contains(body, "not valid text") {
		t.Errorf("invalid UTF-8: %d", status)
	}
	if status, _, _ := h.do("POST", "/admin/privacy/erase/confirm", url.Values{"subject": {"nobody@example.org"}, "confirm": {"\xff"}}); status != 400 {
		t.Errorf("invalid UTF-8 confirmation: %d", status)
	}
	// Someone unknown: a clear "nothing found", searching or erasing.
	status, body, _ = h.do("POST", "/admin/privacy/search", url.Values{"subject": {"CS-ZZZZ-ZZZZ"}})
	if status != 200 || !strings.Contains(body, "Nothing found") {
		t.Errorf("unknown receipt: %d\n%.600s", status, body)
	}
	status, body, _ = h.do("POST", "/admin/privacy/erase/confirm", url.Values{"subject": {"nobody@example.org"}, "confirm": {"nobody@example.org"}})
	if status != 200 || !strings.Contains(body, "Nothing found") || !strings.Contains(body, "nothing was erased") {
		t.Errorf("erasing someone unknown: %d\n%.600s", status, body)
	}
}

func TestRetentionPageIsADryRunUntilApplied(t *testing.T) {
	h := privacyHarness(t)
	ctx := context.Background()
	msgs := messages.NewStore(h.db)
	old := &messages.Message{To: resident, Subject: "Thanks for coming", Body: "Thank you", Kind: "manual", Ref: "manual:2"}
	if err := msgs.Enqueue(ctx, nil, old); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Model(&messages.Message{}).Where("id = ?", old.ID).Updates(map[string]any{"status": messages.Sent, "sent_at": time.Now().AddDate(0, 0, -31)}).Error; err != nil {
		t.Fatal(err)
	}
	for range 2 { // a dry run, twice: it removes nothing
		status, body, _ := h.do("GET", "/admin/privacy/retention", nil)
		if status != 200 || !strings.Contains(body, "Contact details given in survey answers") || !strings.Contains(body, "1 message<") ||
			!strings.Contains(body, "Apply retention now") {
			t.Fatalf("retention page: %d\n%.2000s", status, body)
		}
	}
	status, _, resp := h.do("POST", "/admin/privacy/retention", url.Values{})
	if status != 303 || resp.Header.Get("Location") != "/admin/privacy/retention" {
		t.Fatalf("apply: %d %q", status, resp.Header.Get("Location"))
	}
	_, body, _ := h.do("GET", "/admin/privacy/retention", nil)
	if !strings.Contains(body, "Nothing is due for removal now") || !strings.Contains(body, "Retention applied") ||
		!strings.Contains(body, "1 message (messages sent from the outbox)") {
		t.Errorf("after applying\n%.2000s", body)
	}
	if _, err := msgs.Get(ctx, old.ID); err == nil {
		t.Error("the old message is still there")
	}
	if !auditHas(t, h, userID(t, h, "dpo@example.org"), "retention.apply", "retention:messages") {
		t.Error("not audited")
	}
}

func TestAuditLogDownloadIsFormulaSafe(t *testing.T) {
	h := privacyHarness(t)
	if err := audit.Record(context.Background(), h.db, audit.Event{Action: "test", Target: "=HYPERLINK(\"http://x\")", Detail: "+1, -2 and @3"}); err != nil {
		t.Fatal(err)
	}
	status, body, resp := h.do("GET", "/admin/audit.csv", nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q", status, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(rows) < 3 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	var found bool
	for _, r := range rows[1:] {
		for _, cell := range r {
			if strings.HasPrefix(cell, "=") || strings.HasPrefix(cell, "+") || strings.HasPrefix(cell, "@") {
				t.Errorf("a cell a spreadsheet would run: %q", cell)
			}
		}
		if r[3] == "test" && r[4] == `'=HYPERLINK("http://x")` && r[5] == "'+1, -2 and @3" {
			found = true
		}
		if r[3] == audit.LoginSucceeded && r[2] != "dpo" {
			t.Errorf("sign-in not named: %q", r)
		}
	}
	if !found {
		t.Error("the test entry is missing or changed")
	}
	if !auditHas(t, h, userID(t, h, "dpo@example.org"), "audit.exported", "audit_log") {
		t.Error("the download was not audited")
	}
}

func userID(t *testing.T, h *harness, email string) uint {
	t.Helper()
	users, err := h.accounts.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s", email)
	return 0
}
