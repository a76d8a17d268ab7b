package app

import (
	"strings"

	"codesign/surveys"
)

// builderPageView is one page of a survey as the survey page lists it.
type builderPageView struct {
	Number      int // from 1, as in the URL
	Page        *surveys.Page
	Logic       string
	Questions   []builderQuestionView
	First, Last bool
}

// builderQuestionView is one question in the list. First and Last are
// about the whole survey: a question moves across pages.
type builderQuestionView struct {
	Q           *surveys.Question
	TypeLabel   string
	Logic       string
	Options     string
	First, Last bool
}

func builderPages(sv *surveys.Survey) []builderPageView {
	total, n := len(sv.Questions()), 0
	out := make([]builderPageView, 0, len(sv.Pages))
	for i := range sv.Pages {
		p := &sv.Pages[i]
		v := builderPageView{Number: i + 1, Page: p, Logic: describeShowIf(sv, p.ShowIf), First: i == 0, Last: i == len(sv.Pages)-1}
		for j := range p.Questions {
			q := &p.Questions[j]
			n++
			labels := make([]string, 0, len(q.Options))
			for _, o := range q.Options {
				labels = append(labels, o.Label)
			}
			v.Questions = append(v.Questions, builderQuestionView{Q: q, TypeLabel: typeLabel(q.Type), Logic: describeShowIf(sv, q.ShowIf),
				Options: strings.Join(labels, "; "), First: n == 1, Last: n == total})
		}
		out = append(out, v)
	}
	return out
}

func typeLabel(t surveys.Type) string {
	for _, v := range surveys.Types {
		if v.Type == t {
			return v.Label
		}
	}
	return string(t)
}

func opLabel(op surveys.Op) string {
	for _, v := range surveys.Ops {
		if v.Op == op {
			return v.Label
		}
	}
	return string(op)
}

// describeShowIf puts a condition in words, using the question's wording
// and the option's label rather than keys.
func describeShowIf(sv *surveys.Survey, s *surveys.ShowIf) string {
	if s == nil || len(s.Conditions) == 0 {
		return ""
	}
	parts := make([]string, 0, len(s.Conditions))
	for _, c := range s.Conditions {
		name, value := c.Question, c.Value
		if q, _ := sv.Question(c.Question); q != nil {
			name = q.Label
			if o := q.Option(c.Value); o != nil {
				value = o.Label
			}
		}
		parts = append(parts, "“"+name+"” "+opLabel(c.Op)+" “"+value+"”")
	}
	join := " and "
	if s.Match == "any" {
		join = " or "
	}
	return "Shown only if " + strings.Join(parts, join)
}

// builderEarlier is a question a condition may look at.
type builderEarlier struct {
	Key, Label, TypeLabel string
	Options               []surveys.Option
}

// earlierQuestions lists the questions on pages before page, and the
// first n questions of page itself (n < 0: all of them).
func earlierQuestions(sv *surveys.Survey, page, n int) []builderEarlier {
	var out []builderEarlier
	for i := 0; i <= page && i < len(sv.Pages); i++ {
		for j, q := range sv.Pages[i].Questions {
			if i == page && n >= 0 && j >= n {
				break
			}
			out = append(out, builderEarlier{Key: q.Key, Label: q.Label, TypeLabel: typeLabel(q.Type), Options: q.Options})
		}
	}
	return out
}

// dependents lists, in words, the pages and questions whose conditions
// look at any of keys: they must change before those questions can go.
func dependents(sv *surveys.Survey, keys map[string]bool) []string {
	uses := func(s *surveys.ShowIf) bool {
		if s == nil {
			return false
		}
		for _, c := range s.Conditions {
			if keys[c.Question] {
				return true
			}
		}
		return false
	}
	var out []string
	for i := range sv.Pages {
		p := &sv.Pages[i]
		if uses(p.ShowIf) {
			out = append(out, "the page “"+p.Title+"”")
		}
		for _, q := range p.Questions {
			if !keys[q.Key] && uses(q.ShowIf) {
				out = append(out, "the question “"+q.Label+"”")
			}
		}
	}
	return out
}
