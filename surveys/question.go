package surveys

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"codesign/errs"
)

// Type is a kind of question.
type Type string

// Question types, as named in the definition JSON and the API.
const (
	Text     Type = "text"     // one line
	Textarea Type = "textarea" // several lines, with a character limit
	Radio    Type = "radio"    // one choice
	Checkbox Type = "checkbox" // any number of choices
	Likert   Type = "likert"   // five points from strongly disagree to strongly agree
	Scale    Type = "scale"    // 0 to 10
	Number   Type = "number"
	Date     Type = "date"
	Email    Type = "email"
	Phone    Type = "phone"
)

// Types lists every type with the label staff see.
var Types = []struct {
	Type  Type
	Label string
}{
	{Text, "Short text"}, {Textarea, "Long text"}, {Radio, "Single choice"}, {Checkbox, "Multiple choice"},
	{Likert, "Agree or disagree (5 points)"}, {Scale, "Scale from 0 to 10"}, {Number, "Number"},
	{Date, "Date"}, {Email, "Email address"}, {Phone, "Phone number"},
}

func (t Type) valid() bool {
	for _, v := range Types {
		if v.Type == t {
			return true
		}
	}
	return false
}

// Choice reports whether answers are picked from options.
func (t Type) Choice() bool { return t == Radio || t == Checkbox || t == Likert || t == Scale }

// FreeText reports whether answers are typed words worth reading and coding.
func (t Type) FreeText() bool { return t == Text || t == Textarea }

// Page is one section of questions, shown on one screen.
type Page struct {
	Title     string     `json:"title"`
	Intro     string     `json:"intro,omitempty"`
	ShowIf    *ShowIf    `json:"show_if"`
	Questions []Question `json:"questions"`
}

