package surveys

import (
	"fmt"

	"codesign/errs"
)

// ShowIf shows a page or question only when its conditions hold: all of
// them (match "all", the default) or at least one (match "any").
type ShowIf struct {
	Match      string      `json:"match"`
	Conditions []Condition `json:"conditions"`
}

// Condition compares an earlier question's answer with a value.
type Condition struct {
	Question string `json:"question"`
	Op       Op     `json:"op"`
	Value    string `json:"value"`
}

// Op is how a condition compares.
type Op string

// Condition operators. "equals" on a multiple-choice question means
// exactly that one option was chosen.
const (
	Equals      Op = "equals"
	NotEquals   Op = "not_equals"
	Contains    Op = "contains"
	NotContains Op = "not_contains"
)

// Ops lists the operators with the words staff see.
var Ops = []struct {
	Op    Op
	Label string
}{{Equals, "is"}, {NotEquals, "is not"}, {Contains, "includes"}, {NotContains, "does not include"}}

func (o Op) valid() bool {
	for _, v := range Ops {
		if v.Op == o {
			return true
		}
	}
	return false
}

// holds evaluates the condition against answers already pruned of hidden
// questions: an unanswered or hidden question equals and contains nothing.
func (c Condition) holds(a Answers) bool {
	vals := a[c.Question]
	has := false
	for _, v := range vals {
		if v == c.Value {
			has = true
		}
	}
	switch c.Op {
	case Equals:
		return len(vals) == 1 && vals[0] == c.Value
	case NotEquals:
		return !(len(vals) == 1 && vals[0] == c.Value)
	case Contains:
		return has
	case NotContains:
		return !has
	}
	return false
}

// holds reports whether s lets its page or question show; nil always does.
func (s *ShowIf) holds(a Answers) bool {
	if s == nil || len(s.Conditions) == 0 {
		return true
	}
	any := s.Match == "any"
	for _, c := range s.Conditions {
		ok := c.holds(a)
		if any && ok {
			return true
		}
		if !any && !ok {
			return false
		}
	}
	return !any
}

// Visibility says which pages and questions a resident sees, given their
// answers.
type Visibility struct {
	Pages     []bool
	Questions map[string]bool
}

// Visible works out what shows, in order, and returns the answers with
// everything on hidden pages or questions removed. Because a condition
// may only look at an earlier question, one pass settles chains: a hidden
// question's answer is dropped before any later condition reads it.
func (s *Survey) Visible(a Answers) (Visibility, Answers) {
	v := Visibility{Pages: make([]bool, len(s.Pages)), Questions: map[string]bool{}}
	kept := Answers{}
	for i := range s.Pages {
		p := &s.Pages[i]
		v.Pages[i] = p.ShowIf.holds(kept)
		for j := range p.Questions {
			q := &p.Questions[j]
			show := v.Pages[i] && q.ShowIf.holds(kept)
			v.Questions[q.Key] = show
			if !show {
				continue
			}
			if vals, ok := a[q.Key]; ok {
				kept[q.Key] = vals
			}
			if vals, ok := a[OtherKey(q.Key)]; ok {
				kept[OtherKey(q.Key)] = vals
			}
		}
	}
	return v, kept
}

// VisiblePages lists the indexes of the pages shown for answers a.
func (s *Survey) VisiblePages(a Answers) []int {
	v, _ := s.Visible(a)
	var out []int
	for i, ok := range v.Pages {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

func validateShowIf(f *errs.Fields, where, name string, s *ShowIf, earlier map[string]*Question) {
	if s == nil {
		return
	}
	if s.Match != "" && s.Match != "all" && s.Match != "any" {
		f.Add(where+".match", name+": show it when all or any of the conditions are met")
	}
	for k, c := range s.Conditions {
		at := fmt.Sprintf("%s.conditions[%d]", where, k)
		q := earlier[c.Question]
		switch {
		case q == nil:
			f.Add(at+".question", fmt.Sprintf("%s, condition %d: %q is not an earlier question; a condition can only look at questions before it", name, k+1, c.Question))
		case !c.Op.valid():
			f.Add(at+".op", fmt.Sprintf("%s, condition %d: choose is, is not, includes or does not include", name, k+1))
		case q.Type.Choice() && q.Option(c.Value) == nil:
			f.Add(at+".value", fmt.Sprintf("%s, condition %d: %q is not one of the options of %q", name, k+1, c.Value, c.Question))
		}
	}
}
