package themes

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	snowball "github.com/kljensen/snowball/english"
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"
)

// token is one word: its stem, its lower-cased form and where it stands in
// the original text (byte offsets).
type token struct {
	stem, word string
	start, end int
}

// Contractions are expanded before stemming, so "couldn't" carries its
// negation as "not" and "can't" does not stem to "cant".
var contractions = map[string][]string{
	"can't": {"can", "not"}, "cannot": {"can", "not"}, "won't": {"will", "not"}, "don't": {"do", "not"},
	"doesn't": {"does", "not"}, "didn't": {"did", "not"}, "isn't": {"is", "not"}, "aren't": {"are", "not"},
	"wasn't": {"was", "not"}, "weren't": {"were", "not"}, "couldn't": {"could", "not"}, "shouldn't": {"should", "not"},
	"wouldn't": {"would", "not"}, "haven't": {"have", "not"}, "hasn't": {"has", "not"}, "hadn't": {"had", "not"},
	"i'm": {"i", "am"}, "i've": {"i", "have"}, "i'd": {"i", "would"}, "i'll": {"i", "will"}, "it's": {"it", "is"},
	"dont": {"do", "not"}, "cant": {"can", "not"}, "didnt": {"did", "not"}, "doesnt": {"does", "not"}, "wont": {"will", "not"},
	"what's": {"what", "is"}, "that's": {"that", "is"}, "there's": {"there", "is"}, "he's": {"he", "is"},
	"she's": {"she", "is"}, "who's": {"who", "is"}, "where's": {"where", "is"}, "you're": {"you", "are"},
	"they're": {"they", "are"}, "we're": {"we", "are"}, "you've": {"you", "have"}, "they've": {"they", "have"},
	"we've": {"we", "have"}, "whats": {"what", "is"}, "thats": {"that", "is"}, "theres": {"there", "is"},
	"gonna": {"going", "to"}, "wanna": {"want", "to"}, "gotta": {"got", "to"}, "tryna": {"trying", "to"},
	"im": {"i", "am"}, "ive": {"i", "have"}, "isnt": {"is", "not"}, "wasnt": {"was", "not"}, "couldnt": {"could", "not"},
}

var quotes = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", "\"", "\u201d", "\"", "`", "'")

// tokenize splits s into word tokens with offsets into s. Quotes are
// normalised one rune for one rune, so offsets stay valid for the caller.
func tokenize(s string) []token {
	var out []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		out = appendWord(out, s[start:end], start, end)
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '\u2019' || r == '&' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

func appendWord(out []token, raw string, start, end int) []token {
	w := strings.Trim(strings.ToLower(quotes.Replace(raw)), "'")
	if w == "" {
		return out
	}
	if parts, ok := contractions[w]; ok {
		for _, p := range parts {
			out = append(out, token{stem: stem(p), word: p, start: start, end: end})
		}
		return out
	}
	w = strings.TrimSuffix(w, "'s")
	return append(out, token{stem: stem(w), word: w, start: start, end: end})
}

func stem(w string) string {
	if !isASCII(w) {
		return w // snowball's English stemmer is for English; leave other scripts whole
	}
	return snowball.Stem(w, false)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// One sentence tokenizer for the process: building it loads its training
// data, which must never happen per call.
var (
	splitterOnce sync.Once
	splitter     *sentences.DefaultSentenceTokenizer
	splitterErr  error
)

// sentence is a span of the original text.
type sentence struct {
	start, end int
	text       string
}

// splitSentences returns the sentences of s with byte offsets into s. Line
// breaks also end a sentence: residents often write lists without full stops.
func splitSentences(s string) []sentence {
	splitterOnce.Do(func() { splitter, splitterErr = english.NewSentenceTokenizer(nil) })
	var out []sentence
	offset := 0
	for _, line := range strings.SplitAfter(s, "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, splitLine(line, offset)...)
		}
		offset += len(line)
	}
	return out
}

func splitLine(line string, offset int) []sentence {
	if splitterErr != nil {
		return []sentence{{offset, offset + len(line), strings.TrimSpace(line)}}
	}
	var out []sentence
	pos := 0
	for _, sn := range splitter.Tokenize(line) {
		i := strings.Index(line[pos:], strings.TrimSpace(sn.Text))
		if i < 0 || strings.TrimSpace(sn.Text) == "" {
			continue
		}
		text := strings.TrimSpace(sn.Text)
		start := pos + i
		out = append(out, sentence{offset + start, offset + start + len(text), text})
		pos = start + len(text)
	}
	if len(out) == 0 {
		t := strings.TrimSpace(line)
		i := strings.Index(line, t)
		out = append(out, sentence{offset + i, offset + i + len(t), t})
	}
	return out
}
