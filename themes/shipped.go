package themes

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// The shipped theme model. One L2-regularised logistic regression per
// top-level theme and one for safeguarding, over a whole text: the coder's
// own stems (marked "not_" in a negation scope) and bigrams (featuresOf,
// learn.go). What the terms found is deliberately not a feature
// (textFeatures says why). It is trained once per
// process, at the first NewCoder, from the labelled development sets
// embedded below, with the default codebook's terms, and shared by every
// coder whose codebook has the three themes.
//
// It is combined with the terms: a theme is suggested when the terms
// suggest it or the model's probability reaches Add; a theme the terms
// suggest would be dropped under Veto, which is 0: cross-validation found
// no veto that helped. Safeguarding is
// flagged when the lexicon fires or the probability reaches Safeguard, a
// low bar on purpose. The numbers were chosen by cross-validation
// (docs/THEMES.md, TestShippedModelCrossSet).

//go:embed testdata/dev.jsonl testdata/dev2.jsonl testdata/dev3.jsonl testdata/dev4.jsonl testdata/dev5.jsonl
//go:embed testdata/dev6.jsonl testdata/dev7.jsonl testdata/dev8.jsonl
var trainingFiles embed.FS

// trainingSets are the labelled sets the shipped model learns from. The
// held-out evaluation set is never one of them.
var trainingSets = []string{"testdata/dev.jsonl", "testdata/dev2.jsonl", "testdata/dev3.jsonl", "testdata/dev4.jsonl",
	"testdata/dev5.jsonl", "testdata/dev6.jsonl", "testdata/dev7.jsonl", "testdata/dev8.jsonl"}

// topThemes are the themes the model scores, in the order of its outputs;
// safeguarding is the last output.
var topThemes = []string{"quality_of_life", "support_organisation", "barriers"}

const (
	sgOutput = 3 // index of safeguarding among the model's outputs
	outputs  = 4
)

// ThemeModelOptions are the numbers of the shipped model.
type ThemeModelOptions struct {
	L2     float64
	Epochs int
	// Add: a theme the terms do not suggest is suggested at this
	// probability or more.
	Add float64
	// Veto: a theme the terms suggest is dropped under this probability.
	Veto float64
	// Safeguard: a text is flagged at this probability or more.
	Safeguard float64
}

// shippedOptions were chosen by cross-validation (docs/THEMES.md).
var shippedOptions = ThemeModelOptions{L2: 1e-3, Epochs: 20, Add: 0.4, Veto: 0, Safeguard: 0.15}

// labelledText is one comment of a labelled set.
type labelledText struct {
	ID           string   `json:"id"`
	Text         string   `json:"text"`
	Themes       []string `json:"themes"`
	Safeguarding bool     `json:"safeguarding"`
}

