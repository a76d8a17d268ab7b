package app_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/surveys"
	"codesign/themes"
)

// themeHarness is the app with a few coded passages in one question of
// the demo consultation.
type themeHarness struct {
	*harness
	st      *themes.Store
	scope   string
	queue   string
	survey  *surveys.Survey
	passage map[string]themes.Passage
}

// Texts whose coding these tests rely on.
const (
	themeWait  = "I waited six months on the waiting list. The library cafe was lovely."
	themeTag   = "<script>alert(1)</script> The waiting list was too long & nobody called back."
	themeRisk  = "Some days I think everyone would be better off without me."
	themeFlat  = "My landlord will not fix the damp in my flat."
	themeThank = "Thank you."
)

func newThemeHarness(t *testing.T) *themeHarness {
	t.Helper()
	h := &themeHarness{harness: newHarness(t), st: nil, passage: map[string]themes.Passage{}}
	h.st = themes.NewStore(h.db)
	// The closed demo survey: the demo codes only the open one for its results.
	sv, err := surveys.NewStore(h.db).BySlug(context.Background(), "crisis-support-at-night")
	if err != nil {
		t.Fatal(err)
	}
	h.survey = sv
	key := ""
	for _, q := range sv.Questions() {
		if q.Type.FreeText() && !q.Personal {
			key = q.Key
			break
		}
	}
	h.scope = fmt.Sprintf("survey:%d:%s", sv.ID, key)
	h.queue = "/staff/themes/queue?" + url.Values{"scope": {h.scope}}.Encode()
	var units []themes.Unit
	for i, text := range []string{themeWait, themeTag, themeRisk + " " + themeFlat, themeThank} {
		units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: "t" + strconv.Itoa(i), Scope: h.scope, Text: text})
	}
	if _, err := h.st.Add(context.Background(), testCoder(t), units, nil); err != nil {
		t.Fatal(err)
	}
	ps, _, err := h.st.Passages(context.Background(), themes.Filter{Scope: h.scope})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		switch {
		case strings.Contains(p.Text, "six months"):
			h.passage["wait"] = p
		case strings.Contains(p.Text, "library"):
			h.passage["library"] = p
		case strings.Contains(p.Text, "script"):
			h.passage["tag"] = p
		case strings.Contains(p.Text, "landlord"):
			h.passage["flat"] = p
		case p.Text == themeThank:
			h.passage["thanks"] = p
		}
	}
	if len(h.passage) != 5 || len(ps) != 5 {
		t.Fatalf("seeded %d passages: %+v", len(ps), ps)
	}
	return h
}

func (h *themeHarness) id(name string) string {
	return strconv.FormatUint(uint64(h.passage[name].ID), 10)
}

