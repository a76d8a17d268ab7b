package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/surveys"
)

// builderDefinition is a small consultation for the staff builder: a
// choice question, a question shown for one of its answers, and a number
// on a second page.
const builderDefinition = `{
  "slug": "builder-test", "title": "Builder test", "status": "draft",
  "opens_at": null, "closes_at": null,
  "pages": [
    {"title": "First page", "show_if": null, "questions": [
      {"key": "looked", "type": "radio", "label": "Have you looked for support?", "hint": "", "required": true, "show_if": null,
       "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]},
      {"key": "why_not", "type": "textarea", "label": "What stopped you?", "hint": "", "required": false, "options": null,
       "show_if": {"match": "all", "conditions": [{"question": "looked", "op": "equals", "value": "no"}]}}
    ]},
    {"title": "Second page", "show_if": null, "questions": [
      {"key": "age", "type": "number", "label": "How old are you?", "hint": "", "required": false, "options": null, "min": 16, "max": 120, "show_if": null}
    ]}
  ]
}`

// builderSurvey stores builderDefinition with status.
func builderSurvey(t *testing.T, h *harness, status surveys.Status) *surveys.Survey {
	t.Helper()
	sv, err := surveys.ParseDefinition(strings.NewReader(builderDefinition))
	if err != nil {
		t.Fatal(err)
	}
	sv.Status = status
	if err := surveys.NewStore(h.db).Import(context.Background(), nil, sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

// stored reads a survey fresh from the database.
func stored(t *testing.T, h *harness, id uint) *surveys.Survey {
	t.Helper()
	sv, err := surveys.NewStore(h.db).Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func builderPath(sv *surveys.Survey, rest string) string {
	return "/staff/surveys/" + strconv.FormatUint(uint64(sv.ID), 10) + rest
}

// keysOf lists a survey's question keys, page by page.
func keysOf(sv *surveys.Survey) string {
	var pages []string
	for _, p := range sv.Pages {
		var keys []string
		for _, q := range p.Questions {
			keys = append(keys, q.Key)
		}
		pages = append(pages, strings.Join(keys, ","))
	}
	return strings.Join(pages, " / ")
}

func signedIn(t *testing.T, role accounts.Role) *harness {
	t.Helper()
	h := newHarness(t)
	h.user("builder@example.org", role)
	h.login("builder@example.org")
	return h
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q\n%.1500s", what, w, body)
		}
	}
}

func TestBuilderNeedsTheRightRole(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "resident is sent to sign in", method: "GET", url: "/staff/surveys", wantStatus: 303},
		{name: "facilitator sees the list", as: accounts.Facilitator, method: "GET", url: "/staff/surveys", wantStatus: 200, want: []string{"Consultations"}, notWant: []string{"Create a consultation"}},
		{name: "facilitator cannot open the form", as: accounts.Facilitator, method: "GET", url: "/staff/surveys/new", wantStatus: 403},
		{name: "facilitator cannot create", as: accounts.Facilitator, method: "POST", url: "/staff/surveys", form: url.Values{"title": {"Sneaky"}}, wantStatus: 403},
		{name: "facilitator cannot import", as: accounts.Facilitator, method: "GET", url: "/staff/surveys/import", wantStatus: 403},
		{name: "officer sees the create button", as: accounts.Officer, method: "GET", url: "/staff/surveys", wantStatus: 200, want: []string{"Create a consultation"}},
		{name: "officer sees the form", as: accounts.Officer, method: "GET", url: "/staff/surveys/new", wantStatus: 200, want: []string{"Web address name", "Who is asking and why", "Privacy notice", "Opening date"}},
		{name: "admin sees the import form", as: accounts.Admin, method: "GET", url: "/staff/surveys/import", wantStatus: 200, want: []string{"Upload a definition file", "Or paste the definition", `enctype="multipart/form-data"`}},
		{name: "unknown survey", as: accounts.Facilitator, method: "GET", url: "/staff/surveys/999999", wantStatus: 404},
		{name: "unknown question", as: accounts.Officer, method: "GET", url: "/staff/surveys/999999/questions/nope/edit", wantStatus: 404},
	})
}

func TestBuilderListEmptyAndFull(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	// The demo may add a consultation; this test is about the empty list.
	for _, table := range []string{"response_answers", "survey_responses", "response_drafts", "surveys"} {
		if err := h.db.Exec("DELETE FROM " + table).Error; err != nil {
			t.Fatal(err)
		}
	}
	_, body, _ := h.do("GET", "/staff/surveys", nil)
	wantIn(t, "empty list", body, "There are no consultations yet", "import a definition file")
	sv := builderSurvey(t, h, surveys.Open)
	if _, _, err := surveys.NewStore(h.db).Submit(context.Background(), sv, surveys.Submission{Answers: surveys.Answers{"looked": {"yes"}}}); err != nil {
		t.Fatal(err)
	}
	_, body, _ = h.do("GET", "/staff/surveys", nil)
	wantIn(t, "list", body, "Builder test", `href="`+builderPath(sv, "")+`"`, "cs-tag--green", ">Open<", `<td class="cs-num">1</td>`, "When it is closed")
}

