package demo

import (
	"context"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/panels"

	"gorm.io/gorm"
)

func TestDemoPanels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		start := time.Now()
		if err := loadPanels(ctx, db); err != nil {
			t.Fatal(err)
		}
		t.Logf("loadPanels took %v", time.Since(start))
		ps := panels.NewStore(db, nil, panels.Options{})
		open, err := ps.BySlug(ctx, recruitingSlug)
		if err != nil {
			t.Fatal(err)
		}
		if rec, _ := ps.Recruiting(ctx); len(rec) != 1 || rec[0].ID != open.ID {
			t.Fatalf("recruiting panels: %+v", rec)
		}
		apps, _ := ps.Applications(ctx, open.ID)
		states := map[panels.Status]int{}
		for _, a := range apps {
			states[a.Status]++
		}
		for _, s := range []panels.Status{panels.Received, panels.Shortlisted, panels.Invited, panels.Waiting, panels.Declined} {
			if states[s] == 0 {
				t.Errorf("no application is %s: %v", s, states)
			}
		}
		active, err := ps.BySlug(ctx, activeSlug)
		if err != nil {
			t.Fatal(err)
		}
		members, _ := ps.Members(ctx, active.ID)
		if len(members) != len(activeMembers) {
			t.Errorf("%d members", len(members))
		}
		sessions, _ := ps.Sessions(ctx, active.ID)
		upcoming, _ := ps.UpcomingSessions(ctx, active.ID)
		if len(sessions) != len(activeSessions) || len(upcoming) != 2 {
			t.Errorf("%d sessions, %d upcoming", len(sessions), len(upcoming))
		}
		pays, _ := ps.PanelPayments(ctx, active.ID, panels.Period{})
		byStatus := map[panels.PaymentStatus]int{}
		expenses := false
		for _, p := range pays {
			byStatus[p.Status]++
			expenses = expenses || p.ExpensesPence > 0
		}
		if byStatus[panels.Due] == 0 || byStatus[panels.Approved] == 0 || byStatus[panels.Paid] == 0 || !expenses {
			t.Errorf("payments by status %v, expenses %v", byStatus, expenses)
		}
		if rows, _ := ps.Representation(ctx, open.ID); len(rows) == 0 {
			t.Error("the recruiting panel has no targets")
		}
		// Loading again changes nothing.
		if err := loadPanels(ctx, db); err != nil {
			t.Fatalf("loading again: %v", err)
		}
		all, _ := ps.List(ctx)
		again, _ := ps.Applications(ctx, open.ID)
		if len(all) != 2 || len(again) != len(apps) {
			t.Errorf("after loading twice: %d panels, %d applications", len(all), len(again))
		}
	})
}
