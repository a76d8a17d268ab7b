package reports

import (
	"cmp"
	"math/bits"
	"slices"

	"codesign/themes"
)

// Tag is one code confirmed on one passage: of a respondent's answer, or
// of a workshop's notes. Notes have no respondent: the workshop is the
// unit they are counted by, apart from people.
type Tag struct {
	Passage    uint
	Respondent uint // the response the passage came from; 0 for a note
	Workshop   uint // the workshop whose notes hold the passage; 0 for an answer
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
	// Workshops is how many workshops fed the consultation, and
	// WorkshopPeople how many people came to them.
	Workshops, WorkshopPeople int
	// Consultations are the consultations a programme's counts add up,
	// each with how many answered it; nil for one consultation.
	Consultations []Consultation
	Tags          []Tag
	Dimensions    []Dimension
	// Answers gives, for each respondent with a tag, the key of the column
	// they are in for each dimension, in the order of Dimensions ("": not
	// answered; no entry: answered none).
	Answers map[uint][]string
	// Base counts everyone who took part, by dimension and column.
	Base map[string]map[string]int
}

// Channel is how many took part one way (online, paper...).
type Channel struct {
	Key, Label string
	N          int
}

// Consultation is one consultation counted in a programme's findings.
type Consultation struct {
	Slug, Title string
	N           int
}

// Findings are what people said, counted and with small numbers
// suppressed throughout: what staff read and what is published.
type Findings struct {
	Participants Cell
	Channels     []ChannelCount
	// Consultations are, for a programme, how many answered each of its
	// consultations; they add up to Participants.
	Consultations []ConsultationCount `json:",omitempty"`
	// Workshops fed the consultation; WorkshopPeople came to them.
	Workshops      int
	WorkshopPeople Cell
	// NoteWorkshops is how many workshops have notes with a confirmed
	// code. A workshop is counted as one, never as people.
	NoteWorkshops int `json:",omitempty"`
	Themes        []ThemeCount
	Breakdowns    []Breakdown
	// Tagged is how many passages carry a code at all; 0 means there is
	// nothing to publish.
	Tagged int `json:"-"`
	// people holds the codes and themes each respondent mentioned, for
	// evidence; bit is each code's and theme's place in it.
	people *bitTable
	bit    map[string]int
	cb     *themes.Codebook
}

// ChannelCount is one way of taking part.
type ChannelCount struct {
	Key, Label string
	Count      Cell
}

// ConsultationCount is how many answered one of a programme's
// consultations.
type ConsultationCount struct {
	Slug, Title string
	Count       Cell
}

// ThemeCount is one theme: distinct respondents and passages with any of
// its codes, and each code. Passages include workshop notes; Workshops is
// how many workshops' notes mention it, kept apart from respondents so
// that shares of respondents stay true. A workshop is not a person, so it
// is never suppressed.
type ThemeCount struct {
	Key, Label  string
	Respondents Cell
	Passages    Cell
	Workshops   int `json:",omitempty"`
	Share       int // percent of participants, -1 when suppressed
	Codes       []CodeCount
}