// Question is one question. Its key is stable: answers are stored by key,
// and a removed key is never given to a new question.
type Question struct {
	Key       string   `json:"key"`
	Type      Type     `json:"type"`
	Label     string   `json:"label"`
	Hint      string   `json:"hint"`
	Required  bool     `json:"required"`
	Options   []Option `json:"options"`
	ShowIf    *ShowIf  `json:"show_if"`
	MaxLength int      `json:"max_length,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	// Personal marks contact details, which data-protection work keeps
	// apart from the rest of a response.
	Personal bool `json:"personal,omitempty"`
}

// Option is one choice. Group puts options under a heading (the ONS
// ethnicity groups); Other asks the resident to say more in their words.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Group string `json:"group,omitempty"`
	Other bool   `json:"other,omitempty"`
}

// OtherKey is where the words typed for an "other" option are stored.
func OtherKey(key string) string { return key + ".other" }

// Limit is the most characters a text answer may have.
func (q *Question) Limit() int {
	switch {
	case q.MaxLength > 0:
		return q.MaxLength
	case q.Type == Textarea:
		return 2000
	}
	return 500
}

// Option finds an option by value.
func (q *Question) Option(value string) *Option {
	for i := range q.Options {
		if q.Options[i].Value == value {
			return &q.Options[i]
		}
	}
	return nil
}

// HasOther reports whether any option asks for the resident's own words.
func (q *Question) HasOther() bool {
	for _, o := range q.Options {
		if o.Other {
			return true
		}
	}
	return false
}

// LikertOptions are the five points every Likert question offers.
var LikertOptions = []Option{
	{Value: "strongly_disagree", Label: "Strongly disagree"}, {Value: "disagree", Label: "Disagree"},
	{Value: "neutral", Label: "Neither agree nor disagree"}, {Value: "agree", Label: "Agree"},
	{Value: "strongly_agree", Label: "Strongly agree"},
}

// normalise fills what a type implies, so the API and the pages always
// list a Likert or 0-10 question's options.
func (q *Question) normalise() {
	q.Key, q.Label = strings.TrimSpace(q.Key), strings.TrimSpace(q.Label)
	switch q.Type {
	case Likert:
		if len(q.Options) == 0 {
			q.Options = append([]Option(nil), LikertOptions...)
		}
	case Scale:
		if len(q.Options) == 0 {
			for i := 0; i <= 10; i++ {
				q.Options = append(q.Options, Option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
			}
		}
	case Email, Phone:
		q.Personal = true
	}
	if q.Options == nil {
		q.Options = []Option{}
	}
}

var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// reserved names are used by the resident's form itself.
var reserved = map[string]bool{"action": true, "website": true, "idempotency_key": true, "channel": true}

const (
	maxPages     = 50
	maxQuestions = 300
	maxOptions   = 100
)

// validatePages checks pages and questions in order; conditions may only
// look at questions before them, so the logic can never loop.
func validatePages(f *errs.Fields, pages []Page, retired []string) {
	if len(pages) > maxPages {
		f.Add("pages", fmt.Sprintf("A survey can have at most %d pages", maxPages))
		return
	}
	gone := map[string]bool{}
	for _, k := range retired {
		gone[k] = true
	}
	seen := map[string]*Question{}
	total := 0
	for i := range pages {
		p := &pages[i]
		where := fmt.Sprintf("pages[%d]", i)
		if strings.TrimSpace(p.Title) == "" {
			f.Add(where+".title", fmt.Sprintf("Page %d: enter a title", i+1))
		}
		validateShowIf(f, where+".show_if", fmt.Sprintf("Page %d", i+1), p.ShowIf, seen)
		for j := range p.Questions {
			total++
			q := &p.Questions[j]
			q.normalise()
			validateQuestion(f, fmt.Sprintf("%s.questions[%d]", where, j), fmt.Sprintf("Page %d, question %d", i+1, j+1), q, seen, gone)
			if q.Key != "" {
				seen[q.Key] = q
			}
		}
	}
	if total > maxQuestions {
		f.Add("pages", fmt.Sprintf("A survey can have at most %d questions", maxQuestions))
	}
}

func validateQuestion(f *errs.Fields, where, name string, q *Question, seen map[string]*Question, gone map[string]bool) {
	switch {
	case !keyRe.MatchString(q.Key):
		f.Add(where+".key", name+": the key must start with a letter and use only lower-case letters, numbers and underscores (up to 40), like age_band")
	case reserved[q.Key]:
		f.Add(where+".key", fmt.Sprintf("%s: the key %q is used by the form itself; choose another", name, q.Key))
	case seen[q.Key] != nil:
		f.Add(where+".key", fmt.Sprintf("%s: the key %q is already used by another question", name, q.Key))
	case gone[q.Key]:
		f.Add(where+".key", fmt.Sprintf("%s: the key %q belonged to a removed question; choose a new key so old answers are never mixed up", name, q.Key))
	}
	if !q.Type.valid() {
		f.Add(where+".type", name+": choose a question type from the list")
	}
	if strings.TrimSpace(q.Label) == "" {
		f.Add(where+".label", name+": enter the question")
	} else if len([]rune(q.Label)) > 500 {
		f.Add(where+".label", name+": the question must be 500 characters or fewer")
	}
	if len([]rune(q.Hint)) > 1000 {
		f.Add(where+".hint", name+": the hint must be 1000 characters or fewer")
	}
	if q.Personal && strings.TrimSpace(q.Hint) == "" {
		f.Add(where+".hint", name+": a question asking for contact details must say why in its hint")
	}
	if q.MaxLength < 0 || q.MaxLength > 10000 {
		f.Add(where+".max_length", name+": the character limit must be from 1 to 10000")
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		f.Add(where+".min", name+": the smallest number allowed must not be more than the largest")
	}
	validateOptions(f, where, name, q)
	validateShowIf(f, where+".show_if", name, q.ShowIf, seen)
}

func validateOptions(f *errs.Fields, where, name string, q *Question) {
	if !q.Type.Choice() {
		if len(q.Options) > 0 {
			f.Add(where+".options", name+": only choice questions have options")
		}
		return
	}
	if len(q.Options) < 2 || len(q.Options) > maxOptions {
		f.Add(where+".options", fmt.Sprintf("%s: give from 2 to %d options", name, maxOptions))
	}
	values := map[string]bool{}
	for k, o := range q.Options {
		switch {
		case !keyRe.MatchString(o.Value) && !isSmallInt(o.Value):
			f.Add(fmt.Sprintf("%s.options[%d].value", where, k), fmt.Sprintf("%s, option %d: the value must use only lower-case letters, numbers and underscores, like prefer_not_to_say", name, k+1))
		case values[o.Value]:
			f.Add(fmt.Sprintf("%s.options[%d].value", where, k), fmt.Sprintf("%s, option %d: the value %q is used twice", name, k+1, o.Value))
		}
		values[o.Value] = true
		if strings.TrimSpace(o.Label) == "" || len([]rune(o.Label)) > 300 {
			f.Add(fmt.Sprintf("%s.options[%d].label", where, k), fmt.Sprintf("%s, option %d: enter a label of up to 300 characters", name, k+1))
		}
	}
}

func isSmallInt(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 1000 && strconv.Itoa(n) == s
}
