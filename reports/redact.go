package reports

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/jdkato/prose/v2"
)

// What a removed detail is replaced with, so a reader sees that something
// was taken out and what kind of thing it was.
const (
	RemovedName     = "[name removed]"
	RemovedEmail    = "[email removed]"
	RemovedPhone    = "[phone number removed]"
	RemovedPostcode = "[postcode removed]"
	RemovedAddress  = "[address removed]"
)

var (
	emailRe = regexp.MustCompile(`(?i)[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)+`)
	// UK numbers: +44 or 0, then nine or ten more digits with any spaces,
	// dots, dashes or brackets people type between them.
	phoneRe    = regexp.MustCompile(`(\+\s?44\s?(\(0\)\s?)?|\(?\b0)\d(?:[\s.\-()]{0,2}\d){8,9}\b`)
	postcodeRe = regexp.MustCompile(`(?i)\b(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b`)
	// A house or flat number and a street: "14 Holloway Road", "flat 3,
	// 22b St John Street".
	addressRe = regexp.MustCompile(`(?i)\b((flat|apartment|unit)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+([A-Z][a-z'’-]+\s+){1,3}(road|rd|street|st|avenue|ave|lane|close|way|place|gardens|court|terrace|grove|square|crescent|drive|hill|row|walk|mews|estate|house)\b\.?`)
	// A title and a capitalised name: "Dr Patel", "Mrs Jo Okafor".
	titleRe = regexp.MustCompile(`\b(Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Nurse|Sister|Father|Rev|Revd|Imam|Rabbi|Cllr|Councillor)\.?\s+[A-Z][\p{L}'’-]+(\s+[A-Z][\p{L}'’-]+)?`)
	// "my name is Sam", "a worker called Sam": a name however it is typed
	// after "name is", a capitalised one after "called" or "named".
	namedRe = regexp.MustCompile(`(?i:\b(my name is|my name's|i am called|i'm called)\s+)[\p{L}'’-]+|(?i:\b(called|named)\s+)[A-Z][\p{L}'’-]+`)
)

// Redact removes what could identify someone from a quote: email
// addresses, UK phone numbers, postcodes, street addresses and people's
// names. Names are found by a title before a capitalised word, by "my
// name is" and "called", and by prose's named-entity recogniser, with
// the places and organisations residents talk about left alone.
func Redact(text string) string {
	text = emailRe.ReplaceAllString(text, RemovedEmail)
	text = addressRe.ReplaceAllString(text, RemovedAddress)
	text = postcodeRe.ReplaceAllString(text, RemovedPostcode)
	text = phoneRe.ReplaceAllString(text, RemovedPhone)
	text = titleRe.ReplaceAllString(text, RemovedName)
	text = namedRe.ReplaceAllStringFunc(text, func(m string) string {
		words := strings.Fields(m)
		return strings.Join(words[:len(words)-1], " ") + " " + RemovedName
	})
	return redactPeople(text)
}

var (
	nerOnce  sync.Once
	nerModel *prose.Model
)

// notPeople are words that, in a named entity, show it is a place, a
// service or an organisation rather than a person.
var notPeople = map[string]bool{"library": true, "mind": true, "council": true, "nhs": true, "centre": true, "center": true,
	"hub": true, "hospital": true, "islington": true, "london": true, "samaritans": true, "gp": true, "a&e": true,
	"road": true, "street": true, "park": true, "archway": true, "finsbury": true, "holloway": true, "highbury": true,
	"mildmay": true, "clerkenwell": true, "camden": true, "hackney": true, "whittington": true, "upper": true,
	"jobcentre": true, "job": true, "school": true, "college": true, "church": true, "mosque": true, "foundation": true,
	"trust": true, "team": true, "service": true, "services": true, "iapt": true, "talking": true, "therapies": true,
	"bengali": true, "turkish": true, "somali": true, "english": true, "black": true, "white": true, "asian": true}

// redactPeople replaces the names prose recognises as people. Text with no
// capitalised word except at the start of a sentence (and "I") names
// nobody prose could find, and is left alone without running the model.
func redactPeople(text string) string {
	if !capitalised(text) {
		return text
	}
	nerOnce.Do(func() { nerModel = prose.ModelFromData("reports") })
	doc, err := prose.NewDocument(text, prose.UsingModel(nerModel), prose.WithSegmentation(false), prose.WithTagging(true))
	if err != nil {
		return text
	}
	for _, e := range doc.Entities() {
		if e.Label != "PERSON" || !person(e.Text) {
			continue
		}
		text = replaceWord(text, e.Text, RemovedName)
	}
	return text
}

// capitalised reports whether the text has a word that might be a name: a
// capitalised word other than "I" within a sentence, or at the start of
// one unless it is a common way to start a sentence.
func capitalised(text string) bool {
	start := true
	for _, w := range strings.Fields(text) {
		r := []rune(strings.Trim(w, "\"'“‘(-"))
		if len(r) == 0 {
			continue
		}
		word := string(r)
		lower := strings.ToLower(strings.TrimRight(word, ".,;:!?'’"))
		// Names are neither acronyms (GP, NHS) nor places and services.
		if unicode.IsUpper(r[0]) && word != "I" && !strings.HasPrefix(word, "I'") && !strings.HasPrefix(word, "I’") &&
			strings.ToUpper(word) != word && !notPeople[lower] {
			if !start || !(starters[lower] || strings.HasSuffix(lower, "ing") || strings.HasSuffix(lower, "ly")) {
				return true
			}
		}
		last := r[len(r)-1]
		start = last == '.' || last == '!' || last == '?' || last == ':'
	}
	return false
}

// starters are common first words of a sentence that are not names.
var starters = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the i im ive id my me we our us you your they their them he she his her it its this that these those
		there here what when where why how who which if and but or so because as at in on of for to from with without by after before
		not no yes nobody nothing some someone something most more less many much all any every each one two three first last
		just only also even still then now never always sometimes often maybe please thanks thank being having getting
		people services service support staff help more better too very really lots get got go went need needed want wanted
		have had has is was are were be do did does can could would should will may might must make made let lets
		mental health money housing work family friends waiting long hard easy good bad nice kind`) {
		m[w] = true
	}
	return m
}()

// person rejects entities that contain a word of a place or service, or
// that are part of a replacement already made.
func person(s string) bool {
	if strings.ContainsAny(s, "[]") {
		return false
	}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if notPeople[strings.Trim(w, ".,'’")] {
			return false
		}
	}
	return true
}

// replaceWord replaces whole-word occurrences of old.
func replaceWord(text, old, repl string) string {
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(old) + `\b`)
	if err != nil {
		return text
	}
	return re.ReplaceAllString(text, repl)
}
