package surveys

import (
	"encoding/json"
	"fmt"

	"codesign/errs"
)

func clone(src, dst *Survey) error {
	b, err := json.Marshal(src)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

func conflictf(format string, args ...any) error {
	return &errs.Conflict{Message: fmt.Sprintf(format, args...)}
}

func slugTaken() error {
	f := &errs.Fields{}
	f.Add("slug", "Another survey already uses this web address name; choose another")
	return f
}

// retire adds the keys of removed questions to the survey's retired keys,
// so a later question can never take a key that old answers use.
func retire(old, sv *Survey) []string {
	keep := map[string]bool{}
	for _, q := range sv.Questions() {
		keep[q.Key] = true
	}
	out := append([]string{}, old.RetiredKeys...)
	seen := map[string]bool{}
	for _, k := range out {
		seen[k] = true
	}
	for _, q := range old.Questions() {
		if !keep[q.Key] && !seen[q.Key] {
			out = append(out, q.Key)
			seen[q.Key] = true
		}
	}
	return out
}

// orphans refuses, once answers exist, any change that would leave an
// answer without its question or option: removing a question, changing
// its type, or removing or renaming an option value. Wording, hints,
// order and conditions may still change.
func orphans(old, sv *Survey) error {
	for _, oq := range old.Questions() {
		nq, _ := sv.Question(oq.Key)
		if nq == nil {
			return conflictf("The question %q already has answers, so it cannot be removed. You can change its wording or hide it with a condition instead.", oq.Key)
		}
		if nq.Type != oq.Type {
			return conflictf("The question %q already has answers, so its type cannot change. Add a new question instead.", oq.Key)
		}
		for _, o := range oq.Options {
			if nq.Option(o.Value) == nil {
				return conflictf("The option %q of question %q may already have been chosen, so it cannot be removed or renamed. You can change its label.", o.Value, oq.Key)
			}
		}
	}
	return nil
}

// Duplicate copies a survey's definition into a new draft with a new
// slug. Answers are not copied.
func (s *Survey) Duplicate(slug string) *Survey {
	var cp Survey
	if err := clone(s, &cp); err != nil {
		return nil
	}
	cp.ID, cp.Slug, cp.Status = 0, slug, Draft
	cp.Title = "Copy of " + s.Title
	cp.RetiredKeys = nil
	return &cp
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // Answers always marshal
	}
	return string(b)
}

func fieldsErr(err error) (*errs.Fields, bool) { return errs.AsFields(err) }
