package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/surveys"
)

// journeyDefinition is a small consultation that exercises every part of
// the resident's journey: a required choice, an "other" box, a question
// revealed on the same page, a page shown only for some answers, a text
// limit, a number range and contact details.
const journeyDefinition = `{
  "slug": "journey", "title": "Support that works", "status": "open",
  "summary": "Tell us about getting support.", "minutes": 5,
  "opens_at": null, "closes_at": null,
  "pages": [
    {"title": "About you", "show_if": null, "questions": [
      {"key": "looked", "type": "radio", "label": "Have you looked for support?", "hint": "", "required": true, "show_if": null,
       "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]},
      {"key": "why_not", "type": "textarea", "label": "What stopped you?", "hint": "", "required": false, "options": null, "max_length": 200,
       "show_if": {"match": "all", "conditions": [{"question": "looked", "op": "equals", "value": "no"}]}},
      {"key": "where", "type": "checkbox", "label": "Where would you go first?", "hint": "Select all that apply.", "required": false, "show_if": null,
       "options": [{"value": "gp", "label": "My GP"}, {"value": "friends", "label": "Friends and family"}, {"value": "other", "label": "Somewhere else", "other": true}]}
    ]},
    {"title": "What happened", "show_if": {"match": "all", "conditions": [{"question": "looked", "op": "equals", "value": "yes"}]}, "questions": [
      {"key": "happened", "type": "textarea", "label": "What happened when you asked for help?", "hint": "", "required": true, "options": null, "max_length": 200, "show_if": null}
    ]},
    {"title": "Last few questions", "show_if": null, "questions": [
      {"key": "age", "type": "number", "label": "How old are you?", "hint": "", "required": false, "options": null, "min": 16, "max": 120, "show_if": null},
      {"key": "contact", "type": "email", "label": "Email address", "hint": "Only if you want us to tell you what happened next.", "required": false, "options": null, "personal": true, "show_if": null}
    ]}
  ]
}`

