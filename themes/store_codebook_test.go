package themes_test

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/themes"

	"gorm.io/gorm"
)

// codeOf returns a code of the store's current codebook, or fails.
func codeOf(t *testing.T, st *themes.Store, key string) themes.Code {
	t.Helper()
	cb, err := st.Codebook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cb.Code(key)
	if !ok {
		t.Fatalf("no code %s", key)
	}
	return c
}

func version(t *testing.T, st *themes.Store) uint {
	t.Helper()
	_, v, err := st.CurrentCodebook(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantFields fails unless err is errs.Fields with a message on each field
// that contains its text.
func wantFields(t *testing.T, what string, err error, want map[string]string) {
	t.Helper()
	f, ok := errs.AsFields(err)
	if !ok {
		t.Fatalf("%s: %v, want field errors %v", what, err, want)
	}
	for field, text := range want {
		if !strings.Contains(f.Messages[field], text) {
			t.Errorf("%s: %s is %q, want %q (all: %v)", what, field, f.Messages[field], text, f.Messages)
		}
	}
}

// With nothing stored the codebook is the default. Each edit is a new
// version that this store and another over the same database (a second
// instance) both see at once, and the coder is compiled once a version.
func TestCodebookVersionsAreSharedAndCompiledOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, other := themes.NewStore(db), themes.NewStore(db)
		var hooked atomic.Int32
		st.SetCoderHook(func(c *themes.Coder) *themes.Coder { hooked.Add(1); return c })
		if v := version(t, st); v != 0 || codeOf(t, st, "housing").Label != "Housing" {
			t.Fatalf("fresh store: version %d, housing %+v", v, codeOf(t, st, "housing"))
		}
		c1, _ := st.Coder(ctx)
		c2, _ := st.Coder(ctx)
		if c1 != c2 || hooked.Load() != 1 {
			t.Fatalf("the coder was built again for the same version (%d hook calls)", hooked.Load())
		}
		before := codeOf(t, other, "housing")
		h := codeOf(t, st, "housing")
		h.Label, h.Terms = "Housing and homes", append(h.Terms, "bedsit")
		changed, err := st.EditCode(ctx, themes.Change{Base: 0, UserID: 7, Note: "residents say bedsit"}, "housing", h)
		if err != nil || !changed {
			t.Fatalf("edit: %v %v", changed, err)
		}
		for name, s := range map[string]*themes.Store{"this instance": st, "another instance": other} {
			if got := codeOf(t, s, "housing"); got.Label != "Housing and homes" || version(t, s) == 0 {
				t.Errorf("%s reads %q at version %d", name, got.Label, version(t, s))
			}
		}
		if before.Label != "Housing" {
			t.Error("the codebook handed out earlier was changed in place")
		}
		c3, _ := st.Coder(ctx)
		if c3 == c1 || hooked.Load() != 2 {
			t.Fatalf("the coder was not rebuilt for the new version (%d hook calls)", hooked.Load())
		}
		if r := c3.Code("We live in a bedsit."); len(r.Codes) != 1 || r.Codes[0] != "housing" {
			t.Errorf("the new term is not used: %+v", r.Codes)
		}
		// Setting the hook again applies it without compiling again.
		st.SetCoderHook(func(c *themes.Coder) *themes.Coder { hooked.Add(10); return c })
		if _, _ = st.Coder(ctx); hooked.Load() != 12 {
			t.Errorf("the new hook was not applied (%d)", hooked.Load())
		}
		vs, err := st.CodebookVersions(ctx, 10)
		if err != nil || len(vs) != 1 || vs[0].Kind != themes.KindEdit || vs[0].UserID != 7 || vs[0].Note != "residents say bedsit" ||
			!strings.Contains(vs[0].Summary, "Housing and homes") || vs[0].YAML != "" {
			t.Fatalf("history %+v %v", vs, err)
		}
		y, err := st.CodebookVersionYAML(ctx, vs[0].ID)
		if err != nil || !strings.Contains(string(y), "bedsit") {
			t.Fatalf("version YAML: %v", err)
		}
		if _, err := st.CodebookVersionYAML(ctx, vs[0].ID+5); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("missing version: %v", err)
		}
		var audits int64
		db.Table("audit_events").Where("action = ? AND target = ?", themes.CodebookChangedAction, fmt.Sprintf("codebook_version:%d", vs[0].ID)).Count(&audits)
		if audits != 1 {
			t.Errorf("%d audit entries for the edit", audits)
		}
	})
}

