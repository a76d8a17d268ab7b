package themes

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Example is one passage facilitators have decided on: what learning reads.
type Example struct {
	ID       uint // orders the examples and deals them into folds
	Text     string
	Applied  []string // codes accepted or added
	Rejected []string
	Pending  []string // codes suggested that nobody has decided on yet
}

// Score counts a code's right and wrong calls.
type Score struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	FN int `json:"fn"`
	TN int `json:"tn"`
}

// Precision is the share of calls that were right.
func (s Score) Precision() float64 { return frac(s.TP, s.TP+s.FP) }

// Recall is the share of true cases that were found.
func (s Score) Recall() float64 { return frac(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Accuracy is the share of all calls that were right.
func (s Score) Accuracy() float64 { return frac(s.TP+s.TN, s.TP+s.TN+s.FP+s.FN) }

func (s *Score) add(o Score) { s.TP, s.FP, s.FN, s.TN = s.TP+o.TP, s.FP+o.FP, s.FN+o.FN, s.TN+o.TN }

func (s *Score) count(want, got bool) {
	switch {
	case want && got:
		s.TP++
	case got:
		s.FP++
	case want:
		s.FN++
	default:
		s.TN++
	}
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// CodeStats is what learning knows about one code.
type CodeStats struct {
	Code      string `json:"code"`
	Positives int    `json:"positives"`
	Negatives int    `json:"negatives"`
	Trained   bool   `json:"trained"`
	// For trained codes, by cross-validation: the terms alone, and the terms
	// with the classifiers.
	Term    Score `json:"term"`
	Blended Score `json:"blended"`
}

// labeller says, from the decisions on a passage, whether each code
// applies. A code applies when it or a code under it was accepted or added.
// It does not when it (or a code under it) was rejected and nothing under
// it applied, or when other codes were confirmed and nothing under it was
// suggested or added: facilitators who confirm a passage's codes are taken
// to have added any other that applied. A code still waiting for a
// decision is unknown, as is every code of a passage with nothing
// confirmed and nothing rejected under it.
type labeller struct{ covers map[string][]string }

func newLabeller(cb *Codebook) labeller {
	parent := map[string]string{}
	for _, c := range cb.Codes {
		parent[c.Key] = c.Parent
	}
	l := labeller{covers: map[string][]string{}}
	for _, c := range cb.Codes {
		for k, steps := c.Key, 0; k != "" && steps <= len(parent); k, steps = parent[k], steps+1 {
			l.covers[c.Key] = append(l.covers[c.Key], k)
		}
	}
	return l
}

// labels returns +1 or -1 for each code known on e, and nothing for unknown.
func (l labeller) labels(e Example) map[string]int {
	mark := func(codes []string) map[string]bool {
		out := map[string]bool{}
		for _, c := range codes {
			for _, k := range l.covers[c] {
				out[k] = true
			}
		}
		return out
	}
	applied, pending, rejected := mark(e.Applied), mark(e.Pending), mark(e.Rejected)
	out := map[string]int{}
	for code := range l.covers {
		switch {
		case applied[code]:
			out[code] = 1
		case pending[code]:
		case rejected[code] || len(applied) > 0:
			out[code] = -1
		}
	}
	return out
}

// minDF is how many passages a feature must appear in to be learned from:
// a word one resident used once (a name) is never kept.
const minDF = 2

// maxWeights bounds a classifier's stored features; the rest weigh least.
const maxWeights = 3000

// dataset is examples as feature vectors.
type dataset struct {
	vocab  []string
	rows   [][]int32 // feature indices of each example, sorted
	x      []float64 // each feature's value: scaled by all the passage's features, as in coding
	labels []map[string]int
	terms  []map[string]bool // the codes the terms alone stand for
}

// newDataset reads the examples' features, labels and term matches; c
// codes by the terms alone.
func newDataset(c *Coder, lab labeller, examples []Example) *dataset {
	n := len(examples)
	d := &dataset{rows: make([][]int32, n), x: make([]float64, n), labels: make([]map[string]int, n), terms: make([]map[string]bool, n)}
	keys := make([][]string, len(examples))
	df := map[string]int{}
	for i, e := range examples {
		toks := tokenize(e.Text)
		for _, f := range featuresOf(toks, clauseBreaks(e.Text, toks)) {
			keys[i] = append(keys[i], f.key)
			df[f.key]++
		}
		if len(keys[i]) > 0 {
			d.x[i] = scale(len(keys[i]))
		}
		d.labels[i] = lab.labels(e)
		d.terms[i] = lab.found(c.Code(e.Text))
	}
	index := map[string]int32{}
	for k, n := range df {
		if n >= minDF {
			d.vocab = append(d.vocab, k)
		}
	}
	sort.Strings(d.vocab)
	for i, k := range d.vocab {
		index[k] = int32(i)
	}
	for i, ks := range keys {
		for _, k := range ks {
			if j, ok := index[k]; ok {
				d.rows[i] = append(d.rows[i], j)
			}
		}
	}
	return d
}

// counts returns each code's positives and negatives among the examples
// picked.
func (d *dataset) counts(picked []int) map[string][2]int {
	out := map[string][2]int{}
	for _, i := range picked {
		for code, y := range d.labels[i] {
			c := out[code]
			if y > 0 {
				c[0]++
			} else {
				c[1]++
			}
			out[code] = c
		}
	}
	return out
}

// train fits a classifier for every code with enough examples among those
// picked.
func (d *dataset) train(picked []int, opt LearnOptions) modelParams {
	p := modelParams{Options: opt, Codes: map[string]codeParams{}}
	counts := d.counts(picked)
	codes := make([]string, 0, len(counts))
	for code, c := range counts {
		if c[0] >= opt.MinExamples && c[1] >= opt.MinExamples {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		p.Codes[code] = d.fit(code, picked, opt)
	}
	return p
}

// fit trains one code's classifier: its passages' features, and whether
// the terms matched the code as one more input (unregularised).
func (d *dataset) fit(code string, picked []int, opt LearnOptions) codeParams {
	// Labels and term matches are read once: maps in the inner loop cost
	// most of the time.
	var rows []lrRow
	for _, i := range picked {
		y, ok := d.labels[i][code]
		if !ok {
			continue
		}
		hit := 0.0
		if d.terms[i][code] {
			hit = 1
		}
		rows = append(rows, lrRow{idx: d.rows[i], x: d.x[i], extra: []float64{hit}, y: float64(max(y, 0))})
	}
	f := logisticFit(rows, len(d.vocab), 1, opt.Epochs, opt.L2)
	return codeParams{Bias: f.bias, Term: f.extra[0], Weights: d.keep(f.v, f.wscale)}
}

// lrRow is one example for logisticFit: sparse features idx, each worth
// val[k] (or x, when val is nil), dense inputs extra that are not
// regularised, and the label y (0 or 1).
type lrRow struct {
	idx   []int32
	val   []float64
	x     float64
	extra []float64
	y     float64
}

// lrFit is a fitted logistic regression: the sparse weights are v*wscale.
type lrFit struct {
	v      []float64
	wscale float64
	bias   float64
	extra  []float64
}

// logisticFit is L2-regularised logistic regression by stochastic gradient
// descent (Bottou's schedule, the weight decay kept as one scale factor so
// a step costs only the example's features). The examples are visited in
// an order drawn from a fixed seed: the same examples always give the same
// model. Both the facilitators' classifiers (above) and the shipped theme
// model (shipped.go) are fitted here.
func logisticFit(rows []lrRow, dim, nExtra, epochs int, l2 float64) lrFit {
	v := make([]float64, dim)
	ew := make([]float64, nExtra)
	wscale, bias, eta0, t := 1.0, 0.0, 0.5, 0.0
	rng := rand.New(rand.NewPCG(1, 2)) // #nosec G404 -- shuffles training order with a fixed seed so a model is reproducible; nothing secret
	for range epochs {
		for _, r := range rng.Perm(len(rows)) {
			row := &rows[r]
			x := row.x
			z := bias
			for e, xe := range row.extra {
				z += ew[e] * xe
			}
			for k, j := range row.idx {
				if row.val != nil {
					x = row.val[k]
				}
				z += wscale * v[j] * x
			}
			g := sigmoid(z) - row.y
			eta := eta0 / (1 + eta0*l2*t)
			t++
			wscale *= 1 - eta*l2
			for k, j := range row.idx {
				if row.val != nil {
					x = row.val[k]
				}
				v[j] -= eta * g * x / wscale
			}
			bias -= eta * g
			for e, xe := range row.extra {
				ew[e] -= eta * g * xe
			}
			if wscale < 1e-6 {
				for j := range v {
					v[j] *= wscale
				}
				wscale = 1
			}
		}
	}
	return lrFit{v: v, wscale: wscale, bias: bias, extra: ew}
}

// keep returns the weights worth storing: the maxWeights largest, none
// under 0.01.
func (d *dataset) keep(v []float64, wscale float64) map[string]float64 {
	idx := make([]int, 0, len(v))
	for j := range v {
		if math.Abs(v[j]*wscale) >= 0.01 {
			idx = append(idx, j)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(v[idx[a]]) > math.Abs(v[idx[b]]) })
	if len(idx) > maxWeights {
		idx = idx[:maxWeights]
	}
	out := make(map[string]float64, len(idx))
	for _, j := range idx {
		out[d.vocab[j]] = v[j] * wscale
	}
	return out
}

// Learn trains a model on the examples with c's codebook and measures it by
// k-fold cross-validation: each passage is coded by a model that never saw
// it, with and without the classifiers, and compared with what the
// facilitators decided. progress, if given, hears each step.
func Learn(c *Coder, examples []Example, opt LearnOptions, progress func(done, total int)) *Model {
	plain := *c // the terms alone, whatever model c has
	plain.learned = nil
	c = &plain
	examples = append([]Example(nil), examples...)
	sort.SliceStable(examples, func(i, j int) bool { return examples[i].ID < examples[j].ID })
	d := newDataset(c, newLabeller(c.cb), examples)
	all := make([]int, len(examples))
	for i := range all {
		all[i] = i
	}
	total := opt.Folds + 1
	step := func(n int) {
		if progress != nil {
			progress(n, total)
		}
	}
	m := d.train(all, opt).compile()
	m.Examples = len(examples)
	step(1)
	term, blended := d.crossValidate(c, examples, m, opt, func(fold int) { step(1 + fold) })
	counts := d.counts(all)
	for _, code := range c.cb.Codes {
		st := CodeStats{Code: code.Key, Positives: counts[code.Key][0], Negatives: counts[code.Key][1]}
		if _, ok := m.params.Codes[code.Key]; ok {
			st.Trained, st.Term, st.Blended = true, term[code.Key], blended[code.Key]
			m.Term.add(st.Term)
			m.Blended.add(st.Blended)
		}
		m.Stats = append(m.Stats, st)
	}
	return m
}

// crossValidate scores the codes the full model trained, fold by fold.
func (d *dataset) crossValidate(c *Coder, examples []Example, full *Model, opt LearnOptions, done func(fold int)) (term, blended map[string]Score) {
	term, blended = map[string]Score{}, map[string]Score{}
	if full.Trained() == 0 || opt.Folds < 2 {
		return term, blended
	}
	lab := newLabeller(c.cb)
	for fold := range opt.Folds {
		var train, test []int
		for i := range examples {
			if i%opt.Folds == fold {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		withModel := c.WithModel(d.train(train, opt).compile())
		for _, i := range test {
			plain, learnt := d.terms[i], lab.found(withModel.Code(examples[i].Text))
			for _, code := range full.codes {
				y, known := d.labels[i][code]
				if !known {
					continue
				}
				t, b := term[code], blended[code]
				t.count(y > 0, plain[code])
				b.count(y > 0, learnt[code])
				term[code], blended[code] = t, b
			}
		}
		done(fold + 1)
	}
	return term, blended
}

// found is every code a result stands for: the codes suggested and the
// codes above them.
func (l labeller) found(r Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Suggestions {
		for _, k := range l.covers[s.Code] {
			out[k] = true
		}
	}
	return out
}
