package themes

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// Learning from facilitators. Each code whose decisions reach
// MinExamples positives and as many negatives gets its own classifier: L2
// logistic regression over the coder's own stems, with words in a negation
// scope marked "not_", and bigrams. Its probability is blended with the
// term confidence, can drop a term match it is sure is wrong, and can
// suggest the code on its own. A sub-code without enough examples borrows
// its theme's classifier for blending and dropping, never for suggesting.
// With no model the coder is exactly the codebook's terms.

// LearnOptions are the numbers learning uses. A model keeps the options it
// was trained with.
type LearnOptions struct {
	// MinExamples positives and as many negatives make a code trained.
	MinExamples int `json:"min_examples"`
	// Weight is the classifier's share of a blended confidence.
	Weight float64 `json:"weight"`
	// Suppress: a term match whose classifier says less than this is dropped.
	Suppress float64 `json:"suppress"`
	// Propose: at this probability or more the classifier suggests a code
	// that no term matched.
	Propose float64 `json:"propose"`
	Epochs  int     `json:"epochs"`
	L2      float64 `json:"l2"`
	// Folds of the cross-validation that measures a model.
	Folds int `json:"folds"`
}

// DefaultLearnOptions are the options codesign trains with. Weight,
// Suppress and Propose were chosen by cross-validation on
// testdata/dev.jsonl (docs/THEMES.md).
func DefaultLearnOptions() LearnOptions {
	return LearnOptions{MinExamples: 20, Weight: 0.5, Suppress: 0.3, Propose: 0.6, Epochs: 20, L2: 1e-4, Folds: 5}
}

// baseConfidence is what confidence gives a sentence with no terms; a
// classifier's own suggestion blends with it.
const baseConfidence = 0.45

// Model is a set of trained per-code classifiers. It is read-only once
// built and safe for concurrent use.
type Model struct {
	Options  LearnOptions
	Examples int         // passages it learned from
	Stats    []CodeStats // every code of the codebook, in its order
	// Term and Blended are micro-averaged over the trained codes, by
	// cross-validation: the terms alone, and the terms with the classifiers.
	Term, Blended Score

	params modelParams
	codes  []string
	bias   []float64
	term   []float64            // the weight of "the terms matched this code"
	post   map[string][]posting // feature -> the codes that weigh it
}

// Trained reports how many codes have a classifier.
func (m *Model) Trained() int { return len(m.codes) }

type posting struct {
	code int
	w    float64
}

// modelParams is how a model is stored, as JSON.
type modelParams struct {
	Options LearnOptions          `json:"options"`
	Codes   map[string]codeParams `json:"codes"`
}

type codeParams struct {
	Bias float64 `json:"bias"`
	// Term weighs the coder's own answer: whether a term of the code, or of
	// a code under it, matched. So the classifier learns how far to trust
	// the terms, and what in a sentence makes a match wrong.
	Term    float64            `json:"term"`
	Weights map[string]float64 `json:"weights"`
}

// compile turns stored parameters into a model ready to score, with codes
// and postings in a fixed order so that scores are the same every time.
func (p modelParams) compile() *Model {
	m := &Model{Options: p.Options, params: p, post: map[string][]posting{}}
	for k := range p.Codes {
		m.codes = append(m.codes, k)
	}
	sort.Strings(m.codes)
	for i, k := range m.codes {
		m.bias = append(m.bias, p.Codes[k].Bias)
		m.term = append(m.term, p.Codes[k].Term)
		for f, w := range p.Codes[k].Weights {
			m.post[f] = append(m.post[f], posting{i, w})
		}
	}
	for _, ps := range m.post {
		sort.Slice(ps, func(i, j int) bool { return ps[i].code < ps[j].code })
	}
	return m
}

// feature is one feature of a sentence and the tokens it came from.
type feature struct {
	key      string
	from, to int
}

// stopwords carry no topic. Negation words are not here: they are features.
var stopwords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "to": true, "of": true,
	"in": true, "on": true, "at": true, "for": true, "with": true, "by": true, "from": true, "as": true, "is": true,
	"are": true, "was": true, "were": true, "be": true, "been": true, "am": true, "it": true, "i": true, "me": true,
	"my": true, "we": true, "our": true, "you": true, "your": true, "they": true, "them": true, "their": true,
	"he": true, "she": true, "his": true, "her": true, "this": true, "that": true, "there": true, "so": true,
	"have": true, "has": true, "had": true, "do": true, "does": true, "did": true, "if": true, "would": true,
	"will": true, "just": true, "its": true, "us": true, "which": true, "who": true, "what": true, "when": true}

