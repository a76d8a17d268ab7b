package surveys_test

import (
	"context"
	"testing"
	"time"

	"codesign/errs"
	"codesign/surveys"
)

func ptr[T any](v T) *T { return &v }

// sample is a two-page survey with a chain of conditions:
// visited -> (page 2 shown only if visited=yes) -> why shown only if
// helped contains other.
func sample() *surveys.Survey {
	return &surveys.Survey{
		Slug: "have-your-say", Title: "Have your say", Status: surveys.Open,
		Pages: []surveys.Page{
			{Title: "You", Questions: []surveys.Question{
				{Key: "visited", Type: surveys.Radio, Label: "Have you used a hub?", Required: true,
					Options: []surveys.Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}},
				{Key: "age", Type: surveys.Number, Label: "How old are you?", Min: ptr(0.0), Max: ptr(120.0)},
				{Key: "story", Type: surveys.Textarea, Label: "What helps?", MaxLength: 30},
			}},
			{Title: "The hub", ShowIf: &surveys.ShowIf{Conditions: []surveys.Condition{{Question: "visited", Op: surveys.Equals, Value: "yes"}}},
				Questions: []surveys.Question{
					{Key: "helped", Type: surveys.Checkbox, Label: "What helped?", Required: true,
						Options: []surveys.Option{{Value: "staff", Label: "Staff"}, {Value: "peers", Label: "Peers"}, {Value: "other", Label: "Something else", Other: true}}},
					{Key: "why", Type: surveys.Text, Label: "Tell us more", Required: true,
						ShowIf: &surveys.ShowIf{Conditions: []surveys.Condition{{Question: "helped", Op: surveys.Contains, Value: "other"}}}},
				}},
			{Title: "Contact", Questions: []surveys.Question{
				{Key: "email", Type: surveys.Email, Label: "Email", Hint: "So we can tell you what happened."},
			}},
		},
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	f, ok := errs.AsFields(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	return f.Messages
}

func create(t *testing.T, s *surveys.Store, sv *surveys.Survey) *surveys.Survey {
	t.Helper()
	if err := s.Create(context.Background(), nil, sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

var day = 24 * time.Hour