func TestBuilderEveryPageRenders(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Draft)
	for path, wants := range map[string][]string{
		"":                         {"Builder test", "Page 1: First page", "Have you looked for support?", "Shown only if “Have you looked for support?” is “No”", "Add a page", "Add the equality monitoring section", "Open for responses", "/consultations/builder-test?preview=1", "Move down"},
		"/edit":                    {"Change the details", `value="Builder test"`, `value="builder-test"`},
		"/import":                  {"Replace from a definition", "Its status stays as it is"},
		"/pages/new":               {"Add a page", "Show this page only if", "How old are you? (age)"},
		"/pages/2/edit":            {"Change page 2", `value="Second page"`, "Have you looked for support? (looked)"},
		"/pages/1/edit":            {"Change page 1", "There are no questions before this page"},
		"/pages/1/remove":          {"Remove page 1?", "and its 2 questions", "Yes, remove it"},
		"/pages/2/questions/new":   {"Add a question to page 2", "Type of answer", "Single choice", "How old are you? (age)"},
		"/questions/looked/edit":   {"Change a question", "yes | Yes\nno | No", "There are no questions before this question"},
		"/questions/why_not/edit":  {`<option value="looked" selected>`, `<option value="equals" selected>`, `name="c1_value" type="text" value="no"`},
		"/questions/looked/remove": {"Remove this question?", "Conditions on the question “What stopped you?” look at this"},
		"/questions/age/remove":    {"Remove this question?", "Yes, remove it"},
	} {
		status, body, _ := h.do("GET", builderPath(sv, path), nil)
		if status != 200 {
			t.Errorf("GET %s: %d\n%.600s", path, status, body)
			continue
		}
		wantIn(t, "GET "+path, body, wants...)
	}
	status, body, resp := h.do("GET", builderPath(sv, "/definition.json"), nil)
	if status != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="builder-test.json"` || !strings.Contains(body, `"key": "why_not"`) {
		t.Fatalf("export: %d %q\n%.300s", status, resp.Header.Get("Content-Disposition"), body)
	}
}

func TestBuilderCreateProblemsKeepWhatWasTyped(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	status, body, _ := h.do("POST", "/staff/surveys", url.Values{"title": {""}, "slug": {"Bad Slug!"}, "minutes": {"ten"},
		"opens_date": {"tomorrow"}, "closes_time": {"17:00"}, "summary": {`<script>alert(1)</script>`}})
	if status != 422 {
		t.Fatalf("status %d", status)
	}
	wantIn(t, "create with problems", body, "There is a problem", "Enter a title", "lower-case letters a to z", "Enter how many minutes it takes as a whole number",
		"Enter the opening date like 2026-05-12", "Enter the closing date as well as the time", `href="#minutes"`, `value="Bad Slug!"`, `value="ten"`,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "<title>Error: ")
	if strings.Contains(body, "<script>alert(1)") {
		t.Fatal("the summary is not escaped")
	}
	if status, body, _ = h.do("POST", "/staff/surveys", url.Values{"title": {"Closes first"}, "opens_date": {"2030-05-02"}, "closes_date": {"2030-05-01"}}); status != 422 {
		t.Fatalf("closing before opening: %d", status)
	}
	wantIn(t, "closing before opening", body, "The closing date must be after the opening date", `href="#closes_date"`, `value="closes-first"`)
	if status, _, _ := h.do("POST", "/staff/surveys", url.Values{"title": {"\xff\xfe"}}); status != 400 {
		t.Fatalf("invalid UTF-8: %d", status)
	}
}

func TestBuilderCreateKeepsWordsAsTypedAndLondonTimes(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	title := `<script>alert("x")</script> Early help`
	status, _, resp := h.do("POST", "/staff/surveys", url.Values{"title": {title}, "summary": {"Tell us what helps."}, "minutes": {"10"},
		"opens_date": {"2030-07-01"}, "opens_time": {"09:00"}, "closes_date": {"2030-12-01"}})
	if status != 303 {
		t.Fatalf("create: %d", status)
	}
	id, _ := strconv.Atoi(strings.TrimPrefix(resp.Header.Get("Location"), "/staff/surveys/"))
	sv := stored(t, h, uint(id))
	// 9am in British Summer Time is 08:00 UTC; a closing date with no time
	// closes at 11:59pm, which in December is the same in UTC.
	if sv.Title != title || sv.Slug != "script-alert-x-script-early-help" || sv.Status != surveys.Draft ||
		sv.OpensAt.Format("15:04") != "08:00" || sv.ClosesAt.Format("2006-01-02 15:04") != "2030-12-01 23:59" {
		t.Fatalf("stored %+v", sv)
	}
	_, body, _ := h.do("GET", builderPath(sv, ""), nil)
	wantIn(t, "survey page", body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Early help", "1 July 2030 at 9:00am", "Consultation created as a draft")
	if strings.Contains(body, `<script>alert("x")`) {
		t.Fatal("title not escaped")
	}
	_, body, _ = h.do("GET", builderPath(sv, "/edit"), nil)
	wantIn(t, "edit form", body, `value="09:00"`, `value="2030-07-01"`, `value="23:59"`)

	// Another consultation cannot take the same web address.
	status, body, _ = h.do("POST", "/staff/surveys", url.Values{"title": {"Second"}, "slug": {sv.Slug}})
	if status != 422 {
		t.Fatalf("duplicate slug: %d", status)
	}
	wantIn(t, "duplicate slug", body, "Another survey already uses this web address name", `value="Second"`)

	// Changing the details keeps the pages.
	other := builderSurvey(t, h, surveys.Draft)
	status, _, _ = h.do("POST", builderPath(other, ""), url.Values{"title": {"Renamed"}, "slug": {"renamed"}})
	if got := stored(t, h, other.ID); status != 303 || got.Title != "Renamed" || got.Slug != "renamed" || keysOf(got) != "looked,why_not / age" || got.OpensAt != nil {
		t.Fatalf("update: %d %+v", status, got)
	}
	if status, body, _ = h.do("POST", builderPath(other, ""), url.Values{"title": {"Renamed"}, "slug": {sv.Slug}}); status != 422 {
		t.Fatalf("update to a taken slug: %d", status)
	}
	wantIn(t, "update to a taken slug", body, "Another survey already uses this web address name")
}

func TestBuilderQuestions(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Draft)
	h.do("GET", builderPath(sv, "/pages/2/questions/new"), nil)

	// A multiple-choice question: options with and without values, an
	// "other" option, and a condition on an earlier question.
	status, body, _ := h.do("POST", builderPath(sv, "/pages/2/questions"), url.Values{"label": {"Where would you go first?"}, "key": {"where"},
		"type": {"checkbox"}, "options": {"gp | My GP\nFriends and family\nlibrary | Library | group: Places"}, "other": {"yes"},
		"c1_question": {"looked"}, "c1_op": {"equals"}, "c1_value": {"yes"}, "match": {"all"}})
	if status != 303 {
		t.Fatalf("add question: %d\n%.2000s", status, body)
	}
	got := stored(t, h, sv.ID)
	q, _ := got.Question("where")
	if keysOf(got) != "looked,why_not / age,where" || q == nil || len(q.Options) != 4 || q.Options[1].Value != "friends_and_family" ||
		q.Options[2].Group != "Places" || !q.Options[3].Other || q.ShowIf == nil || q.ShowIf.Conditions[0].Value != "yes" {
		t.Fatalf("stored %s %+v", keysOf(got), q)
	}
	_, body, _ = h.do("GET", builderPath(sv, "/questions/where/edit"), nil)
	wantIn(t, "edit form", body, "gp | My GP\nfriends_and_family | Friends and family\nlibrary | Library | group: Places</textarea>", `name="other" value="yes" checked`)

	// A key made from the words when none is given, with problems shown
	// beside their fields and everything typed kept.
	status, body, _ = h.do("POST", builderPath(sv, "/pages/1/questions"), url.Values{"label": {"Anything else?"}, "type": {"number"},
		"min": {"zero"}, "max_length": {"lots"}, "hint": {"<b>bold</b>"}, "personal": {"yes"}, "c1_question": {"age"}, "c1_op": {"equals"}, "c1_value": {"30"}})
	if status != 422 {
		t.Fatalf("question with problems: %d", status)
	}
	wantIn(t, "question with problems", body, "Enter the smallest number allowed as a number", "Enter the character limit as a whole number",
		`href="#c1_question"`, "is not an earlier question", `value="Anything else?"`, `value="anything_else"`, "&lt;b&gt;bold&lt;/b&gt;", `value="zero"`)
	if keysOf(stored(t, h, sv.ID)) != "looked,why_not / age,where" {
		t.Fatal("a question with problems was saved")
	}

	// Renaming an option a later condition looks at is refused, and the
	// condition is shown as the problem, though it is not on this form.
	status, body, _ = h.do("POST", builderPath(sv, "/questions/looked"), url.Values{"label": {"Have you looked?"}, "type": {"radio"}, "options": {"yes | Yes\nnope | No"}})
	if status != 422 {
		t.Fatalf("rename an option a condition uses: %d", status)
	}
	wantIn(t, "option a condition uses", body, `href="#elsewhere-1"`, `id="elsewhere-1"`, "Page 1, question 2, condition 1: &#34;no&#34; is not one of the options of &#34;looked&#34;", "nope | No")

	// Change the wording and make it required; an empty key keeps the key.
	status, _, _ = h.do("POST", builderPath(sv, "/questions/where"), url.Values{"key": {""}, "label": {"Where first?"}, "type": {"checkbox"}, "options": {"gp | My GP\nlibrary | Library"}})
	if q, _ := stored(t, h, sv.ID).Question("where"); status != 303 || q == nil || q.Label != "Where first?" || len(q.Options) != 2 {
		t.Fatalf("edit with an empty key: %d %+v", status, q)
	}
	status, _, _ = h.do("POST", builderPath(sv, "/questions/age"), url.Values{"key": {"age"}, "label": {"What is your age?"}, "type": {"number"}, "required": {"yes"}, "min": {"16"}})
	if q, _ := stored(t, h, sv.ID).Question("age"); status != 303 || q.Label != "What is your age?" || !q.Required || *q.Min != 16 || q.Max != nil {
		t.Fatalf("edit: %d %+v", status, q)
	}

	// Reorder: up within a page, then up across to the page before.
	for _, step := range []struct{ key, dir, want string }{
		{"where", "up", "looked,why_not / where,age"},
		{"where", "up", "looked,why_not,where / age"},
		{"age", "up", "looked,why_not,where,age / "},
		{"age", "down", "looked,why_not,where / age"},
	} {
		if status, body, _ := h.do("POST", builderPath(sv, "/questions/"+step.key+"/move"), url.Values{"direction": {step.dir}}); status != 303 {
			t.Fatalf("move %s %s: %d\n%.1000s", step.key, step.dir, status, body)
		}
		if got := keysOf(stored(t, h, sv.ID)); got != step.want {
			t.Fatalf("after moving %s %s: %s, want %s", step.key, step.dir, got, step.want)
		}
	}

	// Remove, after the confirmation page.
	_, body, _ = h.do("GET", builderPath(sv, "/questions/where/remove"), nil)
	wantIn(t, "confirm", body, "Yes, remove it", "No, keep it")
	if status, _, _ := h.do("POST", builderPath(sv, "/questions/where/remove"), url.Values{}); status != 303 {
		t.Fatalf("remove: %d", status)
	}
	got = stored(t, h, sv.ID)
	if keysOf(got) != "looked,why_not / age" || len(got.RetiredKeys) != 1 {
		t.Fatalf("after removing: %s retired %v", keysOf(got), got.RetiredKeys)
	}
	// A removed key is never given to a new question.
	status, body, _ = h.do("POST", builderPath(sv, "/pages/2/questions"), url.Values{"label": {"Where?"}, "key": {"where"}, "type": {"text"}})
	if status != 422 {
		t.Fatalf("reusing a removed key: %d", status)
	}
	wantIn(t, "reused key", body, "belonged to a removed question", `href="#key"`)
}

func TestBuilderRefusesLogicOnLaterQuestions(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Draft)
	h.do("GET", builderPath(sv, ""), nil)
	// The form offers only earlier questions; a crafted request is still refused.
	status, body, _ := h.do("POST", builderPath(sv, "/questions/looked"), url.Values{"key": {"looked"}, "label": {"Have you looked?"}, "type": {"radio"},
		"options": {"yes | Yes\nno | No"}, "c2_question": {"age"}, "c2_op": {"equals"}, "c2_value": {"30"}})
	if status != 422 {
		t.Fatalf("condition on a later question: %d", status)
	}
	wantIn(t, "later question", body, `href="#c2_question"`, "&#34;age&#34; is not an earlier question; a condition can only look at questions before it", `value="Have you looked?"`)
	// Moving a question above the one its condition looks at is refused too.
	status, body, _ = h.do("POST", builderPath(sv, "/questions/why_not/move"), url.Values{"direction": {"up"}})
	if status != 422 {
		t.Fatalf("move above its condition: %d", status)
	}
	wantIn(t, "move refused", body, `href="#question-why_not"`, "is not an earlier question", `id="question-why_not"`)
	// So is moving page 2 first when... it has no conditions: that is allowed.
	if status, _, _ := h.do("POST", builderPath(sv, "/pages/2/move"), url.Values{"direction": {"up"}}); status != 303 {
		t.Fatalf("move page: %d", status)
	}
	if got := keysOf(stored(t, h, sv.ID)); got != "age / looked,why_not" {
		t.Fatalf("after moving page 2 up: %s", got)
	}
	if got := stored(t, h, sv.ID); got.Pages[0].Title != "Second page" {
		t.Fatalf("pages %+v", got.Pages)
	}
	// Removing a question another condition looks at is explained first.
	_, body, _ = h.do("GET", builderPath(sv, "/questions/looked/remove"), nil)
	if strings.Contains(body, "Yes, remove it") {
		t.Fatal("offered to remove a question a condition looks at")
	}
}

func TestBuilderPages(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Draft)
	h.do("GET", builderPath(sv, "/pages/new"), nil)
	status, body, _ := h.do("POST", builderPath(sv, "/pages"), url.Values{"title": {""}, "intro": {"Kept"}, "c1_value": {"yes"}})
	if status != 422 {
		t.Fatalf("empty page: %d", status)
	}
	wantIn(t, "empty page", body, "Page 3: enter a title", `href="#title"`, "Condition 1: choose the question it looks at", ">Kept</textarea>")
	status, _, _ = h.do("POST", builderPath(sv, "/pages"), url.Values{"title": {"Only for some"}, "match": {"any"},
		"c1_question": {"looked"}, "c1_op": {"equals"}, "c1_value": {"no"}, "c2_question": {"age"}, "c2_op": {"not_equals"}, "c2_value": {"18"}})
	got := stored(t, h, sv.ID)
	if status != 303 || len(got.Pages) != 3 || got.Pages[2].ShowIf == nil || got.Pages[2].ShowIf.Match != "any" || len(got.Pages[2].ShowIf.Conditions) != 2 {
		t.Fatalf("add page: %d %+v", status, got.Pages)
	}
	_, body, _ = h.do("GET", builderPath(sv, ""), nil)
	wantIn(t, "survey page", body, "Page 3: Only for some", "Shown only if “Have you looked for support?” is “No” or “How old are you?” is not “18”")
	// Clearing the conditions shows the page to everyone.
	if status, _, _ = h.do("POST", builderPath(sv, "/pages/3"), url.Values{"title": {"For everyone"}, "match": {"all"}}); status != 303 {
		t.Fatalf("edit page: %d", status)
	}
	if got = stored(t, h, sv.ID); got.Pages[2].Title != "For everyone" || got.Pages[2].ShowIf != nil {
		t.Fatalf("edited page %+v", got.Pages[2])
	}
	if status, _, _ = h.do("POST", builderPath(sv, "/pages/3/remove"), url.Values{}); status != 303 || len(stored(t, h, sv.ID).Pages) != 2 {
		t.Fatalf("remove page: %d", status)
	}
	if status, _, _ = h.do("GET", builderPath(sv, "/pages/3/edit"), nil); status != 404 {
		t.Fatalf("removed page: %d", status)
	}

	// The equality monitoring section, with the programme's localities.
	if status, _, _ = h.do("POST", builderPath(sv, "/equality"), url.Values{}); status != 303 {
		t.Fatalf("equality: %d", status)
	}
	got = stored(t, h, sv.ID)
	loc, _ := got.Question("locality")
	if len(got.Pages) != 3 || got.Pages[2].Title != "About you" || loc == nil || len(loc.Options) < 4 {
		t.Fatalf("equality page %+v", got.Pages)
	}
	_, body, _ = h.do("GET", builderPath(sv, ""), nil)
	if strings.Contains(body, "Add the equality monitoring section") {
		t.Fatal("offers the equality section twice")
	}
	status, body, _ = h.do("POST", builderPath(sv, "/equality"), url.Values{})
	if status != 422 {
		t.Fatalf("second equality section: %d", status)
	}
	wantIn(t, "second equality section", body, "is already used by another question")
}

func TestBuilderRefusesToOrphanAnswers(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Open)
	if _, _, err := surveys.NewStore(h.db).Submit(context.Background(), sv, surveys.Submission{Answers: surveys.Answers{"looked": {"no"}, "why_not": {"Time"}}}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := h.do("GET", builderPath(sv, "/questions/age/remove"), nil)
	wantIn(t, "confirm", body, "already has 1 response, so questions cannot be removed")
	if strings.Contains(body, "Yes, remove it") {
		t.Fatal("offered to remove a question with answers")
	}
	status, body, _ := h.do("POST", builderPath(sv, "/questions/age/remove"), url.Values{})
	if status != 409 {
		t.Fatalf("remove answered question: %d", status)
	}
	wantIn(t, "remove refused", body, `The question &#34;age&#34; already has answers, so it cannot be removed`, `href="#question-age"`)

	_, body, _ = h.do("GET", builderPath(sv, "/questions/looked/edit"), nil)
	wantIn(t, "edit answered", body, "so it cannot change", "<code>looked</code>")
	if strings.Contains(body, `name="key"`) {
		t.Fatal("the key of an answered question can be edited")
	}
	status, body, _ = h.do("POST", builderPath(sv, "/questions/looked"), url.Values{"key": {"renamed"}, "label": {"Have you looked?"}, "type": {"radio"}, "options": {"yep | Yes\nno | No"}})
	if status != 409 {
		t.Fatalf("rename an option: %d", status)
	}
	wantIn(t, "option refused", body, `href="#options"`, "may already have been chosen, so it cannot be removed or renamed", "yep | Yes")
	status, body, _ = h.do("POST", builderPath(sv, "/questions/looked"), url.Values{"label": {"Have you looked?"}, "type": {"checkbox"}, "options": {"yes | Yes\nno | No"}})
	if status != 409 {
		t.Fatalf("change type: %d", status)
	}
	wantIn(t, "type refused", body, `href="#type"`, "its type cannot change")
	// Wording may change; the key stays whatever is sent.
	status, _, _ = h.do("POST", builderPath(sv, "/questions/looked"), url.Values{"key": {"renamed"}, "label": {"Have you looked?"}, "type": {"radio"}, "options": {"yes | Yes, I have\nno | No"}})
	if q, _ := stored(t, h, sv.ID).Question("looked"); status != 303 || q == nil || q.Label != "Have you looked?" || q.Options[0].Label != "Yes, I have" {
		t.Fatalf("reword: %d %+v", status, q)
	}
	status, body, _ = h.do("POST", builderPath(sv, ""), url.Values{"title": {"Builder test"}, "slug": {"new-address"}})
	if status != 409 {
		t.Fatalf("new slug with responses: %d", status)
	}
	wantIn(t, "slug refused", body, "its web address cannot change", `href="#slug"`)
}

