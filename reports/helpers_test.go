package reports_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"codesign/messages"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"

	"gorm.io/gorm"
)

var ctx = context.Background()

// fixture is a consultation with answers coded by hand, on a real
// database.
type fixture struct {
	db    *gorm.DB
	rs    *reports.Store
	ss    *surveys.Store
	ts    *themes.Store
	sv    *surveys.Survey
	coder *themes.Coder
	n     int
}

func localities() []surveys.Option {
	return []surveys.Option{{Value: "north", Label: "North"}, {Value: "central", Label: "Central"}, {Value: "south", Label: "South"}}
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	cb, err := themes.DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, rs: reports.NewStore(db), ss: surveys.NewStore(db), ts: themes.NewStore(db), coder: themes.NewCoder(cb)}
	f.sv = &surveys.Survey{Slug: "test-consultation", Title: "Test consultation", Status: surveys.Open, Summary: "What gets in the way?",
		Pages: []surveys.Page{
			{Title: "Your views", Questions: []surveys.Question{
				{Key: "barriers", Type: surveys.Textarea, MaxLength: 1500, Label: "What gets in the way of getting support?"},
				{Key: "quote_ok", Type: surveys.Radio, Label: "May we quote you, without your name?",
					Options: []surveys.Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}},
				{Key: "email", Type: surveys.Email, Personal: true, Label: "Your email address", Hint: "Only if you want to hear what happened."},
			}},
			surveys.EqualityPage(localities()),
		}}
	if err := f.ss.Create(ctx, nil, f.sv); err != nil {
		t.Fatal(err)
	}
	return f
}

// answer stores one response and returns its id.
func (f *fixture) answer(t *testing.T, text string, extra surveys.Answers) uint {
	t.Helper()
	a := surveys.Answers{"barriers": {text}, "quote_ok": {"yes"}}
	for k, v := range extra {
		if v == nil {
			delete(a, k)
			continue
		}
		a[k] = v
	}
	f.n++
	r, _, err := f.ss.Submit(ctx, f.sv, surveys.Submission{Answers: a, Channel: surveys.ChannelOnline})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// code stores every free-text answer as passages, as the background coder
// does.
func (f *fixture) code(t *testing.T) {
	t.Helper()
	texts, err := f.ss.FreeTextSince(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var units []themes.Unit
	for _, u := range texts {
		units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(u.AnswerID), 10),
			Scope: fmt.Sprintf("survey:%d:%s", u.SurveyID, u.QuestionKey), Text: u.Text})
	}
	if _, err := f.ts.Add(ctx, f.coder, units, nil); err != nil {
		t.Fatal(err)
	}
}

// passages returns the passages of a response's answer.
func (f *fixture) passages(t *testing.T, responseID uint) []themes.Passage {
	t.Helper()
	r, err := f.ss.Response(ctx, f.sv.ID, responseID)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := f.ts.Passages(ctx, themes.Filter{Scope: fmt.Sprintf("survey:%d:barriers", f.sv.ID)})
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
	if len(out) == 0 {
		t.Fatalf("response %d has no passages", responseID)
	}
	return out
}

// confirm confirms codes on every passage of a response.
func (f *fixture) confirm(t *testing.T, responseID uint, codes ...string) []themes.Passage {
	t.Helper()
	ps := f.passages(t, responseID)
	for _, p := range ps {
		for _, c := range codes {
			if _, _, err := f.ts.Decide(ctx, themes.Choice{PassageID: p.ID, Code: c, Decision: themes.Added, UserID: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ps
}

// flag puts an answer in the safeguarding queue, whatever its words.
func (f *fixture) flag(t *testing.T, responseID uint) {
	t.Helper()
	r, err := f.ss.Response(ctx, f.sv.ID, responseID)
	if err != nil {
		t.Fatal(err)
	}
	var texts []safeguarding.Text
	for _, a := range r.Answers {
		if a.QuestionKey == "barriers" {
			texts = append(texts, safeguarding.Text{Kind: safeguarding.SurveyAnswer, Ref: "answer:" + strconv.FormatUint(uint64(a.ID), 10),
				SurveyID: f.sv.ID, ResponseID: r.ID, AnswerID: a.ID, QuestionKey: a.QuestionKey, Text: a.Value})
		}
	}
	sg := safeguarding.NewStore(f.db, messages.NewStore(f.db))
	if _, err := sg.Screen(ctx, alwaysRisk{}, safeguarding.Notice{}, safeguarding.Batch{Cursor: "test", From: 0, To: 1, Texts: texts}); err != nil {
		t.Fatal(err)
	}
}

// alwaysRisk flags every text, so a test can flag words that are not risky.
type alwaysRisk struct{}

func (alwaysRisk) Code(text string) themes.Result {
	return themes.Result{Safeguarding: true, Risk: []themes.Suggestion{{Sentence: text, Start: 0, End: len(text), Terms: []string{"test"}}}}
}

// evidence gives n respondents in locality loc who said something coded
// with codes, and returns their response ids.
func (f *fixture) evidence(t *testing.T, n int, loc string, text string) []uint {
	t.Helper()
	var ids []uint
	for range n {
		extra := surveys.Answers{"locality": {loc}}
		if loc == "" {
			extra = nil
		}
		ids = append(ids, f.answer(t, text, extra))
	}
	return ids
}

func (f *fixture) start(t *testing.T) *reports.Report {
	t.Helper()
	r, err := f.rs.Start(ctx, nil, f.sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *fixture) commitment(t *testing.T, r *reports.Report, codes ...string) *reports.Commitment {
	t.Helper()
	c := &reports.Commitment{YouSaid: "Waiting lists are too long.", WeDid: "We will fund two more talking therapists.", Codes: codes,
		OwnerOrg: "Islington Council", OwnerTeam: "Live Well Commissioning", DueOn: time.Now().UTC().AddDate(0, 6, 0).Truncate(24 * time.Hour)}
	if err := f.rs.AddCommitment(ctx, nil, r.ID, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) revision(t *testing.T, id uint) int {
	t.Helper()
	r, err := f.rs.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r.Revision
}
