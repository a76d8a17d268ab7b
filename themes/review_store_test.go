package themes_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"codesign/errs"
	"codesign/themes"

	"codesign/database/dbtest"

	"gorm.io/gorm"
)

var ctx = context.Background()

func newCoder(t *testing.T) *themes.Coder {
	t.Helper()
	cb, err := themes.DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	return themes.NewCoder(cb)
}

// Texts whose coding the tests rely on.
const (
	waitText  = "I waited six months on the waiting list. The library cafe was lovely."
	riskText  = "Some days I think everyone would be better off without me. My landlord will not fix the damp in my flat."
	tagText   = "<script>alert(1)</script> The waiting list was too long & nobody called back."
	plainText = "Thank you."
)

func units() []themes.Unit {
	return []themes.Unit{
		{Kind: themes.SurveyAnswer, SourceID: "1", Scope: "survey:1:q", Text: waitText},
		{Kind: themes.SurveyAnswer, SourceID: "2", Scope: "survey:1:q", Text: riskText},
		{Kind: themes.SurveyAnswer, SourceID: "3", Scope: "survey:1:q", Text: tagText},
		{Kind: themes.SurveyAnswer, SourceID: "4", Scope: "survey:1:q", Text: plainText},
	}
}

func all(t *testing.T, st *themes.Store, f themes.Filter) []themes.Passage {
	t.Helper()
	ps, total, err := st.Passages(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if int(total) != len(ps) {
		t.Fatalf("total %d, %d passages", total, len(ps))
	}
	return ps
}

func TestAddStoresSentencesWithOffsetsOnceAndLeavesOutRisk(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, c := themes.NewStore(db), newCoder(t)
		n, err := st.Add(ctx, c, units(), &themes.Cursor{Name: "test", LastID: 4})
		if err != nil {
			t.Fatal(err)
		}
		ps := all(t, st, themes.Filter{Scope: "survey:1:q"})
		// Four coded sentences, and "Thank you." for its noun phrase.
		if n != len(ps) || len(ps) != 5 || ps[4].Text != plainText || len(ps[4].Suggestions) != 0 {
			t.Fatalf("added %d, stored %d, want 5: %+v", n, len(ps), ps)
		}
		texts := map[string]string{"1": waitText, "2": riskText, "3": tagText, "4": plainText}
		for _, p := range ps {
			if got := texts[p.SourceID][p.StartOffset:p.EndOffset]; got != p.Text {
				t.Errorf("offsets %d-%d of %s read %q, stored %q", p.StartOffset, p.EndOffset, p.SourceID, got, p.Text)
			}
			if strings.Contains(p.Text, "better off without me") {
				t.Errorf("a risk sentence reached the review queue: %q", p.Text)
			}
		}
		// The library sentence has a suggestion; the damp sentence of the
		// risky answer is kept.
		if !strings.Contains(ps[2].Text, "landlord") || ps[2].Suggestions[0].Code != "housing" {
			t.Errorf("third passage %+v", ps[2])
		}
		if got, _ := st.Cursor(ctx, "test"); got != 4 {
			t.Errorf("cursor %d, want 4", got)
		}
		// Again, with an older cursor: nothing new, and the cursor stays.
		if n, err = st.Add(ctx, c, units(), &themes.Cursor{Name: "test", LastID: 2}); err != nil || n != 0 {
			t.Fatalf("second add stored %d (%v)", n, err)
		}
		if got, _ := st.Cursor(ctx, "test"); got != 4 {
			t.Errorf("cursor went back to %d", got)
		}
		if len(all(t, st, themes.Filter{Scope: "survey:1:q"})) != 5 {
			t.Error("second add stored passages twice")
		}
	})
}

func TestTwoCodersAtOnceStoreOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		c := newCoder(t)
		var many []themes.Unit
		for i := range 60 {
			for _, u := range units() {
				u.SourceID = fmt.Sprintf("%s-%d", u.SourceID, i)
				many = append(many, u)
			}
		}
		var wg sync.WaitGroup
		errc := make(chan error, 2)
		for range 2 {
			wg.Go(func() {
				_, err := themes.NewStore(db).Add(ctx, c, many, &themes.Cursor{Name: "survey_answer", LastID: 240})
				errc <- err
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		var passages, suggestions int64
		db.Table("theme_passages").Count(&passages)
		db.Table("theme_suggestions").Count(&suggestions)
		if passages != 60*5 {
			t.Errorf("%d passages, want %d", passages, 60*5)
		}
		if suggestions != 60*4 {
			t.Errorf("%d suggestions, want %d", suggestions, 60*4)
		}
	})
}

func TestAddRefusesBadUnits(t *testing.T) {
	st := themes.NewStore(dbtest.SQLite(t).DB)
	for _, u := range []themes.Unit{{Kind: "email", SourceID: "1", Scope: "s", Text: "x"}, {Kind: themes.SurveyAnswer, Scope: "s"},
		{Kind: themes.SurveyAnswer, SourceID: "1"}} {
		if _, err := st.Add(ctx, newCoder(t), []themes.Unit{u}, nil); err == nil {
			t.Errorf("%+v was accepted", u)
		}
	}
	// Invalid UTF-8, empty text and a megabyte of text are coded without fuss.
	odd := []themes.Unit{{Kind: themes.SurveyAnswer, SourceID: "9", Scope: "s", Text: "bad \xff\xfe bytes on the waiting list"},
		{Kind: themes.SurveyAnswer, SourceID: "10", Scope: "s", Text: ""},
		{Kind: themes.SurveyAnswer, SourceID: "11", Scope: "s", Text: strings.Repeat("The waiting list is long. ", 40000)}}
	if _, err := st.Add(ctx, newCoder(t), odd, nil); err != nil {
		t.Fatal(err)
	}
}

// seeded stores units() and returns the store and its passages by source.
func seeded(t *testing.T, db *gorm.DB) (*themes.Store, map[string]themes.Passage) {
	t.Helper()
	st := themes.NewStore(db)
	if _, err := st.Add(ctx, newCoder(t), units(), nil); err != nil {
		t.Fatal(err)
	}
	by := map[string]themes.Passage{}
	for _, p := range all(t, st, themes.Filter{Scope: "survey:1:q"}) {
		switch {
		case strings.Contains(p.Text, "six months"):
			by["wait"] = p
		case strings.Contains(p.Text, "library"):
			by["library"] = p
		case strings.Contains(p.Text, "landlord"):
			by["housing"] = p
		case strings.Contains(p.Text, "script"):
			by["tag"] = p
		case p.Text == plainText:
			by["plain"] = p
		}
	}
	if len(by) != 5 {
		t.Fatalf("passages %+v", by)
	}
	return st, by
}

func decide(t *testing.T, st *themes.Store, ch themes.Choice) bool {
	t.Helper()
	_, changed, err := st.Decide(ctx, ch)
	if err != nil {
		t.Fatalf("%+v: %v", ch, err)
	}
	return changed
}

func TestDecideUndoAndDoubleSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, by := seeded(t, db)
		wait := by["wait"].ID
		if !decide(t, st, themes.Choice{PassageID: wait, Code: "waiting_times", Decision: "accept", UserID: 1}) {
			t.Fatal("first accept changed nothing")
		}
		if decide(t, st, themes.Choice{PassageID: wait, Code: "waiting_times", Decision: "accept", UserID: 1}) {
			t.Error("the same accept sent twice was stored twice")
		}
		decide(t, st, themes.Choice{PassageID: wait, Code: "housing", Decision: "accept", UserID: 2})
		decide(t, st, themes.Choice{PassageID: wait, Code: "waiting_times", Decision: "reject", UserID: 1})
		var logged int64
		db.Table("theme_decisions").Count(&logged)
		if logged != 3 {
			t.Errorf("%d decisions logged, want 3", logged)
		}
		p, err := st.Passage(ctx, wait, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range p.Codings {
			got[c.Code] = c.Decision
		}
		// A code that was not suggested is recorded as added.
		if got["waiting_times"] != themes.Rejected || got["housing"] != themes.Added {
			t.Fatalf("codings %v", got)
		}
		last, err := st.Last(ctx, "survey:1:q", 0, 1)
		if err != nil || last.Decision != themes.Rejected || last.Text != p.Text {
			t.Fatalf("last %+v %v", last, err)
		}
		if n, err := st.Undo(ctx, "survey:1:q", 0, 1, last.ID); err != nil || n != 1 {
			t.Fatalf("undo %d %v", n, err)
		}
		// A second press of the same undo button does nothing more.
		if n, _ := st.Undo(ctx, "survey:1:q", 0, 1, last.ID); n != 0 {
			t.Error("undo sent twice undid two decisions")
		}
		p, _ = st.Passage(ctx, wait, 0, 0)
		for _, c := range p.Codings {
			if c.Code == "waiting_times" && c.Decision != themes.Accepted {
				t.Errorf("after undo waiting_times is %s, want accepted again", c.Decision)
			}
		}
		last, _ = st.Last(ctx, "survey:1:q", 0, 1)
		st.Undo(ctx, "survey:1:q", 0, 1, last.ID)
		p, _ = st.Passage(ctx, wait, 0, 0)
		if len(p.Codings) != 1 || p.Codings[0].Code != "housing" {
			t.Errorf("after two undos %+v", p.Codings)
		}
		if _, err := st.Last(ctx, "survey:1:q", 0, 1); !errors.Is(err, themes.ErrNotFound) {
			t.Errorf("nothing left to undo: %v", err)
		}
	})
}

func TestDecideRefusesBadChoices(t *testing.T) {
	st, by := seeded(t, dbtest.SQLite(t).DB)
	cases := []struct {
		ch    themes.Choice
		field string
		is    error
	}{
		{themes.Choice{PassageID: by["wait"].ID, Code: "no_such_code", Decision: "accept", UserID: 1}, "code", nil},
		{themes.Choice{PassageID: by["wait"].ID, Code: "housing", Decision: "maybe", UserID: 1}, "decision", nil},
		{themes.Choice{PassageID: by["wait"].ID, Decision: "none", UserID: 1}, "decision", nil},
		{themes.Choice{PassageID: 999999, Code: "housing", Decision: "accept", UserID: 1}, "", errs.ErrNotFound},
	}
	for _, tc := range cases {
		_, _, err := st.Decide(ctx, tc.ch)
		if tc.is != nil {
			if !errors.Is(err, tc.is) {
				t.Errorf("%+v: %v, want %v", tc.ch, err, tc.is)
			}
			continue
		}
		if f, ok := errs.AsFields(err); !ok || f.Messages[tc.field] == "" {
			t.Errorf("%+v: %v, want a message for %s", tc.ch, err, tc.field)
		}
	}
}

func TestFiltersAndCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, by := seeded(t, db)
		decide(t, st, themes.Choice{PassageID: by["wait"].ID, Code: "waiting_times", Decision: "accept", UserID: 1})
		decide(t, st, themes.Choice{PassageID: by["housing"].ID, Code: "housing", Decision: "reject", UserID: 1})
		ids := func(f themes.Filter) []uint {
			f.Scope = "survey:1:q"
			var out []uint
			for _, p := range all(t, st, f) {
				out = append(out, p.ID)
			}
			return out
		}
		same := func(name string, got []uint, want ...uint) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s: %v, want %v", name, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: %v, want %v", name, got, want)
				}
			}
		}
		same("pending", ids(themes.Filter{Status: themes.StatusPending}), by["library"].ID, by["tag"].ID)
		same("accepted", ids(themes.Filter{Status: themes.Accepted}), by["wait"].ID)
		same("rejected", ids(themes.Filter{Status: themes.Rejected}), by["housing"].ID)
		same("pending waiting times", ids(themes.Filter{Status: themes.StatusPending, Codes: []string{"waiting_times"}}), by["tag"].ID)
		same("any waiting times", ids(themes.Filter{Codes: []string{"waiting_times"}}), by["wait"].ID, by["tag"].ID)
		same("confident", ids(themes.Filter{MinConfidence: 0.9}), by["wait"].ID, by["tag"].ID)
		same("uncoded", ids(themes.Filter{Status: themes.StatusUncoded}), by["plain"].ID)
		ps, total, err := st.Passages(ctx, themes.Filter{Scope: "survey:1:q", Limit: 1, Offset: 1})
		if err != nil || total != 5 || len(ps) != 1 || ps[0].ID != by["library"].ID {
			t.Errorf("second page: %d of %d (%v)", len(ps), total, err)
		}
		counts, err := st.Scopes(ctx)
		if err != nil || len(counts) != 1 {
			t.Fatalf("scopes %+v %v", counts, err)
		}
		if c := counts[0]; c.Passages != 5 || c.Pending != 2 || c.Accepted != 1 || c.Rejected != 1 {
			t.Errorf("counts %+v", c)
		}
	})
}

