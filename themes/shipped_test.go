package themes

import (
	"fmt"
	"os"
	"testing"
)

// The shipped model's measurement (docs/THEMES.md). Only the development
// sets are used; evaluation.jsonl is never read here.

// oof holds out-of-fold probabilities: each text scored by a model trained
// without it.
func oofProbs(ex []themeExample, picked []int, opt ThemeModelOptions, folds int) map[int][outputs]float64 {
	out := map[int][outputs]float64{}
	for fold := range folds {
		var train, test []int
		for k, i := range picked {
			if k%folds == fold {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		m := trainThemeModel(ex, train, opt)
		for _, i := range test {
			out[i] = m.probs(ex[i].feats)
		}
	}
	return out
}

func (c *counts) add(want, got bool) {
	switch {
	case want && got:
		c.tp++
	case got:
		c.fp++
	case want:
		c.fn++
	}
}

// chooseOptions picks the options by five-fold cross-validation inside
// the texts picked, and nothing else, from the model's own out-of-fold
// probabilities: L2 by the model's best micro-F1 over the three themes; Add
// as the lowest bar at which the model's theme calls stay addPrecisionAim
// precise; Safeguard as the lowest at which its flags stay sgPrecisionAim
// precise. The combination with the terms is not what is optimised: the
// terms were tuned on dev and dev2, so there they miss almost nothing and
// any addition looks like a false alarm, which is not so on new text.
func chooseOptions(t *testing.T, ex []themeExample, picked []int, verbose bool) ThemeModelOptions {
	grid := []float64{0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05}
	alone := func(p map[int][outputs]float64, o int, th float64) counts {
		var c counts
		for _, i := range picked {
			if o == sgOutput {
				c.add(ex[i].labels[o], p[i][o] >= th)
				continue
			}
			for o := range topThemes {
				c.add(ex[i].labels[o], p[i][o] >= th)
			}
		}
		return c
	}
	best, bestF := shippedOptions, -1.0
	var bestP map[int][outputs]float64
	for _, l2 := range []float64{1e-5, 1e-4, 1e-3} {
		opt := shippedOptions
		opt.L2 = l2
		p := oofProbs(ex, picked, opt, 5)
		for _, th := range grid {
			c := alone(p, 0, th)
			if verbose {
				t.Logf("  l2 %-6g themes at %.2f: P %.3f R %.3f F1 %.3f", l2, th, c.precision(), c.recall(), c.f1())
			}
			if c.f1() > bestF+1e-9 {
				best, bestF, bestP = opt, c.f1(), p
			}
		}
	}
	lowest := func(o int, aim float64) float64 {
		bar := 1.01
		for _, th := range grid {
			c := alone(bestP, o, th)
			if verbose {
				t.Logf("  output %d at %.2f: P %.3f R %.3f (tp %d fp %d fn %d)", o, th, c.precision(), c.recall(), c.tp, c.fp, c.fn)
			}
			if c.precision() < aim {
				break
			}
			bar = th
		}
		return bar
	}
	best.Add, best.Veto, best.Safeguard = lowest(0, addPrecisionAim), 0, lowest(sgOutput, sgPrecisionAim)
	return best
}

// addPrecisionAim is about what the terms achieve on text they were not
// tuned on (held-out micro precision 0.762): a theme the model adds should
// be as likely to be right. sgPrecisionAim sits above the target's floor
// of 0.5, since precision falls on text from a new labeller.
const (
	addPrecisionAim = 0.75
	sgPrecisionAim  = 0.6
)

// foldResult is one row of the cross-set table.
type foldResult struct {
	name         string
	opt          ThemeModelOptions
	terms, model scores
}

func setIndex(t *testing.T) ([]labelledText, map[string][]int) {
	t.Helper()
	var all []labelledText
	idx := map[string][]int{}
	for _, name := range trainingSets {
		items, err := loadTrainingSets([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			idx[name] = append(idx[name], len(all))
			all = append(all, it)
		}
	}
	return all, idx
}

func toLabelled(items []labelledText, picked []int) []labelled {
	out := make([]labelled, len(picked))
	for k, i := range picked {
		it := items[i]
		out[k] = labelled{ID: it.ID, Text: it.Text, Themes: it.Themes, Safeguarding: it.Safeguarding}
	}
	return out
}

// crossSet trains on the sets named in train (thresholds by
// cross-validation inside them) and measures once on test, with the terms
// alone and with the model.
func crossSet(t *testing.T, c *Coder, items []labelledText, ex []themeExample, idx map[string][]int, train []string, test string) foldResult {
	var picked []int
	for _, n := range train {
		picked = append(picked, idx[n]...)
	}
	opt := chooseOptions(t, ex, picked, os.Getenv("CODESIGN_SHIPPED_GRID") != "")
	m := trainThemeModel(ex, picked, opt)
	plain := c.termsOnly()
	withModel := c.termsOnly()
	withModel.shipped = m
	tests := toLabelled(items, idx[test])
	return foldResult{name: fmt.Sprintf("train %v, test %s", train, test), opt: opt,
		terms: evaluate(plain, tests), model: evaluate(withModel, tests)}
}

// TestShippedModelCrossSet measures the shipped model the honest way:
// for each set from a labeller whose comments the terms were never tuned
// on (dev3 to dev8), the model is trained on every other set, its numbers
// chosen by cross-validation inside them, and measured on the one left
// out. dev and dev2 are not held out: the terms were tuned on them, so the
// terms alone would look far better there than on new text. -v prints the
// table; CODESIGN_SHIPPED_GRID=1 the grids.
func TestShippedModelCrossSet(t *testing.T) {
	c := newTestCoder(t)
	items, idx := setIndex(t)
	ex := c.themeExamples(items)
	var all counts
	for _, f := range shippedCrossFloors {
		var train []string
		for _, n := range trainingSets {
			if n != f.test {
				train = append(train, n)
			}
		}
		r := crossSet(t, c, items, ex, idx, train, f.test)
		t.Logf("%s held out: chosen L2 %g, add %.2f, safeguard %.2f", f.test, r.opt.L2, r.opt.Add, r.opt.Safeguard)
		r.terms.report(t, "  terms alone on "+f.test)
		r.model.report(t, "  terms and model on "+f.test)
		all.tp, all.fp, all.fn = all.tp+r.model.safeguarding.tp, all.fp+r.model.safeguarding.fp, all.fn+r.model.safeguarding.fn
		if r.model.micro.f1() < f.micro || r.model.safeguarding.recall() < f.sgRec {
			t.Errorf("%s: micro F1 %.3f, safeguarding recall %.3f, under the floors %.2f and %.2f", f.test,
				r.model.micro.f1(), r.model.safeguarding.recall(), f.micro, f.sgRec)
		}
		if p := r.model.safeguarding.precision(); p < 0.5 {
			t.Errorf("%s: safeguarding precision %.3f under 0.5", f.test, p)
		}
	}
	t.Logf("safeguarding over every set held out: P %.3f R %.3f (tp %d fp %d fn %d)", all.precision(), all.recall(), all.tp, all.fp, all.fn)
}

// shippedCrossFloors: just under what TestShippedModelCrossSet measured
// (docs/THEMES.md).
var shippedCrossFloors = []struct {
	test         string
	micro, sgRec float64
}{
	{"testdata/dev3.jsonl", 0.74, 0.92}, // measured 0.748, recall 0.925, 49 of 53
	{"testdata/dev4.jsonl", 0.78, 0.95}, // measured 0.791, recall 0.958, 46 of 48
	{"testdata/dev5.jsonl", 0.79, 0.82}, // measured 0.796, recall 0.824, 42 of 51
	{"testdata/dev6.jsonl", 0.81, 0.93}, // measured 0.818, recall 0.939, 46 of 49
	{"testdata/dev7.jsonl", 0.78, 0.96}, // measured 0.785, recall 0.962, 50 of 52
	{"testdata/dev8.jsonl", 0.77, 0.86}, // measured 0.781, recall 0.868, 46 of 53
}

// TestShippedOptions checks that the shipped model's numbers are what
// chooseOptions picks by cross-validation inside every set it is trained
// on (trainingSets).
func TestShippedOptions(t *testing.T) {
	c := newTestCoder(t)
	items, _ := setIndex(t)
	ex := c.themeExamples(items)
	all := make([]int, len(ex))
	for i := range all {
		all[i] = i
	}
	opt := chooseOptions(t, ex, all, os.Getenv("CODESIGN_SHIPPED_GRID") != "")
	if opt != shippedOptions {
		t.Errorf("cross-validation on all the sets chooses %+v; shipped.go has %+v", opt, shippedOptions)
	}
}

// BenchmarkShippedModelTraining is the start-up cost: the first NewCoder
// in a process trains the shipped model from the embedded sets.
func BenchmarkShippedModelTraining(b *testing.B) {
	cb, err := DefaultCodebook()
	if err != nil {
		b.Fatal(err)
	}
	items, err := loadTrainingSets(trainingSets)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		ex := newTermCoder(cb).themeExamples(items)
		all := make([]int, len(ex))
		for i := range all {
			all[i] = i
		}
		trainThemeModel(ex, all, shippedOptions)
	}
}
