package themes

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxText is how much of one text is coded. Longer texts (a pasted
// document) are coded up to here and marked Truncated.
const MaxText = 64 << 10

// Suggestion is one code suggested for one sentence, with its evidence.
type Suggestion struct {
	Code       string   `json:"code"`
	Theme      string   `json:"theme"`
	Confidence float64  `json:"confidence"`
	Sentence   string   `json:"sentence"`
	Start      int      `json:"start"` // byte offsets of the sentence in the text
	End        int      `json:"end"`
	Terms      []string `json:"terms"` // the words matched, as written
}

// Result is what the coder says about one text.
type Result struct {
	Themes       []string     `json:"themes"`
	Codes        []string     `json:"codes"`
	Safeguarding bool         `json:"safeguarding"`
	Risk         []Suggestion `json:"risk,omitempty"`
	Suggestions  []Suggestion `json:"suggestions"`
	Uncoded      []Uncoded    `json:"uncoded,omitempty"`
	Truncated    bool         `json:"truncated,omitempty"`
}

type pattern struct {
	code    string
	stems   []string
	negated bool    // the phrase carries its own negation ("not ill enough")
	weight  float64 // evidence it gives: 1, or less for a weak term (score.go)
	term    string  // as written in the list, lower case
}

// Coder codes texts against one codebook. It is safe for concurrent use.
type Coder struct {
	cb      *Codebook
	order   map[string]int
	byFirst map[string][]pattern
	risk    map[string][]pattern
	themeOf map[string]string // code -> its top-level theme
	learned *learned          // facilitators' decisions, when a model is attached (learn.go)
	shipped *themeModel       // the model trained on the labelled sets (shipped.go)
}

// Label returns the label of the code with key, or the key itself.
func (c *Coder) Label(key string) string {
	if i, ok := c.order[key]; ok {
		return c.cb.Codes[i].Label
	}
	return key
}

// NewCoder compiles the codebook's terms into stem patterns once, and
// attaches the shipped theme model when the codebook has the three themes
// (shipped.go; the first call in a process trains it).
func NewCoder(cb *Codebook) *Coder {
	c := newTermCoder(cb)
	if hasTopThemes(cb) {
		c.shipped = shippedModel()
	}
	return c
}

// newTermCoder is NewCoder without the shipped model.
func newTermCoder(cb *Codebook) *Coder {
	c := &Coder{cb: cb, order: map[string]int{}, byFirst: map[string][]pattern{}, risk: map[string][]pattern{}, themeOf: map[string]string{}}
	for i, code := range cb.Codes {
		c.order[code.Key] = i
		c.themeOf[code.Key] = cb.Theme(code.Key)
		for _, term := range code.Terms {
			addPattern(c.byFirst, code.Key, term)
		}
	}
	weakenShared(c.byFirst, c.theme)
	for _, term := range thirdPerson(riskTerms) {
		addPattern(c.risk, safeguardingKey, withoutFillers(term))
	}
	for _, index := range []map[string][]pattern{c.byFirst, c.risk} {
		for _, ps := range index {
			sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].stems) > len(ps[j].stems) })
		}
	}
	return c
}

// theme returns the top-level theme of a code of this coder's codebook.
func (c *Coder) theme(code string) string {
	if th, ok := c.themeOf[code]; ok {
		return th
	}
	return c.cb.Theme(code)
}

func addPattern(index map[string][]pattern, code, term string) {
	term, weight := splitTerm(term)
	toks := tokenize(term)
	if len(toks) == 0 {
		return
	}
	p := pattern{code: code, weight: weight, term: strings.ToLower(term)}
	for _, t := range toks {
		p.stems = append(p.stems, t.stem)
		p.negated = p.negated || negations[t.word]
	}
	ps := index[p.stems[0]]
	for i := range ps { // "school" and "schools" are one term
		if ps[i].code == code && slices.Equal(ps[i].stems, p.stems) {
			ps[i].weight = max(ps[i].weight, weight)
			return
		}
	}
	index[p.stems[0]] = append(ps, p)
}

var negations = map[string]bool{"no": true, "not": true, "never": true, "without": true, "nobody": true,
	"nothing": true, "hardly": true, "none": true, "neither": true, "nor": true, "noone": true}

// Scope enders: "no waiting list but the GP was useless" negates only the first part.
var scopeEnders = map[string]bool{"but": true, "however": true, "although": true, "though": true, "except": true, "yet": true}

var tagRe = regexp.MustCompile(`<[^>]{0,200}>`)

// Code codes one text. It never fails: empty or unreadable text gives an
// empty result.
func (c *Coder) Code(text string) Result {
	a := c.analyse(text)
	if c.shipped != nil {
		c.shipped.apply(&a)
	}
	c.summarise(&a.res)
	return a.res
}

