package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/messages"
	"codesign/safeguarding"
	"codesign/surveys"
)

// listeningDefinition is a small open consultation for the staff pages
// that read responses: a required choice, a question shown only for "no",
// multiple choice with an "other" box, free text and contact details.
const listeningDefinition = `{
  "slug": "listening", "title": "Listening to residents", "status": "open",
  "opens_at": null, "closes_at": null,
  "pages": [
    {"title": "About you", "show_if": null, "questions": [
      {"key": "looked", "type": "radio", "label": "Have you looked for support?", "hint": "", "required": true, "show_if": null,
       "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]},
      {"key": "why_not", "type": "textarea", "label": "What stopped you?", "hint": "", "required": false, "options": null, "max_length": 200,
       "show_if": {"match": "all", "conditions": [{"question": "looked", "op": "equals", "value": "no"}]}},
      {"key": "where", "type": "checkbox", "label": "Where would you go first?", "hint": "", "required": false, "show_if": null,
       "options": [{"value": "gp", "label": "My GP"}, {"value": "friends", "label": "Friends and family"}, {"value": "other", "label": "Somewhere else", "other": true}]}
    ]},
    {"title": "In your words", "show_if": null, "questions": [
      {"key": "story", "type": "textarea", "label": "What would help?", "hint": "", "required": false, "options": null, "max_length": 500, "show_if": null},
      {"key": "contact", "type": "email", "label": "Email address", "hint": "Only if you want to hear what happened next.", "required": false, "options": null, "personal": true, "show_if": null}
    ]}
  ]
}`

// respFixture is a harness with the listening survey and a store of its
// own, whose clock the tests set to date each response.
type respFixture struct {
	*harness
	store *surveys.Store
	sv    *surveys.Survey
	base  string
}

func newResponsesFixture(t *testing.T) *respFixture {
	t.Helper()
	h := newHarness(t)
	sv, err := surveys.ParseDefinition(strings.NewReader(listeningDefinition))
	if err != nil {
		t.Fatal(err)
	}
	store := surveys.NewStore(h.db)
	if err := store.Import(context.Background(), nil, sv); err != nil {
		t.Fatal(err)
	}
	return &respFixture{harness: h, store: store, sv: sv, base: fmt.Sprintf("/staff/surveys/%d", sv.ID)}
}

