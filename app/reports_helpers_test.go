package app_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/messages"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
)

// rpFixture is a harness with a small consultation of its own whose
// answers are coded and confirmed, signed in as an officer.
type rpFixture struct {
	*harness
	rs      *reports.Store
	ss      *surveys.Store
	ts      *themes.Store
	sv      *surveys.Survey
	report  *reports.Report
	answers map[string]uint // passage id by label, for picking quotes
}

const rpSlug = "test-results"

func newReportsHarness(t *testing.T) *rpFixture {
	t.Helper()
	h := newHarness(t)
	f := &rpFixture{harness: h, rs: reports.NewStore(h.db), ss: surveys.NewStore(h.db), ts: themes.NewStore(h.db), answers: map[string]uint{}}
	f.sv = &surveys.Survey{Slug: rpSlug, Title: "Test results consultation", Status: surveys.Open, Summary: "What gets in the way?",
		Pages: []surveys.Page{
			{Title: "Your views", Questions: []surveys.Question{
				{Key: "barriers", Type: surveys.Textarea, MaxLength: 1500, Label: "What gets in the way of getting support?"},
				{Key: "email", Type: surveys.Email, Personal: true, Label: "Your email address", Hint: "Only to hear what happened."},
			}},
			surveys.EqualityPage([]surveys.Option{{Value: "north", Label: "North"}, {Value: "south", Label: "South"}}),
		}}
	ctx := context.Background()
	if err := f.ss.Create(ctx, nil, f.sv); err != nil {
		t.Fatal(err)
	}
	submit := func(text string, extra surveys.Answers) uint {
		a := surveys.Answers{"barriers": {text}, "locality": {"north"}}
		for k, v := range extra {
			a[k] = v
		}
		r, _, err := f.ss.Submit(ctx, f.sv, surveys.Submission{Answers: a})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	var ids []uint
	for i := range 7 {
		ids = append(ids, submit(fmt.Sprintf("I waited %d months on the waiting list. Dr Patel was kind.", i+2), nil))
	}
	ids = append(ids, submit("The waiting list was far too long for me.", surveys.Answers{"email": {"hear@example.org"}}))
	f.code(t)
	for i, id := range ids {
		ps := f.passagesOf(t, id)
		for _, p := range ps {
			if _, _, err := f.ts.Decide(ctx, themes.Choice{PassageID: p.ID, Code: "waiting_times", Decision: themes.Added, UserID: 1}); err != nil {
				t.Fatal(err)
			}
		}
		f.answers["r"+strconv.Itoa(i)] = ps[0].ID
	}
	f.flag(t, ids[len(ids)-1])
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	r, err := f.rs.Start(ctx, nil, f.sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.report = r
	return f
}

func (f *rpFixture) code(t *testing.T) {
	t.Helper()
	texts, err := f.ss.FreeTextSince(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var units []themes.Unit
	for _, u := range texts {
		if u.SurveyID != f.sv.ID {
			continue
		}
		units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(u.AnswerID), 10),
			Scope: fmt.Sprintf("survey:%d:%s", u.SurveyID, u.QuestionKey), Text: u.Text})
	}
	if _, err := f.ts.Add(context.Background(), testCoder(t), units, nil); err != nil {
		t.Fatal(err)
	}
}

func (f *rpFixture) passagesOf(t *testing.T, responseID uint) []themes.Passage {
	t.Helper()
	r, err := f.ss.Response(context.Background(), f.sv.ID, responseID)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := f.ts.Passages(context.Background(), themes.Filter{Scope: fmt.Sprintf("survey:%d:barriers", f.sv.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var out []themes.Passage
	for _, a := range r.Answers {
		for _, p := range ps {
			if p.SourceID == strconv.FormatUint(uint64(a.ID), 10) {
				out = append(out, p)
			}
		}
	}
	return out
}

// flag puts a response's answer in the safeguarding queue.
func (f *rpFixture) flag(t *testing.T, responseID uint) {
	t.Helper()
	r, _ := f.ss.Response(context.Background(), f.sv.ID, responseID)
	var texts []safeguarding.Text
	for _, a := range r.Answers {
		if a.QuestionKey == "barriers" {
			texts = append(texts, safeguarding.Text{Kind: safeguarding.SurveyAnswer, Ref: "answer:" + strconv.FormatUint(uint64(a.ID), 10),
				SurveyID: f.sv.ID, ResponseID: r.ID, AnswerID: a.ID, QuestionKey: a.QuestionKey, Text: a.Value})
		}
	}
	sg := safeguarding.NewStore(f.db, messages.NewStore(f.db))
	if _, err := sg.Screen(context.Background(), flagAll{}, safeguarding.Notice{}, safeguarding.Batch{Cursor: "test", From: 0, To: 1, Texts: texts}); err != nil {
		t.Fatal(err)
	}
}

type flagAll struct{}

func (flagAll) Code(text string) themes.Result {
	return themes.Result{Safeguarding: true, Risk: []themes.Suggestion{{Sentence: text, End: len(text), Terms: []string{"test"}}}}
}

func (f *rpFixture) base() string {
	return "/staff/reports/" + strconv.FormatUint(uint64(f.report.ID), 10)
}

var revisionRe = regexp.MustCompile(`name="revision" value="(\d+)"`)

// revision reads the revision the publish page offers.
func (f *rpFixture) revision() string {
	f.t.Helper()
	_, body, _ := f.do("GET", f.base()+"/publish", nil)
	m := revisionRe.FindStringSubmatch(body)
	if m == nil {
		f.t.Fatalf("publish page has no revision:\n%.2000s", body)
	}
	return m[1]
}

// commitment adds a commitment through the form.
func (f *rpFixture) addCommitment(owner string) {
	f.t.Helper()
	form := url.Values{"you_said": {"Waiting lists are too long."}, "codes": {"waiting_times"}, "we_did": {"We will fund two more therapists."},
		"owner_org": {owner}, "owner_team": {"Live Well Commissioning"}, "status": {"planned"}, "due": {nextYear() + "-03-31"}}
	if status, body, _ := f.do("POST", f.base()+"/commitments", form); status != 303 {
		f.t.Fatalf("adding a commitment: %d\n%.1500s", status, body)
	}
}

func nextYear() string { return strconv.Itoa(time.Now().Year() + 1) }

// publish publishes the revision the publish page shows.
func (f *rpFixture) publish(note string) (int, string) {
	f.t.Helper()
	status, body, _ := f.do("POST", f.base()+"/publish", url.Values{"revision": {f.revision()}, "note": {note}})
	return status, body
}

func idStr(id uint) string { return strconv.FormatUint(uint64(id), 10) }

var linkRe = regexp.MustCompile(`/commitment-updates/([A-Za-z0-9_-]+)`)

func (f *rpFixture) surveyID(t *testing.T, slug string) uint {
	t.Helper()
	sv, err := f.ss.BySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return sv.ID
}

// panelsList returns the ids of the demo's panels.
func (f *rpFixture) panelsList() ([]uint, error) {
	var ids []uint
	return ids, f.db.Table("panels").Order("id").Pluck("id", &ids).Error
}
