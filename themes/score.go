package themes

import "strings"

// How much evidence a theme needs before it is suggested.
//
// Each term is worth 1, or weakWeight when the codebook marks it weak
// ("home (weak)") or when the same single word is a term under two
// themes ("faith"). Phrases are never weakened automatically: "waiting
// list" says more than "waiting". Word forms that stem alike ("school",
// "schools") are one term, worth the more of the two.
//
// A theme is suggested for a text when the distinct terms of one of its
// codes found anywhere in the text add up to at least 1 (one ordinary term,
// or two different weak ones such as "months" and "appointment"), or when
// the terms of all its codes add up to 1.5 (three weak ones: weak words of
// different codes agree less than weak words of one). In a text of a few
// words half of that is enough, since the text is about little else ("Long
// waits", "Family. Faith. Food."). Then every sentence's codes under that
// theme are suggested.
const (
	weakSuffix = "(weak)"
	weakWeight = 0.5
	enough     = 1.0
	shortText  = 8 // words
)

// splitTerm reads a codebook term: its words, and its weight.
func splitTerm(term string) (string, float64) {
	t := strings.TrimSpace(term)
	if n := len(t) - len(weakSuffix); n >= 0 && strings.EqualFold(t[n:], weakSuffix) {
		return strings.TrimSpace(t[:n]), weakWeight
	}
	return t, 1
}

// weakenShared lowers to weakWeight a one-word term that codes under more
// than one theme list: on its own it cannot say which theme is meant.
func weakenShared(index map[string][]pattern, themeOf func(string) string) {
	for stem, ps := range index {
		themes := map[string]bool{}
		for _, p := range ps {
			if len(p.stems) == 1 {
				themes[themeOf(p.code)] = true
			}
		}
		if len(themes) < 2 {
			continue
		}
		for i := range ps {
			if len(ps[i].stems) == 1 && ps[i].weight > weakWeight {
				ps[i].weight = weakWeight
			}
		}
		index[stem] = ps
	}
}

// hit is one term found in a sentence.
type hit struct {
	p    *pattern
	i, n int // token span
}

// coded is one sentence with the terms found in it.
type coded struct {
	s     sentence
	text  string
	toks  []token
	gaps  []bool
	codes []string              // in the order first found
	hits  map[string][]string   // code -> the words matched, as written
	terms map[string][]*pattern // code -> the distinct terms matched
	risk  []string              // risk phrases (safeguarding.go)
	// riskSetAside: a risk phrase was found and set aside as denied,
	// supposed or spoken of.
	riskSetAside bool
}

// match finds the terms of every code in one sentence. Where a longer
// phrase of any code covers a shorter term ("cost of living" over "cost",
// "working together" over "working"), only the phrase counts. Negation
// cancels a term unless the term carries its own.
func (c *Coder) match(orig string, s sentence) coded {
	text := orig[s.start:s.end]
	cs := coded{s: s, text: text, toks: tokenize(text)}
	cs.gaps = clauseBreaks(text, cs.toks)
	var riskSpans [][2]int
	cs.risk, riskSpans, cs.riskSetAside = c.riskHits(text, cs.toks)
	var all []hit
	until := staffAction(cs.toks)
	for i := range cs.toks[:until] {
		ps := c.byFirst[cs.toks[i].stem]
		for k := range ps {
			if n := matchAt(cs.toks, i, ps[k]); n > 0 {
				all = append(all, hit{p: &ps[k], i: i, n: n})
			}
		}
	}
	for a, h := range all {
		if inside(all, a) || (h.n == 1 && inRisk(riskSpans, cs.toks[h.i].start, cs.toks[h.i].end)) ||
			c.namesAService(h.p.code, cs.toks, h.i+h.n) ||
			(!h.p.negated && c.cancelled(h.p.code, cs.toks, cs.gaps, h.i, h.i+h.n)) {
			continue
		}
		code := h.p.code
		if cs.hits == nil {
			cs.hits, cs.terms = map[string][]string{}, map[string][]*pattern{}
		}
		if _, ok := cs.hits[code]; !ok {
			cs.codes = append(cs.codes, code)
		}
		cs.hits[code] = appendUnique(cs.hits[code], wordsOf(text, cs.toks[h.i:h.i+h.n]))
		cs.terms[code] = appendPattern(cs.terms[code], h.p)
	}
	return cs
}

