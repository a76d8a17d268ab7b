package privacy_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/messages"
	"codesign/panels"
	"codesign/privacy"
	"codesign/programmes"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
)

func TestMain(m *testing.M) {
	// Migrations log at info; tests only want warnings.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}

var ctx = context.Background()

// person is someone a request is about, and how they write their details.
type person struct {
	Name, Email, Phone string
}

var (
	samira = person{"Samira Okonkwo-Test", "Samira.Okonkwo@example.org", "07700 900456"}
	kim    = person{"Kim Lindqvist-Other", "kim.lindqvist@example.org", "07700 900789"}
)

// fixture is every store over one database, with one clock they share.
type fixture struct {
	t     *testing.T
	db    *gorm.DB
	now   time.Time
	msgs  *messages.Store
	sv    *surveys.Store
	ws    *workshops.Store
	pn    *panels.Store
	sg    *safeguarding.Store
	ts    *themes.Store
	rp    *reports.Store
	svc   *privacy.Service
	venue programmes.Venue
	north programmes.Locality
	// survey is an open consultation with contact questions.
	survey *surveys.Survey
	panel  *panels.Panel
}

var sharedCoder = sync.OnceValues(func() (*themes.Coder, error) {
	cb, err := themes.DefaultCodebook()
	if err != nil {
		return nil, err
	}
	return themes.NewCoder(cb), nil
})

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, now: time.Now().UTC().Truncate(time.Second)}
	clock := func() time.Time { return f.now }
	f.msgs = messages.NewStore(db)
	f.sv = surveys.NewStore(db)
	f.sv.SetClock(clock)
	f.ws = workshops.NewStore(db, f.msgs, workshops.Options{BaseURL: "http://example.test", Now: clock})
	f.pn = panels.NewStore(db, f.msgs, panels.Options{BaseURL: "http://example.test", PaymentRetentionYears: 7, Now: clock})
	f.sg = safeguarding.NewStore(db, f.msgs)
	f.ts = themes.NewStore(db)
	f.rp = reports.NewStore(db)
	f.svc = privacy.New(db, privacy.DefaultPolicy(), clock)
	ps := programmes.NewStore(db)
	err := ps.Seed(ctx, &programmes.Programme{Slug: "p", Name: "P", Organisation: "O", Summary: "S"},
		[]programmes.Locality{{Key: "north", Name: "North", Sort: 1}},
		[]programmes.SeedVenue{{LocalityKey: "north", Venue: programmes.Venue{Name: "Archway Library", Kind: "library", Address: "Highgate Hill", StepFree: true}}})
	f.must(err)
	locs, _ := ps.Localities(ctx)
	venues, _ := ps.Venues(ctx)
	f.north, f.venue = locs[0], venues[0]
	f.survey = f.newSurvey("have-your-say")
	f.panel = f.newPanel("experts")
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) newSurvey(slug string) *surveys.Survey {
	f.t.Helper()
	sv := &surveys.Survey{Slug: slug, Title: "Have your say about early help", Status: surveys.Open, Pages: []surveys.Page{
		{Title: "Your views", Questions: []surveys.Question{
			{Key: "barriers", Type: surveys.Textarea, MaxLength: 1500, Label: "What gets in the way of getting support?"},
			{Key: "what_helps", Type: surveys.Textarea, MaxLength: 1500, Label: "What helps?"},
			{Key: "quote_ok", Type: surveys.Radio, Label: "May we quote you, without your name?",
				Options: []surveys.Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}},
		}},
		{Title: "Hearing what happened", Questions: []surveys.Question{
			{Key: "name", Type: surveys.Text, Personal: true, Label: "Your name", Hint: "So we know who to ask for."},
			{Key: "email", Type: surveys.Email, Label: "Your email address", Hint: "Only to tell you what happened."},
			{Key: "phone", Type: surveys.Phone, Label: "Your phone number", Hint: "Only if you would like a call."},
		}},
	}}
	f.must(f.sv.Create(ctx, nil, sv))
	return sv
}

// respond stores a response to the fixture's survey; p may be empty for
// someone who left no contact details.
func (f *fixture) respond(p person, barriers, helps string) *surveys.Response {
	f.t.Helper()
	a := surveys.Answers{"barriers": {barriers}, "what_helps": {helps}, "quote_ok": {"yes"}}
	if p.Email != "" {
		a["name"], a["email"], a["phone"] = []string{p.Name}, []string{p.Email}, []string{p.Phone}
	}
	r, _, err := f.sv.Submit(ctx, f.survey, surveys.Submission{Answers: a})
	f.must(err)
	return r
}

