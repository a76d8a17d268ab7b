package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// Helpers shared by the builder's forms: reading "show this only if"
// conditions, and putting the store's problems beside the right field.

// builderElsewhere is a problem the store found outside the part of the
// survey a form changes, such as a later condition that looked at an
// option just removed. Forms list these, each with an id for the error
// summary to link to.
type builderElsewhere struct{ ID, Message string }

// scopeProblems renames the store's field names (pages[0].questions[2].label)
// to the form's (label) with rename, which reports false for a problem
// the form has no field for.
func scopeProblems(f *errs.Fields, rename func(string) (string, bool)) (*errs.Fields, []builderElsewhere) {
	out := &errs.Fields{}
	var elsewhere []builderElsewhere
	for _, k := range f.Order {
		if name, ok := rename(k); ok {
			out.Add(name, f.Messages[k])
			continue
		}
		id := fmt.Sprintf("elsewhere-%d", len(elsewhere)+1)
		elsewhere = append(elsewhere, builderElsewhere{ID: id, Message: f.Messages[k]})
		out.Add(id, f.Messages[k])
	}
	return out, elsewhere
}

// partFields renames the problems of the page or question at prefix
// ("pages[1]." or "pages[1].questions[0].") to the names on its form. rows
// maps each stored condition to its row on the form.
func partFields(prefix string, rows []int) func(string) (string, bool) {
	return func(k string) (string, bool) {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || strings.HasPrefix(rest, "questions") {
			return "", false
		}
		if rest == "show_if.match" {
			return "match", true
		}
		if r, ok := strings.CutPrefix(rest, "show_if.conditions["); ok {
			end := strings.Index(r, "]")
			i, err := strconv.Atoi(r[:max(end, 0)])
			if err != nil || i >= len(rows) {
				return "", false
			}
			return fmt.Sprintf("c%d_%s", rows[i], strings.TrimPrefix(r[end+1:], ".")), true
		}
		if i := strings.IndexAny(rest, ".["); i >= 0 {
			rest = rest[:i]
		}
		return rest, true
	}
}

// detailFields keeps the problems with a survey's details; any with its
// pages belong elsewhere.
func detailFields(k string) (string, bool) { return k, !strings.HasPrefix(k, "pages") }

// builderMaxRows bounds how many condition rows a form is read for; a
// form shows three, or as many as the page or question already has.
const builderMaxRows = 50

// showIfFromForm reads the "show this only if" rows into form and returns
// the conditions, skipping empty rows; rows gives each condition's row.
func showIfFromForm(c *fiber.Ctx, form map[string]string, f *errs.Fields) (*surveys.ShowIf, []int) {
	form["match"] = c.FormValue("match")
	s := &surveys.ShowIf{Match: form["match"]}
	var rows []int
	for r := 1; r <= builderMaxRows; r++ {
		p := "c" + strconv.Itoa(r) + "_"
		q, op, v := strings.TrimSpace(c.FormValue(p+"question")), c.FormValue(p+"op"), strings.TrimSpace(c.FormValue(p+"value"))
		if q == "" && v == "" {
			continue
		}
		form[p+"question"], form[p+"op"], form[p+"value"] = q, op, v
		if q == "" {
			f.Add(p+"question", fmt.Sprintf("Condition %d: choose the question it looks at, or clear its value", r))
			continue
		}
		s.Conditions = append(s.Conditions, surveys.Condition{Question: q, Op: surveys.Op(op), Value: v})
		rows = append(rows, r)
	}
	if len(s.Conditions) == 0 {
		return nil, nil
	}
	if s.Match == "" {
		s.Match = "all"
	}
	return s, rows
}

// showIfForm fills form with a stored condition.
func showIfForm(form map[string]string, s *surveys.ShowIf) {
	form["match"] = "all"
	if s == nil {
		return
	}
	if s.Match == "any" {
		form["match"] = "any"
	}
	for i, c := range s.Conditions {
		p := "c" + strconv.Itoa(i+1) + "_"
		form[p+"question"], form[p+"op"], form[p+"value"] = c.Question, string(c.Op), c.Value
	}
}