func TestBuilderStatus(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Draft)
	h.do("GET", builderPath(sv, ""), nil)
	for _, step := range []struct {
		to   surveys.Status
		want int
	}{{surveys.Closed, 409}, {surveys.Open, 303}, {surveys.Draft, 409}, {surveys.Closed, 303}, {surveys.Open, 303}, {surveys.Closed, 303},
		{surveys.Archived, 303}, {surveys.Draft, 303}, {"published", 409}} {
		status, body, _ := h.do("POST", builderPath(sv, "/status"), url.Values{"status": {string(step.to)}})
		if status != step.want {
			t.Fatalf("to %s: %d, want %d\n%.800s", step.to, status, step.want, body)
		}
		if status == 409 && !strings.Contains(body, `href="#status"`) {
			t.Fatalf("refusal not linked to the status:\n%.1500s", body)
		}
	}
	if got := stored(t, h, sv.ID); got.Status != surveys.Draft {
		t.Fatalf("status %s", got.Status)
	}
	_, body, _ := h.do("GET", builderPath(sv, ""), nil)
	wantIn(t, "draft page", body, "Open for responses", "Archive it")
}

func TestBuilderFacilitatorCannotChangeAnything(t *testing.T) {
	h := signedIn(t, accounts.Facilitator)
	sv := builderSurvey(t, h, surveys.Draft)
	_, body, _ := h.do("GET", builderPath(sv, ""), nil)
	wantIn(t, "facilitator view", body, "Page 1: First page", "Export the definition")
	for _, w := range []string{"Add a page", "Open for responses", "Move up", "Change the details"} {
		if strings.Contains(body, w) {
			t.Errorf("facilitator is offered %q", w)
		}
	}
	for _, path := range []string{"", "/status", "/duplicate", "/import", "/equality", "/pages", "/pages/1", "/pages/1/move", "/pages/1/remove",
		"/pages/1/questions", "/questions/age", "/questions/age/move", "/questions/age/remove"} {
		if status, _, _ := h.do("POST", builderPath(sv, path), url.Values{"status": {"open"}, "title": {"x"}}); status != 403 {
			t.Errorf("POST %s: %d", path, status)
		}
	}
	for _, path := range []string{"/edit", "/import", "/pages/new", "/pages/1/edit", "/pages/1/remove", "/pages/1/questions/new", "/questions/age/edit", "/questions/age/remove"} {
		if status, _, _ := h.do("GET", builderPath(sv, path), nil); status != 403 {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	if got := stored(t, h, sv.ID); got.Status != surveys.Draft || keysOf(got) != "looked,why_not / age" {
		t.Fatalf("changed: %s %s", got.Status, keysOf(got))
	}
}

// uploadDefinition posts the import form with a file, as a browser does.
func uploadDefinition(t *testing.T, h *harness, path string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", h.csrf)
	mw.WriteField("definition", "")
	fw, _ := mw.CreateFormFile("file", "definition.json")
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, _ := h.send(req)
	return status, body
}

func countSurveys(t *testing.T, h *harness) int {
	t.Helper()
	list, err := surveys.NewStore(h.db).List(context.Background(), surveys.ListQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestBuilderImportListsEveryProblemAndStoresNothing(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	h.do("GET", "/staff/surveys/import", nil)
	before := countSurveys(t, h)
	bad := `{"slug": "Not A Slug", "title": "", "pages": [{"title": "P", "questions": [
	  {"key": "1bad", "type": "radio", "label": "Pick <one>", "options": [{"value": "a", "label": "A"}]},
	  {"key": "later", "type": "text", "label": "Later", "show_if": {"match": "all", "conditions": [{"question": "nowhere", "op": "equals", "value": "x"}]}}]}]}`
	status, body, _ := h.do("POST", "/staff/surveys/import", url.Values{"definition": {bad}})
	if status != 422 {
		t.Fatalf("bad definition: %d", status)
	}
	wantIn(t, "bad definition", body, "Enter a title (“title” in the definition)", "web address name must only include", "Page 1, question 1: the key must start with a letter",
		"Page 1, question 1: give from 2 to 100 options", "&#34;nowhere&#34; is not an earlier question", `href="#problem-1"`, `id="problem-4"`, "Pick &lt;one&gt;")
	for _, in := range []struct{ text, want string }{
		{`{"title": "x", "requried": true}`, "a field codesign does not know"},
		{`{"title": `, "could not be read as JSON"},
		{`{"title": }`, "not valid JSON: check near character"},
		{"  ", "Choose a JSON file or paste the definition"},
		{`{"title": "One"} {"title": "Two"}`, "one JSON object"},
	} {
		status, body, _ = h.do("POST", "/staff/surveys/import", url.Values{"definition": {in.text}})
		if status != 422 || !strings.Contains(body, in.want) {
			t.Errorf("import %q: %d, want %q", in.text, status, in.want)
		}
	}
	status, body = uploadDefinition(t, h, "/staff/surveys/import", []byte("{\"title\": \"caf\xe9\"}"))
	if status != 422 || !strings.Contains(body, "not UTF-8 text") {
		t.Fatalf("latin-1 upload: %d", status)
	}
	status, body = uploadDefinition(t, h, "/staff/surveys/import", []byte(bad))
	if status != 422 || !strings.Contains(body, "The file you uploaded is shown here") || !strings.Contains(body, "Not A Slug") {
		t.Fatalf("bad upload: %d", status)
	}
	if after := countSurveys(t, h); after != before {
		t.Fatalf("surveys %d, then %d", before, after)
	}
}

func TestBuilderExportImportRoundTrip(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Open)
	_, exported, _ := h.do("GET", builderPath(sv, "/definition.json"), nil)

	// Import as a new consultation: it needs an address of its own, and it
	// arrives as a draft.
	h.do("GET", "/staff/surveys/import", nil)
	if status, body := uploadDefinition(t, h, "/staff/surveys/import", []byte(exported)); status != 422 || !strings.Contains(body, "Another survey already uses this web address name") {
		t.Fatalf("import under a taken address: %d", status)
	}
	copied := strings.Replace(exported, `"slug": "builder-test"`, `"slug": "builder-copy"`, 1)
	status, body := uploadDefinition(t, h, "/staff/surveys/import", []byte(copied))
	if status != 303 {
		t.Fatalf("import: %d\n%.1000s", status, body)
	}
	imported, err := surveys.NewStore(h.db).BySlug(context.Background(), "builder-copy")
	if err != nil {
		t.Fatal(err)
	}
	want, got := sv.Definition(), imported.Definition()
	want.Slug, want.Status = "builder-copy", surveys.Draft
	a, _ := json.Marshal(want)
	b, _ := json.Marshal(got)
	if !bytes.Equal(a, b) {
		t.Fatalf("round trip:\n%s\n%s", a, b)
	}

	// Replace in place: the same definition changes nothing, even with
	// answers; one that drops an answered question is refused whole.
	if _, _, err := surveys.NewStore(h.db).Submit(context.Background(), sv, surveys.Submission{Answers: surveys.Answers{"looked": {"yes"}}}); err != nil {
		t.Fatal(err)
	}
	h.do("GET", builderPath(sv, "/import"), nil)
	if status, body, _ := h.do("POST", builderPath(sv, "/import"), url.Values{"definition": {exported}}); status != 303 {
		t.Fatalf("replace with the same: %d\n%.1000s", status, body)
	}
	after := stored(t, h, sv.ID)
	if after.Status != surveys.Open || keysOf(after) != "looked,why_not / age" {
		t.Fatalf("after replace: %s %s", after.Status, keysOf(after))
	}
	var d surveys.Definition
	json.Unmarshal([]byte(exported), &d)
	d.Title = "Changed title"
	d.Pages = d.Pages[:1]
	smaller, _ := json.Marshal(d)
	status, body, _ = h.do("POST", builderPath(sv, "/import"), url.Values{"definition": {string(smaller)}})
	if status != 409 || !strings.Contains(body, "already has answers, so it cannot be removed") {
		t.Fatalf("replace dropping an answered question: %d\n%.1000s", status, body)
	}
	if after := stored(t, h, sv.ID); after.Title != "Builder test" || keysOf(after) != "looked,why_not / age" {
		t.Fatalf("half applied: %s %s", after.Title, keysOf(after))
	}
}

func TestBuilderDuplicateAndStaleForms(t *testing.T) {
	h := signedIn(t, accounts.Officer)
	sv := builderSurvey(t, h, surveys.Open)
	h.do("GET", builderPath(sv, ""), nil)
	status, _, resp := h.do("POST", builderPath(sv, "/duplicate"), url.Values{})
	if status != 303 {
		t.Fatalf("duplicate: %d", status)
	}
	id, _ := strconv.Atoi(strings.TrimPrefix(resp.Header.Get("Location"), "/staff/surveys/"))
	cp := stored(t, h, uint(id))
	if cp.Status != surveys.Draft || cp.Slug != "builder-test-copy" || keysOf(cp) != "looked,why_not / age" {
		t.Fatalf("copy %s %s %s", cp.Status, cp.Slug, keysOf(cp))
	}

	// A page opened before someone else's change cannot overwrite it.
	_, body, _ := h.do("GET", builderPath(cp, ""), nil)
	version := regexp.MustCompile(`name="version" value="([^"]+)"`).FindStringSubmatch(body)[1]
	if status, _, _ := h.do("POST", builderPath(cp, "/pages/2/move"), url.Values{"direction": {"up"}, "version": {version}}); status != 303 {
		t.Fatalf("first move: %d", status)
	}
	status, body, _ = h.do("POST", builderPath(cp, "/pages/2/move"), url.Values{"direction": {"up"}, "version": {version}})
	if status != 409 || !strings.Contains(body, "Someone changed this consultation") {
		t.Fatalf("stale move: %d", status)
	}
	if got := keysOf(stored(t, h, cp.ID)); got != "age / looked,why_not" {
		t.Fatalf("after a stale move: %s", got)
	}
	status, body, _ = h.do("POST", builderPath(cp, "/questions/age"), url.Values{"label": {"Age?"}, "type": {"number"}, "version": {version}})
	if status != 409 || !strings.Contains(body, `href="#elsewhere-1"`) || !strings.Contains(body, `value="Age?"`) {
		t.Fatalf("stale question form: %d\n%.1500s", status, body)
	}
}

func TestBuilderAPI(t *testing.T) {
	h := newHarness(t)
	send := func(method, path, body string, headers ...string) (int, map[string]any) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		status, out, _ := h.send(req)
		var m map[string]any
		json.Unmarshal([]byte(out), &m)
		return status, m
	}
	if status, out := send("POST", "/api/v1/surveys", builderDefinition); status != 401 || out["error"] == nil {
		t.Fatalf("without a token: %d %v", status, out)
	}
	h.user("fac@example.org", accounts.Facilitator)
	h.user("officer@example.org", accounts.Officer)
	fac, _ := h.accounts.CreateToken(context.Background(), "fac@example.org", "test")
	officer, _ := h.accounts.CreateToken(context.Background(), "officer@example.org", "test")
	if status, _ := send("POST", "/api/v1/surveys", builderDefinition, "Authorization", "Bearer "+fac); status != 403 {
		t.Fatalf("facilitator token: %d", status)
	}
	auth := []string{"Authorization", "Bearer " + officer}
	status, out := send("POST", "/api/v1/surveys", builderDefinition, auth...)
	if status != 201 || out["slug"] != "builder-test" || out["status"] != "draft" || len(out["pages"].([]any)) != 2 {
		t.Fatalf("create: %d %v", status, out)
	}
	status, out = send("POST", "/api/v1/surveys", builderDefinition, auth...)
	if fields, _ := out["fields"].(map[string]any); status != 422 || fields["slug"] == nil {
		t.Fatalf("create twice: %d %v", status, out)
	}
	status, out = send("POST", "/api/v1/surveys", `{"slug": "x", "title": "", "pages": []}`, auth...)
	if fields, _ := out["fields"].(map[string]any); status != 422 || fields["title"] != "Enter a title" {
		t.Fatalf("create with problems: %d %v", status, out)
	}
	if status, out = send("POST", "/api/v1/surveys", `{"slug": `, auth...); status != 422 || out["fields"] == nil {
		t.Fatalf("broken JSON: %d %v", status, out)
	}

	// Replace: without "status" the survey keeps its own.
	var d surveys.Definition
	json.Unmarshal([]byte(builderDefinition), &d)
	d.Title = "Replaced"
	d.Status = ""
	body, _ := json.Marshal(d)
	raw := strings.Replace(string(body), `"status":"",`, "", 1)
	if status, out = send("PUT", "/api/v1/surveys/builder-test", raw, auth...); status != 200 || out["title"] != "Replaced" || out["status"] != "draft" {
		t.Fatalf("replace: %d %v", status, out)
	}
	if status, _ = send("PUT", "/api/v1/surveys/no-such-survey", raw, auth...); status != 404 {
		t.Fatalf("replace unknown: %d", status)
	}
	if status, _ = send("PUT", "/api/v1/surveys/builder-test", raw, "Authorization", "Bearer "+fac); status != 403 {
		t.Fatalf("replace as facilitator: %d", status)
	}
	bad := strings.Replace(raw, `"key":"age"`, `"key":"Age!"`, 1)
	status, out = send("PUT", "/api/v1/surveys/builder-test", bad, auth...)
	if fields, _ := out["fields"].(map[string]any); status != 422 || fields["pages[1].questions[0].key"] == nil {
		t.Fatalf("replace with problems: %d %v", status, out)
	}
	d.Status = surveys.Closed // a draft cannot close
	body, _ = json.Marshal(d)
	if status, out = send("PUT", "/api/v1/surveys/builder-test", string(body), auth...); status != 409 || out["error"] == nil {
		t.Fatalf("skipping a status: %d %v", status, out)
	}
}