// submit stores a response sent at the given time.
func (f *respFixture) submit(at string, ch surveys.Channel, a surveys.Answers) *surveys.Response {
	f.t.Helper()
	when, err := time.Parse(time.RFC3339, at)
	if err != nil {
		f.t.Fatal(err)
	}
	f.store.SetClock(func() time.Time { return when })
	r, _, err := f.store.Submit(context.Background(), f.sv, surveys.Submission{Answers: a, Channel: ch})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// seedFour stores the four responses the summary numbers are worked out
// from by hand. The third was sent at 00:30 on 2 April in London (British
// Summer Time), which is still 1 April in UTC.
func (f *respFixture) seedFour() []*surveys.Response {
	return []*surveys.Response{
		f.submit("2026-03-01T10:00:00Z", surveys.ChannelOnline, surveys.Answers{"looked": {"yes"}, "where": {"gp", "friends"},
			"story": {`=HYPERLINK("http://evil.example","Click")`}, "contact": {"ada@example.org"}}),
		f.submit("2026-03-15T23:30:00Z", surveys.ChannelPaper, surveys.Answers{"looked": {"no"}, "why_not": {"<script>alert(1)</script>"}, "where": {"gp"}}),
		f.submit("2026-04-01T23:30:00Z", surveys.ChannelPhone, surveys.Answers{"looked": {"no"}}),
		f.submit("2026-04-10T12:00:00Z", surveys.ChannelOnline, surveys.Answers{"looked": {"yes"}, "where": {"other"}, "where.other": {"The library"},
			"story": {"Someone to talk to"}}),
	}
}

// count is how many responses the survey has.
func (f *respFixture) count() int64 {
	f.t.Helper()
	n, err := f.store.CountResponses(context.Background(), f.sv.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// staff signs in a new member of staff with role.
func (f *respFixture) staff(email string, role accounts.Role) *accounts.User {
	f.t.Helper()
	u := f.user(email, role)
	f.login(email)
	return u
}

// squash collapses runs of white space, so assertions can name markup
// without depending on the template's line breaks.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func wantBody(t *testing.T, what string, status, want int, body string, contains ...string) {
	t.Helper()
	if status != want {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, status, want, body)
	}
	flat := squash(body)
	for _, c := range contains {
		if !strings.Contains(flat, c) {
			t.Fatalf("%s: body lacks %q\n%.4000s", what, c, flat)
		}
	}
}

func TestResponsePagesNeedStaffAndExportsNeedAnOfficer(t *testing.T) {
	f := newResponsesFixture(t)
	f.seedFour()
	for _, path := range []string{"/responses", "/summary", "/responses.csv", "/responses/new"} {
		if status, _, resp := f.do("GET", f.base+path, nil); status != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Fatalf("%s without signing in: %d", path, status)
		}
	}
	f.staff("fac@example.org", accounts.Facilitator)
	status, body, _ := f.do("GET", f.base+"/responses", nil)
	wantBody(t, "facilitator list", status, 200, body, "4 responses", "An officer or administrator can download")
	if strings.Contains(body, "responses.csv") {
		t.Fatal("a facilitator is offered a download")
	}
	for _, path := range []string{"/responses.csv", "/responses.json"} {
		if status, _, _ := f.do("GET", f.base+path, nil); status != 403 {
			t.Fatalf("facilitator download %s: %d, want 403", path, status)
		}
	}
	for _, path := range []string{"/staff/surveys/999999/responses", "/staff/surveys/999999/summary", f.base + "/responses/999999",
		f.base + "/answers/nope", f.base + "/answers/contact", f.base + "/responses?page=0"} {
		if status, _, _ := f.do("GET", path, nil); status != 404 {
			t.Fatalf("%s: %d, want 404", path, status)
		}
	}
}

func TestResponseListFiltersInLondonTime(t *testing.T) {
	f := newResponsesFixture(t)
	rs := f.seedFour()
	f.staff("officer@example.org", accounts.Officer)

	status, body, _ := f.do("GET", f.base+"/responses", nil)
	wantBody(t, "all", status, 200, body, "4 responses", "Showing 1 to 4 of 4", "Paper form", "Phone call", "Partly answered",
		"2 April 2026 at 12:30am", // 23:30 UTC on 1 April is half past midnight in London
		"responses.csv", `href="`+f.base+`/responses/`+fmt.Sprint(rs[0].ID)+`"`)
	if strings.Index(body, rs[3].Receipt) > strings.Index(body, rs[0].Receipt) {
		t.Fatal("the list is not newest first")
	}

	cases := []struct {
		query string
		want  []*surveys.Response
	}{
		{"channel=paper", rs[1:2]},
		{"completion=complete", []*surveys.Response{rs[0], rs[3]}}, // contact details are optional by design
		{"channel=workshop", nil},
		{"to=2026-04-01", rs[:2]},   // the London day of 1 April ends before the third
		{"from=2026-04-02", rs[2:]}, // ... and 2 April starts before it
		{"from=1/3/2026&to=1/3/2026", rs[:1]},
		{"from=2026-03-01&to=2026-04-30&channel=online", []*surveys.Response{rs[0], rs[3]}},
	}
	for _, tc := range cases {
		status, body, _ := f.do("GET", f.base+"/responses?"+tc.query, nil)
		if status != 200 {
			t.Fatalf("%s: status %d", tc.query, status)
		}
		for _, r := range rs {
			listed := strings.Contains(body, r.Receipt)
			wanted := false
			for _, w := range tc.want {
				wanted = wanted || w.ID == r.ID
			}
			if listed != wanted {
				t.Fatalf("%s: response %d listed %v, want %v", tc.query, r.ID, listed, wanted)
			}
		}
		if len(tc.want) == 0 && !strings.Contains(body, "No responses match these filters") {
			t.Fatalf("%s: no helpful empty state", tc.query)
		}
	}
	// The download links carry the filters.
	_, body, _ = f.do("GET", f.base+"/responses?channel=paper", nil)
	if !strings.Contains(body, "responses.csv?channel=paper") {
		t.Fatal("the CSV link does not keep the filter")
	}

	bad := []struct{ query, message string }{
		{"from=2026-02-30", "Enter the first day as a real date"},
		{"to=yesterday", "Enter the last day as a real date"},
		{"from=2026-05-02&to=2026-05-01", "The last day must be the same as or after the first day"},
		{"channel=pigeon", "Select how responses were given from the list"},
		{"completion=mostly", "Select complete or partly answered"},
	}
	for _, b := range bad {
		status, body, _ := f.do("GET", f.base+"/responses?"+b.query, nil)
		wantBody(t, b.query, status, 422, body, "There is a problem", b.message)
		if strings.Contains(body, rs[0].Receipt) {
			t.Fatalf("%s: responses listed under a filter that could not be read", b.query)
		}
		status, body, _ = f.do("GET", f.base+"/responses.csv?"+b.query, nil)
		wantBody(t, b.query+" download", status, 422, body, "There is a problem", b.message)
	}
}