// decide posts a decision from the queue and returns the status and where
// it went.
func (h *themeHarness) decide(name, code, decision string, extra ...string) (int, string, string) {
	h.t.Helper()
	form := url.Values{"code": {code}, "decision": {decision}, "return": {h.queue}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	status, body, resp := h.do("POST", "/staff/themes/passages/"+h.id(name)+"/decisions", form)
	return status, body, resp.Header.Get("Location")
}

func (h *themeHarness) decisions() int64 {
	var n int64
	// Only this harness's scope: the demo's published results confirm codes
	// of their own in the open survey.
	h.db.Table("theme_decisions").Where("undone_at IS NULL AND passage_id IN (SELECT id FROM theme_passages WHERE scope = ?)", h.scope).Count(&n)
	return n
}

func TestThemePagesNeedTheRightRole(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "resident is sent to sign in", method: "GET", url: "/staff/themes", wantStatus: 303},
		{name: "facilitator sees the scopes", as: accounts.Facilitator, method: "GET", url: "/staff/themes", wantStatus: 200,
			want: []string{"Thematic coding", "Shaping early help", "Code every answer now", "Double coding"}, notWant: []string{"passages.csv"}},
		{name: "officer may download", as: accounts.Officer, method: "GET", url: "/staff/themes", wantStatus: 200, want: []string{"/staff/themes/passages.csv"}},
		{name: "codebook", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook", wantStatus: 200,
			want: []string{"Barriers to getting support", "Waiting times", `fill="#`, "codebook.yaml"}},
		{name: "codebook yaml", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook.yaml", wantStatus: 200, want: []string{"key: quality_of_life"}},
		{name: "codebook qdc", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook.qdc", wantStatus: 200,
			want: []string{`<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="codesign">`, `name="Waiting times"`}, notWant: []string{"<Sets"}},
		{name: "topics", as: accounts.Facilitator, method: "GET", url: "/staff/themes/topics", wantStatus: 200, want: []string{"Emerging topics"}},
		{name: "double coding list", as: accounts.Facilitator, method: "GET", url: "/staff/themes/double", wantStatus: 200,
			want: []string{"You have not been given a sample"}, notWant: []string{"Assign a sample</a>"}},
		{name: "facilitator cannot assign", as: accounts.Facilitator, method: "GET", url: "/staff/themes/double/new", wantStatus: 403},
		{name: "facilitator cannot post an assignment", as: accounts.Facilitator, method: "POST", url: "/staff/themes/double",
			form: url.Values{"scope": {"workshop:1"}}, wantStatus: 403},
		{name: "officer sees the form", as: accounts.Officer, method: "GET", url: "/staff/themes/double/new", wantStatus: 200, want: []string{"Assign a sample", "First facilitator"}},
		{name: "facilitator cannot download", as: accounts.Facilitator, method: "GET", url: "/staff/themes/passages.csv", wantStatus: 403},
		{name: "officer downloads", as: accounts.Officer, method: "GET", url: "/staff/themes/passages.csv", wantStatus: 200, want: []string{"passage_id,source"}},
		{name: "mangled scope", as: accounts.Facilitator, method: "GET", url: "/staff/themes/queue?scope=nonsense", wantStatus: 404},
		{name: "unknown survey", as: accounts.Facilitator, method: "GET", url: "/staff/themes/queue?scope=survey:99999:q", wantStatus: 404},
		{name: "unknown workshop", as: accounts.Facilitator, method: "GET", url: "/staff/themes/queue?scope=workshop:99999", wantStatus: 404},
		{name: "unknown batch", as: accounts.Facilitator, method: "GET", url: "/staff/themes/batches/99999", wantStatus: 404},
		{name: "unknown assignment", as: accounts.Facilitator, method: "GET", url: "/staff/themes/double/99999", wantStatus: 404},
		{name: "unknown passage", as: accounts.Facilitator, method: "POST", url: "/staff/themes/passages/99999/decisions",
			form: url.Values{"code": {"housing"}, "decision": {"accept"}}, wantStatus: 404},
		{name: "api needs a token", method: "GET", url: "/api/v1/themes/codebook", wantStatus: 401},
	})
}

var markRe = regexp.MustCompile(`<mark>([^<]*)</mark>`)

func TestThemeQueueShowsEvidenceSafely(t *testing.T) {
	h := newThemeHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	status, body, _ := h.do("GET", h.queue, nil)
	if status != 200 {
		t.Fatalf("queue: %d\n%s", status, body)
	}
	for _, want := range []string{"<mark>waiting list</mark> was <mark>too long</mark> &amp; nobody", "alert(1)&lt;/script&gt;",
		"I <mark>waited</mark> six <mark>months</mark> on the <mark>waiting list</mark>.", "Waiting times", "Barriers to getting support &middot; 95%",
		"matched “waiting list, too long”", `data-key="a"`, "Add a code", `name="return" value="/staff/themes/queue?scope=`} {
		if !strings.Contains(body, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "</script> The") {
		t.Error("a script tag from a passage reached the page")
	}
	if strings.Contains(body, "better off without me") {
		t.Error("a risk sentence is in the ordinary review queue")
	}
	for _, m := range markRe.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(themeWait+themeTag+themeFlat+"library", m[1]) {
			t.Errorf("marked %q, which is not a matched word", m[1])
		}
	}
	// "Thank you." has no suggestion: it waits for nothing, so only "any
	// status" and "no code" show it.
	if strings.Contains(body, "Thank you.") {
		t.Error("a passage with nothing to decide is in the waiting queue")
	}
	if _, body, _ = h.do("GET", h.queue+"&status=uncoded", nil); !strings.Contains(body, "Thank you.") || strings.Contains(body, `id="p-`+h.id("wait")+`"`) {
		t.Error("the uncoded filter is wrong")
	}
}

