package safeguarding_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/messages"
	"codesign/safeguarding"
	"codesign/themes"

	"gorm.io/gorm"
)

// sharedCoder is built once: compiling the codebook is the slow part.
var sharedCoder = sync.OnceValues(func() (*themes.Coder, error) {
	cb, err := themes.DefaultCodebook()
	if err != nil {
		return nil, err
	}
	return themes.NewCoder(cb), nil
})

func coder(t *testing.T) *themes.Coder {
	t.Helper()
	c, err := sharedCoder()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// queue screens one text (with no source row behind it) and returns its item.
func queue(t *testing.T, s *safeguarding.Store, ref, text string) *safeguarding.Item {
	t.Helper()
	ctx := context.Background()
	from, _ := s.Cursor(ctx, "test")
	b := safeguarding.Batch{Cursor: "test", From: from, To: from + 1, Texts: []safeguarding.Text{{Kind: safeguarding.SurveyAnswer, Ref: ref, QuestionKey: "story", Text: text}}}
	if n, err := s.Screen(ctx, coder(t), safeguarding.Notice{To: "duty@example.org", BaseURL: "http://x.test"}, b); err != nil || n != 1 {
		t.Fatalf("queued %d (%v)", n, err)
	}
	items, err := s.Waiting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Ref == ref {
			return &it
		}
	}
	t.Fatalf("%s is not waiting", ref)
	return nil
}

func TestScreenSkipsABatchAnotherInstanceScreened(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := safeguarding.NewStore(db, messages.NewStore(db))
		text := []safeguarding.Text{{Kind: safeguarding.SurveyAnswer, Ref: "answer:1", Text: "I want to end my life."}}
		n, err := s.Screen(ctx, coder(t), safeguarding.Notice{}, safeguarding.Batch{Cursor: "c", From: 0, To: 1, Texts: text})
		if err != nil || n != 1 {
			t.Fatalf("first: %d %v", n, err)
		}
		// The same stretch again, read before the cursor moved: skipped.
		text[0].Ref = "answer:2"
		if n, err = s.Screen(ctx, coder(t), safeguarding.Notice{}, safeguarding.Batch{Cursor: "c", From: 0, To: 1, Texts: text}); err != nil || n != 0 {
			t.Fatalf("stale batch queued %d (%v)", n, err)
		}
		if c, _ := s.Cursor(ctx, "c"); c != 1 {
			t.Errorf("cursor %d, want 1", c)
		}
		msgs, _ := messages.NewStore(db).List(ctx, messages.Filter{Ref: safeguarding.QueueRef})
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0].To, "Safeguarding duty contact") {
			t.Fatalf("notices: %+v", msgs)
		}
	})
}

func TestRecordAction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := safeguarding.NewStore(db, messages.NewStore(db))
		it := queue(t, s, "answer:7", "I have thought about killing myself.")
		for _, tc := range []struct {
			a     safeguarding.Action
			field string
		}{
			{safeguarding.Action{Action: "escalated"}, "action"},
			{safeguarding.Action{Action: safeguarding.New}, "action"},
			{safeguarding.Action{Action: safeguarding.NoAction, Notes: " \r\n "}, "notes"},
			{safeguarding.Action{Action: safeguarding.Reviewed, Notes: strings.Repeat("é", safeguarding.MaxNotes+1)}, "notes"},
		} {
			tc.a.ItemID = it.ID
			_, err := s.Record(ctx, &tc.a)
			if f, ok := errs.AsFields(err); !ok || f.Messages[tc.field] == "" {
				t.Errorf("%+v: %v, want a message for %s", tc.a.Action, err, tc.field)
			}
		}
		if _, err := s.Record(ctx, &safeguarding.Action{ItemID: 999999, Action: safeguarding.Reviewed}); !errors.Is(err, safeguarding.ErrNotFound) {
			t.Errorf("unknown item: %v", err)
		}
		key := "double"
		first := &safeguarding.Action{ItemID: it.ID, Action: safeguarding.Referred, Notes: "To the crisis team", IdempotencyKey: &key}
		if replayed, err := s.Record(ctx, first); err != nil || replayed {
			t.Fatalf("first: %v %v", replayed, err)
		}
		again := &safeguarding.Action{ItemID: it.ID, Action: safeguarding.Referred, Notes: "To the crisis team", IdempotencyKey: &key}
		if replayed, err := s.Record(ctx, again); err != nil || !replayed || again.ID != first.ID {
			t.Fatalf("again: %v %v (%d, first %d)", replayed, err, again.ID, first.ID)
		}
		other := queue(t, s, "answer:8", "I self harm sometimes.")
		if _, err := s.Record(ctx, &safeguarding.Action{ItemID: other.ID, Action: safeguarding.Reviewed, IdempotencyKey: &key}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("a key used for another item: %v", err)
		}
		history, _ := s.History(ctx, it.ID)
		got, _ := s.Get(ctx, it.ID)
		if len(history) != 1 || got.Status != safeguarding.Referred || got.FirstActionAt == nil {
			t.Fatalf("history %+v, item %+v", history, got)
		}
		if handled, _ := s.Handled(ctx, 10); len(handled) != 1 || handled[0].ID != it.ID {
			t.Errorf("handled: %+v", handled)
		}
	})
}