// newJourney adds the journey survey, adjusted by change, and returns it.
func newJourney(t *testing.T, h *harness, change func(*surveys.Survey)) *surveys.Survey {
	t.Helper()
	sv, err := surveys.ParseDefinition(strings.NewReader(journeyDefinition))
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(sv)
	}
	store := surveys.NewStore(h.db)
	if err := store.Import(context.Background(), nil, sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

func countResponses(t *testing.T, h *harness, sv *surveys.Survey) int64 {
	t.Helper()
	n, err := surveys.NewStore(h.db).CountResponses(context.Background(), sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	idemKeyRe = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
	shownRe   = regexp.MustCompile(`name="shown" value="([^"]*)"`)
)

// page posts one journey page the way a browser would: the shown list comes
// from the page just fetched.
func (h *harness) page(path string, form url.Values) (int, string, string) {
	h.t.Helper()
	_, body, _ := h.do("GET", path, nil)
	m := shownRe.FindStringSubmatch(body)
	if m == nil {
		h.t.Fatalf("GET %s has no shown field\n%.800s", path, body)
	}
	form.Set("shown", m[1])
	status, body, resp := h.do("POST", path, form)
	return status, body, resp.Header.Get("Location")
}

func expect(t *testing.T, what string, status, want int, body string, contains ...string) {
	t.Helper()
	if status != want {
		t.Fatalf("%s: status %d, want %d\n%.1500s", what, status, want, body)
	}
	for _, c := range contains {
		if !strings.Contains(body, c) {
			t.Fatalf("%s: body lacks %q\n%.3000s", what, c, body)
		}
	}
}

func TestSurveyJourney(t *testing.T) {
	h := newHarness(t)
	sv := newJourney(t, h, nil)

	status, body, _ := h.do("GET", "/consultations", nil)
	expect(t, "list", status, 200, body, "Support that works", "/consultations/journey")
	status, body, _ = h.do("GET", "/consultations/journey", nil)
	expect(t, "start", status, 200, body, "Start now", "Samaritans", "Exit this page", "data-exit-this-page", "About 5 minutes", "do not record your IP address")

	// Page 1: the required question missed; what was typed stays.
	status, body, _ = h.page("/consultations/journey/pages/1", url.Values{"where": {"other"}, "where.other": {"The library <b>desk</b>"}})
	expect(t, "page 1 missing answer", status, 422, body, "There is a problem", `href="#looked"`, "Page 1 of", `value="other" checked`,
		`value="The library &lt;b&gt;desk&lt;/b&gt;"`, "Error: About you")
	if strings.Contains(body, "looked is required") || strings.Contains(body, "Key:") {
		t.Fatalf("validation message leaks field names:\n%s", body)
	}

	// Answering "yes" moves on to the page only shown for "yes".
	status, _, loc := h.page("/consultations/journey/pages/1", url.Values{"looked": {"yes"}, "where": {"gp", "other"}, "where.other": {"The library <b>desk</b>"}})
	if status != 303 || loc != "/consultations/journey/pages/2" {
		t.Fatalf("page 1: %d to %q, want 303 to page 2", status, loc)
	}
	// Too long, then a script tag kept as typed.
	status, body, _ = h.page("/consultations/journey/pages/2", url.Values{"happened": {strings.Repeat("x", 201)}})
	expect(t, "page 2 too long", status, 422, body, "200 characters or fewer")
	status, _, loc = h.page("/consultations/journey/pages/2", url.Values{"happened": {"They said <script>alert(1)</script> wait"}})
	if status != 303 || loc != "/consultations/journey/pages/3" {
		t.Fatalf("page 2: %d to %q", status, loc)
	}
	// A number out of range and a bad email, both kept.
	status, body, _ = h.page("/consultations/journey/pages/3", url.Values{"age": {"12"}, "contact": {"not an email"}})
	expect(t, "page 3 errors", status, 422, body, `value="12"`, `value="not an email"`, `href="#age"`, `href="#contact"`)
	status, _, loc = h.page("/consultations/journey/pages/3", url.Values{"age": {"34"}, "contact": {""}})
	if status != 303 || loc != "/consultations/journey/check" {
		t.Fatalf("page 3: %d to %q", status, loc)
	}

	status, body, _ = h.do("GET", "/consultations/journey/check", nil)
	expect(t, "check", status, 200, body, "Check your answers", "My GP, Somewhere else: The library &lt;b&gt;desk&lt;/b&gt;",
		"They said &lt;script&gt;alert(1)&lt;/script&gt; wait", "/consultations/journey/pages/2?change=1#q-happened", "Not answered")
	if strings.Contains(body, "<script>alert") {
		t.Fatal("script tag reached the page unescaped")
	}
	key := idemKeyRe.FindStringSubmatch(body)[1]

	// Change an answer from the check page: back to the check page after.
	status, _, loc = h.page("/consultations/journey/pages/3?change=1", url.Values{"age": {"35"}, "change": {"1"}})
	if status != 303 || loc != "/consultations/journey/check" {
		t.Fatalf("change: %d to %q", status, loc)
	}

	// Submit twice with the same key (a double click): one response.
	status, _, resp := h.do("POST", "/consultations/journey/submit", url.Values{"idempotency_key": {key}})
	first := resp.Header.Get("Location")
	if status != 303 || !strings.HasPrefix(first, "/consultations/journey/confirmation?ref=CS-") {
		t.Fatalf("submit: %d to %q", status, first)
	}
	status, _, resp = h.do("POST", "/consultations/journey/submit", url.Values{"idempotency_key": {key}})
	if status != 303 || resp.Header.Get("Location") != first {
		t.Fatalf("second submit: %d to %q, want the first receipt %q", status, resp.Header.Get("Location"), first)
	}
	if n := countResponses(t, h, sv); n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}
	status, body, _ = h.do("GET", first, nil)
	expect(t, "confirmation", status, 200, body, "we have your answers", strings.TrimPrefix(first, "/consultations/journey/confirmation?ref="), "Samaritans")

	// What was stored: the script tag as typed, no answer for the hidden question.
	r, err := surveys.NewStore(h.db).ByReceipt(context.Background(), sv.ID, strings.TrimPrefix(first, "/consultations/journey/confirmation?ref="))
	if err != nil {
		t.Fatal(err)
	}
	full, err := surveys.NewStore(h.db).Response(context.Background(), sv.ID, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := full.Values()
	if got.Get("happened") != "They said <script>alert(1)</script> wait" || got.Get("age") != "35" || len(got["why_not"]) != 0 || r.Channel != surveys.ChannelOnline {
		t.Fatalf("stored %v (channel %s)", got, r.Channel)
	}

	// The draft is gone: the check page now sends the resident to the start.
	status, _, resp = h.do("GET", "/consultations/journey/check", nil)
	if status != 303 || resp.Header.Get("Location") != "/consultations/journey" {
		t.Fatalf("check after submit: %d to %q", status, resp.Header.Get("Location"))
	}
	// Guessing a reference reveals nothing: a made-up one gets the same
	// page as a real one, and a malformed one is not found.
	_, real, _ := h.do("GET", first, nil)
	_, fake, _ := h.do("GET", "/consultations/journey/confirmation?ref=CS-2222-2222", nil)
	if strings.ReplaceAll(fake, "CS-2222-2222", "REF") != strings.ReplaceAll(real, strings.TrimPrefix(first, "/consultations/journey/confirmation?ref="), "REF") {
		t.Fatal("the confirmation page differs between a real and a made-up reference")
	}
	if status, _, _ = h.do("GET", "/consultations/journey/confirmation?ref=nonsense", nil); status != 404 {
		t.Fatalf("malformed reference: %d", status)
	}
}

func TestSurveyLogicWithoutJavaScript(t *testing.T) {
	h := newHarness(t)
	newJourney(t, h, nil)
	// "No" reveals a question on the same page: the page comes back with it.
	status, _, loc := h.page("/consultations/journey/pages/1", url.Values{"looked": {"no"}})
	if status != 303 || loc != "/consultations/journey/pages/1#q-why_not" {
		t.Fatalf("reveal: %d to %q", status, loc)
	}
	status, body, _ := h.do("GET", "/consultations/journey/pages/1", nil)
	expect(t, "revealed", status, 200, body, "What stopped you?", "We have added a question", `value="no" checked`)
	// Answering it skips page 2, which is only for "yes".
	status, _, loc = h.page("/consultations/journey/pages/1", url.Values{"looked": {"no"}, "why_not": {"Did not know where to go"}})
	if status != 303 || loc != "/consultations/journey/pages/3" {
		t.Fatalf("skip: %d to %q", status, loc)
	}
	status, body, _ = h.do("GET", "/consultations/journey/pages/3", nil)
	expect(t, "page numbering skips hidden pages", status, 200, body, "Page 2 of 2", `href="/consultations/journey/pages/1"`)
	// Asking for the hidden page directly moves on.
	status, _, resp := h.do("GET", "/consultations/journey/pages/2", nil)
	if status != 303 || resp.Header.Get("Location") != "/consultations/journey/pages/3" {
		t.Fatalf("hidden page: %d to %q", status, resp.Header.Get("Location"))
	}
	// Page numbers outside the survey are not found.
	for _, p := range []string{"/consultations/journey/pages/0", "/consultations/journey/pages/4", "/consultations/journey/pages/99999999999999999999"} {
		if status, _, _ := h.do("GET", p, nil); status != 404 {
			t.Fatalf("%s: %d, want 404", p, status)
		}
	}
}

func TestSurveySaveAndReturn(t *testing.T) {
	h := newHarness(t)
	newJourney(t, h, nil)
	// Saving keeps answers as typed, even ones that need correcting.
	status, _, loc := h.page("/consultations/journey/pages/1", url.Values{"where": {"friends"}, "action": {"save"}})
	if status != 303 || loc != "/consultations/journey/saved" {
		t.Fatalf("save: %d to %q", status, loc)
	}
	status, body, _ := h.do("GET", "/consultations/journey/saved", nil)
	expect(t, "saved", status, 200, body, "Your answers are saved", "http://example.test/consultations/journey/resume/")
	link := regexp.MustCompile(`/consultations/journey/resume/[A-Za-z0-9_-]+`).FindString(body)

	// Another browser with only the link.
	other := newHarnessShared(t, h)
	status, _, resp := other.do("GET", link, nil)
	if status != 303 || resp.Header.Get("Location") != "/consultations/journey/pages/1" {
		t.Fatalf("resume: %d to %q", status, resp.Header.Get("Location"))
	}
	status, body, _ = other.do("GET", "/consultations/journey/pages/1", nil)
	expect(t, "restored", status, 200, body, `value="friends" checked`, "Welcome back")

	// A tampered or made-up token is a plain 404 that says nothing more.
	_, nf, _ := other.do("GET", "/consultations/journey/resume/nonsense", nil)
	tampered := link[:len(link)-2] + "xx"
	status, tb, _ := other.do("GET", tampered, nil)
	if status != 404 || tb != nf {
		t.Fatalf("tampered token: %d, and the page differs from an unknown token's: %v", status, tb != nf)
	}
}

func TestSurveyClosedFutureDraftAndHoneypot(t *testing.T) {
	h := newHarness(t)
	past := time.Now().UTC().Add(-time.Hour)
	future := time.Now().UTC().Add(48 * time.Hour)
	sv := newJourney(t, h, func(s *surveys.Survey) { s.ClosesAt = &past; s.OpensAt = ptrTime(past.Add(-time.Hour)) })
	status, body, _ := h.do("GET", "/consultations/journey", nil)
	expect(t, "closed start", status, 200, body, "This consultation has closed", "Samaritans")
	status, body, _ = h.do("GET", "/consultations/journey/pages/1", nil)
	expect(t, "closed page", status, 200, body, "This consultation has closed")
	h.do("GET", "/login", nil)
	status, body, _ = h.do("POST", "/consultations/journey/submit", url.Values{"idempotency_key": {"k"}})
	expect(t, "closed submit", status, 409, body, "This consultation has closed")

	h2 := newHarness(t)
	newJourney(t, h2, func(s *surveys.Survey) { s.OpensAt = &future })
	status, body, _ = h2.do("GET", "/consultations/journey", nil)
	expect(t, "future", status, 200, body, "not open yet")

	h3 := newHarness(t)
	newJourney(t, h3, func(s *surveys.Survey) { s.Status = surveys.Draft })
	if status, _, _ := h3.do("GET", "/consultations/journey", nil); status != 404 {
		t.Fatalf("draft survey seen by a resident: %d", status)
	}
	if status, _, _ := h3.do("GET", "/consultations/journey?preview=1", nil); status != 404 {
		t.Fatalf("preview without signing in: %d", status)
	}
	h3.user("officer@example.org", accounts.Officer)
	h3.login("officer@example.org")
	status, body, _ = h3.do("GET", "/consultations/journey?preview=1", nil)
	expect(t, "preview start", status, 200, body, "Preview", "Start the preview")
	status, body, _ = h3.do("GET", "/consultations/journey/pages/2?preview=1", nil)
	expect(t, "preview page", status, 200, body, "What happened when you asked for help?", "shown only when")

	// A bot filling the hidden field is thanked and nothing is stored.
	h4 := newHarness(t)
	sv4 := newJourney(t, h4, nil)
	h4.page("/consultations/journey/pages/1", url.Values{"looked": {"no"}})
	status, body, _ = h4.do("POST", "/consultations/journey/submit", url.Values{"idempotency_key": {"k"}, "website": {"http://spam.example"}})
	expect(t, "honeypot", status, 200, body, "we have your answers")
	if n := countResponses(t, h4, sv4); n != 0 {
		t.Fatalf("honeypot stored %d responses", n)
	}
	_ = sv
}

func TestSurveyBadFormInput(t *testing.T) {
	h := newHarness(t)
	sv := newJourney(t, h, nil)
	// Invalid UTF-8 is refused before any handler, with nothing stored.
	h.do("GET", "/consultations/journey/pages/1", nil)
	req := httptest.NewRequest("POST", "/consultations/journey/pages/1", strings.NewReader("_csrf="+url.QueryEscape(h.csrf)+"&shown=looked&looked=%ff%fe"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body, _ := h.send(req)
	if status != 400 {
		t.Fatalf("invalid UTF-8: %d\n%.500s", status, body)
	}
	// An option that does not exist, and a question from another page.
	status, body, _ = h.page("/consultations/journey/pages/1", url.Values{"looked": {"maybe"}})
	expect(t, "unknown option", status, 422, body, "There is a problem")
	status, _, loc := h.page("/consultations/journey/pages/1", url.Values{"looked": {"no"}, "happened": {"sneaked in"}})
	if status != 303 {
		t.Fatalf("extra field: %d %q", status, loc)
	}
	// Submitting with no idempotency key goes back to the check page.
	status, _, resp := h.do("POST", "/consultations/journey/submit", url.Values{})
	if status != 303 || resp.Header.Get("Location") != "/consultations/journey/check" {
		t.Fatalf("no key: %d to %q", status, resp.Header.Get("Location"))
	}
	if n := countResponses(t, h, sv); n != 0 {
		t.Fatalf("%d responses stored", n)
	}
	// Without the draft cookie the submit cannot find answers: it says so.
	fresh := newHarnessShared(t, h)
	fresh.do("GET", "/login", nil)
	status, _, resp = fresh.do("POST", "/consultations/journey/submit", url.Values{"idempotency_key": {"abc"}})
	if status != 303 || resp.Header.Get("Location") != "/consultations/journey" {
		t.Fatalf("lost cookie: %d to %q", status, resp.Header.Get("Location"))
	}
}

// newHarnessShared is a second browser on the same app and database.
func newHarnessShared(t *testing.T, h *harness) *harness {
	t.Helper()
	return &harness{t: t, app: h.app, db: h.db, accounts: h.accounts, cookies: map[string]string{}}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestSurveyAPI(t *testing.T) {
	h := newHarness(t)
	sv := newJourney(t, h, nil)
	post := func(body string, headers ...string) (int, map[string]any) {
		t.Helper()
		req := httptest.NewRequest("POST", "/api/v1/surveys/journey/responses", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		status, b, _ := h.send(req)
		var out map[string]any
		if err := json.Unmarshal([]byte(b), &out); err != nil {
			t.Fatalf("not JSON (%d): %s", status, b)
		}
		return status, out
	}
	fields := func(out map[string]any) map[string]any {
		f, _ := out["fields"].(map[string]any)
		return f
	}

	status, body, _ := h.do("GET", "/api/v1/surveys", nil)
	var list []map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list) == 0 {
		t.Fatalf("list: %d %s", status, body)
	}
	found := false
	for _, s := range list {
		if s["slug"] == "journey" {
			found = true
			for _, k := range []string{"title", "status", "opens_at", "closes_at"} {
				if _, ok := s[k]; !ok {
					t.Fatalf("list item lacks %q: %v", k, s)
				}
			}
		}
	}
	if !found {
		t.Fatalf("journey not listed: %s", body)
	}
	status, body, _ = h.do("GET", "/api/v1/surveys/journey", nil)
	var def map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &def) != nil || def["slug"] != "journey" || len(def["pages"].([]any)) != 3 {
		t.Fatalf("definition: %d %s", status, body)
	}

	// Valid, with the hidden page's required question left out.
	status, out := post(`{"answers":{"looked":"no","why_not":"<script>x</script>","where":["gp"],"age":40},"channel":"online"}`)
	if status != 201 || out["receipt"] == nil || out["id"] == nil {
		t.Fatalf("valid: %d %v", status, out)
	}
	// Idempotency: the retry gets the first result.
	status, a := post(`{"answers":{"looked":"yes","happened":"ok"}}`, "Idempotency-Key", "retry-1")
	status2, b := post(`{"answers":{"looked":"yes","happened":"ok"}}`, "Idempotency-Key", "retry-1")
	if status != 201 || status2 != 201 || a["id"] != b["id"] || a["receipt"] != b["receipt"] {
		t.Fatalf("idempotency: %d %v / %d %v", status, a, status2, b)
	}
	if n := countResponses(t, h, sv); n != 2 {
		t.Fatalf("%d responses, want 2", n)
	}

	bad := []struct {
		name, body, field string
	}{
		{"wrong type", `{"answers":{"looked":{"x":1}}}`, "looked"},
		{"unknown key", `{"answers":{"looked":"no","colour":"blue"}}`, "colour"},
		{"unknown option", `{"answers":{"looked":"perhaps"}}`, "looked"},
		{"too long", `{"answers":{"looked":"yes","happened":"` + strings.Repeat("y", 201) + `"}}`, "happened"},
		{"missing required", `{"answers":{"where":["gp"]}}`, "looked"},
		{"number out of range", `{"answers":{"looked":"no","age":7}}`, "age"},
		{"number as text", `{"answers":{"looked":"no","age":"forty"}}`, "age"},
		{"staff-only channel", `{"answers":{"looked":"no"},"channel":"paper"}`, "channel"},
		{"not an object", `[1,2,3]`, "body"},
		{"broken JSON", `{"answers":`, "body"},
		{"unknown top-level field", `{"answers":{"looked":"no"},"extra":1}`, "body"},
		{"no answers", `{}`, "answers"},
	}
	for _, c := range bad {
		status, out := post(c.body)
		if status != 422 || fields(out)[c.field] == nil || out["error"] == nil {
			t.Errorf("%s: %d %v, want 422 with a message for %q", c.name, status, out, c.field)
		}
	}
	if n := countResponses(t, h, sv); n != 2 {
		t.Fatalf("bad input stored something: %d responses", n)
	}
	// Invalid UTF-8 in a JSON body.
	req := httptest.NewRequest("POST", "/api/v1/surveys/journey/responses", strings.NewReader("{\"answers\":{\"looked\":\"\xff\"}}"))
	req.Header.Set("Content-Type", "application/json")
	if status, _, _ := h.send(req); status != 400 {
		t.Errorf("invalid UTF-8: %d, want 400", status)
	}
	// Unknown survey, and a draft one, are 404.
	req = httptest.NewRequest("POST", "/api/v1/surveys/nope/responses", strings.NewReader(`{"answers":{}}`))
	req.Header.Set("Content-Type", "application/json")
	if status, _, _ := h.send(req); status != 404 {
		t.Errorf("unknown survey: %d", status)
	}
	if n := countResponses(t, h, sv); n != 2 {
		t.Fatalf("%d responses", n)
	}

	// Closed: 409.
	hc := newHarness(t)
	past := time.Now().UTC().Add(-time.Minute)
	newJourney(t, hc, func(s *surveys.Survey) { s.ClosesAt = &past; s.OpensAt = ptrTime(past.Add(-time.Hour)) })
	req = httptest.NewRequest("POST", "/api/v1/surveys/journey/responses", strings.NewReader(`{"answers":{"looked":"no"}}`))
	req.Header.Set("Content-Type", "application/json")
	status, body, _ = hc.send(req)
	if status != 409 || !strings.Contains(body, "closed") {
		t.Errorf("closed: %d %s", status, body)
	}
	// A draft survey's definition is not public.
	hd := newHarness(t)
	newJourney(t, hd, func(s *surveys.Survey) { s.Status = surveys.Draft })
	if status, _, _ := hd.do("GET", "/api/v1/surveys/journey", nil); status != 404 {
		t.Errorf("draft definition: %d", status)
	}
}