func parseLabelled(data []byte) ([]labelledText, error) {
	var out []labelledText
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var l labelledText
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// themeModel is the fitted model: read-only, safe for concurrent use.
type themeModel struct {
	opt  ThemeModelOptions
	bias [outputs]float64
	post map[string][]posting // feature -> the outputs that weigh it
}

// textFeature is one feature of a whole text. A word feature remembers the
// sentence and tokens it came from, for evidence; a term feature has
// sent -1.
type textFeature struct {
	key            string
	val            float64
	sent, from, to int
}

// analysis is a text coded by the terms, before the shipped model.
type analysis struct {
	res      Result
	sents    []coded
	keep     map[string]bool
	riskSeen bool // the lexicon fired, before risk told of as over was cleared
}

// riskSetAside reports whether the lexicon read risk words in the text and
// set them aside as denied, supposed or spoken of ("I'm not suicidal",
// "unless he's self harming"), or the whole text tells of risk as over.
// The model, which sees only words, does not overrule that judgement.
func (a *analysis) riskSetAside() bool {
	if a.riskSeen && !a.res.Safeguarding {
		return true
	}
	for _, cs := range a.sents {
		if cs.riskSetAside {
			return true
		}
	}
	return false
}

// textFeatures returns the features of a coded text, sorted by key, or
// none when it has no words: its stems and bigrams, each worth 1. (Scaled
// to unit length together, a one-word answer gave its word the whole weight
// and "money" or "nothing to add" crossed the safeguarding bar on its own;
// at 1 each, a short text has little evidence.) What the terms found is not
// a feature: the terms were tuned on the very sets the model learns from,
// so there they look far more reliable than they are on new text, and a
// model that weighs them learns to add little to them (docs/THEMES.md).
func textFeatures(a *analysis) []textFeature {
	var words []textFeature
	for si, cs := range a.sents {
		for _, f := range featuresOf(cs.toks, cs.gaps) {
			words = append(words, textFeature{key: f.key, sent: si, from: f.from, to: f.to})
		}
	}
	if len(words) == 0 {
		return nil
	}
	sort.SliceStable(words, func(i, j int) bool { return words[i].key < words[j].key })
	uniq := words[:0]
	for i, f := range words {
		if i == 0 || f.key != words[i-1].key {
			uniq = append(uniq, f)
		}
	}
	for i := range uniq {
		uniq[i].val = 1
	}
	return uniq
}

// probs scores a text's features with each output.
func (m *themeModel) probs(fs []textFeature) [outputs]float64 {
	z := m.bias
	for _, f := range fs {
		for _, p := range m.post[f.key] {
			z[p.code] += p.w * f.val
		}
	}
	for i := range z {
		z[i] = sigmoid(z[i])
	}
	return z
}

// evidence returns the sentence whose words weigh most for output o and up
// to three of its words, as written, that weigh most.
func (m *themeModel) evidence(o int, fs []textFeature, a *analysis) (int, []string) {
	type contrib struct {
		f textFeature
		w float64
	}
	var cs []contrib
	bySent := map[int]float64{}
	for _, f := range fs {
		for _, p := range m.post[f.key] {
			if p.code == o && p.w > 0 {
				cs = append(cs, contrib{f, p.w})
				bySent[f.sent] += p.w
			}
		}
	}
	if len(cs) == 0 {
		return -1, nil
	}
	best := -1
	for s, w := range bySent {
		if best < 0 || w > bySent[best] || (w == bySent[best] && s < best) {
			best = s
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].w > cs[j].w })
	cs2 := a.sents[best]
	used := make([]bool, len(cs2.toks))
	var out []string
	for _, c := range cs {
		if len(out) == 3 {
			break
		}
		if c.f.sent != best || used[c.f.from] || used[c.f.to-1] {
			continue
		}
		for i := c.f.from; i < c.f.to; i++ {
			used[i] = true
		}
		out = appendUnique(out, wordsOf(cs2.text, cs2.toks[c.f.from:c.f.to]))
	}
	return best, out
}

// apply adds to a coded text what the model says: themes the terms missed,
// themes the terms found that it is sure are wrong, and risk.
func (m *themeModel) apply(a *analysis) {
	fs := textFeatures(a)
	if len(fs) == 0 {
		return
	}
	p := m.probs(fs)
	res := &a.res
	for o, th := range topThemes {
		has := hasTheme(res.Suggestions, th)
		switch {
		case has && p[o] < m.opt.Veto:
			kept := res.Suggestions[:0]
			for _, s := range res.Suggestions {
				if s.Theme != th {
					kept = append(kept, s)
				}
			}
			res.Suggestions = kept
		case !has && p[o] >= m.opt.Add:
			si, words := m.evidence(o, fs, a)
			if si < 0 {
				continue
			}
			cs := a.sents[si]
			res.Suggestions = append(res.Suggestions, Suggestion{Code: th, Theme: th, Confidence: mix(baseConfidence, p[o], 0.5),
				Sentence: cs.text, Start: cs.s.start, End: cs.s.end, Terms: words})
			res.Uncoded = dropUncoded(res.Uncoded, cs.text)
		}
	}
	if !res.Safeguarding && !a.riskSetAside() && p[sgOutput] >= m.opt.Safeguard {
		if si, words := m.evidence(sgOutput, fs, a); si >= 0 {
			cs := a.sents[si]
			res.Safeguarding = true
			res.Risk = append(res.Risk, Suggestion{Code: safeguardingKey, Confidence: math.Round(p[sgOutput]*1000) / 1000,
				Sentence: cs.text, Start: cs.s.start, End: cs.s.end, Terms: words})
		}
	}
}

