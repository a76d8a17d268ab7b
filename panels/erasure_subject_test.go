package panels_test

import (
	"strings"
	"testing"

	"codesign/messages"
	"codesign/panels"

	"gorm.io/gorm"
)

func isSam(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "sam@example.org") }

func TestErasePeopleDeletesThemAndKeepsPaymentTotals(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("Sam@example.org")
		other := fx.newPanel("carers-2027", true)
		if _, err := fx.store.Apply(ctx, other.ID, application("sam@example.org")); err != nil {
			t.Fatal(err)
		}
		kim, _ := fx.member("kim@example.org")
		pays := fx.attend(fx.session(fx.now.AddDate(0, -1, 0), 60), panels.Attendance{MemberID: m.ID, Minutes: 60, ExpensesPence: 450, ReceiptNote: "Bus, Sam Green"},
			panels.Attendance{MemberID: kim.ID, Minutes: 60})
		before, _ := fx.store.PanelPayments(ctx, fx.panel.ID, panels.Period{})
		r := &panels.Review{PanelID: fx.panel.ID, Title: "Draft", Items: []panels.ReviewItem{{Ref: "finding:1", Text: "You said waits are long."}}}
		must(t, fx.store.CreateReview(ctx, nil, r))
		links, err := fx.store.Invite(ctx, nil, r.ID)
		must(t, err)
		must(t, fx.store.Respond(ctx, links[m.ID], []panels.Answer{{ItemID: r.Items[0].ID, Comment: "As Sam, I agree", Approved: true}}))

		apps, err := fx.store.ApplicationsMatching(ctx, nil, isSam)
		if err != nil || len(apps) != 2 {
			t.Fatalf("applications found: %+v %v", apps, err)
		}
		members, err := fx.store.MembersMatching(ctx, nil, isSam)
		if err != nil || len(members) != 1 || members[0].ID != m.ID {
			t.Fatalf("members found: %+v %v", members, err)
		}
		if cs, err := fx.store.ReviewComments(ctx, nil, m.ID); err != nil || len(cs) != 1 || cs[0].Comment != "As Sam, I agree" || cs[0].Item != "You said waits are long." {
			t.Fatalf("comments: %+v %v", cs, err)
		}
		if n, _ := fx.store.Unsettled(ctx, nil, []uint{m.ID}); n != 1 {
			t.Errorf("unsettled payments: %d", n)
		}
		var did panels.PersonErasure
		err = fx.db.Transaction(func(tx *gorm.DB) error {
			// Only the second application is named: the member's own
			// application goes with the member.
			did, err = fx.store.ErasePeople(ctx, tx, []uint{apps[1].ID}, []uint{m.ID})
			return err
		})
		if err != nil || did != (panels.PersonErasure{Applications: 2, Members: 1, Comments: 1, Payments: 1}) {
			t.Fatalf("erasure = %+v, %v", did, err)
		}
		if a, _ := fx.store.ApplicationsMatching(ctx, nil, isSam); len(a) != 0 {
			t.Errorf("applications left: %+v", a)
		}
		if _, err := fx.store.Member(ctx, m.ID); err == nil {
			t.Error("the member row is still there")
		}
		after, _ := fx.store.PanelPayments(ctx, fx.panel.ID, panels.Period{})
		if len(after) != len(before) || after[0].TotalPence != before[0].TotalPence || after[0].MemberID != nil || after[0].ReceiptNote != "" {
			t.Errorf("payments after erasure: %+v, before %+v", after, before)
		}
		if p, _ := fx.store.Payment(ctx, pays[1].ID); p.MemberID == nil || *p.MemberID != kim.ID {
			t.Errorf("someone else's payment changed: %+v", p)
		}
		all, _ := fx.msgs.List(ctx, messages.Filter{Limit: 1000})
		for _, msg := range all {
			if isSam(msg.To) {
				t.Errorf("a message to the erased person remains: %+v", msg)
			}
		}
	})
}

func TestRetentionCandidatesAfterRecruitmentAndLeaving(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		declined := fx.apply("declined@example.org")
		if _, err := fx.store.Decide(ctx, nil, declined.ID, panels.Decision{To: panels.Declined, Reason: "Full", Message: "Thank you"}); err != nil {
			t.Fatal(err)
		}
		settled, _ := fx.member("settled@example.org")
		owed, _ := fx.member("owed@example.org")
		pays := fx.attend(fx.session(fx.now.AddDate(0, -5, 0), 60), panels.Attendance{MemberID: settled.ID, Minutes: 60}, panels.Attendance{MemberID: owed.ID, Minutes: 60})
		for _, p := range pays {
			if p.MemberID != nil && *p.MemberID == settled.ID {
				must(t, fx.store.Approve(ctx, nil, p.ID))
				must(t, fx.store.MarkPaid(ctx, nil, p.ID))
			}
		}
		cutoff := fx.now.AddDate(0, 0, -90)
		if ids, err := fx.store.ApplicationsNotTakenForward(ctx, nil, cutoff); err != nil || len(ids) != 0 {
			t.Fatalf("recruitment still open, yet due: %v %v", ids, err)
		}
		long := fx.now.AddDate(0, 0, -100)
		must(t, fx.db.Model(&panels.Panel{}).Where("id = ?", fx.panel.ID).Updates(map[string]any{"recruit_open": false, "recruit_until": long, "updated_at": long}).Error)
		ids, err := fx.store.ApplicationsNotTakenForward(ctx, nil, cutoff)
		if err != nil || len(ids) != 1 || ids[0] != declined.ID {
			t.Fatalf("applications due: %v %v, want only %d", ids, err, declined.ID)
		}
		must(t, fx.db.Model(&panels.Member{}).Where("id IN ?", []uint{settled.ID, owed.ID}).Updates(map[string]any{"status": panels.Left, "left_at": long}).Error)
		left, err := fx.store.MembersLeftBefore(ctx, nil, cutoff)
		if err != nil || len(left) != 1 || left[0] != settled.ID {
			t.Fatalf("members due: %v %v, want only %d (the other is still owed money)", left, err, settled.ID)
		}
	})
}
