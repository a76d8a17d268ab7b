package themes

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// labelled is one comment from an evaluation file, labelled by a person who
// did not write the codebook's terms.
type labelled struct {
	ID           string   `json:"id"`
	Source       string   `json:"source"`
	Text         string   `json:"text"`
	Themes       []string `json:"themes"`
	Safeguarding bool     `json:"safeguarding"`
}

func loadLabelled(t testing.TB, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var l labelled
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("%s line %d: %v", path, n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// counts is a confusion count for one label.
type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c counts) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// scores is what the coder achieves on a labelled set.
type scores struct {
	items        int
	perTheme     map[string]*counts
	micro        counts
	safeguarding counts
	misses       []string // a few examples, for whoever tunes the terms on the dev set
}

func (s scores) macroF1() float64 {
	var sum float64
	for _, c := range s.perTheme {
		sum += c.f1()
	}
	return sum / float64(len(s.perTheme))
}

func evaluate(c *Coder, items []labelled) scores {
	s := scores{items: len(items), perTheme: map[string]*counts{}}
	for _, th := range []string{"quality_of_life", "support_organisation", "barriers"} {
		s.perTheme[th] = &counts{}
	}
	for _, it := range items {
		res := c.Code(it.Text)
		got, want := map[string]bool{}, map[string]bool{}
		for _, th := range res.Themes {
			got[th] = true
		}
		for _, th := range it.Themes {
			want[th] = true
		}
		for th, cc := range s.perTheme {
			switch {
			case got[th] && want[th]:
				cc.tp++
				s.micro.tp++
			case got[th]:
				cc.fp++
				s.micro.fp++
				s.misses = append(s.misses, fmt.Sprintf("%s extra %s: %q", it.ID, th, it.Text))
			case want[th]:
				cc.fn++
				s.micro.fn++
				s.misses = append(s.misses, fmt.Sprintf("%s missed %s: %q", it.ID, th, it.Text))
			}
		}
		switch {
		case res.Safeguarding && it.Safeguarding:
			s.safeguarding.tp++
		case res.Safeguarding:
			s.safeguarding.fp++
			s.misses = append(s.misses, fmt.Sprintf("%s false risk flag: %q", it.ID, it.Text))
		case it.Safeguarding:
			s.safeguarding.fn++
			s.misses = append(s.misses, fmt.Sprintf("%s MISSED RISK: %q", it.ID, it.Text))
		}
	}
	sort.Strings(s.misses)
	return s
}

func (s scores) report(t *testing.T, name string) {
	t.Helper()
	t.Logf("%s: %d comments", name, s.items)
	keys := make([]string, 0, len(s.perTheme))
	for k := range s.perTheme {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := s.perTheme[k]
		t.Logf("  %-22s P %.3f  R %.3f  F1 %.3f  (tp %d fp %d fn %d)", k, c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn)
	}
	t.Logf("  micro F1 %.3f (P %.3f R %.3f), macro F1 %.3f", s.micro.f1(), s.micro.precision(), s.micro.recall(), s.macroF1())
	g := s.safeguarding
	t.Logf("  safeguarding P %.3f R %.3f (tp %d fp %d fn %d)", g.precision(), g.recall(), g.tp, g.fp, g.fn)
}

// TestEvaluation measures the coder against comments labelled by someone who
// never saw the terms. The floors sit just under the figures measured when the
// file was added (docs/THEMES.md), so a change to the terms or the matcher
// that makes coding worse fails here. Nothing in evaluation.jsonl was used to
// write or tune terms; dev.jsonl is the set to look at while tuning.
func TestEvaluation(t *testing.T) {
	cb, err := DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	c := NewCoder(cb)

	dev := evaluate(c, loadLabelled(t, "testdata/dev.jsonl"))
	dev.report(t, "dev (may be inspected while tuning)")

	items := loadLabelled(t, "testdata/evaluation.jsonl")
	if len(items) < 200 {
		t.Fatalf("evaluation set has %d comments, want at least 200", len(items))
	}
	ev := evaluate(c, items)
	ev.report(t, "evaluation (held out)")

	floors := []struct {
		name      string
		got, want float64
	}{
		{"micro F1", ev.micro.f1(), evalFloorMicroF1},
		{"macro F1", ev.macroF1(), evalFloorMacroF1},
		{"safeguarding recall", ev.safeguarding.recall(), evalFloorSafeRecall},
		{"safeguarding precision", ev.safeguarding.precision(), evalFloorSafePrecision},
	}
	for _, f := range floors {
		if f.got < f.want {
			t.Errorf("%s fell to %.3f, below the floor %.3f recorded in docs/THEMES.md", f.name, f.got, f.want)
		}
	}
	if t.Failed() || testing.Verbose() {
		for i, m := range dev.misses {
			if i == 40 {
				break
			}
			t.Log("dev: " + m)
		}
	}
}

// TestEvaluationScoring checks the scoring itself on a hand-worked case, so a
// bug in evaluate cannot flatter the coder.
func TestEvaluationScoring(t *testing.T) {
	c := counts{tp: 6, fp: 2, fn: 4}
	if p, r := c.precision(), c.recall(); p != 0.75 || r != 0.6 {
		t.Fatalf("precision %.3f recall %.3f, want 0.75 and 0.6", p, r)
	}
	if f := c.f1(); f < 0.6666 || f > 0.6667 {
		t.Fatalf("f1 %.4f, want 0.6667", f)
	}
	cb, err := DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	coder := NewCoder(cb)
	// An item labelled with every theme and coded with none is three misses.
	s := evaluate(coder, []labelled{{ID: "x", Text: "Lorem ipsum dolor.", Themes: []string{"quality_of_life", "support_organisation", "barriers"}}})
	if s.micro.fn != 3 || s.micro.tp != 0 || s.micro.f1() != 0 {
		t.Fatalf("got %+v, want three false negatives", s.micro)
	}
}

// Floors: the targets, which the third measurement met (see docs/THEMES.md).
const (
	evalFloorMicroF1       = 0.80 // measured 0.802 with the shipped model trained on eight sets (0.779 on three; 0.764 terms alone; 0.711 before the rework)
	evalFloorMacroF1       = 0.80 // measured 0.802
	evalFloorSafeRecall    = 0.95 // measured 1.000 (24 of 24) (0.958 on three sets; 0.833 terms alone)
	evalFloorSafePrecision = 0.50 // measured 0.522, 22 false flags: the target's floor (0.622 on three sets; 0.800 terms alone)
)