func TestResponseListPagesAndEmptyState(t *testing.T) {
	f := newResponsesFixture(t)
	f.staff("fac@example.org", accounts.Facilitator)
	status, body, _ := f.do("GET", f.base+"/responses", nil)
	wantBody(t, "empty", status, 200, body, "Nobody has responded yet", "enter their response", "/consultations/listening")

	var first *surveys.Response
	for i := range 51 {
		r := f.submit(time.Date(2026, 3, 1, 9, i, 0, 0, time.UTC).Format(time.RFC3339), surveys.ChannelOnline, surveys.Answers{"looked": {"yes"}})
		if i == 0 {
			first = r
		}
	}
	status, body, _ = f.do("GET", f.base+"/responses", nil)
	wantBody(t, "page 1", status, 200, body, "51 responses", "Showing 1 to 50 of 51", `href="`+f.base+`/responses?page=2"`)
	if strings.Contains(body, first.Receipt) {
		t.Fatal("the oldest response is on the first page")
	}
	status, body, _ = f.do("GET", f.base+"/responses?page=2", nil)
	wantBody(t, "page 2", status, 200, body, "Showing 51 to 51 of 51", first.Receipt, "Previous")
	status, body, _ = f.do("GET", f.base+"/responses?page=9", nil)
	wantBody(t, "past the end", status, 200, body, "There are no responses on this page")
}