// CodeCount is one code within a theme.
type CodeCount struct {
	Key, Label  string
	Respondents Cell
	Passages    Cell
	Workshops   int `json:",omitempty"`
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
// their theme. A workshop's notes count the same way, by workshop.
func Tally(cb *themes.Codebook, in Counts) *Findings {
	f := &Findings{Participants: one(in.Participants), Workshops: in.Workshops, WorkshopPeople: one(in.WorkshopPeople), cb: cb, bit: map[string]int{}}
	f.Channels = channelCounts(in)
	f.Consultations = consultationCounts(in)
	themeBit := make([]int, len(cb.Codes)) // each code's theme's bit
	for i, c := range cb.Codes {
		f.bit[c.Key] = i
	}
	for i, c := range cb.Codes {
		themeBit[i] = f.bit[cb.Theme(c.Key)]
	}
	f.people = newBitTable(len(cb.Codes))
	passages, events := newBitTable(len(cb.Codes)), newBitTable(len(cb.Codes))
	for _, t := range in.Tags {
		b, ok := f.bit[t.Code]
		if !ok {
			continue
		}
		if t.Workshop != 0 {
			events.set(t.Workshop, b, themeBit[b])
		} else {
			f.people.set(t.Respondent, b, themeBit[b])
		}
		passages.set(t.Passage, b, themeBit[b])
	}
	f.Tagged, f.NoteWorkshops = len(passages.ids), len(events.ids)
	n := counted{people: f.people.counts(), passages: passages.counts(), workshops: events.counts()}
	for _, c := range cb.Codes {
		if c.Parent == "" {
			f.Themes = append(f.Themes, f.theme(cb, c, n))
		}
	}
	f.Breakdowns = f.breakdowns(in)
	return f
}

// bitTable records, for each id (a respondent or a passage), which codes
// it carries, one bit per code in codebook order. With a few bits per
// person it is far smaller and quicker than a set per code.
type bitTable struct {
	words int
	index map[uint]int
	ids   []uint
	bits  []uint64
}

func newBitTable(codes int) *bitTable {
	return &bitTable{words: (codes + 63) / 64, index: map[uint]int{}}
}

// set marks id as carrying the codes at bits a and b.
func (t *bitTable) set(id uint, a, b int) {
	i, ok := t.index[id]
	if !ok {
		i = len(t.ids)
		t.index[id] = i
		t.ids = append(t.ids, id)
		t.bits = append(t.bits, make([]uint64, t.words)...)
	}
	row := t.bits[i*t.words : (i+1)*t.words]
	row[a/64] |= 1 << (a % 64)
	row[b/64] |= 1 << (b % 64)
}

// has reports whether the i-th id carries the code at bit.
func (t *bitTable) has(i, bit int) bool { return t.bits[i*t.words+bit/64]&(1<<(bit%64)) != 0 }

// counts is how many ids carry each code.
func (t *bitTable) counts() []int {
	out := make([]int, t.words*64)
	for i := range t.ids {
		for w, word := range t.bits[i*t.words : (i+1)*t.words] {
			for ; word != 0; word &= word - 1 {
				out[w*64+bits.TrailingZeros64(word)]++
			}
		}
	}
	return out
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

func consultationCounts(in Counts) []ConsultationCount {
	if in.Consultations == nil {
		return nil // one consultation
	}
	out := make([]ConsultationCount, len(in.Consultations))
	if len(out) == 0 {
		return out // a programme with none yet
	}
	parts := make([]int, len(in.Consultations))
	for i, c := range in.Consultations {
		parts[i] = c.N
	}
	_, cs := row(in.Participants, parts)
	for i, c := range in.Consultations {
		out[i] = ConsultationCount{Slug: c.Slug, Title: c.Title, Count: cs[i]}
	}
	return out
}

// counted is, for each code's bit, how many respondents, passages and
// workshops carry it.
type counted struct{ people, passages, workshops []int }

func (f *Findings) theme(cb *themes.Codebook, c themes.Code, n counted) ThemeCount {
	b := f.bit[c.Key]
	t := ThemeCount{Key: c.Key, Label: c.Label, Respondents: one(n.people[b]), Passages: one(n.passages[b]), Workshops: n.workshops[b]}
	t.Share = t.Respondents.Percent(f.Participants)
	for _, sub := range cb.Codes {
		b := f.bit[sub.Key]
		if sub.Parent != c.Key || n.passages[b] == 0 {
			continue
		}
		cc := CodeCount{Key: sub.Key, Label: sub.Label, Respondents: one(n.people[b]), Passages: one(n.passages[b]), Workshops: n.workshops[b]}
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

// breakdowns counts each theme's respondents in each column of each
// dimension, adding the NotAnswered column so that each row's parts add up
// to its total. Every respondent is visited once.
func (f *Findings) breakdowns(in Counts) []Breakdown {
	nd, nt := len(in.Dimensions), len(f.Themes)
	index := make([]map[string]int, nd)
	counts := make([][][]int, nd) // dimension, theme, column
	base := make([][]int, nd)
	for d, dim := range in.Dimensions {
		index[d] = map[string]int{}
		for i, c := range dim.Columns {
			index[d][c.Key] = i
		}
		counts[d] = make([][]int, nt)
		for t := range counts[d] {
			counts[d][t] = make([]int, len(dim.Columns)+1)
		}
		base[d] = make([]int, len(dim.Columns)+1)
		for k, n := range in.Base[dim.Key] {
			if i, ok := index[d][k]; ok {
				base[d][i] += n
			}
		}
		base[d][len(dim.Columns)] = in.Participants - sumOf(base[d])
	}
	themeBits := make([]int, nt)
	totals := make([]int, nt)
	for t, th := range f.Themes {
		themeBits[t] = f.bit[th.Key]
	}
	member := make([]bool, nt)
	for i, id := range f.people.ids {
		for t, b := range themeBits {
			member[t] = f.people.has(i, b)
			if member[t] {
				totals[t]++
			}
		}
		ans := in.Answers[id]
		for d := range in.Dimensions {
			col := len(in.Dimensions[d].Columns)
			if d < len(ans) {
				if i, ok := index[d][ans[d]]; ok {
					col = i
				}
			}
			for t, m := range member {
				if m {
					counts[d][t][col]++
				}
			}
		}
	}
	out := make([]Breakdown, nd)
	for d, dim := range in.Dimensions {
		b := Breakdown{Key: dim.Key, Label: dim.Label, Columns: append(append([]Column(nil), dim.Columns...), NotAnswered)}
		b.Everyone = Row{Key: "everyone", Label: "Everyone who took part"}
		b.Everyone.Total, b.Everyone.Cells = row(in.Participants, base[d])
		for t, th := range f.Themes {
			r := Row{Key: th.Key, Label: th.Label}
			r.Total, r.Cells = row(totals[t], counts[d][t])
			b.Rows = append(b.Rows, r)
		}
		out[d] = b
	}
	return out
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
	if f.people == nil {
		return one(0)
	}
	var bitsOf []int
	for _, c := range codes {
		if b, ok := f.bit[c]; ok {
			bitsOf = append(bitsOf, b)
		}
	}
	n := 0
	for i := range f.people.ids {
		for _, b := range bitsOf {
			if f.people.has(i, b) {
				n++
				break
			}
		}
	}
	return one(n)
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