// analyse codes one text by the terms (and a facilitators' model, if one
// is attached), before the shipped model and the summary.
func (c *Coder) analyse(text string) analysis {
	res := Result{Themes: []string{}, Codes: []string{}, Suggestions: []Suggestion{}}
	text = spaceInvalid(text)
	if len(text) > MaxText {
		cut := MaxText
		for cut > 0 && !isRuneStart(text[cut]) {
			cut--
		}
		text, res.Truncated = text[:cut], true
	}
	// Tags become spaces of the same length, so offsets still point into the text.
	clean := tagRe.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	var sents []coded
	for _, s := range splitSentences(clean) {
		sents = append(sents, c.match(text, s))
	}
	keep := c.themesWithEvidence(sents)
	for i := range sents {
		c.codeSentence(&sents[i], keep, &res)
	}
	seen := res.Safeguarding
	if res.Safeguarding && pastAndResolved(clean) {
		res.Safeguarding, res.Risk = false, nil // risk told of as over (safeguarding.go)
	}
	return analysis{res: res, sents: sents, keep: keep, riskSeen: seen}
}

// spaceInvalid turns each byte that is not UTF-8 into a space, keeping
// every offset the same as in the text the caller holds.
func spaceInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			b[i] = ' '
		}
		i += n
	}
	return string(b)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// codeSentence suggests the codes found in one sentence whose theme has
// enough evidence in the whole text (keep), then blends in what was learned.
func (c *Coder) codeSentence(cs *coded, keep map[string]bool, res *Result) {
	s, toks, gaps := cs.s, cs.toks, cs.gaps
	found := make([]Suggestion, 0, len(cs.codes))
	for _, code := range cs.codes {
		if th := c.theme(code); keep[th] {
			found = append(found, Suggestion{Code: code, Theme: th, Confidence: confidence(cs.terms[code]),
				Sentence: cs.text, Start: s.start, End: s.end, Terms: cs.hits[code]})
		}
	}
	if c.learned != nil {
		found = c.learned.blend(c, s, cs.text, toks, gaps, found)
	}
	if len(found) == 0 {
		if phrases := nounPhrases(cs.text); len(phrases) > 0 {
			res.Uncoded = append(res.Uncoded, Uncoded{Sentence: cs.text, Phrases: phrases})
		}
	}
	res.Suggestions = append(res.Suggestions, found...)
	if terms := cs.risk; len(terms) > 0 {
		res.Safeguarding = true
		res.Risk = append(res.Risk, Suggestion{Code: safeguardingKey, Confidence: 0.9, Sentence: cs.text, Start: s.start, End: s.end, Terms: terms})
	}
}

func matchAt(toks []token, i int, p pattern) int {
	if i+len(p.stems) > len(toks) {
		return 0
	}
	for j, st := range p.stems {
		if toks[i+j].stem != st {
			return 0
		}
	}
	return len(p.stems)
}

// clauseBreaks marks, for each token, whether punctuation stands between it
// and the token before: negation does not reach across a comma.
func clauseBreaks(s string, toks []token) []bool {
	out := make([]bool, len(toks))
	for i := 1; i < len(toks); i++ {
		if toks[i].start < toks[i-1].end {
			continue // two halves of one contraction
		}
		out[i] = strings.ContainsAny(s[toks[i-1].end:toks[i].start], ",;:-()!?")
	}
	return out
}

// negatedAt is NegEx-style: a trigger up to four words before the match,
// in the same clause, with no "but" between.
func negatedAt(toks []token, breaks []bool, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if breaks[j+1] || scopeEnders[toks[j].word] {
			return false
		}
		if negations[toks[j].word] {
			return true
		}
	}
	return false
}

func wordsOf(s string, toks []token) string {
	return s[toks[0].start:toks[len(toks)-1].end]
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

// summarise fills Codes and Themes in codebook order.
func (c *Coder) summarise(res *Result) {
	codes, themes := map[string]bool{}, map[string]bool{}
	for _, s := range res.Suggestions {
		codes[s.Code], themes[s.Theme] = true, true
	}
	for k := range codes {
		if k != c.cb.Theme(k) {
			res.Codes = append(res.Codes, k)
		}
	}
	for k := range themes {
		res.Themes = append(res.Themes, k)
	}
	byOrder := func(list []string) {
		sort.Slice(list, func(i, j int) bool { return c.order[list[i]] < c.order[list[j]] })
	}
	byOrder(res.Codes)
	byOrder(res.Themes)
	sort.SliceStable(res.Suggestions, func(i, j int) bool {
		if res.Suggestions[i].Start != res.Suggestions[j].Start {
			return res.Suggestions[i].Start < res.Suggestions[j].Start
		}
		return c.order[res.Suggestions[i].Code] < c.order[res.Suggestions[j].Code]
	})
}