// featuresOf returns the unique features of a sentence, sorted by key:
// content stems (prefixed "not_" in a negation scope) and bigrams of
// neighbouring content stems in one clause. Words with digits are left
// out (house numbers, phone numbers, dates).
func featuresOf(toks []token, gaps []bool) []feature {
	var out []feature
	prev := -1
	for i, t := range toks {
		if gaps[i] || scopeEnders[t.word] {
			prev = -1
		}
		if stopwords[t.word] || scopeEnders[t.word] || hasDigit(t.word) {
			continue
		}
		prefix := ""
		if !negations[t.word] && negatedAt(toks, gaps, i) {
			prefix = "not_"
		}
		out = append(out, feature{prefix + t.stem, i, i + 1})
		if prev >= 0 {
			out = append(out, feature{prefix + toks[prev].stem + " " + t.stem, prev, i + 1})
		}
		prev = i
	}
	slices.SortStableFunc(out, func(a, b feature) int { return strings.Compare(a.key, b.key) })
	uniq := out[:0]
	for i, f := range out {
		if i == 0 || f.key != out[i-1].key {
			uniq = append(uniq, f)
		}
	}
	return uniq
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// scale is each feature's value: the features of a passage have unit
// length together, so a long passage does not outvote a short one.
func scale(n int) float64 { return 1 / math.Sqrt(float64(n)) }

// probs scores a sentence's features with every classifier; matched holds
// the codes the terms stand for.
func (m *Model) probs(feats []feature, matched func(code string) bool) []float64 {
	z := append([]float64(nil), m.bias...)
	for i, k := range m.codes {
		if matched(k) {
			z[i] += m.term[i]
		}
	}
	x := scale(len(feats))
	for _, f := range feats {
		for _, p := range m.post[f.key] {
			z[p.code] += p.w * x
		}
	}
	for i := range z {
		z[i] = sigmoid(z[i])
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// evidence is the words behind a classifier's suggestion: the features of
// the sentence that weigh most for it, as written.
func (m *Model) evidence(code int, feats []feature, text string, toks []token) []string {
	type contrib struct {
		f feature
		w float64
	}
	var cs []contrib
	for _, f := range feats {
		for _, p := range m.post[f.key] {
			if p.code == code && p.w > 0 {
				cs = append(cs, contrib{f, p.w})
			}
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].w > cs[j].w })
	var out []string
	used := make([]bool, len(toks))
	for _, c := range cs {
		if len(out) == 3 {
			break
		}
		if used[c.f.from] || used[c.f.to-1] {
			continue // "grow" once "grow potatoes" is shown
		}
		for i := c.f.from; i < c.f.to; i++ {
			used[i] = true
		}
		out = appendUnique(out, wordsOf(text, toks[c.f.from:c.f.to]))
	}
	return out
}

// learned is a model fitted to one coder's codebook.
type learned struct {
	m *Model
	// classifier is, for each code, its own classifier or its nearest
	// ancestor's.
	classifier map[string]int
	// own lists the codes with a classifier of their own, deepest first (a
	// sub-code before its theme, which it then stands for), otherwise in
	// codebook order: only these are suggested without a term.
	own []ownCode
	// covers says which codes a suggestion of a code stands for: itself and
	// its ancestors.
	covers map[string][]string
}

type ownCode struct {
	key   string
	idx   int
	depth int
}

// WithModel returns a coder that blends m's classifiers with the terms.
// With no model, or one with no trained code, it returns c itself, so
// coding stays exactly the codebook's.
func (c *Coder) WithModel(m *Model) *Coder {
	if m == nil || len(m.codes) == 0 {
		return c
	}
	idx := map[string]int{}
	for i, k := range m.codes {
		idx[k] = i
	}
	l := &learned{m: m, classifier: map[string]int{}, covers: map[string][]string{}}
	parent := map[string]string{}
	for _, code := range c.cb.Codes {
		parent[code.Key] = code.Parent
	}
	for _, code := range c.cb.Codes {
		for k, steps := code.Key, 0; k != "" && steps <= len(parent); k, steps = parent[k], steps+1 {
			l.covers[code.Key] = append(l.covers[code.Key], k)
			if i, ok := idx[k]; ok {
				if _, done := l.classifier[code.Key]; !done {
					l.classifier[code.Key] = i
				}
			}
		}
		if i, ok := idx[code.Key]; ok {
			l.own = append(l.own, ownCode{code.Key, i, len(l.covers[code.Key])})
		}
	}
	sort.SliceStable(l.own, func(i, j int) bool { return l.own[i].depth > l.own[j].depth })
	cc := *c
	cc.learned = l
	return &cc
}

// blend adjusts the term suggestions of one sentence by the classifiers:
// it blends confidences, drops the matches a classifier is sure are wrong
// and adds the codes a classifier is sure of. s is the sentence, text its
// words and toks its tokens.
func (l *learned) blend(c *Coder, s sentence, text string, toks []token, gaps []bool, found []Suggestion) []Suggestion {
	feats := featuresOf(toks, gaps)
	if len(feats) == 0 {
		return found
	}
	p := l.m.probs(feats, func(code string) bool { return l.covered(found, code) })
	o := l.m.Options
	out := found[:0]
	for _, sg := range found {
		i, ok := l.classifier[sg.Code]
		if ok && p[i] < o.Suppress {
			continue
		}
		if ok {
			sg.Confidence = mix(sg.Confidence, p[i], o.Weight)
		}
		out = append(out, sg)
	}
	for _, k := range l.own {
		if p[k.idx] < o.Propose || l.covered(out, k.key) {
			continue
		}
		terms := l.m.evidence(k.idx, feats, text, toks)
		if len(terms) == 0 {
			continue
		}
		out = append(out, Suggestion{Code: k.key, Theme: c.cb.Theme(k.key), Confidence: mix(baseConfidence, p[k.idx], o.Weight),
			Sentence: text, Start: s.start, End: s.end, Terms: terms})
	}
	return out
}

// covered reports whether a suggestion already stands for key.
func (l *learned) covered(found []Suggestion, key string) bool {
	for _, s := range found {
		for _, k := range l.covers[s.Code] {
			if k == key {
				return true
			}
		}
	}
	return false
}

// mix blends a term confidence with a probability, to three places.
func mix(term, p, weight float64) float64 {
	return math.Round(((1-weight)*term+weight*p)*1000) / 1000
}
