package themes

import (
	"reflect"
	"strings"
	"testing"
)

func newTestCoder(t testing.TB) *Coder {
	t.Helper()
	cb, err := DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	return NewCoder(cb)
}

func TestCodeFindsThemesWithEvidence(t *testing.T) {
	c := newTestCoder(t)
	cases := []struct {
		text   string
		themes []string
		code   string
	}{
		{"I waited eight months on the waiting list.", []string{"barriers"}, "waiting_times"},
		{"Being so lonely since my husband died.", []string{"quality_of_life"}, "loneliness_isolation"},
		{"I had to tell my story again and again to every new worker.", []string{"support_organisation"}, "tell_story_once"},
		{"They said I was not ill enough for help.", []string{"barriers"}, "thresholds"},
		{"Nobody listens to you at the GP.", []string{"support_organisation", "barriers"}, "not_believed"},
	}
	for _, tc := range cases {
		r := c.Code(tc.text)
		if !reflect.DeepEqual(r.Themes, tc.themes) {
			t.Errorf("%q: themes %v, want %v", tc.text, r.Themes, tc.themes)
		}
		found := false
		for _, s := range r.Suggestions {
			if s.Code == tc.code {
				found = true
				if len(s.Terms) == 0 || !strings.Contains(tc.text, s.Sentence) || tc.text[s.Start:s.End] != s.Sentence {
					t.Errorf("%q: bad evidence %+v", tc.text, s)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %s suggestion in %+v", tc.text, tc.code, r.Suggestions)
		}
	}
}

func TestNegation(t *testing.T) {
	c := newTestCoder(t)
	for _, text := range []string{
		"I had no trouble getting an appointment, the GP was great.",
		"I didn't have to wait long at all.",
		"There was never a waiting list for me.",
	} {
		for _, s := range c.Code(text).Suggestions {
			if s.Code == "waiting_times" {
				t.Errorf("%q: negated waiting suggested: %+v", text, s)
			}
		}
	}
	// Negation stops at "but".
	r := c.Code("No money worries but the waiting list is endless")
	if !contains(r.Codes, "waiting_times") || contains(r.Codes, "money_debt") {
		t.Errorf("scope: codes %v", r.Codes)
	}
}

func TestSafeguarding(t *testing.T) {
	c := newTestCoder(t)
	for _, text := range []string{
		"Some days I don't want to be here anymore.",
		"I've started cutting again.",
		"Everyone would be better off without me.",
		"He hits me when he's drunk.",
		"I have been saving up my tablets.",
	} {
		if !c.Code(text).Safeguarding {
			t.Errorf("%q: not flagged", text)
		}
	}
	for _, text := range []string{
		"Suicide prevention training for GP receptionists would help.",
		"The crisis line should be better advertised.",
		"I love my garden and my friends.",
	} {
		if c.Code(text).Safeguarding {
			t.Errorf("%q: flagged", text)
		}
	}
}

func TestBadInputNeverPanics(t *testing.T) {
	c := newTestCoder(t)
	for name, text := range map[string]string{
		"empty":       "",
		"whitespace":  "   \n\t  ",
		"invalid":     "waiting \xff\xfe list",
		"emoji":       "😀 lonely 🙈 and waiting months",
		"non-latin":   "我很孤独 وحيد одинокий",
		"html":        "<p>I was <b>lonely</b></p><script>alert(1)</script>",
		"huge":        strings.Repeat("I waited months for help. ", 50000),
		"only tags":   "<<<>>><><",
		"punctuation": "!!!???...,,,",
	} {
		r := c.Code(text)
		if r.Themes == nil || r.Codes == nil || r.Suggestions == nil {
			t.Errorf("%s: nil slices in %+v", name, r)
		}
		for _, s := range r.Suggestions {
			if s.Start < 0 || s.End > len(text) || s.Start > s.End {
				t.Errorf("%s: offsets %d-%d outside text of %d", name, s.Start, s.End, len(text))
			}
		}
	}
	if r := c.Code(strings.Repeat("I waited months for help. ", 50000)); !r.Truncated {
		t.Error("1 MB text not marked truncated")
	}
	if r := c.Code("<p>I was <b>lonely</b></p>"); !contains(r.Codes, "loneliness_isolation") {
		t.Errorf("html: %v", r.Codes)
	}
}

func FuzzCode(f *testing.F) {
	c := newTestCoder(f)
	for _, s := range []string{"", "waiting list", "I don't want to be here", "<b>x</b>", "\xff", "no, not, never but"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := c.Code(s)
		for _, sg := range append(r.Suggestions, r.Risk...) {
			if sg.Start < 0 || sg.End > len(s) || sg.Start > sg.End {
				t.Fatalf("offsets %d-%d outside %d", sg.Start, sg.End, len(s))
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestEmergingTopics(t *testing.T) {
	c := newTestCoder(t)
	var rs []Result
	for _, s := range []string{"The recycling bins are a nightmare.", "Recycling bins smell.", "I hate the recycling bins.", "Waiting lists."} {
		rs = append(rs, c.Code(s))
	}
	topics := EmergingTopics(rs, 2)
	if len(topics) == 0 || topics[0].Phrase != "recycling bins" || topics[0].Count < 2 || len(topics[0].Examples) != topics[0].Count {
		t.Fatalf("topics %+v", topics)
	}
}

// One Coder (and the shared tagger) is used by many goroutines at once.
func TestCoderIsSafeForConcurrentUse(t *testing.T) {
	c := newTestCoder(t)
	want := c.Code("The recycling bins are a nightmare and I waited months.")
	done := make(chan Result, 8)
	for i := 0; i < 8; i++ {
		go func() { done <- c.Code("The recycling bins are a nightmare and I waited months.") }()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; !reflect.DeepEqual(got, want) {
			t.Fatalf("concurrent result differs: %+v", got)
		}
	}
}