func TestEditCodeRefusesBadInputAndKeepsOneVersionPerChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		h := codeOf(t, st, "housing")
		ch := themes.Change{UserID: 1}
		edit := func(c themes.Code) themes.Code { return c }
		for _, tc := range []struct {
			name string
			key  string
			code themes.Code
			ch   themes.Change
			want map[string]string
		}{
			{"empty label", "housing", func() themes.Code { c := edit(h); c.Label = "  "; return c }(), ch, map[string]string{"label": "Enter a label"}},
			{"bad colour", "housing", func() themes.Code { c := edit(h); c.Colour = "blue"; return c }(), ch, map[string]string{"colour": "six hexadecimal digits"}},
			{"short colour", "housing", func() themes.Code { c := edit(h); c.Colour = "#abc"; return c }(), ch, map[string]string{"colour": "six hexadecimal digits"}},
			{"unknown parent", "housing", func() themes.Code { c := edit(h); c.Parent = "nowhere"; return c }(), ch, map[string]string{"parent": "Choose where"}},
			{"no parent", "housing", func() themes.Code { c := edit(h); c.Parent = ""; return c }(), ch, map[string]string{"parent": "sits under"}},
			{"theme with a parent", "quality_of_life", themes.Code{Parent: "housing", Label: "Q", Colour: "#000000"}, ch, map[string]string{"parent": "theme stays at the top level"}},
			{"long label", "housing", func() themes.Code { c := edit(h); c.Label = strings.Repeat("x", 101); return c }(), ch, map[string]string{"label": "at most 100"}},
			{"long term", "housing", func() themes.Code { c := edit(h); c.Terms = []string{strings.Repeat("x", 101)}; return c }(), ch, map[string]string{"terms": "at most 100"}},
			{"long note", "housing", func() themes.Code { c := edit(h); c.Label = "New"; return c }(), themes.Change{Note: strings.Repeat("n", 501)}, map[string]string{"note": "at most 500"}},
		} {
			_, err := st.EditCode(ctx, tc.ch, tc.key, tc.code)
			wantFields(t, tc.name, err, tc.want)
		}
		// A code under its own sub-code is a cycle.
		if _, err := st.AddCode(ctx, ch, themes.Code{Key: "private_renting", Parent: "housing", Label: "Private renting", Colour: "#123456"}); err != nil {
			t.Fatal(err)
		}
		h.Parent = "private_renting"
		_, err := st.EditCode(ctx, themes.Change{Base: version(t, st)}, "housing", h)
		wantFields(t, "cycle", err, map[string]string{"parent": "not this code or one of the codes under it"})
		if _, err := st.EditCode(ctx, ch, "no_such_code", h); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("unknown code: %v", err)
		}
		// The same form twice: one version. A form opened before someone
		// else's change: a conflict, nothing saved.
		base := version(t, st)
		h = codeOf(t, st, "housing")
		h.Description = "Where people live."
		for i, want := range []bool{true, false} {
			if changed, err := st.EditCode(ctx, themes.Change{Base: base}, "housing", h); err != nil || changed != want {
				t.Fatalf("send %d: %v %v", i+1, changed, err)
			}
		}
		h.Description = "Something else."
		if _, err := st.EditCode(ctx, themes.Change{Base: base}, "housing", h); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
		if vs, _ := st.CodebookVersions(ctx, 10); len(vs) != 2 {
			t.Errorf("%d versions, want 2 (the add and one edit)", len(vs))
		}
	})
}

