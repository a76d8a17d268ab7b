package reports_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/messages"
	"codesign/programmes"
	"codesign/reports"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
)

// seedProgramme stores the deployment's programme, with a locality for
// workshops.
func seedProgramme(t *testing.T, db *gorm.DB) *programmes.Programme {
	t.Helper()
	p := &programmes.Programme{Slug: "p", Name: "Early help", Organisation: "Council", Summary: "S"}
	if err := programmes.NewStore(db).Seed(ctx, p, []programmes.Locality{{Key: "north", Name: "North", Sort: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// workshop holds an online workshop feeding slug ("" for none) whose notes
// are notes, one point a line, and confirms codes[i] on the i-th point's
// passages. It returns the workshop's id.
func (f *fixture) workshop(t *testing.T, slug string, notes []string, codes [][]string) uint {
	t.Helper()
	ws := workshops.NewStore(f.db, messages.NewStore(f.db), workshops.Options{})
	locs, err := programmes.NewStore(f.db).Localities(ctx)
	if err != nil || len(locs) == 0 {
		t.Fatalf("no locality for a workshop: %v", err)
	}
	start := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Hour)
	e := &workshops.Event{Title: "Talking about support", Format: workshops.Online, OnlineDetails: "Zoom", LocalityID: locs[0].ID,
		StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: 10, Status: workshops.Published, SurveySlug: slug}
	if err := ws.Create(ctx, nil, e); err != nil {
		t.Fatal(err)
	}
	body := ""
	for _, n := range notes {
		body += "- " + n + "\n"
	}
	if err := ws.AddNote(ctx, &workshops.Note{EventID: e.ID, Title: "Tables 1 and 2", Body: body}); err != nil {
		t.Fatal(err)
	}
	units, err := ws.NoteUnits(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var tu []themes.Unit
	for _, u := range units {
		tu = append(tu, themes.Unit{Kind: themes.WorkshopNote, SourceID: u.ID, Scope: u.Source, Text: u.Text})
	}
	if _, err := f.ts.Add(ctx, f.coder, tu, nil); err != nil {
		t.Fatal(err)
	}
	ps, _, err := f.ts.Passages(ctx, themes.Filter{Scope: fmt.Sprintf("workshop:%d", e.ID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		var point int
		if _, err := fmt.Sscanf(p.SourceID[len(p.SourceID)-1:], "%d", &point); err != nil || point > len(codes) {
			t.Fatalf("passage %q of note point %d", p.SourceID, point)
		}
		for _, c := range codes[point-1] {
			if _, _, err := f.ts.Decide(ctx, themes.Choice{PassageID: p.ID, Code: c, Decision: themes.Added, UserID: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e.ID
}

// another creates a second consultation asking the same question, with no
// questions about the person answering.
func (f *fixture) another(t *testing.T, slug string, status surveys.Status) *surveys.Survey {
	t.Helper()
	sv := &surveys.Survey{Slug: slug, Title: "Another consultation", Status: status, Pages: []surveys.Page{{Title: "Your views",
		Questions: []surveys.Question{{Key: "barriers", Type: surveys.Textarea, MaxLength: 1500, Label: "What gets in the way?"}}}}}
	if err := f.ss.Create(ctx, nil, sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

// confirmAll confirms codes on every passage of every answer to sv.
func (f *fixture) confirmAll(t *testing.T, sv *surveys.Survey, ids []uint, codes ...string) {
	t.Helper()
	ps, _, err := f.ts.Passages(ctx, themes.Filter{Scope: fmt.Sprintf("survey:%d:barriers", sv.ID)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, id := range ids {
		r, err := f.ss.Response(ctx, sv.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range r.Answers {
			want[strconv.FormatUint(uint64(a.ID), 10)] = true
		}
	}
	for _, p := range ps {
		if !want[p.SourceID] {
			continue
		}
		for _, c := range codes {
			if _, _, err := f.ts.Decide(ctx, themes.Choice{PassageID: p.ID, Code: c, Decision: themes.Added, UserID: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func submit(t *testing.T, ss *surveys.Store, sv *surveys.Survey, n int, text string) []uint {
	t.Helper()
	var ids []uint
	for range n {
		r, _, err := ss.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"barriers": {text}}, Channel: surveys.ChannelPaper})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

func code(t *testing.T, th reports.ThemeCount, key string) reports.CodeCount {
	t.Helper()
	for _, c := range th.Codes {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("theme %s has no code %s", th.Key, key)
	return reports.CodeCount{}
}

func TestFindingsCountCodedNotesOfTheWorkshopsThatFedIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		seedProgramme(t, db)
		ids := f.evidence(t, 6, "north", waiting)
		f.code(t)
		for _, id := range ids {
			f.confirm(t, id, "waiting_times")
		}
		// Two workshops fed the consultation; the second point of the
		// first is coded twice. A third fed none, so it is not counted here.
		f.workshop(t, f.sv.Slug, []string{"People waited months for a first appointment.", "Nobody knew where to go while they waited."},
			[][]string{{"waiting_times"}, {"waiting_times", "not_knowing_where_to_go"}})
		f.workshop(t, f.sv.Slug, []string{"The waiting list for counselling was far too long."}, [][]string{{"waiting_times"}})
		f.workshop(t, "", []string{"Waiting for support made things worse."}, [][]string{{"waiting_times"}})

		sv, _ := f.ss.Get(ctx, f.sv.ID)
		got, err := f.rs.Findings(ctx, sv, false)
		if err != nil {
			t.Fatal(err)
		}
		b := theme(t, got, "barriers")
		// 6 answers and 3 passages of notes; shares are of the 6 people.
		if b.Respondents != (reports.Cell{N: 6}) || b.Passages != (reports.Cell{N: 9}) || b.Workshops != 2 || b.Share != 100 {
			t.Errorf("barriers = %+v, want 6 people (100%%), 9 passages, 2 workshops", b)
		}
		if c := code(t, b, "waiting_times"); c.Respondents != (reports.Cell{N: 6}) || c.Workshops != 2 || c.Passages != (reports.Cell{N: 9}) {
			t.Errorf("waiting times = %+v", c)
		}
		// The passage coded twice counts once for each code.
		if c := code(t, b, "not_knowing_where_to_go"); c.Workshops != 1 || !c.Respondents.Suppressed || !c.Passages.Suppressed {
			t.Errorf("not knowing where to go = %+v, want 1 workshop with small numbers hidden", c)
		}
		if got.NoteWorkshops != 2 || got.Participants != (reports.Cell{N: 6}) {
			t.Errorf("note workshops %d, participants %v", got.NoteWorkshops, got.Participants)
		}
	})
}

func TestProgrammeFindingsAddUpConsultationsAndWorkshops(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		p := seedProgramme(t, db)
		north := f.evidence(t, 6, "north", waiting)
		two := f.another(t, "another-consultation", surveys.Open)
		other := submit(t, f.ss, two, 5, waiting)
		f.another(t, "not-yet-asked", surveys.Draft)
		f.code(t)
		f.confirmAll(t, f.sv, north, "waiting_times")
		f.confirmAll(t, two, other, "waiting_times")
		// Stigma: 3 people in each consultation, hidden in each, 6 together.
		f.confirmAll(t, f.sv, north[:3], "stigma")
		f.confirmAll(t, two, other[:3], "stigma")
		// Money: 1 and 2, still under 5 together.
		f.confirmAll(t, f.sv, north[:1], "money_debt")
		f.confirmAll(t, two, other[:2], "money_debt")
		f.workshop(t, "", []string{"The waiting list for counselling was far too long."}, [][]string{{"waiting_times"}})

		sv, _ := f.ss.Get(ctx, f.sv.ID)
		alone, err := f.rs.Findings(ctx, sv, false)
		if err != nil {
			t.Fatal(err)
		}
		if c := code(t, theme(t, alone, "barriers"), "stigma"); !c.Respondents.Suppressed {
			t.Errorf("stigma in one consultation = %+v, want suppressed", c)
		}

		got, err := f.rs.ProgrammeFindings(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.Participants != (reports.Cell{N: 11}) || len(got.Consultations) != 2 {
			t.Fatalf("participants %v in %+v, want 11 in 2 consultations (not the draft)", got.Participants, got.Consultations)
		}
		for _, c := range got.Consultations {
			if want := map[string]int{f.sv.Slug: 6, two.Slug: 5}[c.Slug]; c.Count != (reports.Cell{N: want}) {
				t.Errorf("%s: %v, want %d", c.Slug, c.Count, want)
			}
		}
		b := theme(t, got, "barriers")
		if b.Respondents != (reports.Cell{N: 11}) || b.Share != 100 || b.Workshops != 1 {
			t.Errorf("barriers = %+v, want 11 people and 1 workshop", b)
		}
		if c := code(t, b, "stigma"); c.Respondents != (reports.Cell{N: 6}) || c.Share != 55 {
			t.Errorf("stigma = %+v, want 6 people (55%%) across both", c)
		}
		if c := code(t, theme(t, got, "quality_of_life"), "money_debt"); !c.Respondents.Suppressed || c.Respondents.N != 0 {
			t.Errorf("money = %+v, want 3 suppressed with no number", c)
		}
		// The second consultation asks no locality: its 5 are not answered.
		var loc *reports.Breakdown
		for i := range got.Breakdowns {
			if got.Breakdowns[i].Key == "locality" {
				loc = &got.Breakdowns[i]
			}
		}
		if loc == nil {
			t.Fatalf("no locality breakdown in %+v", got.Breakdowns)
		}
		na := loc.Everyone.Cells[len(loc.Everyone.Cells)-1]
		if loc.Everyone.Total != (reports.Cell{N: 11}) || loc.Everyone.Cells[0] != (reports.Cell{N: 6}) || na != (reports.Cell{N: 5}) {
			t.Errorf("everyone by locality = %+v", loc.Everyone)
		}
	})
}

func TestProgrammeIsTheDeploymentsOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		rs := reports.NewStore(db)
		if _, err := rs.Programme(ctx, 1); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("with no programme: %v, want not found", err)
		}
		p := seedProgramme(t, db)
		if got, err := rs.Programme(ctx, p.ID); err != nil || got.ID != p.ID {
			t.Errorf("the programme: %+v, %v", got, err)
		}
		if _, err := rs.Programme(ctx, p.ID+1); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("another programme: %v, want not found", err)
		}
	})
}