// inRisk reports whether the bytes start-end lie within a risk phrase: in
// "I want to die" or "walking into the canal" the single words are not
// about bereavement or green space. (A phrase the codebook lists, such as
// "coercive control", still counts.)
func inRisk(spans [][2]int, start, end int) bool {
	for _, sp := range spans {
		if sp[0] <= start && end <= sp[1] {
			return true
		}
	}
	return false
}

// namesAService reports whether a quality-of-life term is only the name of
// a service ("domestic abuse services", "bereavement counselling",
// "menopause clinic"): the text is then about the service, not about that
// part of someone's life.
func (c *Coder) namesAService(code string, toks []token, next int) bool {
	return next < len(toks) && serviceHeads[toks[next].word] && !topicThemes[c.theme(code)] && !problemThemes[c.theme(code)]
}

var serviceHeads = map[string]bool{"service": true, "services": true, "counselling": true, "clinic": true,
	"clinics": true, "team": true, "teams": true, "assessment": true, "assessments": true, "therapy": true,
	"advocate": true, "advocates": true, "worker": true, "workers": true, "nurse": true, "specialist": true,
	"charity": true, "charities": true, "helpline": true, "adviser": true, "advisor": true, "advice": true}

// staffAction returns where, in a workshop note, the words about what a
// facilitator or worker did next begin ("Facilitator stayed with him and
// called the crisis team"): what staff did is not what the participant
// said, so it is not coded. With none, it returns len(toks).
func staffAction(toks []token) int {
	for i, t := range toks {
		if !staffWords[t.word] {
			continue
		}
		for j := i + 1; j < len(toks) && j <= i+3; j++ {
			if staffVerbs[toks[j].stem] {
				return i
			}
		}
	}
	return len(toks)
}

var (
	staffWords = map[string]bool{"facilitator": true, "facilitators": true, "facilitator's": true}
	staffVerbs = stems("stayed", "contacted", "called", "rang", "referred", "shared", "advised", "followed", "spoke",
		"gave", "arranged", "explained", "signposted", "passed", "sat", "checked", "talked", "agreed", "offered")
)

// inside reports whether hit a lies within a longer hit.
func inside(all []hit, a int) bool {
	h := all[a]
	for b, o := range all {
		if b != a && o.n > h.n && o.i <= h.i && h.i+h.n <= o.i+o.n {
			return true
		}
	}
	return false
}

func appendPattern(list []*pattern, p *pattern) []*pattern {
	for _, x := range list {
		if x == p {
			return list
		}
	}
	return append(list, p)
}

// themesWithEvidence returns the themes with enough evidence over the
// whole text (see the top of this file).
func (c *Coder) themesWithEvidence(sents []coded) map[string]bool {
	words := 0
	byCode, byTheme := map[string]float64{}, map[string]float64{}
	seen := map[*pattern]bool{}
	for _, cs := range sents {
		words += len(cs.toks)
		for _, code := range cs.codes {
			for _, p := range cs.terms[code] {
				if !seen[p] {
					seen[p] = true
					byCode[code] += p.weight
					byTheme[c.theme(code)] += p.weight
				}
			}
		}
	}
	need := enough
	if words <= shortText {
		need = weakWeight
	}
	out := map[string]bool{}
	for code, w := range byCode {
		th := c.theme(code)
		if w >= need-1e-9 || byTheme[th] >= need+weakWeight-1e-9 {
			out[th] = true
		}
	}
	return out
}

// evidence is what the distinct terms of one code in one sentence weigh.
func evidence(ps []*pattern) float64 {
	var w float64
	for _, p := range ps {
		w += p.weight
	}
	return w
}

