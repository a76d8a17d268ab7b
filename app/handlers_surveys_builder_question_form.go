package app

import (
	"fmt"
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// Reading the question form, and filling it from a stored question.

var builderQuestionFields = []string{"key", "type", "label", "hint", "options", "max_length", "min", "max"}

// otherOption is the option the form's "Other" checkbox adds.
var otherOption = surveys.Option{Value: "other", Label: "Other", Other: true}

// keyFrom makes a key or option value from words: lower-case letters,
// numbers and single underscores, up to 40 characters.
func keyFrom(s string) string {
	k := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(s), "_"), "_")
	if len(k) > 40 {
		k = strings.TrimRight(k[:40], "_")
	}
	return k
}

// questionFromForm reads the question form. An empty key stays as it was
// (keep), or for a new question is made from the question's words.
func questionFromForm(c *fiber.Ctx, keep string) (surveys.Question, map[string]string, []int, *errs.Fields) {
	form := map[string]string{}
	for _, n := range builderQuestionFields {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	for _, n := range []string{"required", "personal", "other"} {
		form[n] = c.FormValue(n)
	}
	if form["key"] == "" {
		form["key"] = keep
	}
	if form["key"] == "" {
		form["key"] = keyFrom(form["label"])
	}
	f := &errs.Fields{}
	q := surveys.Question{Key: form["key"], Type: surveys.Type(form["type"]), Label: form["label"], Hint: form["hint"],
		Required: form["required"] == "yes", Personal: form["personal"] == "yes"}
	q.Options = optionsFromForm(form["options"], f)
	if form["other"] == "yes" && (q.Type == surveys.Radio || q.Type == surveys.Checkbox) && q.Option(otherOption.Value) == nil {
		q.Options = append(q.Options, otherOption)
	}
	if form["max_length"] != "" {
		n, err := strconv.Atoi(form["max_length"])
		if err != nil {
			f.Add("max_length", "Enter the character limit as a whole number, like 500")
		}
		q.MaxLength = n
	}
	q.Min = numberFromForm(f, "min", "the smallest number allowed", form["min"])
	q.Max = numberFromForm(f, "max", "the largest number allowed", form["max"])
	show, rows := showIfFromForm(c, form, f)
	q.ShowIf = show
	return q, form, rows, f
}

func numberFromForm(f *errs.Fields, field, what, v string) *float64 {
	if v == "" {
		return nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		f.Add(field, "Enter "+what+" as a number, like 0, or leave it empty")
		return nil
	}
	return &n
}

// optionsFromForm reads one option a line: "value | label", or just the
// label when a value can be made from it. After the label, "| other" asks
// for the resident's own words and "| group: Heading" puts the option
// under a heading.
func optionsFromForm(text string, f *errs.Fields) []surveys.Option {
	var out []surveys.Option
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		o := surveys.Option{Value: keyFrom(parts[0]), Label: parts[0]}
		if len(parts) > 1 {
			o.Value, o.Label = parts[0], parts[1]
			for _, extra := range parts[2:] {
				low := strings.ToLower(extra)
				switch {
				case low == "other":
					o.Other = true
				case strings.HasPrefix(low, "group:"):
					o.Group = strings.TrimSpace(extra[len("group:"):])
				default:
					f.Add("options", fmt.Sprintf("Option %d: after the label, add only “| other” or “| group:” and a heading", len(out)+1))
				}
			}
		}
		out = append(out, o)
	}
	return out
}

// questionForm fills the form from a stored question. The standard
// options of a Likert or 0 to 10 question are left out: they come back
// when the box is left empty.
func questionForm(q *surveys.Question) map[string]string {
	form := map[string]string{"key": q.Key, "type": string(q.Type), "label": q.Label, "hint": q.Hint}
	if q.Required {
		form["required"] = "yes"
	}
	if q.Personal {
		form["personal"] = "yes"
	}
	if q.MaxLength > 0 {
		form["max_length"] = strconv.Itoa(q.MaxLength)
	}
	if q.Min != nil {
		form["min"] = strconv.FormatFloat(*q.Min, 'f', -1, 64)
	}
	if q.Max != nil {
		form["max"] = strconv.FormatFloat(*q.Max, 'f', -1, 64)
	}
	opts := q.Options
	if n := len(opts); n > 0 && opts[n-1] == otherOption {
		form["other"], opts = "yes", opts[:n-1]
	}
	if !standardOptions(q) {
		lines := make([]string, 0, len(opts))
		for _, o := range opts {
			line := o.Value + " | " + o.Label
			if o.Group != "" {
				line += " | group: " + o.Group
			}
			if o.Other {
				line += " | other"
			}
			lines = append(lines, line)
		}
		form["options"] = strings.Join(lines, "\n")
	}
	showIfForm(form, q.ShowIf)
	return form
}

func standardOptions(q *surveys.Question) bool {
	switch q.Type {
	case surveys.Likert:
		if len(q.Options) != len(surveys.LikertOptions) {
			return false
		}
		for i, o := range q.Options {
			if o != surveys.LikertOptions[i] {
				return false
			}
		}
		return true
	case surveys.Scale:
		if len(q.Options) != 11 {
			return false
		}
		for i, o := range q.Options {
			if n := strconv.Itoa(i); o != (surveys.Option{Value: n, Label: n}) {
				return false
			}
		}
		return true
	}
	return false
}