func TestAddCodeChecksTheKeyAndPlacesTheCodeUnderItsParent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		good := themes.Code{Key: "fuel_poverty", Parent: "money_debt", Label: "Fuel poverty", Colour: "#AABBCC", Terms: []string{" heating ", "", "Heating", "cold home"}}
		for _, tc := range []struct {
			name string
			key  string
			want string
		}{
			{"spaces", "Fuel Poverty", "lower case letters"},
			{"digit first", "1fuel", "lower case letters"},
			{"empty", "", "lower case letters"},
			{"duplicate", "housing", "already a code with the key housing"},
			{"theme", "barriers", "already a code with the key barriers"},
		} {
			c := good
			c.Key = tc.key
			_, err := st.AddCode(ctx, themes.Change{}, c)
			wantFields(t, tc.name, err, map[string]string{"key": tc.want})
		}
		for i, want := range []bool{true, false} {
			if changed, err := st.AddCode(ctx, themes.Change{}, good); err != nil || changed != want {
				t.Fatalf("add %d: %v %v", i+1, changed, err)
			}
		}
		cb, _ := st.Codebook(ctx)
		got, _ := cb.Code("fuel_poverty")
		if got.Colour != "#aabbcc" || strings.Join(got.Terms, "|") != "heating|cold home" || cb.Theme("fuel_poverty") != "quality_of_life" {
			t.Errorf("stored %+v", got)
		}
		// Listed straight after its parent's other codes, before the next theme's.
		at := map[string]int{}
		for i, c := range cb.Codes {
			at[c.Key] = i
		}
		if at["fuel_poverty"] > at["support_organisation"] || at["fuel_poverty"] < at["money_debt"] {
			t.Errorf("placed at %d (money_debt %d, support_organisation %d)", at["fuel_poverty"], at["money_debt"], at["support_organisation"])
		}
	})
}

// tagPassages stores two passages: one suggested money_debt and housing,
// one money_debt alone. It returns their ids.
func tagPassages(t *testing.T, st *themes.Store) (both, one uint) {
	t.Helper()
	c, err := st.Coder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := []themes.Unit{
		{Kind: themes.SurveyAnswer, SourceID: "1", Scope: "survey:1:q", Text: "I am in debt and my flat has damp."},
		{Kind: themes.SurveyAnswer, SourceID: "2", Scope: "survey:1:q", Text: "My universal credit was late again."},
	}
	if _, err := st.Add(ctx, c, units, nil); err != nil {
		t.Fatal(err)
	}
	ps := all(t, st, themes.Filter{Scope: "survey:1:q"})
	if len(ps) != 2 || len(ps[0].Suggestions) != 2 || len(ps[1].Suggestions) != 1 || ps[1].Suggestions[0].Code != "money_debt" {
		t.Fatalf("passages %+v", ps)
	}
	return ps[0].ID, ps[1].ID
}

