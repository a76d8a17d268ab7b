package themes_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/themes"

	"gorm.io/gorm"
)

// gardenText and moneyText make passages facilitators code the same way:
// gardens as green_spaces, a code staff added with no terms, and money as
// money_debt.
func gardenText(i int) string {
	crops := []string{"beans", "potatoes", "tomatoes", "herbs", "flowers"}
	why := []string{"keeps me busy", "is where I feel at peace", "gets me outside", "is full of neighbours", "calms my mind"}
	return fmt.Sprintf("We grow %s at the allotment and the garden %s.", crops[i%5], why[(i/5)%5])
}

func moneyText(i int) string {
	what := []string{"rent", "gas", "food shop", "council tax", "electric"}
	then := []string{"we are in debt", "the bills pile up", "I borrow from my sister", "the kids need shoes", "I skip meals"}
	return fmt.Sprintf("There is no money left after the %s and %s.", what[i%5], then[(i/5)%5])
}

// seedDecisions stores n garden and n money passages and decides on each:
// the code that applies is added or accepted, every other suggestion
// rejected. It returns the passage ids.
func seedDecisions(t *testing.T, st *themes.Store, n int) []uint {
	t.Helper()
	if _, err := st.AddCode(ctx, themes.Change{}, themes.Code{Key: "green_spaces", Parent: "quality_of_life", Label: "Green spaces",
		Description: "Parks, gardens and growing things", Colour: "#2e7d32"}); err != nil {
		t.Fatal(err)
	}
	var units []themes.Unit
	for i := range n {
		units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: fmt.Sprintf("g%d", i), Scope: "survey:1:q", Text: gardenText(i)},
			themes.Unit{Kind: themes.SurveyAnswer, SourceID: fmt.Sprintf("m%d", i), Scope: "survey:1:q", Text: moneyText(i)})
	}
	if _, err := st.Add(ctx, newCoder(t), units, nil); err != nil {
		t.Fatal(err)
	}
	ps := all(t, st, themes.Filter{Scope: "survey:1:q"})
	if len(ps) != 2*n {
		t.Fatalf("%d passages stored, want %d", len(ps), 2*n)
	}
	var ids []uint
	for _, p := range ps {
		code := "money_debt"
		if p.SourceID[0] == 'g' {
			code = "green_spaces"
		}
		for _, s := range p.Suggestions {
			if s.Code != code {
				decide(t, st, themes.Choice{PassageID: p.ID, Code: s.Code, Decision: "reject", UserID: 1})
			}
		}
		decide(t, st, themes.Choice{PassageID: p.ID, Code: code, Decision: "add", UserID: 1})
		ids = append(ids, p.ID)
	}
	return ids
}

func stats(m *themes.ModelInfo, code string) themes.CodeStats {
	for _, s := range m.Stats {
		if s.Code == code {
			return s
		}
	}
	return themes.CodeStats{}
}

func TestRetrainLearnsFromDecisionsAndIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		if _, err := st.LatestModel(ctx); !errors.Is(err, themes.ErrNoModel) {
			t.Fatalf("before any training: %v, want ErrNoModel", err)
		}
		if due, err := st.RetrainDue(ctx, 1); err != nil || due {
			t.Fatalf("due with no decisions: %v %v", due, err)
		}
		seedDecisions(t, st, 25)
		if due, err := st.RetrainDue(ctx, 50); err != nil || !due {
			t.Fatalf("not due after 50 decisions: %v %v", due, err)
		}
		m, err := st.Retrain(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Version != 1 || m.Examples != 50 || m.Trained < 2 {
			t.Fatalf("model %+v", m)
		}
		for _, code := range []string{"green_spaces", "money_debt"} {
			if s := stats(m, code); !s.Trained || s.Positives != 25 || s.Negatives != 25 || s.Blended.TP+s.Blended.FN != 25 {
				t.Errorf("%s: %+v, want trained on 25 and 25, cross-validated on its 25 positives", code, s)
			}
		}
		if s := stats(m, "waiting_times"); s.Trained {
			t.Errorf("waiting_times trained with no positives: %+v", s)
		}
		// Nothing new: the same model, and the run says so.
		again, err := st.Retrain(ctx)
		if err != nil || again.Version != 1 {
			t.Fatalf("second retrain: version %v, %v", again, err)
		}
		run, err := st.LatestRun(ctx)
		if err != nil || run.Status != themes.RunDone || run.Version != 1 || run.Running != nil {
			t.Fatalf("latest run %+v %v", run, err)
		}
		if due, _ := st.RetrainDue(ctx, 1); due {
			t.Error("due straight after training")
		}
		// Retraining put the model on the coders this store hands out; with
		// it taken off, the terms alone never suggest a code that has none.
		st.SetCoderHook(nil)
		plain, err := st.Coder(ctx)
		if err != nil {
			t.Fatal(err)
		}
		text := "We grow herbs and potatoes at the allotment."
		if hasCode(plain.Code(text), "green_spaces") {
			t.Fatal("a code with no terms was suggested before any learning")
		}
		if err := st.UseLatestModel(ctx); err != nil {
			t.Fatal(err)
		}
		learnt, err := st.Coder(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !hasCode(learnt.Code(text), "green_spaces") {
			t.Errorf("the learned coder did not suggest green_spaces: %+v", learnt.Code(text).Suggestions)
		}
		// A fresh store (another instance) loads the same model.
		other := themes.NewStore(db)
		if err := other.UseLatestModel(ctx); err != nil {
			t.Fatal(err)
		}
		if c, _ := other.Coder(ctx); !hasCode(c.Code(text), "green_spaces") {
			t.Error("another store did not load the model")
		}
	})
}

