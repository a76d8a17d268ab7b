package themes_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/themes"

	"gorm.io/gorm"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The worked example: 50 passages; both coders apply the code to 20, only
// A to 5, only B to 10, neither to 15.
//
//	po = (20 + 15) / 50 = 0.70
//	pA = 25 / 50 = 0.5, pB = 30 / 50 = 0.6
//	pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.50
//	kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
func TestKappaWorkedExample(t *testing.T) {
	ag := themes.Kappa(themes.Table{Both: 20, OnlyA: 5, OnlyB: 10, Neither: 15})
	if !ag.Defined || !near(ag.Percent, 70) || !near(ag.Kappa, 0.4) {
		t.Fatalf("%+v, want 70%% and kappa 0.40", ag)
	}
}

func TestKappaEdgeCases(t *testing.T) {
	cases := []struct {
		name    string
		t       themes.Table
		percent float64
		kappa   float64
		defined bool
	}{
		// pe = 1: both coders said no to everything. Agreement is total and
		// kappa is 0/0.
		{"nobody applied it", themes.Table{Neither: 12}, 100, 0, false},
		{"both applied it everywhere", themes.Table{Both: 7}, 100, 0, false},
		{"no passages", themes.Table{}, 0, 0, false},
		{"perfect", themes.Table{Both: 10, Neither: 10}, 100, 1, true},
		// pA = pB = 0.5, po = 0.5 = pe: chance agreement exactly.
		{"chance", themes.Table{Both: 5, OnlyA: 5, OnlyB: 5, Neither: 5}, 50, 0, true},
		// Complete disagreement with balanced marginals gives -1.
		{"opposite", themes.Table{OnlyA: 5, OnlyB: 5}, 0, -1, true},
	}
	for _, tc := range cases {
		ag := themes.Kappa(tc.t)
		if ag.Defined != tc.defined || !near(ag.Percent, tc.percent) || (tc.defined && !near(ag.Kappa, tc.kappa)) {
			t.Errorf("%s: %+v, want %v%% kappa %v defined %v", tc.name, ag, tc.percent, tc.kappa, tc.defined)
		}
	}
}

// Four passages, two codes used. Per code:
//
//	housing: unit 1 both, unit 2 A only, units 3-4 neither -> po 3/4,
//	  pA 1/2, pB 1/4, pe 1/8 + 3/8 = 1/2, kappa (3/4-1/2)/(1/2) = 0.5
//	stigma:  unit 3 both, others neither -> po 1, pA = pB = 1/4,
//	  pe 1/16 + 9/16 = 5/8, kappa 1
//	pooled (8 judgements): both 2, A only 1, neither 5 -> po 7/8,
//	  pA 3/8, pB 2/8, pe 6/64 + 30/64 = 36/64, kappa (56/64-36/64)/(28/64) = 5/7
func TestCompare(t *testing.T) {
	rep := themes.Compare([]themes.Rated{
		{Unit: 1, A: []string{"housing"}, B: []string{"housing"}},
		{Unit: 2, A: []string{"housing"}, B: nil},
		{Unit: 3, A: []string{"stigma"}, B: []string{"stigma"}},
		{Unit: 4},
	}, []string{"stigma", "housing", "unused"})
	if rep.Units != 4 || len(rep.Codes) != 2 || rep.Codes[0].Code != "stigma" || rep.Codes[1].Code != "housing" {
		t.Fatalf("codes %+v", rep.Codes)
	}
	if h := rep.Codes[1]; !near(h.Percent, 75) || !near(h.Kappa, 0.5) {
		t.Errorf("housing %+v", h)
	}
	if s := rep.Codes[0]; !near(s.Percent, 100) || !near(s.Kappa, 1) {
		t.Errorf("stigma %+v", s)
	}
	if o := rep.Overall; o.N() != 8 || !near(o.Percent, 87.5) || !near(o.Kappa, 5.0/7) {
		t.Errorf("overall %+v", o)
	}
	if len(rep.Disagreements) != 1 || rep.Disagreements[0] != (themes.Disagreement{Unit: 2, Code: "housing", ByA: true}) {
		t.Errorf("disagreements %+v", rep.Disagreements)
	}
}

