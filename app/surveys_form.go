package app

import (
	"strings"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// questionView is everything the question template needs, worked out
// here so the template stays plain HTML.
type questionView struct {
	Q          *surveys.Question
	Input      string // text, textarea, radio, checkbox, number, date, email, tel
	Value      string
	Other      string
	OtherName  string // the form field for an "other" option's words
	Error      string
	OtherError string
	Groups     []optionGroup
	Inline     bool
	Describe   string // ids for aria-describedby
}

type optionGroup struct {
	Legend  string
	Options []optionView
}

type optionView struct {
	ID, Value, Label string
	Checked, Other   bool
}

var inputOf = map[surveys.Type]string{surveys.Text: "text", surveys.Textarea: "textarea", surveys.Radio: "radio", surveys.Checkbox: "checkbox",
	surveys.Likert: "radio", surveys.Scale: "radio", surveys.Number: "number", surveys.Date: "date", surveys.Email: "email", surveys.Phone: "tel"}

// questionViews builds the views for qs with the answers given so far.
func questionViews(qs []*surveys.Question, a surveys.Answers, problems *errs.Fields) []questionView {
	out := make([]questionView, 0, len(qs))
	for _, q := range qs {
		v := questionView{Q: q, Input: inputOf[q.Type], Value: a.Get(q.Key), Other: a.Get(surveys.OtherKey(q.Key)),
			Error: fieldErr(problems, q.Key), OtherError: fieldErr(problems, surveys.OtherKey(q.Key)), OtherName: surveys.OtherKey(q.Key), Inline: q.Type == surveys.Scale}
		checked := map[string]bool{}
		for _, x := range a[q.Key] {
			checked[x] = true
		}
		for i, o := range q.Options {
			id := q.Key
			if i > 0 {
				id = q.Key + "-" + o.Value
			}
			if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Legend != o.Group {
				v.Groups = append(v.Groups, optionGroup{Legend: o.Group})
			}
			g := &v.Groups[len(v.Groups)-1]
			g.Options = append(g.Options, optionView{ID: id, Value: o.Value, Label: o.Label, Checked: checked[o.Value], Other: o.Other})
		}
		var ids []string
		if q.Hint != "" {
			ids = append(ids, q.Key+"-hint")
		}
		if q.Type == surveys.Textarea {
			ids = append(ids, q.Key+"-count")
		}
		if v.Error != "" {
			ids = append(ids, q.Key+"-error")
		}
		v.Describe = strings.Join(ids, " ")
		out = append(out, v)
	}
	return out
}

// answersFromForm reads the answers to qs from a posted form into a new
// Answers.
func answersFromForm(c *fiber.Ctx, qs []*surveys.Question) surveys.Answers {
	a := surveys.Answers{}
	readAnswers(c, qs, a)
	return a
}

// readAnswers reads the answers to qs from a posted form into into. Every
// question on the page is read, so unticking all boxes clears an answer.
func readAnswers(c *fiber.Ctx, qs []*surveys.Question, into surveys.Answers) {
	args := c.Request().PostArgs()
	for _, q := range qs {
		delete(into, q.Key)
		delete(into, surveys.OtherKey(q.Key))
		var vals []string
		for _, v := range args.PeekMulti(q.Key) {
			if s := strings.TrimSpace(string(v)); s != "" {
				vals = append(vals, s) // string() copies: fasthttp reuses the buffer
			}
		}
		if len(vals) > 0 {
			into[q.Key] = vals
		}
		if q.HasOther() {
			if s := strings.TrimSpace(string(args.Peek(surveys.OtherKey(q.Key)))); s != "" {
				into[surveys.OtherKey(q.Key)] = []string{s}
			}
		}
	}
}

// pageQuestions lists the questions of page i that show for answers a.
func pageQuestions(sv *surveys.Survey, i int, a surveys.Answers) []*surveys.Question {
	vis, _ := sv.Visible(a)
	var out []*surveys.Question
	for j := range sv.Pages[i].Questions {
		q := &sv.Pages[i].Questions[j]
		if vis.Questions[q.Key] {
			out = append(out, q)
		}
	}
	return out
}

// answerText is an answer as the resident reads it back: option labels,
// not stored values.
func answerText(q *surveys.Question, a surveys.Answers) string {
	vals := a[q.Key]
	if len(vals) == 0 {
		return ""
	}
	if !q.Type.Choice() {
		return vals[0]
	}
	labels := make([]string, 0, len(vals))
	for _, v := range vals {
		if o := q.Option(v); o != nil {
			labels = append(labels, o.Label)
		}
	}
	s := strings.Join(labels, ", ")
	if other := a.Get(surveys.OtherKey(q.Key)); other != "" {
		s += ": " + other
	}
	return s
}