// conditionRows numbers the rows a form shows: three, or one for every
// condition already filled in.
func conditionRows(form map[string]string) []int {
	n := 3
	for r := 1; r <= builderMaxRows; r++ {
		p := "c" + strconv.Itoa(r) + "_"
		if form[p+"question"] != "" || form[p+"value"] != "" {
			n = max(n, r)
		}
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i + 1
	}
	return rows
}

// builderFormProblems sorts a store error into problems to show on the
// form (422 for field problems, 409 for a refusal) or an error to return.
// A refusal is shown beside fallback, the field most likely to cause it;
// a change made meanwhile is shown above the form.
func builderFormProblems(err error, rename func(string) (string, bool), fallback string) (*errs.Fields, []builderElsewhere, int, error) {
	if errors.Is(err, errStale) {
		p := &errs.Fields{}
		p.Add("elsewhere-1", errStale.Message)
		return p, []builderElsewhere{{ID: "elsewhere-1", Message: errStale.Message}}, fiber.StatusConflict, nil
	}
	if f, ok := fieldsOf(err); ok {
		p, elsewhere := scopeProblems(f, rename)
		return p, elsewhere, fiber.StatusUnprocessableEntity, nil
	}
	if msg, status, ok := refusal(err); ok {
		p := &errs.Fields{}
		p.Add(fallback, msg)
		return p, nil, status, nil
	}
	return nil, nil, 0, err
}

// londonInstant reads a date (2006-01-02) and a time (15:04, or clock
// when empty) typed in UK time. Both empty means no date.
func (a *App) londonInstant(f *errs.Fields, field, what, date, clock, defaultClock string) *time.Time {
	if date == "" {
		if clock != "" {
			f.Add(field, "Enter the "+what+" date as well as the time, or clear the time")
		}
		return nil
	}
	if clock == "" {
		clock = defaultClock
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+clock, a.london)
	if err != nil {
		f.Add(field, "Enter the "+what+" date like 2026-05-12 and a time like 09:00")
		return nil
	}
	t = t.UTC()
	return &t
}

// builderApply saves change through the store, unless reading the form
// found problems (local): then a copy is checked instead, so every problem
// shows at once and nothing is saved. It returns the problems by the
// form's names with the status to show them with; err is anything else.
func (a *App) builderApply(c *fiber.Ctx, sv *surveys.Survey, action string, local *errs.Fields, change func(*surveys.Survey) error,
	rename func(string) (string, bool), fallback string) (*errs.Fields, []builderElsewhere, int, error) {
	var err error
	if local.Has() {
		err = checkCopy(sv, change)
	} else {
		_, err = a.builderEdit(c, sv, action, change)
	}
	if err == nil && !local.Has() {
		return nil, nil, 0, nil
	}
	merged, status := &errs.Fields{}, fiber.StatusUnprocessableEntity
	for _, k := range local.Order {
		merged.Add(k, local.Messages[k])
	}
	var elsewhere []builderElsewhere
	if err != nil {
		var p *errs.Fields
		var s int
		if p, elsewhere, s, err = builderFormProblems(err, rename, fallback); err != nil {
			return nil, nil, 0, err
		}
		for _, k := range p.Order {
			merged.Add(k, p.Messages[k])
		}
		if !local.Has() {
			status = s
		}
	}
	return merged, elsewhere, status, nil
}

// checkCopy applies change to a copy of sv and checks the result.
func checkCopy(sv *surveys.Survey, change func(*surveys.Survey) error) error {
	b, err := json.Marshal(sv)
	if err != nil {
		return err
	}
	var cp surveys.Survey
	if err := json.Unmarshal(b, &cp); err != nil {
		return err
	}
	if err := change(&cp); err != nil {
		return err
	}
	return cp.Validate()
}
