package themes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// learnBook is a small codebook for the learning tests: green_spaces has
// no terms at all, and housing's "flat" also means a mood.
const learnBook = `codes:
  - key: quality_of_life
    label: Quality of life
    description: What affects life.
    colour: "#112233"
  - key: housing
    parent: quality_of_life
    label: Housing
    description: Homes.
    colour: "#223344"
    terms: [flat, damp, landlord]
  - key: money_debt
    parent: quality_of_life
    label: Money
    description: Money and debt.
    colour: "#334455"
    terms: [money, debt, bills]
  - key: green_spaces
    parent: quality_of_life
    label: Green spaces
    description: Parks, gardens and growing things.
    colour: "#445566"
`

func learnCoder(t testing.TB) *Coder {
	t.Helper()
	cb, err := ParseCodebook([]byte(learnBook))
	if err != nil {
		t.Fatal(err)
	}
	return NewCoder(cb)
}

// fill makes n sentences from a template and two lists of words.
func fill(n int, format string, a, b []string) []string {
	var out []string
	for i := 0; len(out) < n; i++ {
		out = append(out, fmt.Sprintf(format, a[i%len(a)], b[(i/len(a))%len(b)]))
	}
	return out
}

// syntheticDecisions is what facilitators might have decided on 100
// passages: gardens added as green_spaces (no term suggests it), "flat" as a
// mood rejected as housing, "flat" as a home accepted, money accepted.
func syntheticDecisions(t testing.TB, c *Coder) []Example {
	t.Helper()
	var out []Example
	add := func(texts []string, decide func(e *Example, suggested []string)) {
		for _, text := range texts {
			e := Example{ID: uint(len(out) + 1), Text: text}
			var suggested []string
			for _, s := range c.Code(text).Suggestions {
				suggested = append(suggested, s.Code)
			}
			decide(&e, suggested)
			out = append(out, e)
		}
	}
	accept := func(e *Example, s []string) { e.Applied = append(e.Applied, s...) }
	add(fill(25, "We grow %s at the allotment and the community garden %s.",
		[]string{"beans", "potatoes", "tomatoes", "herbs", "flowers"}, []string{"keeps me going", "is where I feel at peace", "gets me outside", "is full of neighbours", "calms my mind"}),
		func(e *Example, s []string) { e.Applied = append(e.Applied, "green_spaces") })
	add(fill(25, "I feel flat and %s %s.", []string{"low", "tired", "empty", "numb", "sad"},
		[]string{"most days", "since the winter", "all the time", "in the mornings", "every evening"}),
		func(e *Example, s []string) { e.Rejected = append(e.Rejected, s...) })
	add(fill(25, "Our flat is %s and the landlord %s.", []string{"cold", "overcrowded", "mouldy", "falling apart", "too small"},
		[]string{"never comes", "ignores us", "will not repair it", "puts the rent up", "blames us"}), accept)
	add(fill(25, "Money is tight after the %s and %s.", []string{"rent", "gas", "food shop", "council tax", "electric"},
		[]string{"we are in debt", "the bills pile up", "I borrow from my sister", "the kids need shoes", "I skip meals"}), accept)
	return out
}

func suggested(r Result, code string) *Suggestion {
	for i := range r.Suggestions {
		if r.Suggestions[i].Code == code {
			return &r.Suggestions[i]
		}
	}
	return nil
}

func TestLearnSuggestsACodeThatHasNoTerms(t *testing.T) {
	c := learnCoder(t)
	m := Learn(c, syntheticDecisions(t, c), DefaultLearnOptions(), nil)
	if !slices.Contains(m.codes, "green_spaces") {
		t.Fatalf("green_spaces not trained: %+v", m.Stats)
	}
	text := "We grow herbs and potatoes at the allotment."
	if s := suggested(c.Code(text), "green_spaces"); s != nil {
		t.Fatalf("the terms alone suggested green_spaces: %+v", s)
	}
	s := suggested(c.WithModel(m).Code(text), "green_spaces")
	if s == nil {
		t.Fatalf("the model did not suggest green_spaces for %q", text)
	}
	if len(s.Terms) == 0 || s.Confidence <= baseConfidence*0.5 || s.Sentence != text || text[s.Start:s.End] != s.Sentence {
		t.Errorf("bad evidence: %+v", s)
	}
	for _, term := range s.Terms {
		if !strings.Contains(text, term) {
			t.Errorf("evidence %q is not in the sentence as written", term)
		}
	}
	if s := suggested(c.WithModel(m).Code("The bus into town is always late."), "green_spaces"); s != nil {
		t.Errorf("green_spaces suggested for an unrelated sentence: %+v", s)
	}
}

func TestLearnDropsATermMatchFacilitatorsReject(t *testing.T) {
	c := learnCoder(t)
	m := Learn(c, syntheticDecisions(t, c), DefaultLearnOptions(), nil)
	lc := c.WithModel(m)
	mood := "Lately I feel flat and worn out."
	if suggested(c.Code(mood), "housing") == nil {
		t.Fatalf("the terms alone should suggest housing for %q", mood)
	}
	if s := suggested(lc.Code(mood), "housing"); s != nil {
		t.Errorf("housing still suggested for a mood after facilitators rejected it: %+v", s)
	}
	home := "The flat is overcrowded and the landlord will not listen."
	s, plain := suggested(lc.Code(home), "housing"), suggested(c.Code(home), "housing")
	if s == nil || plain == nil {
		t.Fatalf("housing dropped for a home: %+v", lc.Code(home).Suggestions)
	}
	if s.Confidence <= plain.Confidence || !reflect.DeepEqual(s.Terms, plain.Terms) {
		t.Errorf("blended %+v, terms alone %+v: want higher confidence and the same evidence", s, plain)
	}
}

