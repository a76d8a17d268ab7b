package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/themes"

	"gorm.io/gorm"
)

// The background job retrains once enough decisions have come in, off the
// job's own path, and not again until more come in.
func TestModelRetrainsInTheBackgroundAfterEnoughDecisions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := themes.NewStore(db)
		s := &server{db: db, themes: st}
		coder, err := st.Coder(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var units []themes.Unit
		for i := range retrainAfter / 2 {
			units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: fmt.Sprint(i), Scope: "survey:1:q",
				Text: fmt.Sprintf("I waited %d months on the waiting list for counselling.", i+2)})
		}
		if _, err := st.Add(ctx, coder, units, nil); err != nil {
			t.Fatal(err)
		}
		ps, _, err := st.Passages(ctx, themes.Filter{Scope: "survey:1:q", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		decideAll := func(decision string) {
			for _, p := range ps {
				if _, _, err := st.Decide(ctx, themes.Choice{PassageID: p.ID, Code: "waiting_times", Decision: decision, UserID: 1}); err != nil {
					t.Fatal(err)
				}
			}
		}
		decideAll("accept")
		if err := s.learnFromDecisions(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.LatestModel(ctx); !errors.Is(err, themes.ErrNoModel) {
			t.Fatalf("retrained after %d decisions, fewer than %d: %v", len(ps), retrainAfter, err)
		}
		decideAll("reject")
		if err := s.learnFromDecisions(ctx); err != nil {
			t.Fatal(err)
		}
		m := waitForModel(t, st)
		if m.Version != 1 || m.Examples != len(ps) {
			t.Fatalf("model %+v", m)
		}
		if err := s.learnFromDecisions(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		if again, _ := st.LatestModel(ctx); again.Version != 1 {
			t.Errorf("retrained with nothing new: version %d", again.Version)
		}
	})
}

func waitForModel(t *testing.T, st *themes.Store) *themes.ModelInfo {
	t.Helper()
	for range 200 {
		if _, busy := retraining.Load(st); !busy {
			if m, err := st.LatestModel(context.Background()); err == nil {
				return m
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("no model after 5 seconds")
	return nil
}