func TestThemeDecisionsAcceptRejectAddUndo(t *testing.T) {
	h := newThemeHarness(t)
	u := h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	status, _, loc := h.decide("wait", "waiting_times", "accept")
	if status != 303 || loc != h.queue+"#p-"+h.id("wait") {
		t.Fatalf("accept: %d to %q", status, loc)
	}
	_, body, _ := h.do("GET", h.queue+"&status=accepted", nil)
	if !strings.Contains(body, "Accepted “Waiting times”.") || !strings.Contains(body, "Accepted</strong> <span class=\"cs-body-s cs-muted\">by fac,") {
		t.Errorf("the decision and who made it are not shown:\n%s", body)
	}
	// The same form sent twice is stored once.
	if status, _, _ = h.decide("wait", "waiting_times", "accept"); status != 303 || h.decisions() != 1 {
		t.Errorf("double submit: %d, %d decisions", status, h.decisions())
	}
	h.decide("flat", "housing", "reject")
	h.decide("thanks", "stigma", "add")
	p, _ := h.st.Passage(context.Background(), h.passage["thanks"].ID, 0, 0)
	if len(p.Codings) != 1 || p.Codings[0].Decision != themes.Added || p.Codings[0].UserID != u.ID || p.Codings[0].DecidedAt.IsZero() {
		t.Fatalf("added code stored as %+v", p.Codings)
	}
	// Undo takes back the add, and pressing it again takes back nothing more.
	_, body, _ = h.do("GET", h.queue, nil)
	last := regexp.MustCompile(`name="decision" value="(\d+)"`).FindStringSubmatch(body)
	if last == nil || !strings.Contains(body, "Your last decision: added “Stigma and shame” on “Thank you.”") {
		t.Fatalf("no undo offered:\n%s", body)
	}
	undo := url.Values{"scope": {h.scope}, "decision": {last[1]}, "return": {h.queue}}
	if status, _, _ = h.do("POST", "/staff/themes/undo", undo); status != 303 || h.decisions() != 2 {
		t.Fatalf("undo: %d, %d decisions stand", status, h.decisions())
	}
	h.do("POST", "/staff/themes/undo", undo)
	if h.decisions() != 2 {
		t.Error("a second press of undo undid another decision")
	}
	// Filters by status and code.
	if _, body, _ = h.do("GET", h.queue+"&status=rejected", nil); !strings.Contains(body, `id="p-`+h.id("flat")+`"`) || strings.Contains(body, `id="p-`+h.id("wait")+`"`) {
		t.Error("rejected filter")
	}
	if _, body, _ = h.do("GET", h.queue+"&status=all&code=housing", nil); !strings.Contains(body, `id="p-`+h.id("flat")+`"`) || strings.Contains(body, `id="p-`+h.id("library")+`"`) {
		t.Error("code filter")
	}
	if _, body, _ = h.do("GET", h.queue+"&status=all&theme=barriers&min=90", nil); !strings.Contains(body, `id="p-`+h.id("wait")+`"`) || strings.Contains(body, `id="p-`+h.id("flat")+`"`) {
		t.Error("theme and confidence filter")
	}
}