func TestLearnIsDeterministic(t *testing.T) {
	c := learnCoder(t)
	ex := syntheticDecisions(t, c)
	one, two := Learn(c, ex, DefaultLearnOptions(), nil), Learn(c, slices.Clone(ex), DefaultLearnOptions(), nil)
	a, _ := json.Marshal(one.params)
	b, _ := json.Marshal(two.params)
	if !bytes.Equal(a, b) || !reflect.DeepEqual(one.Stats, two.Stats) {
		t.Fatal("two trainings on the same decisions differ")
	}
	text := "We grow herbs at the allotment. I feel flat and low. Our flat is damp."
	if x, y := c.WithModel(one).Code(text), c.WithModel(two).Code(text); !reflect.DeepEqual(x, y) {
		t.Fatalf("the two models code differently:\n%+v\n%+v", x, y)
	}
}

func TestLearnNeedsEnoughExamples(t *testing.T) {
	c := learnCoder(t)
	ex := syntheticDecisions(t, c)
	opt := DefaultLearnOptions()
	opt.MinExamples = 26 // every code has 25 positives
	m := Learn(c, ex, opt, nil)
	// quality_of_life pools its codes: 75 passages where one applied, and
	// the 25 where the only suggestion was rejected.
	want := map[string][2]int{"quality_of_life": {75, 25}, "housing": {25, 75}, "money_debt": {25, 50}, "green_spaces": {25, 50}}
	for _, st := range m.Stats {
		if st.Trained || [2]int{st.Positives, st.Negatives} != want[st.Code] {
			t.Errorf("%+v, want untrained with %v", st, want[st.Code])
		}
	}
	if c.WithModel(m) != c {
		t.Error("a model with nothing trained changed the coder")
	}
}

func TestLearnLabels(t *testing.T) {
	lab := newLabeller(learnCoder(t).cb)
	cases := []struct {
		e    Example
		want map[string]int
	}{
		{Example{Applied: []string{"housing"}}, map[string]int{"quality_of_life": 1, "housing": 1, "money_debt": -1, "green_spaces": -1}},
		{Example{Rejected: []string{"housing"}}, map[string]int{"quality_of_life": -1, "housing": -1}},
		{Example{Applied: []string{"money_debt"}, Pending: []string{"housing"}}, map[string]int{"quality_of_life": 1, "money_debt": 1, "green_spaces": -1}},
		{Example{Pending: []string{"housing"}}, map[string]int{}},
	}
	for _, tc := range cases {
		if got := lab.labels(tc.e); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: labels %v, want %v", tc.e, got, tc.want)
		}
	}
}

func TestLearnFeaturesMarkNegationAndBigrams(t *testing.T) {
	text := "No waiting list, but the GP never called back."
	toks := tokenize(text)
	var keys []string
	for _, f := range featuresOf(toks, clauseBreaks(text, toks)) {
		keys = append(keys, f.key)
	}
	for _, want := range []string{"no", "not_wait", "not_wait list", "gp", "never", "not_call", "not_call back"} {
		if !slices.Contains(keys, want) {
			t.Errorf("features %v lack %q", keys, want)
		}
	}
	for _, unwanted := range []string{"not_gp", "the", "list gp"} {
		if slices.Contains(keys, unwanted) {
			t.Errorf("features %v have %q", keys, unwanted)
		}
	}
}

// With no model, or one with nothing trained, the coder is itself.
func TestWithNoModelTheCoderIsUnchanged(t *testing.T) {
	c := learnCoder(t)
	empty := Learn(c, nil, DefaultLearnOptions(), nil)
	if c.WithModel(nil) != c || c.WithModel(empty) != c {
		t.Fatal("a coder with no trained model is not the coder itself")
	}
}

// A model whose classifiers are all for codes this codebook lacks goes
// through the whole blend and must leave every result byte for byte as the
// terms alone give it.
func TestModelWithNothingToSayChangesNothing(t *testing.T) {
	c := learnCoder(t)
	foreign := Learn(c, syntheticDecisions(t, c), DefaultLearnOptions(), nil)
	d := newTestCoder(t)
	p := foreign.params
	p.Codes = map[string]codeParams{"not_in_any_codebook": p.Codes["green_spaces"], "nor_this_one": p.Codes["housing"]}
	m := p.compile()
	if d.WithModel(m) == d || d.WithModel(m).learned == nil {
		t.Fatal("the blend is not exercised")
	}
	texts := append([]string{"", " ", "<b>flat</b> \xff money 😀 Я", "No money worries, but the flat is damp."}, benchComments...)
	for _, f := range []string{"testdata/dev.jsonl", "testdata/evaluation.jsonl"} {
		for _, l := range loadLabelled(t, f) {
			texts = append(texts, l.Text)
		}
	}
	for _, text := range texts {
		a, _ := json.Marshal(d.Code(text))
		b, _ := json.Marshal(d.WithModel(m).Code(text))
		if !bytes.Equal(a, b) {
			t.Fatalf("%q:\nterms alone %s\nwith model  %s", text, a, b)
		}
	}
}