// Merging moves every tag in one transaction, keeps one where a passage
// has both, and is done once however often the confirmation is sent.
func TestMergeCodesMovesTagsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		both, one := tagPassages(t, st)
		for _, ch := range []themes.Choice{
			{PassageID: both, Code: "money_debt", Decision: "accept", UserID: 3},
			{PassageID: both, Code: "housing", Decision: "reject", UserID: 4},
			{PassageID: one, Code: "money_debt", Decision: "accept", UserID: 3},
		} {
			if _, _, err := st.Decide(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.AddCode(ctx, themes.Change{}, themes.Code{Key: "arrears", Parent: "money_debt", Label: "Arrears", Colour: "#000000"}); err != nil {
			t.Fatal(err)
		}
		n, err := st.MergePreview(ctx, "money_debt", "housing")
		if err != nil || n != (themes.MergeCount{Tags: 2, Suggestions: 2, Both: 0}) {
			t.Fatalf("preview %+v %v", n, err)
		}
		for _, tc := range []struct{ from, into, field, want string }{
			{"barriers", "housing", "from", "theme cannot be merged"},
			{"housing", "housing", "into", "different code"},
			{"nothing", "housing", "from", "Choose the code to merge"},
			{"housing", "nothing", "into", "Choose the code to merge it into"},
		} {
			_, err := st.MergePreview(ctx, tc.from, tc.into)
			wantFields(t, tc.from+" into "+tc.into, err, map[string]string{tc.field: tc.want})
			// A code that is not there when the one to merge into is reads
			// as merged already: the confirmation sent twice.
			if res, err := st.MergeCodes(ctx, themes.Change{}, tc.from, tc.into); tc.from != "nothing" {
				wantFields(t, tc.from+" into "+tc.into, err, map[string]string{tc.field: tc.want})
			} else if err != nil || res.Done {
				t.Errorf("merging a code that is gone: %+v %v", res, err)
			}
		}
		res, err := st.MergeCodes(ctx, themes.Change{UserID: 9, Note: "one code for both"}, "money_debt", "housing")
		if err != nil || !res.Done || res.Tags != 2 || res.Suggestions != 2 {
			t.Fatalf("merge %+v %v", res, err)
		}
		again, err := st.MergeCodes(ctx, themes.Change{UserID: 9}, "money_debt", "housing")
		if err != nil || again.Done {
			t.Fatalf("second merge %+v %v", again, err)
		}
		for _, table := range []string{"theme_suggestions", "theme_codings", "theme_decisions"} {
			var left int64
			db.Table(table).Where("code = ?", "money_debt").Count(&left)
			if left != 0 {
				t.Errorf("%d rows of %s still have money_debt", left, table)
			}
		}
		ps := all(t, st, themes.Filter{Scope: "survey:1:q"})
		for _, p := range ps {
			if len(p.Suggestions) != 1 || p.Suggestions[0].Code != "housing" || len(p.Codings) != 1 || p.Codings[0].Code != "housing" || !p.Codings[0].Applies() {
				t.Errorf("passage %d after the merge: %+v %+v", p.ID, p.Suggestions, p.Codings)
			}
		}
		if terms := strings.Join(ps[0].Suggestions[0].Terms, "|"); !strings.Contains(terms, "debt") || !strings.Contains(terms, "damp") {
			t.Errorf("the merged suggestion lost words: %s", terms)
		}
		cb, _ := st.Codebook(ctx)
		h, _ := cb.Code("housing")
		arrears, _ := cb.Code("arrears")
		if cb.Has("money_debt") || arrears.Parent != "housing" || !strings.Contains(strings.Join(h.Terms, "|"), "universal credit") {
			t.Errorf("codebook after the merge: money_debt %v, arrears under %q, housing terms %v", cb.Has("money_debt"), arrears.Parent, h.Terms)
		}
		vs, _ := st.CodebookVersions(ctx, 10)
		if len(vs) != 2 || vs[0].Kind != themes.KindMerge || !strings.Contains(vs[0].Summary, "2 tags and 2 suggestions") {
			t.Errorf("versions %+v", vs)
		}
		var audits int64
		db.Table("audit_events").Where("action = ?", themes.CodesMergedAction).Count(&audits)
		if audits != 1 {
			t.Errorf("%d merge audit entries", audits)
		}
	})
}

// Two officers saving from the same version at once: one wins, the other
// is told to reload, and the history has no fork.
func TestConcurrentEditsDoNotOverwriteEachOther(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, b := themes.NewStore(db), themes.NewStore(db)
		errc := make(chan error, 2)
		for i, st := range []*themes.Store{a, b} {
			go func() {
				c := codeOf(t, st, "caring")
				c.Description = fmt.Sprintf("Version %d", i)
				_, err := st.EditCode(ctx, themes.Change{Base: 0}, "caring", c)
				errc <- err
			}()
		}
		var ok, conflicts int
		for range 2 {
			switch err := <-errc; {
			case err == nil:
				ok++
			case errors.Is(err, errs.ErrConflict):
				conflicts++
			default:
				t.Fatal(err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Fatalf("%d saved, %d conflicts", ok, conflicts)
		}
	})
}

// How long asking for the newest version takes, which Codebook does on
// every call (see bookCache).
func BenchmarkCodebookCheck(b *testing.B) {
	for _, e := range dbtest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			st := themes.NewStore(e.DB)
			c := themes.Code{Key: "bench", Parent: "barriers", Label: "Bench", Colour: "#000000"}
			if _, err := st.AddCode(ctx, themes.Change{}, c); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := st.Codebook(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// What the cache saves on each call: parsing the codebook and compiling
// its terms.
func BenchmarkCodebookParseAndCompile(b *testing.B) {
	cb, err := themes.DefaultCodebook()
	if err != nil {
		b.Fatal(err)
	}
	y, _ := cb.YAML()
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := themes.ParseCodebook(y); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compile", func(b *testing.B) {
		for b.Loop() {
			themes.NewCoder(cb)
		}
	})
}
