package reports

import (
	"cmp"
	"slices"

	"codesign/themes"
)

// Tag is one code confirmed on one passage of one respondent's answer.
type Tag struct {
	Passage    uint
	Respondent uint // the response the passage came from
	Code       string
}

// Column is one category of a breakdown, such as a locality.
type Column struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// NotAnswered is the column of people who gave no answer, so that every
// breakdown row adds up to its total.
var NotAnswered = Column{Key: "not_answered", Label: "Not answered"}

// Dimension is a question findings are broken down by: the locality or an
// equality-monitoring question. Answers are sorted into Columns; a last
// NotAnswered column is added by Tally.
type Dimension struct {
	Key     string
	Label   string
	Columns []Column
}

// Counts is everything Tally needs, gathered from the database.
type Counts struct {
	Participants int
	Channels     []Channel // every channel, in order
	Tags         []Tag
	Dimensions   []Dimension
	// Answers gives, for each respondent with a tag, the column they are
	// in for each dimension (absent: not answered).
	Answers map[uint]map[string]string
	// Base counts everyone who took part, by dimension and column.
	Base map[string]map[string]int
}

// Channel is how many took part one way (online, paper...).
type Channel struct {
	Key, Label string
	N          int
}

// Findings are what people said, counted and with small numbers
// suppressed throughout: what staff read and what is published.
type Findings struct {
	Participants Cell
	Channels     []ChannelCount
	Themes       []ThemeCount
	Breakdowns   []Breakdown
	// Tagged is how many passages carry a code at all; 0 means there is
	// nothing to publish.
	Tagged int `json:"-"`
	// sets are the respondents behind each code and theme, for evidence.
	sets map[string]map[uint]struct{}
	cb   *themes.Codebook
}

// ChannelCount is one way of taking part.
type ChannelCount struct {
	Key, Label string
	Count      Cell
}

// ThemeCount is one theme: distinct respondents and passages with any of
// its codes, and each code.
type ThemeCount struct {
	Key, Label  string
	Respondents Cell
	Passages    Cell
	Share       int // percent of participants, -1 when suppressed
	Codes       []CodeCount
}

// CodeCount is one code within a theme.
type CodeCount struct {
	Key, Label  string
	Respondents Cell
	Passages    Cell
	Share       int
}

// Breakdown is each theme's respondents by one dimension, with everyone
// who took part as the first row.
type Breakdown struct {
	Key, Label string
	Columns    []Column
	Everyone   Row
	Rows       []Row
}

// Row is a total and its parts, one per column.
type Row struct {
	Key, Label string
	Total      Cell
	Cells      []Cell
}

// Tally counts tags against the codebook. A respondent counts once per
// code and per theme however many of their passages carry it, and a
// passage with several codes counts once for each code and once for
// their theme.
func Tally(cb *themes.Codebook, in Counts) *Findings {
	f := &Findings{Participants: one(in.Participants), sets: map[string]map[uint]struct{}{}, cb: cb}
	f.Channels = channelCounts(in)
	passages := map[string]map[uint]struct{}{}
	tagged := map[uint]struct{}{}
	add := func(m map[string]map[uint]struct{}, key string, id uint) {
		if m[key] == nil {
			m[key] = map[uint]struct{}{}
		}
		m[key][id] = struct{}{}
	}
	for _, t := range in.Tags {
		if !cb.Has(t.Code) {
			continue
		}
		tagged[t.Passage] = struct{}{}
		for _, key := range keysOf(cb, t.Code) {
			add(f.sets, key, t.Respondent)
			add(passages, key, t.Passage)
		}
	}
	f.Tagged = len(tagged)
	for _, c := range cb.Codes {
		if c.Parent == "" {
			f.Themes = append(f.Themes, f.theme(cb, c, passages))
		}
	}
	for _, d := range in.Dimensions {
		f.Breakdowns = append(f.Breakdowns, f.breakdown(d, in))
	}
	return f
}

// keysOf is the code and, for a sub-code, its theme.
func keysOf(cb *themes.Codebook, code string) []string {
	if theme := cb.Theme(code); theme != code {
		return []string{code, theme}
	}
	return []string{code}
}

func channelCounts(in Counts) []ChannelCount {
	parts := make([]int, len(in.Channels))
	for i, c := range in.Channels {
		parts[i] = c.N
	}
	_, cs := row(in.Participants, parts)
	out := make([]ChannelCount, len(in.Channels))
	for i, c := range in.Channels {
		out[i] = ChannelCount{Key: c.Key, Label: c.Label, Count: cs[i]}
	}
	return out
}

func (f *Findings) theme(cb *themes.Codebook, c themes.Code, passages map[string]map[uint]struct{}) ThemeCount {
	t := ThemeCount{Key: c.Key, Label: c.Label, Respondents: one(len(f.sets[c.Key])), Passages: one(len(passages[c.Key]))}
	t.Share = t.Respondents.Percent(f.Participants)
	for _, sub := range cb.Codes {
		if sub.Parent != c.Key || len(passages[sub.Key]) == 0 {
			continue
		}
		cc := CodeCount{Key: sub.Key, Label: sub.Label, Respondents: one(len(f.sets[sub.Key])), Passages: one(len(passages[sub.Key]))}
		cc.Share = cc.Respondents.Percent(f.Participants)
		t.Codes = append(t.Codes, cc)
	}
	// Most said first; suppressed codes keep codebook order at the end,
	// since ordering them would say which small group is smaller.
	slices.SortStableFunc(t.Codes, func(a, b CodeCount) int {
		if a.Respondents.Suppressed || b.Respondents.Suppressed {
			return cmp.Compare(boolInt(a.Respondents.Suppressed), boolInt(b.Respondents.Suppressed))
		}
		return cmp.Compare(b.Respondents.N, a.Respondents.N)
	})
	return t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// breakdown counts each theme's respondents in each column of d, adding
// the NotAnswered column so that each row's parts add up to its total.
func (f *Findings) breakdown(d Dimension, in Counts) Breakdown {
	cols := append(append([]Column(nil), d.Columns...), NotAnswered)
	index := map[string]int{}
	for i, c := range cols {
		index[c.Key] = i
	}
	b := Breakdown{Key: d.Key, Label: d.Label, Columns: cols}
	base := make([]int, len(cols))
	for k, n := range in.Base[d.Key] {
		if i, ok := index[k]; ok && k != NotAnswered.Key {
			base[i] += n
		}
	}
	base[len(cols)-1] = in.Participants - sumOf(base)
	b.Everyone = Row{Key: "everyone", Label: "Everyone who took part"}
	b.Everyone.Total, b.Everyone.Cells = row(in.Participants, base)
	for _, t := range f.Themes {
		parts := make([]int, len(cols))
		for id := range f.sets[t.Key] {
			i, ok := index[in.Answers[id][d.Key]]
			if !ok {
				i = len(cols) - 1
			}
			parts[i]++
		}
		r := Row{Key: t.Key, Label: t.Label}
		r.Total, r.Cells = row(len(f.sets[t.Key]), parts)
		b.Rows = append(b.Rows, r)
	}
	return b
}

func sumOf(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// Evidence is how many distinct respondents said something coded with any
// of codes (a theme stands for all its codes), suppressed if small.
func (f *Findings) Evidence(codes []string) Cell {
	seen := map[uint]struct{}{}
	for _, c := range codes {
		for id := range f.sets[c] {
			seen[id] = struct{}{}
		}
	}
	return one(len(seen))
}

// Label names a theme or code.
func (f *Findings) Label(key string) string {
	for _, c := range f.cb.Codes {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}