// Two submits of the same form at the same moment record one action.
func TestRecordConcurrentDoubleSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := safeguarding.NewStore(db, messages.NewStore(db))
		it := queue(t, s, "answer:9", "Some nights I want to end my life.")
		var wg sync.WaitGroup
		errc := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := "same"
				_, err := s.Record(context.Background(), &safeguarding.Action{ItemID: it.ID, Action: safeguarding.Contacted, IdempotencyKey: &key})
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		if history, _ := s.History(context.Background(), it.ID); len(history) != 1 {
			t.Fatalf("%d actions recorded", len(history))
		}
	})
}

func TestGrants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		acc := accounts.NewStore(db)
		admin, err := acc.Create(ctx, nil, accounts.NewUser{Email: "a@example.org", Name: "A", Role: accounts.Admin, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		s := safeguarding.NewStore(db, messages.NewStore(db))
		if ok, err := s.Allowed(ctx, admin.ID); err != nil || ok {
			t.Fatalf("an admin is allowed without a grant: %v %v", ok, err)
		}
		for range 2 {
			if err := s.SetGrant(ctx, &admin.ID, admin.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := s.Allowed(ctx, admin.ID); !ok {
			t.Fatal("not allowed after the grant")
		}
		grants, _ := s.Grants(ctx)
		if g := grants[admin.ID]; len(grants) != 1 || g.GrantedBy == nil || *g.GrantedBy != admin.ID {
			t.Errorf("grants: %+v", grants)
		}
		if err := s.SetGrant(ctx, &admin.ID, admin.ID, false); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Allowed(ctx, admin.ID); ok {
			t.Fatal("allowed after removal")
		}
		events, _ := audit.NewStore(db).Recent(ctx, 20)
		counts := map[string]int{}
		for _, e := range events {
			counts[e.Action]++
		}
		if counts["safeguarding.grant"] != 1 || counts["safeguarding.revoke"] != 1 {
			t.Errorf("audit: %v (granting twice is one change)", counts)
		}
	})
}

func TestSegmentsMarkTheFlaggedSentences(t *testing.T) {
	text := "Café first. I want to end my life. Then more. Not safe at home."
	it := &safeguarding.Item{Text: text, Flags: []safeguarding.Flag{
		{Sentence: "Not safe at home.", Start: 0, End: 3},                              // wrong offsets: found by the sentence
		{Sentence: "I want to end my life.", Start: 13, End: 35},                       // right offsets
		{Sentence: "I want to end my life.", Start: 13, End: 35, Terms: []string{"x"}}, // a duplicate
		{Sentence: "Not in the text", Start: 500, End: 600},                            // skipped
	}}
	var got []string
	for _, s := range it.Segments() {
		if s.Flagged {
			got = append(got, "["+s.Text+"]")
		} else {
			got = append(got, s.Text)
		}
	}
	if want := "Café first. [I want to end my life.] Then more. [Not safe at home.]"; strings.Join(got, "") != want {
		t.Fatalf("segments %q, want %q", strings.Join(got, ""), want)
	}
}

func TestWaited(t *testing.T) {
	created := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	it := &safeguarding.Item{CreatedAt: created}
	if d := it.Waited(created.Add(2 * time.Hour)); d != 2*time.Hour {
		t.Errorf("waiting: %v", d)
	}
	acted := created.Add(40 * time.Minute)
	it.FirstActionAt = &acted
	if d := it.Waited(created.Add(5 * time.Hour)); d != 40*time.Minute {
		t.Errorf("after the first action: %v", d)
	}
}
