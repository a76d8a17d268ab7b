package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"codesign/database"
	"codesign/database/dbtest"
	"codesign/surveys"

	"gorm.io/gorm"
)

// tally is what a summary should say, worked out from what the test sent.
type tally struct {
	responses int64
	answered  map[string]int64
	chosen    map[string]int64 // "question=value"
}

func (w *tally) add(a surveys.Answers, sign int64) {
	w.responses += sign
	for key, vals := range a {
		if len(vals) == 0 || vals[0] == "" {
			continue
		}
		w.answered[key] += sign
		if key == "visited" || key == "helped" {
			for _, v := range vals {
				w.chosen[key+"="+v] += sign
			}
		}
	}
}

func checkSummary(t *testing.T, s *surveys.Store, sv *surveys.Survey, w *tally) {
	t.Helper()
	ctx := context.Background()
	if diffs, err := s.CheckCounts(ctx, sv); err != nil || len(diffs) > 0 {
		t.Fatalf("running counts differ from the stored answers (%v): %v", err, diffs)
	}
	sum, err := s.Summarise(ctx, sv)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Responses != w.responses {
		t.Errorf("summary: %d responses, want %d", sum.Responses, w.responses)
	}
	if _, total, err := s.Responses(ctx, sv.ID, surveys.ResponseQuery{Limit: 5}); err != nil || total != w.responses {
		t.Errorf("response list: %d in all (%v), want %d", total, err, w.responses)
	}
	if all, err := s.ResponseCounts(ctx); err != nil || all[sv.ID] != w.responses {
		t.Errorf("survey list: %d responses (%v), want %d", all[sv.ID], err, w.responses)
	}
	for _, q := range sum.Questions {
		if q.Answered != w.answered[q.Question.Key] {
			t.Errorf("summary: %q answered by %d, want %d", q.Question.Key, q.Answered, w.answered[q.Question.Key])
		}
		for _, o := range q.Options {
			if want := w.chosen[q.Question.Key+"="+o.Option.Value]; o.Count != want {
				t.Errorf("summary: %q chose %q %d times, want %d", q.Question.Key, o.Option.Value, o.Count, want)
			}
		}
	}
}