// confidence grows with the weight of the different terms seen for a code
// in one sentence, and with phrases, which are less ambiguous than words.
func confidence(ps []*pattern) float64 {
	c := 0.45 + 0.15*evidence(ps)
	for _, p := range ps {
		if len(p.stems) > 1 {
			c += 0.1
		}
	}
	if c > 0.95 {
		c = 0.95
	}
	return c
}

// topicThemes are themes about a subject whatever is said of it: "no
// follow-up" and "nobody read my notes" are about how support is organised
// as much as "good follow-up" is, so negation does not cancel their terms.
var topicThemes = map[string]bool{"support_organisation": true}

func (c *Coder) topicTheme(code string) bool { return topicThemes[c.theme(code)] }

// problemThemes name problems, so a term said to be no problem ("the wait
// was fine") is not one. Elsewhere a good word is still about the theme:
// "my family is great" is about family.
var problemThemes = map[string]bool{"barriers": true}

func (c *Coder) problemTheme(code string) bool { return problemThemes[c.theme(code)] }

// resolvedAfter reports whether the words just after a term say it was no
// problem: "the wait was fine", "waiting times are not bad", "cost was
// not an issue". It looks at most five words ahead, in the same clause.
func resolvedAfter(toks []token, breaks []bool, end int) bool {
	copula := false
	for j := end; j < len(toks) && j < end+5; j++ {
		if breaks[j] && j+1 < len(toks) && (toks[j].word == "not" || toks[j].word == "no") && notBad[toks[j+1].word] {
			return true // "Waited 2 weeks, not bad"
		}
		if breaks[j] || scopeEnders[toks[j].word] {
			return false
		}
		w := toks[j].word
		switch {
		case copulas[w]:
			copula = true
		case !copula:
			return false
		case fineWords[w]:
			return j == 0 || toks[j-1].word != "not"
		case w == "not" || w == "no":
			if j+1 < len(toks) && (notBad[toks[j+1].word] || (j+2 < len(toks) && notBad[toks[j+2].word])) {
				return true
			}
		}
	}
	return false
}

var (
	copulas   = map[string]bool{"is": true, "was": true, "are": true, "were": true, "been": true, "be": true, "really": true, "very": true, "quite": true, "pretty": true, "actually": true}
	fineWords = map[string]bool{"fine": true, "ok": true, "okay": true, "quick": true, "short": true, "easy": true, "great": true,
		"good": true, "brilliant": true, "excellent": true, "reasonable": true, "manageable": true, "sorted": true, "resolved": true}
	notBad = map[string]bool{"bad": true, "long": true, "problem": true, "issue": true, "bother": true}
)

// cancelled reports whether the term at toks[i:end] of code is negated or
// said to be no problem. Terms of topic themes are never cancelled.
// Negation of getting something is the problem itself: "I couldn't get an
// appointment for weeks" is a barrier and "I can't find work" is about
// work, where "I had no trouble getting an appointment" is not a barrier.
func (c *Coder) cancelled(code string, toks []token, gaps []bool, i, end int) bool {
	if c.topicTheme(code) {
		return false
	}
	if negatedAt(toks, gaps, i) && !lackOfAccess(toks, gaps, i) {
		return true
	}
	return c.problemTheme(code) && resolvedAfter(toks, gaps, end)
}

// lackOfAccess reports whether the negation before toks[i] falls on a verb
// of getting or reaching: "could not get", "never got", "can't find".
func lackOfAccess(toks []token, breaks []bool, i int) bool {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if breaks[j+1] || scopeEnders[toks[j].word] {
			return false
		}
		if negations[toks[j].word] {
			for k := j + 1; k < i; k++ {
				if accessVerbs[toks[k].stem] {
					return true
				}
				if !auxiliaries[toks[k].word] {
					return false
				}
			}
			return false
		}
	}
	return false
}

var (
	accessVerbs = stems("get", "got", "getting", "find", "found", "see", "seen", "access", "reach", "book", "booked", "make")
	auxiliaries = map[string]bool{"even": true, "ever": true, "be": true, "been": true, "able": true, "to": true, "manage": true, "managed": true}
)