// screenAndCode does what the background jobs do with new free text:
// risk goes to the safeguarding queue, the rest is coded into passages.
func (f *fixture) screenAndCode() {
	f.t.Helper()
	coder, err := sharedCoder()
	f.must(err)
	units, err := f.sv.FreeTextSince(ctx, 0, 10000)
	f.must(err)
	var texts []safeguarding.Text
	var coded []themes.Unit
	for _, u := range units {
		texts = append(texts, safeguarding.Text{Kind: safeguarding.SurveyAnswer, Ref: fmt.Sprint("answer:", u.AnswerID), SurveyID: u.SurveyID,
			ResponseID: u.ResponseID, AnswerID: u.AnswerID, QuestionKey: u.QuestionKey, Text: u.Text})
		coded = append(coded, themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(u.AnswerID), 10),
			Scope: fmt.Sprintf("survey:%d:%s", u.SurveyID, u.QuestionKey), Text: u.Text})
	}
	from, err := f.sg.Cursor(ctx, "test")
	f.must(err)
	_, err = f.sg.Screen(ctx, coder, safeguarding.Notice{BaseURL: "http://example.test"}, safeguarding.Batch{Cursor: "test", From: from, To: from + 1, Texts: texts})
	f.must(err)
	_, err = f.ts.Add(ctx, coder, coded, nil)
	f.must(err)
}

// confirmAll confirms a code on every passage of the survey, as reviewers
// would, so that a report has findings.
func (f *fixture) confirmAll(code string) []themes.Passage {
	f.t.Helper()
	var out []themes.Passage
	for _, key := range []string{"barriers", "what_helps"} {
		ps, _, err := f.ts.Passages(ctx, themes.Filter{Scope: fmt.Sprintf("survey:%d:%s", f.survey.ID, key)})
		f.must(err)
		for _, p := range ps {
			_, _, err := f.ts.Decide(ctx, themes.Choice{PassageID: p.ID, Code: code, Decision: themes.Added, UserID: 1})
			f.must(err)
		}
		out = append(out, ps...)
	}
	return out
}

func (f *fixture) newPanel(slug string) *panels.Panel {
	f.t.Helper()
	until := f.now.AddDate(0, 1, 0)
	p := &panels.Panel{Slug: slug, Name: "Early help experts group", Purpose: "Shape early help.", MembersDo: "Meet monthly.",
		TermMonths: 12, RateKind: panels.Hourly, RatePence: 2000, PaymentMethods: "bank_transfer", ExpensesCovered: true,
		RecruitOpen: true, RecruitUntil: &until, TargetSize: 12}
	f.must(f.pn.Create(ctx, nil, p))
	return p
}

func (f *fixture) apply(p *panels.Panel, who person) *panels.Application {
	f.t.Helper()
	a, err := f.pn.Apply(ctx, p.ID, panels.Apply{Name: who.Name, Email: who.Email, Phone: who.Phone, LivedExperience: []string{"carer"},
		Statement: "I am " + who.Name + " and I cared for my brother.", Availability: "Evenings", PaymentPreference: "bank_transfer",
		AgeBand: "25-34", Ethnicity: "black", Locality: "north", ConsentStore: true})
	f.must(err)
	return a
}

func (f *fixture) member(p *panels.Panel, who person) *panels.Member {
	f.t.Helper()
	a := f.apply(p, who)
	d, err := f.pn.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Accepted})
	f.must(err)
	return d.Member
}

// event creates a published workshop starting at start.
func (f *fixture) event(title string, start time.Time) *workshops.Event {
	f.t.Helper()
	e := &workshops.Event{Title: title, Format: workshops.InPerson, LocalityID: f.north.ID, VenueID: &f.venue.ID,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), SignupDeadline: start.Add(-time.Hour), Capacity: 20,
		Status: workshops.Published, Facilitators: "Ade"}
	f.must(f.ws.Create(ctx, nil, e))
	return e
}

func (f *fixture) book(e *workshops.Event, who person, needs ...workshops.Need) *workshops.Booking {
	f.t.Helper()
	b, err := f.ws.Book(ctx, e.ID, workshops.Signup{Name: who.Name, Email: who.Email, Phone: who.Phone, AccessNeeds: needs,
		InterpreterLanguage: "", AccessNotes: who.Name + " would like a seat near the door", Dietary: "Vegetarian", ConsentContact: true,
		ManageToken: "tok-" + strings.ReplaceAll(who.Name, " ", "") + fmt.Sprint(e.ID) + "-0123456789abcdefghij"})
	f.must(err)
	return b
}

// dump reads every row of every table, for comparing before and after.
func dump(t *testing.T, db *gorm.DB) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, table := range tables(t, db) {
		var rows []map[string]any
		if err := db.Table(table).Find(&rows).Error; err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

// tables lists every table of the database, from the database itself.
func tables(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var names []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.Dialector.Name() == "postgres" {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	if err := db.Raw(q).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	if len(names) < 30 {
		t.Fatalf("only %d tables found: %v", len(names), names)
	}
	return names
}

// text is a stored value as text, whatever type the driver returned.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}