func TestOneResponseShowsLabelsAndMarksContactDetails(t *testing.T) {
	f := newResponsesFixture(t)
	rs := f.seedFour()
	f.staff("fac@example.org", accounts.Facilitator)

	status, body, _ := f.do("GET", fmt.Sprintf("%s/responses/%d", f.base, rs[0].ID), nil)
	wantBody(t, "first", status, 200, body, "Response "+rs[0].Receipt, "1 March 2026 at 10:00am", "Online",
		"<dt>Where would you go first?</dt> <dd class=\"cs-pre-wrap\">My GP, Friends and family</dd>",
		"Email address <strong class=\"cs-tag cs-tag--yellow\">Contact details</strong>", "ada@example.org")
	if strings.Contains(body, "What stopped you?") {
		t.Fatal("a question the resident was not shown is listed")
	}
	status, body, _ = f.do("GET", fmt.Sprintf("%s/responses/%d", f.base, rs[1].ID), nil)
	wantBody(t, "second", status, 200, body, "Paper form", "&lt;script&gt;alert(1)&lt;/script&gt;", "What stopped you?", "Not answered")
	if strings.Contains(body, "<script>alert") {
		t.Fatal("typed words are not escaped")
	}
	status, body, _ = f.do("GET", fmt.Sprintf("%s/responses/%d", f.base, rs[3].ID), nil)
	wantBody(t, "other", status, 200, body, "Somewhere else: The library")

	// A response is only found under its own survey.
	other, err := surveys.NewStore(f.db).List(context.Background(), surveys.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range other {
		if sv.ID != f.sv.ID {
			if status, _, _ := f.do("GET", fmt.Sprintf("/staff/surveys/%d/responses/%d", sv.ID, rs[0].ID), nil); status != 404 {
				t.Fatalf("response %d read under survey %d: %d", rs[0].ID, sv.ID, status)
			}
			break
		}
	}
}

func TestSummaryCountsAndCharts(t *testing.T) {
	f := newResponsesFixture(t)
	f.staff("fac@example.org", accounts.Facilitator)
	status, body, _ := f.do("GET", f.base+"/summary", nil)
	wantBody(t, "empty", status, 200, body, "Nobody has responded yet")

	f.seedFour()
	status, body, _ = f.do("GET", f.base+"/summary", nil)
	// By hand: all four answered "looked", two each way; three answered
	// "where" (GP twice, friends once, somewhere else once, so percentages
	// of three); two told their story; one gave an email address.
	wantBody(t, "summary", status, 200, body, "4 responses in all",
		"4 of 4 answered",
		`<th scope="row">Yes</th> <td class="cs-num">2</td> <td class="cs-num">50%</td>`,
		`<th scope="row">No</th> <td class="cs-num">2</td> <td class="cs-num">50%</td>`,
		"3 of 4 answered.", "add up to more than 100",
		`<th scope="row">My GP</th> <td class="cs-num">2</td> <td class="cs-num">66.7%</td>`,
		`<th scope="row">Friends and family</th> <td class="cs-num">1</td> <td class="cs-num">33.3%</td>`,
		`<rect class="cs-bar" x="0" y="0" width="66.7" height="10"/>`, `aria-hidden="true"`,
		"2 of 4 answered", "Latest 2 answers", "Someone to talk to", "=HYPERLINK(&#34;http://evil.example&#34;,&#34;Click&#34;)",
		`href="`+f.base+`/answers/story"`, `href="`+f.base+`/answers/where.other"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "These are contact details, so they are not listed here")
	if strings.Contains(body, "ada@example.org") || strings.Contains(body, "<script>alert") {
		t.Fatal("the summary shows contact details or unescaped text")
	}

	status, body, _ = f.do("GET", f.base+"/answers/story", nil)
	wantBody(t, "all answers", status, 200, body, "What would help?", "Answers 1 to 2", "Someone to talk to")
	status, body, _ = f.do("GET", f.base+"/answers/where.other", nil)
	wantBody(t, "other words", status, 200, body, `Where would you go first? (words given for &#34;other&#34;)`, "The library")
}

var bomRe = regexp.MustCompile("^\ufeff")

func TestCSVAndJSONExports(t *testing.T) {
	f := newResponsesFixture(t)
	rs := f.seedFour()
	u := f.staff("officer@example.org", accounts.Officer)

	status, body, resp := f.do("GET", f.base+"/responses.csv", nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", status, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="listening-responses-\d{4}-\d{2}-\d{2}\.csv"$`).MatchString(cd) {
		t.Fatalf("Content-Disposition %q", cd)
	}
	if !bomRe.MatchString(body) {
		t.Fatal("the CSV for spreadsheets has no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(bomRe.ReplaceAllString(body, ""))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "response_id receipt channel submitted_at completion looked why_not where:gp where:friends where:other where.other story contact"
	if got := strings.Join(rows[0], " "); got != wantHeader {
		t.Fatalf("header %q\nwant %q", got, wantHeader)
	}
	if len(rows) != 1+len(rs) {
		t.Fatalf("%d rows, want one per response plus the header", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	first := rows[1]
	if first[col["receipt"]] != rs[0].Receipt || first[col["where:gp"]] != "1" || first[col["where:friends"]] != "1" || first[col["where:other"]] != "0" {
		t.Fatalf("first row %q", first)
	}
	if got := first[col["story"]]; got != `'=HYPERLINK("http://evil.example","Click")` {
		t.Fatalf("formula not neutralised: %q", got)
	}
	if got := rows[4][col["where.other"]]; got != "The library" {
		t.Fatalf("other words %q", got)
	}

	// The same filters as the list.
	_, body, _ = f.do("GET", f.base+"/responses.csv?channel=paper", nil)
	if n := strings.Count(strings.TrimSpace(body), "\n"); n != 1 || !strings.Contains(body, rs[1].Receipt) {
		t.Fatalf("filtered CSV has %d rows:\n%s", n, body)
	}

	status, body, resp = f.do("GET", f.base+"/responses.json?from=2026-04-02", nil)
	var out []surveys.ExportedResponse
	if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil {
		t.Fatalf("json: %d %v\n%s", status, err, body)
	}
	if len(out) != 2 || out[0].Receipt != rs[2].Receipt || !strings.HasSuffix(resp.Header.Get("Content-Disposition"), `.json"`) {
		t.Fatalf("json export %+v", out)
	}

	// Every download is in the audit log, naming the survey, not a resident.
	events, err := audit.NewStore(f.db).Recent(context.Background(), 20)
	if err != nil {
		t.Fatal(err)
	}
	var exports []audit.Event
	for _, e := range events {
		if e.Action == "responses.exported" {
			exports = append(exports, e)
		}
	}
	if len(exports) != 3 || *exports[0].ActorUserID != u.ID || exports[0].Target != fmt.Sprintf("survey:%d", f.sv.ID) ||
		!strings.Contains(exports[0].Detail, "json") || strings.Contains(fmt.Sprint(exports), "ada@") {
		t.Fatalf("audit %+v", exports)
	}
}

func TestResponsesAPI(t *testing.T) {
	f := newResponsesFixture(t)
	rs := f.seedFour()
	f.user("officer@example.org", accounts.Officer)
	f.user("fac@example.org", accounts.Facilitator)
	token, err := f.accounts.CreateToken(context.Background(), "officer@example.org", "export test")
	if err != nil {
		t.Fatal(err)
	}
	facToken, err := f.accounts.CreateToken(context.Background(), "fac@example.org", "export test")
	if err != nil {
		t.Fatal(err)
	}
	bearer := []string{"Authorization", "Bearer " + token}

	status, body, resp := f.do("GET", "/api/v1/surveys/listening/responses", nil, bearer...)
	var out []surveys.ExportedResponse
	if err := json.Unmarshal([]byte(body), &out); status != 200 || err != nil || len(out) != 4 {
		t.Fatalf("json: %d %v %d\n%s", status, err, len(out), body)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || out[3].Answers["where.other"] != "The library" {
		t.Fatalf("json %s %+v", resp.Header.Get("Content-Type"), out[3])
	}
	status, body, resp = f.do("GET", "/api/v1/surveys/listening/responses.csv?channel=phone", nil, bearer...)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "response_id,") ||
		strings.Count(body, "\n") != 2 || !strings.Contains(body, rs[2].Receipt) {
		t.Fatalf("csv: %d %s\n%s", status, resp.Header.Get("Content-Type"), body)
	}

	for _, tc := range []struct {
		name, path string
		headers    []string
		status     int
		want       string
	}{
		{"no token", "/api/v1/surveys/listening/responses", nil, 401, `"error":`},
		{"no token csv", "/api/v1/surveys/listening/responses.csv", nil, 401, `"error":`},
		{"facilitator", "/api/v1/surveys/listening/responses", []string{"Authorization", "Bearer " + facToken}, 403, `"error":`},
		{"unknown survey", "/api/v1/surveys/nope/responses", bearer, 404, `"error":`},
		{"unknown survey csv", "/api/v1/surveys/nope/responses.csv", bearer, 404, `"error":`},
		{"bad filter", "/api/v1/surveys/listening/responses?from=soon", bearer, 422, `"from":"Enter the first day as a real date`},
	} {
		status, body, _ := f.do("GET", tc.path, nil, tc.headers...)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Fatalf("%s: %d %s", tc.name, status, body)
		}
	}
}

var (
	entryKeyRe   = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
	entryShownRe = regexp.MustCompile(`name="shown" value="([^"]*)"`)
)

// entryForm fetches the entry form and returns its hidden fields.
func (f *respFixture) entryForm() url.Values {
	f.t.Helper()
	status, body, _ := f.do("GET", f.base+"/responses/new", nil)
	key, shown := entryKeyRe.FindStringSubmatch(body), entryShownRe.FindStringSubmatch(body)
	if status != 200 || key == nil || shown == nil {
		f.t.Fatalf("entry form: %d\n%.1500s", status, body)
	}
	return url.Values{"idempotency_key": {key[1]}, "shown": {shown[1]}}
}

func TestEnterResponseOnBehalfStoresOneResponse(t *testing.T) {
	f := newResponsesFixture(t)
	u := f.staff("fac@example.org", accounts.Facilitator)

	form := f.entryForm()
	if form.Get("shown") != "looked where story contact" {
		t.Fatalf("shown %q", form.Get("shown"))
	}
	// No channel, and the required question missed: both reported at once.
	form.Set("story", "Kept <b>as typed</b>")
	status, body, _ := f.do("POST", f.base+"/responses/new", form)
	wantBody(t, "missing", status, 422, body, "There is a problem", `href="#channel"`, "Select how this response was given", `href="#looked"`,
		"Kept &lt;b&gt;as typed&lt;/b&gt;")
	form.Set("channel", "online")
	if status, _, _ = f.do("POST", f.base+"/responses/new", form); status != 422 {
		t.Fatalf("staff entered an online response: %d", status)
	}

	// Answering "no" shows a further question: the form comes back with
	// it and nothing is stored.
	form.Set("channel", "phone")
	form.Set("looked", "no")
	status, body, _ = f.do("POST", f.base+"/responses/new", form)
	wantBody(t, "reveal", status, 200, body, "the questions below have changed", "What stopped you?", `name="shown" value="looked why_not where story contact"`)
	if n := f.count(); n != 0 {
		t.Fatalf("%d responses stored before the form was complete", n)
	}

	form.Set("shown", entryShownRe.FindStringSubmatch(body)[1])
	form.Set("why_not", "Did not know where to go")
	for i := range 2 { // a double submit
		status, _, resp := f.do("POST", f.base+"/responses/new", form)
		if status != 303 || !strings.HasPrefix(resp.Header.Get("Location"), f.base+"/responses/") {
			t.Fatalf("submit %d: %d %s", i, status, resp.Header.Get("Location"))
		}
	}
	list, total, err := f.store.Responses(context.Background(), f.sv.ID, surveys.ResponseQuery{})
	if err != nil || total != 1 {
		t.Fatalf("%d responses stored, want 1 (%v)", total, err)
	}
	r, err := f.store.Response(context.Background(), f.sv.ID, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Channel != surveys.ChannelPhone || r.EnteredBy == nil || *r.EnteredBy != u.ID || r.Values().Get("why_not") != "Did not know where to go" {
		t.Fatalf("stored %+v %v", r, r.Values())
	}
	status, body, _ = f.do("GET", fmt.Sprintf("%s/responses/%d", f.base, r.ID), nil)
	wantBody(t, "entered", status, 200, body, "saved (phone call)", "Phone call, entered by fac")

	// A fresh form is a new response.
	form = f.entryForm()
	form.Set("channel", "paper")
	form.Set("looked", "yes")
	if status, _, _ := f.do("POST", f.base+"/responses/new", form); status != 303 || f.count() != 2 {
		t.Fatalf("second entry: %d", status)
	}
}

func TestEnterResponseNeedsAnOpenOrClosedSurvey(t *testing.T) {
	f := newResponsesFixture(t)
	draft := f.sv.Duplicate("listening-draft")
	if err := f.store.Create(context.Background(), nil, draft); err != nil {
		t.Fatal(err)
	}
	f.staff("fac@example.org", accounts.Facilitator)
	status, body, _ := f.do("GET", fmt.Sprintf("/staff/surveys/%d/responses/new", draft.ID), nil)
	wantBody(t, "draft", status, 200, body, "still a draft")
	if strings.Contains(body, `name="channel"`) {
		t.Fatal("a draft offers the entry form")
	}
}

// Words flagged for safeguarding never leave codesign in a download: the
// CSV and JSON exports show a placeholder in their place.
func TestExportsWithholdFlaggedText(t *testing.T) {
	f := newResponsesFixture(t)
	risky := "Some nights I want to end my life and nobody knows"
	f.submit("2026-03-01T10:00:00Z", surveys.ChannelOnline, surveys.Answers{"looked": {"yes"}, "story": {risky}})
	f.submit("2026-03-02T10:00:00Z", surveys.ChannelOnline, surveys.Answers{"looked": {"yes"}, "story": {"A drop-in with tea"}})
	answers, err := f.store.FreeText(context.Background(), f.sv.ID, "story", 10)
	if err != nil {
		t.Fatal(err)
	}
	batch := safeguarding.Batch{Cursor: "test_answers", To: 1}
	for _, u := range answers {
		batch.Texts = append(batch.Texts, safeguarding.Text{Kind: safeguarding.SurveyAnswer, Ref: fmt.Sprintf("answer:%d", u.ID),
			SurveyID: u.SurveyID, ResponseID: u.ResponseID, AnswerID: u.ID, QuestionKey: u.QuestionKey, Text: u.Value})
	}
	sg := safeguarding.NewStore(f.db, messages.NewStore(f.db))
	if n, err := sg.Screen(context.Background(), testCoder(t), safeguarding.Notice{BaseURL: "http://example.test"}, batch); err != nil || n != 1 {
		t.Fatalf("screened %d items: %v", n, err)
	}
	f.staff("officer@example.org", accounts.Officer)
	for _, format := range []string{"csv", "json"} {
		status, body, _ := f.do("GET", f.base+"/responses."+format, nil)
		if status != 200 || strings.Contains(body, "end my life") || !strings.Contains(body, surveys.WithheldText) || !strings.Contains(body, "A drop-in with tea") {
			t.Fatalf("%s export (%d) does not withhold the flagged words:\n%s", format, status, body)
		}
	}
}

// Staff see the privacy notice a response was given under, as it read then.
func TestResponseShowsThePrivacyNoticeShown(t *testing.T) {
	h := newHarness(t)
	store := surveys.NewStore(h.db)
	sv, err := store.BySlug(context.Background(), "early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := store.Submit(context.Background(), sv, surveys.Submission{Answers: surveys.Answers{"looked_for_support": {"no"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	status, body, _ := h.do("GET", fmt.Sprintf("/staff/surveys/%d/responses/%d", sv.ID, r.ID), nil)
	if status != 200 || !strings.Contains(body, "The notice shown when these answers were sent") || !strings.Contains(body, "data controller") {
		t.Fatalf("response page (%d) does not show the notice", status)
	}
}