// The summary reads counts kept as answers are stored and erased. Through
// every way answers arrive (one at a time, many at once sharing a
// transaction, seeded) and leave (erasure, the retention of contact
// details, a rolled-back erasure), the counts stay exactly what a count of
// the stored rows gives.
func TestRunningCountsFollowEveryWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		other := sample()
		other.Slug = "another"
		create(t, s, other)
		w := &tally{answered: map[string]int64{}, chosen: map[string]int64{}}
		answersFor := func(i int) surveys.Answers {
			switch i % 4 {
			case 0:
				return surveys.Answers{"visited": {"no"}, "story": {fmt.Sprintf("story %d", i)}}
			case 1:
				return surveys.Answers{"visited": {"yes"}, "helped": {"staff", "peers"}, "age": {"40"}, "email": {fmt.Sprintf("p%d@example.org", i)}}
			case 2:
				return surveys.Answers{"visited": {"yes"}, "helped": {"other"}, "why": {"the cafe"}, "helped.other": {"a cafe"}}
			}
			return surveys.Answers{"visited": {"yes"}, "helped": {"peers"}, "age": {"19"}}
		}

		// Many at once: group commit puts several in one transaction.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var ids []uint
		for i := 0; i < 60; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: answersFor(i)})
				if err != nil {
					t.Errorf("submit %d: %v", i, err)
					return
				}
				mu.Lock()
				ids = append(ids, r.ID)
				mu.Unlock()
			}(i)
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		for i := 0; i < 60; i++ {
			w.add(answersFor(i), 1)
		}
		// Answers to another survey never touch this one's counts.
		if _, _, err := s.Submit(ctx, other, surveys.Submission{Answers: answersFor(1)}); err != nil {
			t.Fatal(err)
		}
		checkSummary(t, s, sv, w)

		// Seeded responses.
		var seeds []surveys.SeedResponse
		for i := 0; i < 25; i++ {
			seeds = append(seeds, surveys.SeedResponse{Answers: answersFor(i), SubmittedAt: time.Now().Add(-time.Hour)})
			w.add(answersFor(i), 1)
		}
		if err := s.Seed(ctx, sv, seeds); err != nil {
			t.Fatal(err)
		}
		checkSummary(t, s, sv, w)

		// An erasure that is rolled back changes nothing.
		rollback := errors.New("changed my mind")
		err := db.Transaction(func(tx *gorm.DB) error {
			if _, err := s.EraseResponses(ctx, tx, ids[:20]); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		checkSummary(t, s, sv, w)

		// Erasing ten responses, whatever they held.
		rs, err := s.ResponsesByID(ctx, nil, ids[:10])
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.EraseResponses(ctx, nil, ids[:10]); err != nil || n != 10 {
			t.Fatalf("erased %d: %v", n, err)
		}
		for _, r := range rs {
			w.add(r.Values(), -1)
		}
		checkSummary(t, s, sv, w)

		// Retention removes contact details once a survey has long closed:
		// nobody has answered "email" any more.
		old := time.Now().UTC().AddDate(0, 0, -100)
		if err := db.Model(&surveys.Survey{}).Where("id = ?", sv.ID).Updates(map[string]any{"status": surveys.Closed, "closes_at": old, "updated_at": old}).Error; err != nil {
			t.Fatal(err)
		}
		if n, err := s.DeleteContactAnswersClosedBefore(ctx, nil, time.Now().UTC().AddDate(0, 0, -90)); err != nil || n == 0 {
			t.Fatalf("retention deleted %d: %v", n, err)
		}
		w.answered["email"] = 0
		checkSummary(t, s, sv, w)

		// The other survey kept its one response.
		if sum, err := s.Summarise(ctx, other); err != nil || sum.Responses != 1 {
			t.Fatalf("other survey: %+v %v", sum, err)
		}
	})
}

// Migration 130 fills the counts from what was stored before it: run
// again on an emptied table, it gives what the store had kept.
func TestMigrationFillsRunningCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		for i, a := range []surveys.Answers{
			{"visited": {"yes"}, "helped": {"staff", "other"}, "why": {"x"}, "helped.other": {"cafe"}, "age": {"33"}, "email": {"a@example.org"}},
			{"visited": {"no"}, "story": {"waits"}},
			{"visited": {"yes"}, "helped": {"peers"}, "age": {"33"}},
		} {
			if _, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: a}); err != nil {
				t.Fatalf("submit %d: %v", i, err)
			}
		}
		before, err := s.Summarise(ctx, sv)
		if err != nil {
			t.Fatal(err)
		}
		var step *database.Migration
		for _, m := range database.Steps() {
			if m.Version == 130 {
				step = &m
			}
		}
		if step == nil {
			t.Fatal("no migration 130")
		}
		if err := db.Migrator().DropTable("survey_answer_counts"); err != nil {
			t.Fatal(err)
		}
		if err := db.Transaction(step.Up); err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckCounts(ctx, sv); err != nil || len(diffs) > 0 {
			t.Fatalf("after the migration (%v): %v", err, diffs)
		}
		after, err := s.Summarise(ctx, sv)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(before.Responses, answeredOf(before)) != fmt.Sprint(after.Responses, answeredOf(after)) {
			t.Fatalf("summary changed: %v %v, then %v %v", before.Responses, answeredOf(before), after.Responses, answeredOf(after))
		}
		if after.Responses != 3 || answeredOf(after)["helped"] != 2 || answeredOf(after)["age"] != 2 {
			t.Fatalf("summary after the migration: %d %v", after.Responses, answeredOf(after))
		}
	})
}

func answeredOf(s *surveys.Summary) map[string]int64 {
	out := map[string]int64{}
	for _, q := range s.Questions {
		out[q.Question.Key] = q.Answered
		for _, o := range q.Options {
			out[q.Question.Key+"="+o.Option.Value] = o.Count
		}
	}
	return out
}
