package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/demo"
	"codesign/surveys"
	"codesign/themes"

	"gorm.io/gorm"
)

func countPassages(t *testing.T, db *gorm.DB, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := db.Table("theme_passages")
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// storySurvey is an open survey with one free-text question.
func storySurvey(t *testing.T, st *surveys.Store) *surveys.Survey {
	t.Helper()
	sv := &surveys.Survey{Slug: "coding-test", Title: "Coding test", Status: surveys.Open, Pages: []surveys.Page{
		{Title: "Your story", Questions: []surveys.Question{{Key: "story", Type: surveys.Textarea, Label: "What gets in the way?"}}}}}
	if err := st.Create(context.Background(), nil, sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

// The demo's answers and workshop notes are coded once however often the
// job runs; a new answer waits for the next run, and is coded then.
func TestCodeNewTextCodesEachTextOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := &server{db: db}
		if err := s.codeNewText(ctx); err != nil {
			t.Fatal(err)
		}
		answers := countPassages(t, db, "source_kind = ?", themes.SurveyAnswer)
		notes := countPassages(t, db, "source_kind = ?", themes.WorkshopNote)
		if answers < 100 || notes == 0 {
			t.Fatalf("%d answer passages and %d note passages after the first run", answers, notes)
		}
		if err := s.codeNewText(ctx); err != nil {
			t.Fatal(err)
		}
		if a, n := countPassages(t, db, "source_kind = ?", themes.SurveyAnswer), countPassages(t, db, "source_kind = ?", themes.WorkshopNote); a != answers || n != notes {
			t.Fatalf("second run: %d and %d passages, want %d and %d", a, n, answers, notes)
		}
		var maxAnswer uint
		if err := db.Model(&surveys.Answer{}).Select("MAX(id)").Where("free_text = ? AND personal = ?", true, false).Scan(&maxAnswer).Error; err != nil {
			t.Fatal(err)
		}
		if got, _ := themes.NewStore(db).Cursor(ctx, codedAnswersCursor); got != maxAnswer {
			t.Errorf("answers cursor %d, want %d", got, maxAnswer)
		}

		sv := surveys.NewStore(db)
		survey := storySurvey(t, sv)
		_, _, err := sv.Submit(ctx, survey, surveys.Submission{Answers: surveys.Answers{"story": {"The waiting list was eight months long."}}})
		if err != nil {
			t.Fatal(err)
		}
		scope := fmt.Sprintf("survey:%d:story", survey.ID)
		if n := countPassages(t, db, "scope = ?", scope); n != 0 {
			t.Fatalf("the answer was coded when it was submitted (%d passages)", n)
		}
		if err := s.codeNewText(ctx); err != nil {
			t.Fatal(err)
		}
		ps, _, err := themes.NewStore(db).Passages(ctx, themes.Filter{Scope: scope})
		if err != nil || len(ps) != 1 || len(ps[0].Suggestions) == 0 || ps[0].Suggestions[0].Code != "waiting_times" {
			t.Fatalf("new answer coded as %+v (%v)", ps, err)
		}
	})
}

// A resident's submission does not wait while a large backlog is coded:
// coding happens before the store's transaction opens, and each page's
// transaction only inserts rows.
func TestSubmissionNeverWaitsForTheCoder(t *testing.T) {
	db := dbtest.SQLite(t).DB
	ctx := context.Background()
	sv := surveys.NewStore(db)
	survey := storySurvey(t, sv)
	long := strings.Repeat("I waited months for a referral and nobody called me back, so I gave up. ", 20)
	var backlog []surveys.SeedResponse
	for range 3000 {
		backlog = append(backlog, surveys.SeedResponse{Answers: surveys.Answers{"story": {long}}, SubmittedAt: time.Now().Add(-time.Hour)})
	}
	if err := sv.Seed(ctx, survey, backlog); err != nil {
		t.Fatal(err)
	}
	s := &server{db: db}
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- s.codeNewText(ctx) }()
	time.Sleep(50 * time.Millisecond)
	var slowest time.Duration
	for range 5 {
		t0 := time.Now()
		if _, _, err := sv.Submit(ctx, survey, surveys.Submission{Answers: surveys.Answers{"story": {"The bus fare is too much."}}}); err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, time.Since(t0))
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	coding := time.Since(start)
	t.Logf("coding the backlog took %v; the slowest submission meanwhile %v", coding, slowest)
	if slowest > 500*time.Millisecond || slowest > coding/4 {
		t.Errorf("a submission took %v while coding ran for %v", slowest, coding)
	}
}