func TestThemeDecisionsRefuseBadInput(t *testing.T) {
	h := newThemeHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	status, body, _ := h.decide("wait", "no_such_code", "add")
	if status != 422 || !strings.Contains(body, "Choose a code from the codebook") || !strings.Contains(body, `href="#add-`+h.id("wait")+`"`) {
		t.Errorf("unknown code: %d\n%.2000s", status, body)
	}
	if status, body, _ = h.decide("wait", "", "add"); status != 422 || !strings.Contains(body, "Choose a code to add") || !strings.Contains(body, `id="p-`+h.id("wait")+`"`) {
		t.Errorf("no code chosen: %d", status)
	}
	if status, _, _ = h.decide("wait", "housing", "perhaps"); status != 422 {
		t.Errorf("unknown decision: %d", status)
	}
	if status, _, _ = h.decide("wait", "housing\xff", "add"); status != 400 {
		t.Errorf("invalid UTF-8: %d", status)
	}
	if status, _, loc := h.decide("wait", "housing", "accept", "return", "https://evil.example/"); status != 303 || loc != "/staff/themes" {
		t.Errorf("a return address off the site was followed: %d %q", status, loc)
	}
	for _, q := range []string{"&min=abc", "&min=101", "&theme=housing", "&code=nope", "&status=maybe"} {
		if status, _, _ := h.do("GET", h.queue+q, nil); status != 422 {
			t.Errorf("%s: %d", q, status)
		}
	}
	if status, _, _ := h.do("GET", h.queue+"&page=x", nil); status != 404 {
		t.Errorf("mangled page: %d", status)
	}
	if h.decisions() != 1 {
		t.Errorf("%d decisions stored, want only the one with a bad return address", h.decisions())
	}
}

func TestThemeBulkAccept(t *testing.T) {
	h := newThemeHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	form := url.Values{"scope": {h.scope}, "min": {"90"}, "return": {h.queue}}
	status, _, _ := h.do("POST", "/staff/themes/bulk-accept", form)
	if status != 303 || h.decisions() != 2 {
		t.Fatalf("bulk at 90%%: %d, %d decisions", status, h.decisions())
	}
	_, body, _ := h.do("GET", h.queue, nil)
	if !strings.Contains(body, "Accepted 2 suggestions at 90% confidence or more") || !strings.Contains(body, "you accepted 2 suggestions at once") {
		t.Errorf("bulk accept not reported:\n%s", body)
	}
	form.Set("min", "lots")
	if status, body, _ = h.do("POST", "/staff/themes/bulk-accept", form); status != 422 || !strings.Contains(body, `href="#bulk-min"`) {
		t.Errorf("bad confidence: %d", status)
	}
	form.Set("min", "0")
	form.Set("code", "housing")
	h.do("POST", "/staff/themes/bulk-accept", form)
	if h.decisions() != 3 {
		t.Errorf("bulk accept limited to housing: %d decisions", h.decisions())
	}
}

