package demo

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/database"
	"codesign/database/dbtest"
	"codesign/surveys"

	"gorm.io/gorm"
)

func TestDemoConsultations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		start := time.Now()
		if err := loadSurveys(ctx, db); err != nil {
			t.Fatal(err)
		}
		t.Logf("loadSurveys took %v", time.Since(start))
		ss := surveys.NewStore(db)
		want := map[string]struct {
			status    surveys.Status
			responses int64
		}{openSlug: {surveys.Open, 300}, "crisis-support-at-night": {surveys.Closed, 60}, "young-people-wellbeing": {surveys.Draft, 0}}
		for slug, w := range want {
			sv, err := ss.BySlug(ctx, slug)
			if err != nil {
				t.Fatalf("%s: %v", slug, err)
			}
			n, err := ss.CountResponses(ctx, sv.ID)
			if err != nil || sv.Status != w.status || n != w.responses {
				t.Errorf("%s is %s with %d responses (err %v), want %s with %d", slug, sv.Status, n, err, w.status, w.responses)
			}
		}
		open, err := ss.BySlug(ctx, openSlug)
		if err != nil {
			t.Fatal(err)
		}
		if !open.AcceptsAt(time.Now()) {
			t.Errorf("%s does not take answers now", openSlug)
		}
		if _, _, err := ss.Submit(ctx, open, surveys.Submission{Answers: surveys.Answers{"looked_for_support": {"no"}}}); err != nil {
			t.Errorf("answering the open consultation: %v", err)
		}
		if err := loadSurveys(ctx, db); err != nil {
			t.Fatalf("loading again: %v", err)
		}
		if all, _ := ss.List(ctx, surveys.ListQuery{}); len(all) != 3 {
			t.Errorf("%d surveys after loading twice, want 3", len(all))
		}
		if n, _ := ss.CountResponses(ctx, open.ID); n != 301 {
			t.Errorf("%d responses after loading twice and answering once, want 301", n)
		}
	})
}

func TestDemoResponsesLookReal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := loadSurveys(ctx, db); err != nil {
			t.Fatal(err)
		}
		ss := surveys.NewStore(db)
		open, err := ss.BySlug(ctx, openSlug)
		if err != nil {
			t.Fatal(err)
		}
		helps, err := ss.FreeText(ctx, open.ID, "what_helps", 1000)
		if err != nil {
			t.Fatal(err)
		}
		distinct := map[string]bool{}
		for _, a := range helps {
			distinct[a.Value] = true
		}
		if len(distinct) < 150 || len(helps) > 290 {
			t.Errorf("%d answers to what_helps, %d distinct; want some blank and at least 150 different", len(helps), len(distinct))
		}
		rs, _, err := ss.Responses(ctx, open.ID, surveys.ResponseQuery{})
		if err != nil {
			t.Fatal(err)
		}
		channels, completions := map[surveys.Channel]int{}, map[string]int{}
		now := time.Now()
		for _, r := range rs {
			channels[r.Channel]++
			completions[r.Completion]++
			if _, offset := r.SubmittedAt.Zone(); r.SubmittedAt.Before(*open.OpensAt) || r.SubmittedAt.After(now) || offset != 0 {
				t.Errorf("response %d submitted at %v, outside the survey's time so far or not UTC", r.ID, r.SubmittedAt)
			}
		}
		if channels[surveys.ChannelOnline] < 180 || len(channels) != len(surveys.Channels) || completions[surveys.Complete] == 0 || completions[surveys.Partial] == 0 {
			t.Errorf("channels %v, completions %v: want mostly online, every channel, some complete and some partial", channels, completions)
		}
		if n := disclosures(t, ss, open.ID, "barriers"); n == 0 || n > 6 {
			t.Errorf("%d of 300 responses disclose risk, want a few and no more than 2%%", n)
		}
		closed, err := ss.BySlug(ctx, "crisis-support-at-night")
		if err != nil {
			t.Fatal(err)
		}
		if n := disclosures(t, ss, closed.ID, "would_help"); n != 1 {
			t.Errorf("%d of 60 crisis responses disclose risk, want 1", n)
		}
	})
}

func disclosures(t *testing.T, ss *surveys.Store, surveyID uint, key string) int {
	t.Helper()
	texts, err := ss.FreeText(context.Background(), surveyID, key, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range texts {
		for _, line := range riskLines {
			if strings.Contains(a.Value, line) {
				n++
			}
		}
	}
	return n
}

func TestDemoSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := loadSurveys(ctx, db); err != nil {
			t.Fatal(err)
		}
		ss := surveys.NewStore(db)
		open, err := ss.BySlug(ctx, openSlug)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := ss.Summarise(ctx, open)
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]surveys.QuestionSummary{}
		for _, q := range sum.Questions {
			byKey[q.Question.Key] = q
		}
		looked, asked := byKey["looked_for_support"], byKey["what_happened"]
		if sum.Responses != 300 || looked.Answered != 300 || asked.Texts == 0 || asked.Texts >= looked.Options[0].Count {
			t.Errorf("%d responses, %d answered the first question, %d of %d who looked for support said what happened",
				sum.Responses, looked.Answered, asked.Texts, looked.Options[0].Count)
		}
		loc := byKey["locality"]
		counts := map[string]int64{}
		for _, o := range loc.Options {
			counts[o.Option.Value] = o.Count
		}
		if loc.Answered >= 300 || counts["prefer_not_to_say"] == 0 || counts["north"] < 50 || counts["central"] < 50 || counts["south"] < 50 {
			t.Errorf("locality answered by %d: %v; want blanks, prefer not to say and every locality", loc.Answered, counts)
		}
	})
}

// Two instances starting on one empty database load the demo once.
func TestDemoLoadsOnceWhenTwoInstancesStart(t *testing.T) {
	for _, e := range dbtest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			other, err := database.Open(e.Name, e.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer database.Close(other)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, db := range []*gorm.DB{e.DB, other} {
				wg.Go(func() { errs[i] = Load(ctx, db) })
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("loading at once: %v, %v", errs[0], errs[1])
			}
			if err := Load(ctx, e.DB); err != nil {
				t.Fatalf("loading on a later start: %v", err)
			}
			ss := surveys.NewStore(e.DB)
			all, err := ss.List(ctx, surveys.ListQuery{})
			if err != nil || len(all) != 3 {
				t.Fatalf("%d surveys (err %v), want 3", len(all), err)
			}
			open, err := ss.BySlug(ctx, openSlug)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := ss.CountResponses(ctx, open.ID); n != 300 {
				t.Errorf("%d responses, want 300", n)
			}
		})
	}
}
