package surveys

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codesign/errs"
)

// Answers holds what a resident gave, by question key; every answer is a
// list of strings (one item except for multiple choice). The words typed
// for an "other" option are under OtherKey(key).
type Answers map[string][]string

// Get returns the single answer to key, or "".
func (a Answers) Get(key string) string {
	if v := a[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// AnswersFromJSON reads the API's answers object, where each value is a
// string, a list of strings or a number. A value of any other kind is a
// field error, not a failure to read the whole body.
func AnswersFromJSON(raw map[string]json.RawMessage) (Answers, *errs.Fields) {
	a := Answers{}
	f := &errs.Fields{}
	for k, v := range raw {
		var s string
		var list []string
		var n json.Number
		switch {
		case json.Unmarshal(v, &s) == nil:
			a[k] = []string{s}
		case json.Unmarshal(v, &list) == nil:
			a[k] = list
		case json.Unmarshal(v, &n) == nil:
			a[k] = []string{n.String()}
		default:
			f.Add(k, "This answer must be text, a number or a list of options")
		}
	}
	return a, f
}

// Clean validates answers against the survey: it prunes answers to
// hidden questions (they are neither required nor stored), trims text,
// and returns every problem found with a message a resident understands.
// Keys that are not questions are refused, so a typo in an API client is
// not silently lost.
func (s *Survey) Clean(a Answers) (Answers, error) {
	f := &errs.Fields{}
	for k := range a {
		base := strings.TrimSuffix(k, ".other")
		if q, _ := s.Question(base); q == nil || (base != k && !q.HasOther()) {
			f.Add(k, "There is no question with this key in this consultation")
		}
	}
	vis, kept := s.Visible(a)
	out := Answers{}
	for _, q := range s.Questions() {
		if vis.Questions[q.Key] {
			checkAnswer(f, q, kept, out)
		}
	}
	return out, f.Err()
}

// CleanPage validates only the questions shown on page i, for the
// resident's page-by-page journey.
func (s *Survey) CleanPage(i int, a Answers) error {
	vis, kept := s.Visible(a)
	if i < 0 || i >= len(s.Pages) || !vis.Pages[i] {
		return nil
	}
	f := &errs.Fields{}
	for j := range s.Pages[i].Questions {
		q := &s.Pages[i].Questions[j]
		if vis.Questions[q.Key] {
			checkAnswer(f, q, kept, Answers{})
		}
	}
	return f.Err()
}

// checkAnswer validates one question's answer and copies the cleaned
// value into out.
func checkAnswer(f *errs.Fields, q *Question, in, out Answers) {
	vals := in[q.Key]
	if q.Type != Checkbox && len(vals) > 1 {
		f.Add(q.Key, "Give one answer to "+quote(q.Label))
		return
	}
	var clean []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			clean = append(clean, v)
		}
	}
	if len(clean) == 0 {
		if q.Required {
			f.Add(q.Key, requiredMessage(q))
		}
		return
	}
	if msg := problemWith(q, clean); msg != "" {
		f.Add(q.Key, msg)
		return
	}
	out[q.Key] = clean
	checkOther(f, q, clean, in, out)
}

// checkOther keeps the words for an "other" option when that option was
// chosen, and asks for them when they are missing.
func checkOther(f *errs.Fields, q *Question, chosen []string, in, out Answers) {
	other := ""
	for _, v := range chosen {
		if o := q.Option(v); o != nil && o.Other {
			other = o.Label
		}
	}
	text := strings.TrimSpace(in.Get(OtherKey(q.Key)))
	if other == "" || text == "" {
		return
	}
	if msg := textProblem(text, 500); msg != "" {
		f.Add(OtherKey(q.Key), msg)
		return
	}
	out[OtherKey(q.Key)] = []string{text}
}

func requiredMessage(q *Question) string {
	switch q.Type {
	case Checkbox:
		return "Select at least one answer to " + quote(q.Label)
	case Radio, Likert, Scale:
		return "Select an answer to " + quote(q.Label)
	}
	return "Enter an answer to " + quote(q.Label)
}

// quote shortens a long question so a message stays readable.
func quote(label string) string {
	r := []rune(label)
	if len(r) > 80 {
		return "\u201c" + strings.TrimSpace(string(r[:77])) + "...\u201d"
	}
	return "\u201c" + label + "\u201d"
}

// problemWith returns what is wrong with a non-empty answer, or "".
func problemWith(q *Question, vals []string) string {
	if q.Type.Choice() {
		seen := map[string]bool{}
		for _, v := range vals {
			if q.Option(v) == nil || seen[v] {
				return "Select one of the answers given for " + quote(q.Label)
			}
			seen[v] = true
		}
		return ""
	}
	v := vals[0]
	if msg := textProblem(v, q.Limit()); msg != "" {
		return msg
	}
	switch q.Type {
	case Number:
		return numberProblem(q, v)
	case Date:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "Enter a real date for " + quote(q.Label) + ", like 2026-03-27"
		}
	case Email:
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
			return "Enter an email address in the correct format, like name@example.com"
		}
	case Phone:
		return phoneProblem(v)
	}
	return ""
}

// textProblem checks what any typed answer must be: text, not too long.
func textProblem(v string, limit int) string {
	if !utf8.ValidString(v) {
		return "Your answer contains characters we cannot read. Retype it and try again."
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "Your answer contains characters we cannot read. Retype it and try again."
		}
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return fmt.Sprintf("Your answer must be %d characters or fewer. It has %d.", limit, n)
	}
	return ""
}

func numberProblem(q *Question, v string) string {
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n != n {
		return "Enter a number for " + quote(q.Label) + ", like 12"
	}
	if q.Min != nil && n < *q.Min {
		return fmt.Sprintf("The number must be %s or more", strconv.FormatFloat(*q.Min, 'f', -1, 64))
	}
	if q.Max != nil && n > *q.Max {
		return fmt.Sprintf("The number must be %s or less", strconv.FormatFloat(*q.Max, 'f', -1, 64))
	}
	return ""
}

func phoneProblem(v string) string {
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()", r):
		default:
			return "Enter a phone number using only numbers, spaces and +, like 020 7527 2000"
		}
	}
	if digits < 7 || digits > 15 {
		return "Enter a phone number, like 020 7527 2000"
	}
	return ""
}
