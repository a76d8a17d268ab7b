package demo

import (
	"context"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/reports"
	"codesign/surveys"
	"codesign/themes"

	"gorm.io/gorm"
)

func TestDemoReports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := loadSurveys(ctx, db); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := loadReports(ctx, db); err != nil {
			t.Fatal(err)
		}
		t.Logf("loadReports took %v", time.Since(start))
		rs := reports.NewStore(db)
		res, err := rs.Published(ctx, openSlug)
		if err != nil {
			t.Fatal(err)
		}
		snap := res.Publication.Snapshot
		if snap.Findings.Participants.N != 300 || len(snap.Quotes) < 4 {
			t.Errorf("participants %v, %d quotes", snap.Findings.Participants, len(snap.Quotes))
		}
		for _, th := range snap.Findings.Themes {
			if th.Respondents.Suppressed || th.Respondents.N < 20 {
				t.Errorf("theme %s has %v respondents", th.Key, th.Respondents)
			}
		}
		statuses := map[reports.CommitmentStatus]int{}
		for _, c := range res.Commitments {
			statuses[c.Status]++
		}
		for _, s := range reports.CommitmentStatuses {
			if statuses[s] == 0 {
				t.Errorf("no commitment is %s: %v", s, statuses)
			}
		}
		// Nothing quoted comes from an answer screening would flag.
		sv, _ := surveys.NewStore(db).BySlug(ctx, openSlug)
		r, _ := rs.BySurvey(ctx, sv.ID)
		quotes, _ := rs.Quotes(ctx, r.ID)
		cb, _ := themes.DefaultCodebook()
		coder := themes.NewCoder(cb)
		for _, q := range quotes {
			resp, _ := surveys.NewStore(db).Response(ctx, sv.ID, q.ResponseID)
			for _, a := range resp.Answers {
				if a.ID == q.AnswerID && coder.Code(a.Value).Safeguarding {
					t.Errorf("quote %q comes from a disclosure", q.Text)
				}
			}
		}
		// Loading again changes nothing.
		if err := loadReports(ctx, db); err != nil {
			t.Fatal(err)
		}
		if vs, _ := rs.Versions(ctx, r.ID); len(vs) != 1 {
			t.Errorf("%d versions after loading twice", len(vs))
		}
	})
}

// The whole demo: the past workshops feed the consultation, and the
// results count the people who came.
func TestDemoResultsCountWorkshops(t *testing.T) {
	db := dbtest.SQLite(t).DB
	ctx := context.Background()
	if err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	res, err := reports.NewStore(db).Published(ctx, openSlug)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Publication.Snapshot.Findings
	if f.Workshops == 0 || f.WorkshopPeople.Suppressed || f.WorkshopPeople.N < 5 {
		t.Errorf("workshops %d, people %v", f.Workshops, f.WorkshopPeople)
	}
}

// The past workshop's notes are coded too, and count by workshop.
func TestDemoResultsCountCodedWorkshopNotes(t *testing.T) {
	db := dbtest.SQLite(t).DB
	ctx := context.Background()
	if err := Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	res, err := reports.NewStore(db).Published(ctx, openSlug)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Publication.Snapshot.Findings
	mentioned := 0
	for _, th := range f.Themes {
		mentioned += th.Workshops
	}
	if f.NoteWorkshops != 1 || mentioned == 0 {
		t.Errorf("note workshops %d, themes mentioned in workshops %d", f.NoteWorkshops, mentioned)
	}
}