func dropUncoded(list []Uncoded, sentence string) []Uncoded {
	out := list[:0]
	for _, u := range list {
		if u.Sentence != sentence {
			out = append(out, u)
		}
	}
	return out
}

// themeExample is one labelled text as features.
type themeExample struct {
	feats  []textFeature
	labels [outputs]bool
	terms  [outputs]bool // what the coder without the model says
}

// themeExamples codes each labelled text with the terms alone, on every
// core; each result lands at its text's index, so the order never varies.
func (c *Coder) themeExamples(items []labelledText) []themeExample {
	plain := c.termsOnly()
	out := make([]themeExample, len(items))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(items)/64))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				it := items[i]
				a := plain.analyse(it.Text)
				out[i].feats = textFeatures(&a)
				for o, th := range topThemes {
					out[i].labels[o] = slices.Contains(it.Themes, th)
					out[i].terms[o] = a.keep[th] && hasTheme(a.res.Suggestions, th)
				}
				out[i].labels[sgOutput] = it.Safeguarding
				out[i].terms[sgOutput] = a.res.Safeguarding
			}
		}()
	}
	wg.Wait()
	return out
}

func hasTheme(list []Suggestion, th string) bool {
	for _, s := range list {
		if s.Theme == th {
			return true
		}
	}
	return false
}

// trainThemeModel fits the four outputs on the examples picked. A feature
// must occur in at least minDF of them.
func trainThemeModel(ex []themeExample, picked []int, opt ThemeModelOptions) *themeModel {
	df := map[string]int{}
	for _, i := range picked {
		for _, f := range ex[i].feats {
			df[f.key]++
		}
	}
	var vocab []string
	for k, n := range df {
		if n >= minDF {
			vocab = append(vocab, k)
		}
	}
	sort.Strings(vocab)
	index := make(map[string]int32, len(vocab))
	for i, k := range vocab {
		index[k] = int32(i)
	}
	rows := make([]lrRow, len(picked))
	for r, i := range picked {
		for _, f := range ex[i].feats {
			if j, ok := index[f.key]; ok {
				rows[r].idx = append(rows[r].idx, j)
				rows[r].val = append(rows[r].val, f.val)
			}
		}
	}
	m := &themeModel{opt: opt, post: map[string][]posting{}}
	for o := range outputs {
		for r, i := range picked {
			rows[r].y = 0
			if ex[i].labels[o] {
				rows[r].y = 1
			}
		}
		f := logisticFit(rows, len(vocab), 0, opt.Epochs, opt.L2)
		m.bias[o] = f.bias
		for j, v := range f.v {
			if w := v * f.wscale; math.Abs(w) >= 1e-3 {
				m.post[vocab[j]] = append(m.post[vocab[j]], posting{o, w})
			}
		}
	}
	return m
}

// termsOnly is the coder without any model.
func (c *Coder) termsOnly() *Coder {
	cc := *c
	cc.learned, cc.shipped = nil, nil
	return &cc
}

// hasTopThemes reports whether a codebook has the three themes the shipped
// model knows.
func hasTopThemes(cb *Codebook) bool {
	keys := map[string]bool{}
	for _, c := range cb.Codes {
		if c.Parent == "" {
			keys[c.Key] = true
		}
	}
	for _, th := range topThemes {
		if !keys[th] {
			return false
		}
	}
	return true
}

// loadTrainingSets reads the embedded labelled sets.
func loadTrainingSets(names []string) ([]labelledText, error) {
	var out []labelledText
	for _, n := range names {
		b, err := trainingFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		items, err := parseLabelled(b)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// shippedModel is trained once per process, with the default codebook's
// terms, from every embedded set. With an error (which the embedded files
// make impossible) coding falls back to the terms alone.
var shippedModel = sync.OnceValue(func() *themeModel {
	cb, err := DefaultCodebook()
	if err != nil {
		return nil
	}
	items, err := loadTrainingSets(trainingSets)
	if err != nil || len(items) == 0 {
		return nil
	}
	ex := newTermCoder(cb).themeExamples(items)
	all := make([]int, len(ex))
	for i := range all {
		all[i] = i
	}
	return trainThemeModel(ex, all, shippedOptions)
})