func hasCode(r themes.Result, code string) bool {
	for _, s := range r.Suggestions {
		if s.Code == code {
			return true
		}
	}
	return false
}

func TestModelRetrainIsDueAfterNewOrErasedDecisions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		ids := seedDecisions(t, st, 3)
		if _, err := st.Retrain(ctx); err != nil {
			t.Fatal(err)
		}
		decide(t, st, themes.Choice{PassageID: ids[0], Code: "housing", Decision: "add", UserID: 2})
		if due, _ := st.RetrainDue(ctx, 2); due {
			t.Error("due after one decision, with two asked for")
		}
		if due, _ := st.RetrainDue(ctx, 1); !due {
			t.Error("not due after one new decision")
		}
		if _, err := st.Retrain(ctx); err != nil {
			t.Fatal(err)
		}
		// An erasure removes decisions: the words must leave the model too.
		if _, err := st.ErasePassages(ctx, nil, ids[1:2]); err != nil {
			t.Fatal(err)
		}
		if due, _ := st.RetrainDue(ctx, 1000); !due {
			t.Error("not due after decisions were erased")
		}
		m, err := st.Retrain(ctx)
		if err != nil || m.Version != 3 || m.Examples != 5 {
			t.Fatalf("after erasure: %+v %v", m, err)
		}
		// Only the newest model keeps its weights.
		var withParams int64
		db.Table("theme_models").Where("params <> ''").Count(&withParams)
		if withParams != 1 {
			t.Errorf("%d models keep their weights, want 1", withParams)
		}
	})
}

func TestModelRetrainsOneAtATime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		seedDecisions(t, st, 3)
		run, started, err := st.StartRetrain(ctx, 7)
		if err != nil || !started {
			t.Fatalf("first start: %v %v", started, err)
		}
		again, started, err := themes.NewStore(db).StartRetrain(ctx, 8)
		if err != nil || started || again.ID != run.ID {
			t.Fatalf("second start: %+v %v %v, want the first run", again, started, err)
		}
		if _, err := st.Retrain(ctx); !errors.Is(err, themes.ErrRetraining) {
			t.Fatalf("Retrain while one runs: %v", err)
		}
		// A run that stopped making progress (its server died) gives way.
		old := time.Now().UTC().Add(-time.Hour)
		if err := db.Table("theme_model_runs").Where("id = ?", run.ID).Update("updated_at", old).Error; err != nil {
			t.Fatal(err)
		}
		next, started, err := st.StartRetrain(ctx, 8)
		if err != nil || !started || next.ID == run.ID {
			t.Fatalf("after the first stalled: %+v %v %v", next, started, err)
		}
		if _, err := st.RunRetrain(ctx, next.ID, themes.DefaultLearnOptions()); err != nil {
			t.Fatal(err)
		}
		var first themes.ModelRun
		db.Table("theme_model_runs").Where("id = ?", run.ID).Take(&first)
		if first.Status != themes.RunFailed || first.Running != nil {
			t.Errorf("stalled run %+v, want failed", first)
		}
	})
}

func TestTwoInstancesRetrainingAtOnceStoreOneModel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		seedDecisions(t, themes.NewStore(db), 5)
		var wg sync.WaitGroup
		errc := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				_, err := themes.NewStore(db).Retrain(ctx)
				if errors.Is(err, themes.ErrRetraining) {
					err = nil
				}
				errc <- err
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Fatal(err)
			}
		}
		var models, running int64
		db.Table("theme_models").Count(&models)
		db.Table("theme_model_runs").Where("running IS NOT NULL").Count(&running)
		if models != 1 || running != 0 {
			t.Errorf("%d models and %d runs still running, want 1 and 0", models, running)
		}
	})
}