func TestBulkAcceptIsOneUndo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, by := seeded(t, db)
		decide(t, st, themes.Choice{PassageID: by["tag"].ID, Code: "waiting_times", Decision: "reject", UserID: 1})
		n, err := st.BulkAccept(ctx, themes.Filter{Scope: "survey:1:q", MinConfidence: 0.9}, 1)
		if err != nil || n != 1 {
			t.Fatalf("bulk accepted %d (%v), want only the six-months passage", n, err)
		}
		if n, _ = st.BulkAccept(ctx, themes.Filter{Scope: "survey:1:q", MinConfidence: 0.9}, 1); n != 0 {
			t.Errorf("a second bulk accept accepted %d", n)
		}
		if n, _ = st.BulkAccept(ctx, themes.Filter{Scope: "survey:1:q"}, 1); n != 2 {
			t.Errorf("bulk accept at 0 accepted %d, want the library and housing passages", n)
		}
		last, err := st.Last(ctx, "survey:1:q", 0, 1)
		if err != nil || last.Bulk != 2 {
			t.Fatalf("last %+v %v", last, err)
		}
		if n, err := st.Undo(ctx, "survey:1:q", 0, 1, last.ID); err != nil || n != 2 {
			t.Errorf("undo reversed %d (%v), want 2", n, err)
		}
		if len(all(t, st, themes.Filter{Scope: "survey:1:q", Status: themes.StatusPending})) != 2 {
			t.Error("undo did not put the bulk accept back in the queue")
		}
		if _, err := st.BulkAccept(ctx, themes.Filter{Scope: "survey:1:q", MinConfidence: 2}, 1); err == nil {
			t.Error("a confidence above 100% was accepted")
		}
	})
}

func TestCSVExportIsSafeForSpreadsheets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		u := themes.Unit{Kind: themes.SurveyAnswer, SourceID: "1", Scope: "=cmd|' /C calc'!A0", Text: "=HYPERLINK(\"x\") the waiting list was long"}
		if _, err := st.Add(ctx, newCoder(t), []themes.Unit{u}, nil); err != nil {
			t.Fatal(err)
		}
		p := all(t, st, themes.Filter{Scope: u.Scope})[0]
		decide(t, st, themes.Choice{PassageID: p.ID, Code: "waiting_times", Decision: "accept", UserID: 7})
		decide(t, st, themes.Choice{PassageID: p.ID, Code: "stigma", Decision: "add", UserID: 7})
		decide(t, st, themes.Choice{PassageID: p.ID, Code: "housing", Decision: "reject", UserID: 7})
		var b strings.Builder
		if err := st.WriteCSV(ctx, &b, "", func(id uint) string { return "@user" }); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "passage_id,source,") {
			t.Fatalf("csv:\n%s", b.String())
		}
		for _, want := range []string{`'=cmd`, `"'=HYPERLINK(""x"")`, ",'@user,", ",Waiting times,barriers,accepted,"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("csv lacks %q:\n%s", want, b.String())
			}
		}
	})
}
