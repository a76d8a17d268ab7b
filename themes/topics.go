package themes

import (
	"sort"
	"strings"
	"sync"

	"github.com/jdkato/prose/v2"
)

// One part-of-speech model for the process. prose.NewDocument with default
// options loads its models on every call (100-200 ms and ~100 MB each), so
// the model is built once here and every document reuses it.
var (
	modelOnce sync.Once
	model     *prose.Model
)

func sharedModel() *prose.Model {
	modelOnce.Do(func() { model = prose.ModelFromData("codesign") })
	return model
}

// nounPhrases tags one sentence and returns its noun phrases (adjectives
// and nouns ending in a noun), lower-cased, for spotting emerging topics.
func nounPhrases(s string) []string {
	doc, err := prose.NewDocument(s, prose.WithSegmentation(false), prose.WithExtraction(false), prose.UsingModel(sharedModel()))
	if err != nil {
		return nil
	}
	var out, cur []string
	flush := func() {
		// Trailing adjectives are not part of the phrase.
		for len(cur) > 0 && !strings.HasPrefix(cur[len(cur)-1], "NN") {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			out = append(out, strings.Join(words(cur), " "))
		}
		cur = nil
	}
	for _, tok := range doc.Tokens() {
		if strings.HasPrefix(tok.Tag, "NN") || strings.HasPrefix(tok.Tag, "JJ") {
			cur = append(cur, tok.Tag+"\x00"+strings.ToLower(tok.Text))
			continue
		}
		flush()
	}
	flush()
	return out
}

func words(tagged []string) []string {
	out := make([]string, len(tagged))
	for i, t := range tagged {
		out[i] = t[strings.IndexByte(t, 0)+1:]
	}
	return out
}

// Topic is a noun phrase that recurs in passages no code matched: a
// candidate for a new code.
type Topic struct {
	Phrase   string   `json:"phrase"`
	Count    int      `json:"count"`
	Examples []string `json:"examples"`
}

// EmergingTopics counts the uncoded noun phrases of many results and
// returns those seen at least min times, most frequent first.
func EmergingTopics(results []Result, min int) []Topic {
	byPhrase := map[string]*Topic{}
	for _, r := range results {
		for _, u := range r.Uncoded {
			for _, p := range u.Phrases {
				t := byPhrase[p]
				if t == nil {
					t = &Topic{Phrase: p}
					byPhrase[p] = t
				}
				t.Count++
				if len(t.Examples) < 3 {
					t.Examples = append(t.Examples, u.Sentence)
				}
			}
		}
	}
	var out []Topic
	for _, t := range byPhrase {
		if t.Count >= min {
			out = append(out, *t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Phrase < out[j].Phrase
	})
	return out
}

// Uncoded is a sentence no code matched, with its noun phrases.
type Uncoded struct {
	Sentence string   `json:"sentence"`
	Phrases  []string `json:"phrases"`
}
