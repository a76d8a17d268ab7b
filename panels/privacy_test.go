package panels_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"codesign/messages"
	"codesign/panels"
)

func TestRepresentationSuppressesSmallCounts(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		for i := 0; i < 6; i++ {
			fx.member("m" + itoa(uint(i)) + "@example.org") // each 16-24 and a carer
		}
		fx.apply("waiting@example.org")
		rows, err := fx.store.Representation(ctx, fx.panel.ID)
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows = %+v, %v", rows, err)
		}
		if rows[0].Value != "16 to 24" || rows[0].Members != "6" || rows[0].Applicants != panels.SmallNumber || !rows[0].Met {
			t.Errorf("age row = %+v", rows[0])
		}
		if panels.Count(4) != "fewer than 5" || panels.Count(0) != "fewer than 5" || panels.Count(5) != "5" {
			t.Error("Count must hide 0 to 4")
		}
	})
}

func TestEraseMemberKeepsPaymentsWithoutPersonalData(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, token := fx.member("sam@example.org")
		pay := fx.attend(fx.session(fx.now, 60), panels.Attendance{MemberID: m.ID, Minutes: 60})[0]
		if err := fx.store.RequestLeave(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := fx.store.EraseMember(ctx, nil, m.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := fx.store.Member(ctx, m.ID)
		if got.Status != panels.Left || strings.Contains(got.Name, "Sam") || strings.Contains(got.Email, "sam") || got.TokenHash != nil || got.ErasedAt == nil {
			t.Errorf("member after erasure = %+v", got)
		}
		a, _, _ := fx.store.ViewApplication(ctx, nil, *got.ApplicationID)
		if a.Statement != "" || a.LivedExperience != "" || a.AgeBand != "" || a.Email == "sam@example.org" {
			t.Errorf("application after erasure = %+v", a)
		}
		if _, err := fx.store.MemberByToken(ctx, token); !errors.Is(err, panels.ErrNotFound) {
			t.Errorf("the link still works: %v", err)
		}
		if p, _ := fx.store.Payment(ctx, pay.ID); p.TotalPence != 2000 {
			t.Errorf("payment lost: %+v", p)
		}
		if msgs, _ := fx.msgs.List(ctx, messages.Filter{Ref: "application:" + itoa(a.ID)}); len(msgs) != 0 {
			t.Errorf("messages naming them remain: %d", len(msgs))
		}
		// They may apply again later, as a new person.
		fx.apply("sam@example.org")
	})
}

func TestAnonymisePaymentsAfterRetention(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		old := fx.attend(fx.session(fx.now.AddDate(-7, 0, 0), 60), panels.Attendance{MemberID: m.ID, Minutes: 60, ExpensesPence: 100, ReceiptNote: "Bus"})[0]
		recent := fx.attend(fx.session(fx.now.AddDate(-1, 0, 0), 60), panels.Attendance{MemberID: m.ID, Minutes: 60})[0]
		n, err := fx.store.AnonymisePayments(ctx)
		if err != nil || n != 1 {
			t.Fatalf("anonymised %d, %v", n, err)
		}
		got, _ := fx.store.Payment(ctx, old.ID)
		if got.MemberID != nil || got.ReceiptNote != "" || got.TotalPence != 2100 || got.AnonymisedAt == nil {
			t.Errorf("old payment = %+v", got)
		}
		if got, _ := fx.store.Payment(ctx, recent.ID); got.MemberID == nil {
			t.Error("a recent payment was anonymised")
		}
	})
}

func TestWrongPrivateLinks(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		fx.member("sam@example.org")
		for _, token := range []string{"", "short", strings.Repeat("x", 43), strings.Repeat("y", 300)} {
			if _, err := fx.store.MemberByToken(ctx, token); !errors.Is(err, panels.ErrNotFound) {
				t.Errorf("member link %q: %v", token, err)
			}
			if _, err := fx.store.ReviewByToken(ctx, token); !errors.Is(err, panels.ErrNotFound) {
				t.Errorf("review link %q: %v", token, err)
			}
		}
	})
}

func TestReviewInvitationsAndFeedback(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a, _ := fx.member("a@example.org")
		b, _ := fx.member("b@example.org")
		r := &panels.Review{PanelID: fx.panel.ID, Title: "You said, we did: draft", Items: []panels.ReviewItem{
			{Ref: "finding:1", Text: "You said waiting times are too long."}, {Ref: "commitment:1", Text: "We will open a drop-in at Finsbury Library."}}}
		if err := fx.store.CreateReview(ctx, nil, r); err != nil {
			t.Fatal(err)
		}
		links, err := fx.store.Invite(ctx, nil, r.ID)
		if err != nil || len(links) != 2 {
			t.Fatalf("links = %v, %v", links, err)
		}
		if again, _ := fx.store.Invite(ctx, nil, r.ID); len(again) != 0 {
			t.Errorf("invited twice: %v", again)
		}
		item1, item2 := r.Items[0].ID, r.Items[1].ID
		must(t, fx.store.Respond(ctx, links[a.ID], []panels.Answer{{ItemID: item1, Comment: "Say 'weeks', not 'a while'", Approved: false}, {ItemID: item2, Approved: true}}))
		must(t, fx.store.Respond(ctx, links[b.ID], []panels.Answer{{ItemID: item2, Approved: true, Comment: "Good"}}))
		must(t, fx.store.Respond(ctx, links[b.ID], []panels.Answer{{ItemID: item2, Approved: true, Comment: "Good, and say when"}}))
		_, fb, err := fx.store.Feedback(ctx, r.ID)
		if err != nil || len(fb) != 2 {
			t.Fatalf("feedback = %+v, %v", fb, err)
		}
		if fb[0].Approved != 0 || len(fb[0].Comments) != 1 || fb[1].Approved != 2 || fb[1].Invited != 2 || len(fb[1].Comments) != 1 || fb[1].Comments[0].Comment != "Good, and say when" {
			t.Errorf("feedback = %+v", fb)
		}
		if err := fx.store.Respond(ctx, links[a.ID], []panels.Answer{{ItemID: 999999}}); !errors.Is(err, panels.ErrNotFound) {
			t.Errorf("answer to another review's item: %v", err)
		}
		closes := fx.now.Add(-time.Hour)
		fx.db.Model(&panels.Review{}).Where("id = ?", r.ID).Update("closes_at", closes)
		if err := fx.store.Respond(ctx, links[a.ID], nil); err == nil {
			t.Error("answered a closed review")
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
