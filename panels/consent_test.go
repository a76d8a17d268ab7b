package panels_test

import (
	"strings"
	"testing"

	"codesign/messages"
	"codesign/panels"
)

func TestApplyStoresTheWordsOfEachConsent(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a := fx.apply("a@example.org")
		in := application("b@example.org")
		in.ConsentAnalysis = true
		b, err := fx.store.Apply(ctx, fx.panel.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.ConsentText != panels.ConsentStoreText {
			t.Errorf("one consent stored as %q", a.ConsentText)
		}
		if b.ConsentText != panels.ConsentStoreText+"\n"+panels.ConsentAnalysisText {
			t.Errorf("two consents stored as %q", b.ConsentText)
		}
		got, err := fx.store.Application(ctx, b.ID)
		if err != nil || got.ConsentText != b.ConsentText || got.Statement != "" {
			t.Errorf("read back: %+v, %v (the statement must stay out)", got, err)
		}
	})
}

func TestApplyTwiceWithOneFormKeyStoresOneApplication(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		in := application("sam@example.org")
		in.IdempotencyKey = "form-key-0123456789"
		first, err := fx.store.Apply(ctx, fx.panel.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		second, err := fx.store.Apply(ctx, fx.panel.ID, in)
		if err != nil || second.ID != first.ID {
			t.Fatalf("second submission: %+v, %v", second, err)
		}
		msgs, _ := fx.msgs.List(ctx, messages.Filter{Ref: "application:" + itoa(first.ID)})
		if len(msgs) != 1 {
			t.Errorf("%d acknowledgements, want 1", len(msgs))
		}
		// Another form from the same address is still a duplicate.
		in.IdempotencyKey = "another-form-key-98765"
		if _, err := fx.store.Apply(ctx, fx.panel.ID, in); !strings.Contains(fieldMessage(err, "email"), "already have an application") {
			t.Errorf("a second form from the same address: %v", err)
		}
		// Erasure frees the key along with the address.
		if err := fx.store.EraseApplication(ctx, nil, first.ID); err != nil {
			t.Fatal(err)
		}
		in.IdempotencyKey = "form-key-0123456789"
		if again, err := fx.store.Apply(ctx, fx.panel.ID, in); err != nil || again.ID == first.ID {
			t.Errorf("after erasure: %+v, %v", again, err)
		}
	})
}

func TestApplyMessagesNameTheRightField(t *testing.T) {
	in := application("sam@example.org")
	in.AccessNeeds = strings.Repeat("x", 2001)
	err := in.Validate()
	if fieldMessage(err, "access_needs") == "" || fieldMessage(err, "availability") != "" {
		t.Errorf("long access needs: %v", err)
	}
	in = application("sam@example.org")
	in.IdempotencyKey = strings.Repeat("k", 101)
	if fieldMessage(in.Validate(), "idempotency_key") == "" {
		t.Error("an overlong form key is accepted")
	}
}

func TestTargetsMustNameAnAnswerTheFormOffers(t *testing.T) {
	for _, tc := range []struct {
		target panels.Target
		ok     bool
	}{
		{panels.Target{Dimension: "age_band", Value: "16-24", Min: 2}, true},
		{panels.Target{Dimension: "lived_experience", Value: "carer", Min: 3}, true},
		{panels.Target{Dimension: "age_band", Value: "18-24", Min: 2}, false}, // not a band the form offers
		{panels.Target{Dimension: "ethnicity", Value: panels.PreferNotToSay, Min: 1}, false},
		{panels.Target{Dimension: "shoe_size", Value: "9", Min: 1}, false},
		{panels.Target{Dimension: "locality", Value: "north", Min: -1}, false},
	} {
		p := &panels.Panel{Slug: "p", Name: "P", Purpose: "x", MembersDo: "y", TermMonths: 12, RateKind: panels.Hourly, RatePence: 2000}
		p.SetTargets([]panels.Target{tc.target})
		if got := fieldMessage(p.Validate(), "targets") == ""; got != tc.ok {
			t.Errorf("%+v accepted = %v, want %v", tc.target, got, tc.ok)
		}
	}
}

func TestNotesAreListedWithoutOpeningTheStatement(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a := fx.apply("sam@example.org")
		for _, body := range []string{"Called on Monday", "Prefers evenings"} {
			if err := fx.store.AddNote(ctx, nil, a.ID, body); err != nil {
				t.Fatal(err)
			}
		}
		notes, err := fx.store.Notes(ctx, a.ID)
		if err != nil || len(notes) != 2 || notes[0].Body != "Called on Monday" {
			t.Errorf("notes = %+v, %v", notes, err)
		}
		if _, err := fx.store.Application(ctx, 999999); err == nil {
			t.Error("an unknown application was found")
		}
	})
}
