package surveys_test

import (
	"testing"

	"codesign/surveys"
)

// The standard equality section passes the survey's own validation, every
// question in it is optional and offers "Prefer not to say".
func TestEqualityPageIsValid(t *testing.T) {
	sv := sample()
	sv.Pages = append(sv.Pages, surveys.EqualityPage([]surveys.Option{{Value: "north", Label: "North"}}))
	if err := sv.Validate(); err != nil {
		t.Fatalf("a survey with the equality section is refused: %v", err)
	}
	for _, q := range sv.Pages[len(sv.Pages)-1].Questions {
		if q.Required {
			t.Errorf("%s is required", q.Key)
		}
		if q.Type.Choice() && q.Option(surveys.PreferNotToSay.Value) == nil {
			t.Errorf("%s does not offer Prefer not to say", q.Key)
		}
	}
}