func TestDoubleCoding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, by := seeded(t, db)
		a := &themes.Assignment{Scope: "survey:1:q", CoderAID: 10, CoderBID: 11, Size: 50, CreatedBy: 1}
		if err := st.Assign(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.Size != 5 {
			t.Fatalf("sample of %d, want all 5 passages", a.Size)
		}
		code := func(user uint, p, code, d string) {
			t.Helper()
			decide(t, st, themes.Choice{PassageID: by[p].ID, Code: code, Decision: d, UserID: user, Assignment: a.ID})
		}
		code(10, "wait", "waiting_times", "accept")
		code(11, "wait", "waiting_times", "accept")
		code(10, "housing", "housing", "accept")
		code(11, "housing", "housing", "reject")
		code(10, "plain", "", "none")
		code(11, "plain", "", "none")
		code(10, "tag", "waiting_times", "accept") // B has not coded this one yet
		// Double coding is kept apart from the review queue.
		if p, _ := st.Passage(ctx, by["wait"].ID, 0, 0); len(p.Codings) != 0 {
			t.Errorf("double coding reached the review queue: %+v", p.Codings)
		}
		if _, _, err := st.Decide(ctx, themes.Choice{PassageID: by["wait"].ID, Code: "housing", Decision: "add", UserID: 12, Assignment: a.ID}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a third facilitator coded the sample: %v", err)
		}
		rep, err := st.Agreement(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.CodedA != 4 || rep.CodedB != 3 || rep.Humans.Units != 3 {
			t.Fatalf("coded %d and %d, compared %d", rep.CodedA, rep.CodedB, rep.Humans.Units)
		}
		// Over wait, housing and plain: waiting_times agreed on all three;
		// housing disagreed on one.
		if o := rep.Humans.Overall; o.Both != 1 || o.OnlyA != 1 || o.Neither != 4 {
			t.Errorf("humans %+v", o)
		}
		if len(rep.Humans.Disagreements) != 1 || rep.Humans.Disagreements[0].Code != "housing" {
			t.Errorf("disagreements %+v", rep.Humans.Disagreements)
		}
		// The machine suggested waiting_times twice and housing once; A
		// agrees with all of it.
		if o := rep.MachineA.Overall; o.Percent != 100 || rep.MachineA.Units != 4 {
			t.Errorf("machine against A %+v over %d", o, rep.MachineA.Units)
		}
		if list, _ := st.Assignments(ctx, 11); len(list) != 1 {
			t.Errorf("B's assignments %+v", list)
		}
		if list, _ := st.Assignments(ctx, 12); len(list) != 0 {
			t.Errorf("a stranger's assignments %+v", list)
		}
	})
}

func TestAssignmentNeedsTwoCodersAndPassages(t *testing.T) {
	st, _ := seeded(t, dbtest.SQLite(t).DB)
	for _, a := range []themes.Assignment{{Scope: "survey:1:q", CoderAID: 1, CoderBID: 1, Size: 5},
		{Scope: "survey:1:q", CoderAID: 1, CoderBID: 2, Size: 0}, {Scope: "survey:9:none", CoderAID: 1, CoderBID: 2, Size: 5}} {
		if _, ok := errs.AsFields(st.Assign(ctx, &a)); !ok {
			t.Errorf("%+v was accepted", a)
		}
	}
}

func TestBatchRecordsProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		us := units()
		// One source is already coded: it is counted, not coded again.
		if _, err := st.Add(ctx, newCoder(t), us[:1], nil); err != nil {
			t.Fatal(err)
		}
		b, started, err := st.StartBatch(ctx, "survey", 1, len(us), 5)
		if err != nil || !started {
			t.Fatal(started, err)
		}
		if again, started, _ := st.StartBatch(ctx, "survey", 1, len(us), 6); started || again.ID != b.ID {
			t.Error("a second batch started while the first runs")
		}
		st.RunBatch(ctx, b.ID, newCoder(t), us)
		b, err = st.Batch(ctx, b.ID)
		if err != nil || b.Status != themes.BatchDone || b.Done != 4 || b.FinishedAt == nil || b.Stalled(time.Now()) {
			t.Fatalf("batch %+v %v", b, err)
		}
		if latest, _ := st.LatestBatches(ctx, "survey"); latest[1] == nil || latest[1].ID != b.ID {
			t.Errorf("latest %+v", latest)
		}
		if len(all(t, st, themes.Filter{Scope: "survey:1:q"})) != 5 {
			t.Error("the batch did not store every passage")
		}
		if _, err := st.Batch(ctx, 9999); !errors.Is(err, themes.ErrNotFound) {
			t.Errorf("unknown batch: %v", err)
		}
	})
}

func TestTopicsComeFromUncodedPassages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		var us []themes.Unit
		for i, text := range []string{"The bike shed was great.", "We need a bike shed.", "A bike shed near me.", "I like the waiting list."} {
			us = append(us, themes.Unit{Kind: themes.WorkshopNote, SourceID: string(rune('a' + i)), Scope: "workshop:1", Text: text})
		}
		if _, err := st.Add(ctx, newCoder(t), us, nil); err != nil {
			t.Fatal(err)
		}
		topics, err := st.Topics(ctx, "workshop:1", 100, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(topics) == 0 || topics[0].Phrase != "bike" || topics[0].Count != 3 {
			t.Fatalf("topics %+v", topics)
		}
		if other, _ := st.Topics(ctx, "workshop:2", 100, 1); len(other) != 0 {
			t.Errorf("another scope's topics %+v", other)
		}
	})
}