func TestThemeDoubleCoding(t *testing.T) {
	h := newThemeHarness(t)
	a := h.user("a@example.org", accounts.Facilitator)
	b := h.user("b@example.org", accounts.Facilitator)
	h.user("c@example.org", accounts.Facilitator)
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	form := url.Values{"scope": {h.scope}, "coder_a": {fmt.Sprint(a.ID)}, "coder_b": {fmt.Sprint(a.ID)}, "size": {"x"}, "blind": {"yes"}}
	status, body, _ := h.do("POST", "/staff/themes/double", form)
	if status != 422 || !strings.Contains(body, "Choose two different facilitators") || !strings.Contains(body, "Enter a sample size") {
		t.Fatalf("bad assignment: %d\n%s", status, body)
	}
	form.Set("coder_b", fmt.Sprint(b.ID))
	form.Set("size", "10")
	status, _, resp := h.do("POST", "/staff/themes/double", form)
	report := resp.Header.Get("Location")
	if status != 303 || !strings.HasSuffix(report, "/report") {
		t.Fatalf("assign: %d %q", status, report)
	}
	queue := strings.TrimSuffix(report, "/report")
	code := func(who, passage, code, decision string) {
		t.Helper()
		h.login(who)
		status, _, _ := h.do("POST", "/staff/themes/passages/"+h.id(passage)+"/decisions", url.Values{"code": {code}, "decision": {decision},
			"assignment": {strings.TrimPrefix(queue, "/staff/themes/double/")}, "return": {queue}})
		if status != 303 {
			t.Fatalf("%s %s %s: %d", who, decision, code, status)
		}
	}
	h.login("a@example.org")
	if status, body, _ = h.do("GET", queue, nil); status != 200 || !strings.Contains(body, "No code applies") || strings.Contains(body, "<mark>") {
		t.Fatalf("A's blind queue: %d", status)
	}
	code("a@example.org", "wait", "waiting_times", "add")
	code("a@example.org", "flat", "housing", "add")
	code("b@example.org", "wait", "waiting_times", "add")
	code("b@example.org", "flat", "", "none")
	// Double coding does not touch the review queue.
	if p, _ := h.st.Passage(context.Background(), h.passage["wait"].ID, 0, 0); len(p.Codings) != 0 {
		t.Error("double coding reached the review queue")
	}
	h.login("c@example.org")
	if status, _, _ = h.do("GET", queue, nil); status != 403 {
		t.Errorf("a third facilitator opened the sample: %d", status)
	}
	if status, _, _ = h.do("GET", report, nil); status != 403 {
		t.Errorf("a third facilitator read the report: %d", status)
	}
	status, _, _ = h.do("POST", "/staff/themes/passages/"+h.id("wait")+"/decisions", url.Values{"code": {"stigma"}, "decision": {"add"},
		"assignment": {strings.TrimPrefix(queue, "/staff/themes/double/")}, "return": {queue}})
	if status != 403 {
		t.Errorf("a third facilitator coded the sample: %d", status)
	}
	h.login("officer@example.org")
	status, body, _ = h.do("GET", report, nil)
	if status != 200 {
		t.Fatalf("report: %d", status)
	}
	// Over two passages: waiting_times agreed (both, neither); housing
	// applied by A only on one. Pooled: both 1, A only 1, neither 2.
	for _, want := range []string{"2 by both", "All codes: 75% agreement, kappa 0.50", "Housing", "a only", "Suggestions and a"} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q\n%s", want, body)
		}
	}
	h.login("b@example.org")
	if status, _, _ = h.do("GET", report, nil); status != 200 {
		t.Errorf("a coder cannot read the report: %d", status)
	}
}

func TestThemeCSVExportIsAuditedAndSafe(t *testing.T) {
	h := newThemeHarness(t)
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	// A passage whose words start like a formula.
	if _, err := h.st.Add(context.Background(), testCoder(t), []themes.Unit{{Kind: themes.SurveyAnswer, SourceID: "f", Scope: h.scope,
		Text: "=HYPERLINK(\"http://x\") the waiting list is long"}}, nil); err != nil {
		t.Fatal(err)
	}
	ps, _, _ := h.st.Passages(context.Background(), themes.Filter{Scope: h.scope, Codes: []string{"waiting_times"}})
	for _, p := range ps {
		h.do("POST", "/staff/themes/passages/"+strconv.FormatUint(uint64(p.ID), 10)+"/decisions", url.Values{"code": {"waiting_times"}, "decision": {"accept"}})
	}
	status, body, resp := h.do("GET", "/staff/themes/passages.csv?"+url.Values{"scope": {h.scope}}.Encode(), nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %v", status, resp.Header)
	}
	if !strings.Contains(body, `"'=HYPERLINK(""http://x"") the waiting list is long."`) && !strings.Contains(body, `"'=HYPERLINK(""http://x"") the waiting list is long"`) {
		t.Errorf("formula not neutralised:\n%s", body)
	}
	if n := strings.Count(body, ",waiting_times,Waiting times,barriers,accepted,officer,"); n != 3 {
		t.Errorf("%d accepted rows, want 3:\n%s", n, body)
	}
	var audited int64
	h.db.Table("audit_events").Where("action = ?", "themes.exported").Count(&audited)
	if audited != 1 {
		t.Errorf("%d audit entries", audited)
	}
}
