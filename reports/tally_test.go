package reports

import (
	"testing"

	"codesign/themes"
)

func codebook(t *testing.T) *themes.Codebook {
	t.Helper()
	cb, err := themes.DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

func themeOf(f *Findings, key string) ThemeCount {
	for _, th := range f.Themes {
		if th.Key == key {
			return th
		}
	}
	return ThemeCount{}
}

func codeOf(th ThemeCount, key string) CodeCount {
	for _, c := range th.Codes {
		if c.Key == key {
			return c
		}
	}
	return CodeCount{}
}

// tags gives respondent r passages p.. with codes.
func tagsFor(r uint, first uint, codes ...[]string) []Tag {
	var out []Tag
	for i, cs := range codes {
		for _, c := range cs {
			out = append(out, Tag{Passage: first + uint(i), Respondent: r, Code: c})
		}
	}
	return out
}

func TestTallyCountsDistinctRespondentsAndPassages(t *testing.T) {
	var tags []Tag
	// Respondents 1-6 each mention waiting times in two passages; the
	// second passage of each also mentions stigma (coded twice).
	for r := uint(1); r <= 6; r++ {
		tags = append(tags, tagsFor(r, r*10, []string{"waiting_times"}, []string{"waiting_times", "stigma"})...)
	}
	// Respondents 7-9 mention housing once.
	for r := uint(7); r <= 9; r++ {
		tags = append(tags, tagsFor(r, r*10, []string{"housing"})...)
	}
	f := Tally(codebook(t), Counts{Participants: 40, Tags: tags})
	barriers := themeOf(f, "barriers")
	if barriers.Respondents != (Cell{N: 6}) {
		t.Errorf("barriers respondents = %v, want 6 (each respondent once)", barriers.Respondents)
	}
	// 12 passages: the multi-coded ones count once for the theme.
	if barriers.Passages != (Cell{N: 12}) {
		t.Errorf("barriers passages = %v, want 12", barriers.Passages)
	}
	if c := codeOf(barriers, "waiting_times"); c.Respondents != (Cell{N: 6}) || c.Passages != (Cell{N: 12}) || c.Share != 15 {
		t.Errorf("waiting times = %+v, want 6 respondents, 12 passages, 15%%", c)
	}
	// Multi-coded passages count once for each code.
	if c := codeOf(barriers, "stigma"); c.Respondents != (Cell{N: 6}) || c.Passages != (Cell{N: 6}) {
		t.Errorf("stigma = %+v", c)
	}
	q := themeOf(f, "quality_of_life")
	if !q.Respondents.Suppressed || q.Respondents.N != 0 || q.Share != -1 {
		t.Errorf("3 respondents must be suppressed with no number and no share: %+v", q)
	}
	if f.Tagged != 15 {
		t.Errorf("tagged passages = %d, want 15 (a passage with two codes is one passage)", f.Tagged)
	}
	if got := f.Evidence([]string{"waiting_times", "housing"}); got != (Cell{N: 9}) {
		t.Errorf("evidence = %v, want 9", got)
	}
	if got := f.Evidence([]string{"housing"}); !got.Suppressed {
		t.Errorf("evidence of 3 = %v, want suppressed", got)
	}
	if got := f.Evidence([]string{"barriers"}); got != (Cell{N: 6}) {
		t.Errorf("a theme's evidence = %v, want 6", got)
	}
}

func TestTallyIgnoresUnknownCodesAndSortsSuppressedLast(t *testing.T) {
	var tags []Tag
	for r := uint(1); r <= 8; r++ {
		tags = append(tags, Tag{Passage: r, Respondent: r, Code: "stigma"})
	}
	tags = append(tags, Tag{Passage: 100, Respondent: 1, Code: "waiting_times"}, Tag{Passage: 101, Respondent: 2, Code: "no_such_code"})
	f := Tally(codebook(t), Counts{Participants: 8, Tags: tags})
	b := themeOf(f, "barriers")
	if len(b.Codes) != 2 || b.Codes[0].Key != "stigma" || !b.Codes[1].Respondents.Suppressed {
		t.Fatalf("codes = %+v", b.Codes)
	}
	if f.Tagged != 9 {
		t.Errorf("tagged = %d: an unknown code must not count", f.Tagged)
	}
}

func TestTallyChannelsAndBreakdownsSuppressSecondaryCells(t *testing.T) {
	var tags []Tag
	answers := map[uint][]string{}
	// 20 respondents in the north, 10 in the south, 3 central, 2 with no
	// answer, all mentioning stigma.
	put := func(from, to uint, loc string) {
		for r := from; r <= to; r++ {
			tags = append(tags, Tag{Passage: r, Respondent: r, Code: "stigma"})
			if loc != "" {
				answers[r] = []string{loc}
			}
		}
	}
	put(1, 20, "north")
	put(21, 30, "south")
	put(31, 33, "central")
	put(34, 35, "")
	dim := Dimension{Key: "locality", Label: "Locality", Columns: []Column{{"north", "North"}, {"central", "Central"}, {"south", "South"}}}
	in := Counts{Participants: 100, Tags: tags, Dimensions: []Dimension{dim}, Answers: answers,
		Base:     map[string]map[string]int{"locality": {"north": 40, "central": 30, "south": 27}},
		Channels: []Channel{{"online", "Online", 80}, {"paper", "Paper", 17}, {"phone", "Phone", 3}}}
	f := Tally(codebook(t), in)

	if f.Channels[0].Count != (Cell{N: 80}) || !f.Channels[1].Count.Suppressed || !f.Channels[2].Count.Suppressed {
		t.Errorf("channels = %+v: phone (3) and the next smallest, paper, must both be hidden", f.Channels)
	}
	b := f.Breakdowns[0]
	if len(b.Columns) != 4 || b.Columns[3] != NotAnswered {
		t.Fatalf("columns = %+v", b.Columns)
	}
	// Everyone: 40, 30, 27 and 3 not answered: the 3 and the 27 go.
	want := []Cell{{N: 40}, {N: 30}, {Suppressed: true}, {Suppressed: true}}
	if b.Everyone.Total != (Cell{N: 100}) || !equalCells(b.Everyone.Cells, want) {
		t.Errorf("everyone = %+v", b.Everyone)
	}
	stigma := b.Rows[2]
	if stigma.Key != "barriers" {
		t.Fatalf("rows = %+v", b.Rows)
	}
	// Barriers: north 20, central 3, south 10, not answered 2: the two
	// small cells protect each other and the total (35) is published.
	want = []Cell{{N: 20}, {Suppressed: true}, {N: 10}, {Suppressed: true}}
	if stigma.Total != (Cell{N: 35}) || !equalCells(stigma.Cells, want) {
		t.Errorf("barriers by locality = %+v", stigma)
	}
	// One small cell alone (central 3, with 12, 10 and 6 beside it) would
	// be given away by the total, so the next smallest (6) goes too.
	tags, answers = nil, map[uint][]string{}
	put(1, 12, "north")
	put(13, 15, "central")
	put(16, 25, "south")
	put(26, 31, "")
	in.Tags, in.Answers = tags, answers
	f = Tally(codebook(t), in)
	want = []Cell{{N: 12}, {Suppressed: true}, {N: 10}, {Suppressed: true}}
	if got := f.Breakdowns[0].Rows[2]; !equalCells(got.Cells, want) {
		t.Errorf("barriers = %+v, want %v", got.Cells, want)
	}
}

func equalCells(a, b []Cell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
