package surveys

import "testing"

// equalityKeys lists exactly the equality section's questions.
func TestEqualityKeysMatchTheSection(t *testing.T) {
	p := EqualityPage(nil)
	if len(p.Questions) != len(equalityKeys) {
		t.Fatalf("%d questions, %d keys", len(p.Questions), len(equalityKeys))
	}
	for _, q := range p.Questions {
		if !equalityKeys[q.Key] {
			t.Errorf("%s is not in equalityKeys", q.Key)
		}
	}
}
