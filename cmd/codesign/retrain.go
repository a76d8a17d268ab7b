package main

import (
	"context"
	"errors"
	"sync"

	"codesign/themes"
)

// retrainAfter is how many new review-queue decisions make the background
// job retrain the learned model.
const retrainAfter = 50

// retraining holds the themes stores this process is retraining with, so
// a slow retrain is never started twice by one process; across instances
// the themes store's lease does the same.
var retraining sync.Map

// learnFromDecisions keeps the learned model current. When enough new
// decisions have come in (or some were erased) it retrains on a goroutine
// of its own, so the rest of the job, screening included, never waits for
// it. Then it puts the newest model, whichever instance trained it, on the
// coders this instance hands out: one indexed read when nothing changed.
func (s *server) learnFromDecisions(ctx context.Context) error {
	st := s.themes
	if st == nil {
		st = themes.NewStore(s.db) // a server built by hand in a test
	}
	due, err := st.RetrainDue(ctx, retrainAfter)
	if err != nil {
		return err
	}
	if due {
		if _, busy := retraining.LoadOrStore(st, true); !busy {
			go func() {
				defer retraining.Delete(st)
				if _, err := st.Retrain(ctx); err != nil && !errors.Is(err, themes.ErrRetraining) {
					logJobError("retraining the learned model", err)
				}
			}()
		}
	}
	return st.UseLatestModel(ctx)
}
