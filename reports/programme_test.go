package reports

import (
	"bytes"
	"strings"
	"testing"

	"codesign/surveys"
)

// noteTags gives workshop w passages p.. with codes.
func noteTags(w uint, first uint, codes ...[]string) []Tag {
	var out []Tag
	for i, cs := range codes {
		for _, c := range cs {
			out = append(out, Tag{Passage: first + uint(i), Workshop: w, Code: c})
		}
	}
	return out
}

func TestTallyCountsWorkshopNotesByWorkshopApartFromPeople(t *testing.T) {
	var tags []Tag
	for r := uint(1); r <= 6; r++ {
		tags = append(tags, tagsFor(r, r*10, []string{"waiting_times"})...)
	}
	// Workshop 7's notes mention waiting times twice, once in a passage
	// also coded stigma; workshop 8's once; workshop 9's only stigma.
	tags = append(tags, noteTags(7, 1000, []string{"waiting_times"}, []string{"waiting_times", "stigma"})...)
	tags = append(tags, noteTags(8, 1010, []string{"waiting_times"})...)
	tags = append(tags, noteTags(9, 1020, []string{"stigma"})...)
	f := Tally(codebook(t), Counts{Participants: 12, Tags: tags})

	b := themeOf(f, "barriers")
	if b.Respondents != (Cell{N: 6}) || b.Share != 50 || b.Workshops != 3 {
		t.Errorf("barriers = %+v, want 6 respondents (50%%, notes are not people) in 3 workshops", b)
	}
	// 6 answers and 4 note passages; the passage coded twice counts once.
	if b.Passages != (Cell{N: 10}) {
		t.Errorf("barriers passages = %v, want 10", b.Passages)
	}
	if c := codeOf(b, "waiting_times"); c.Respondents != (Cell{N: 6}) || c.Passages != (Cell{N: 9}) || c.Workshops != 2 || c.Share != 50 {
		t.Errorf("waiting times = %+v, want 6 respondents, 9 passages, 2 workshops", c)
	}
	// Mentioned only in workshops: no respondent, and 0 people is still a
	// count under 5. Two workshops are two events, not people, so they show.
	if c := codeOf(b, "stigma"); !c.Respondents.Suppressed || c.Workshops != 2 || c.Share != -1 {
		t.Errorf("stigma = %+v, want people suppressed and 2 workshops", c)
	}
	if f.NoteWorkshops != 3 || f.Tagged != 10 {
		t.Errorf("note workshops = %d, tagged = %d; want 3 and 10", f.NoteWorkshops, f.Tagged)
	}
	// Notes never enter the breakdowns, which are of people.
	if _, ok := f.people.index[0]; ok || len(f.people.ids) != 6 {
		t.Errorf("people = %v, want the 6 respondents only", f.people.ids)
	}
	var out bytes.Buffer
	if err := f.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"share,workshops\n", "themes,barriers,waiting_times,,,Waiting times,6,false,0.500,2\n", "themes,barriers,stigma,,,Stigma and shame,,true,,2\n"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("CSV lacks %q:\n%s", w, out.String())
		}
	}
}

func TestAddUpSumsConsultationsAndMergesBreakdowns(t *testing.T) {
	loc := Dimension{Key: "locality", Label: "Locality", Columns: []Column{{Key: "north", Label: "North"}, {Key: "south", Label: "South"}}}
	age := Dimension{Key: "age_band", Label: "Age", Columns: []Column{{Key: "18_24", Label: "18 to 24"}}}
	one := Counts{Participants: 7, Channels: []Channel{{Key: "online", Label: "Online", N: 7}},
		Dimensions: []Dimension{loc}, Base: map[string]map[string]int{"locality": {"north": 6, "south": 1}},
		Tags: tagsFor(1, 10, []string{"waiting_times"}), Answers: map[uint][]string{1: {"north"}}}
	// The second asks age first in its own list but not locality, and has a
	// column the first lacks.
	loc2 := Dimension{Key: "locality", Label: "Locality", Columns: []Column{{Key: "central", Label: "Central"}}}
	two := Counts{Participants: 5, Channels: []Channel{{Key: "online", Label: "Online", N: 3}, {Key: "paper", Label: "On paper", N: 2}},
		Dimensions: []Dimension{age, loc2}, Base: map[string]map[string]int{"age_band": {"18_24": 5}, "locality": {"central": 2}},
		Tags: tagsFor(2, 20, []string{"waiting_times"}), Answers: map[uint][]string{2: {"18_24", "central"}}}
	svs := []surveys.Survey{{Slug: "one", Title: "One"}, {Slug: "two", Title: "Two"}}
	in := addUp(svs, []Counts{one, two})

	if in.Participants != 12 || len(in.Consultations) != 2 || in.Consultations[1] != (Consultation{Slug: "two", Title: "Two", N: 5}) {
		t.Errorf("participants %d, consultations %+v", in.Participants, in.Consultations)
	}
	if len(in.Channels) != 2 || in.Channels[0].N != 10 || in.Channels[1].N != 2 {
		t.Errorf("channels = %+v, want online 10 and paper 2", in.Channels)
	}
	if len(in.Dimensions) != 2 || in.Dimensions[0].Key != "locality" || in.Dimensions[1].Key != "age_band" {
		t.Fatalf("dimensions = %+v, want locality then age, as usual", in.Dimensions)
	}
	if cols := in.Dimensions[0].Columns; len(cols) != 3 || cols[2].Key != "central" {
		t.Errorf("locality columns = %+v, want north, south, central", cols)
	}
	if in.Base["locality"]["north"] != 6 || in.Base["locality"]["central"] != 2 || in.Base["age_band"]["18_24"] != 5 {
		t.Errorf("base = %v", in.Base)
	}
	if a := in.Answers[2]; len(a) != 2 || a[0] != "central" || a[1] != "18_24" {
		t.Errorf("respondent 2's answers = %q, want moved to the programme's order", a)
	}
	if a := in.Answers[1]; len(a) != 2 || a[0] != "north" || a[1] != "" {
		t.Errorf("respondent 1's answers = %q, want not asked about age", a)
	}
	f := Tally(codebook(t), in)
	if got := f.Consultations; len(got) != 2 || got[0].Count != (Cell{N: 7}) || got[1].Count != (Cell{N: 5}) {
		t.Errorf("consultation counts = %+v", got)
	}
	// A respondent of each consultation: 2, under 5.
	if c := codeOf(themeOf(f, "barriers"), "waiting_times"); !c.Respondents.Suppressed {
		t.Errorf("waiting times = %+v, want suppressed", c)
	}
	// 7 in one, 3 in the other: 3 is hidden, so 7 is too, or 10 - 7 gives it.
	f = Tally(codebook(t), addUp(svs, []Counts{{Participants: 7}, {Participants: 3}}))
	if got := f.Consultations; f.Participants != (Cell{N: 10}) || !got[0].Count.Suppressed || !got[1].Count.Suppressed {
		t.Errorf("participants %v, consultations %+v: want 10 with both parts hidden", f.Participants, got)
	}
}
