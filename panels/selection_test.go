package panels_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"codesign/audit"
	"codesign/errs"
	"codesign/messages"
	"codesign/panels"
)

func TestApplyAcknowledgesInTheSameTransaction(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a := fx.apply("Sam@Example.org ")
		if a.Status != panels.Received || a.Email != "sam@example.org" {
			t.Fatalf("application = %+v", a)
		}
		msgs, err := fx.msgs.List(ctx, messages.Filter{Ref: "application:" + itoa(a.ID)})
		if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "We have your application") {
			t.Fatalf("acknowledgement = %+v, %v", msgs, err)
		}
	})
}

func TestApplyBadInput(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		fx.apply("sam@example.org")
		_, err := fx.store.Apply(ctx, fx.panel.ID, application("SAM@example.org"))
		if !strings.Contains(fieldMessage(err, "email"), "already have an application") {
			t.Errorf("duplicate: %v", err)
		}
		closed := fx.newPanel("closed-panel", false)
		if _, err := fx.store.Apply(ctx, closed.ID, application("new@example.org")); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("closed panel: %v", err)
		}
		fx.now = fx.now.AddDate(0, 2, 0) // past RecruitUntil
		if _, err := fx.store.Apply(ctx, fx.panel.ID, application("late@example.org")); !errors.Is(err, panels.ErrClosed) {
			t.Errorf("after the closing date: %v", err)
		}
		bad := panels.Apply{Email: "nope", PaymentPreference: "cash", AgeBand: "99"}
		err = bad.Validate()
		for _, field := range []string{"name", "email", "lived_experience", "payment_preference", "age_band", "ethnicity", "locality", "consent_store"} {
			if fieldMessage(err, field) == "" {
				t.Errorf("no message for %s: %v", field, err)
			}
		}
	})
}

func TestSelectionStates(t *testing.T) {
	cases := []struct {
		from, to panels.Status
		ok       bool
	}{
		{panels.Received, panels.Shortlisted, true},
		{panels.Shortlisted, panels.Invited, true},
		{panels.Invited, panels.Accepted, true},
		{panels.Waiting, panels.Accepted, true},
		{panels.Received, panels.Declined, true},
		{panels.Accepted, panels.Declined, false},
		{panels.Declined, panels.Accepted, false},
		{panels.Invited, panels.Shortlisted, false},
		{panels.Received, panels.Received, false},
	}
	for _, c := range cases {
		if got := panels.CanMove(c.from, c.to); got != c.ok {
			t.Errorf("CanMove(%s, %s) = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}

func TestDecideAcceptsOnceAndMessages(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a := fx.apply("sam@example.org")
		if _, err := fx.store.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Shortlisted}); err != nil {
			t.Fatal(err)
		}
		d, err := fx.store.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Accepted})
		if err != nil {
			t.Fatal(err)
		}
		if d.Member == nil || d.Member.Status != panels.Active || len(d.Token) < 30 || *d.Member.TokenHash == d.Token {
			t.Fatalf("member = %+v, token %q", d.Member, d.Token)
		}
		if !d.Member.TermEnd.Equal(d.Member.TermStart.AddDate(0, 12, 0)) {
			t.Errorf("term %v to %v", d.Member.TermStart, d.Member.TermEnd)
		}
		if _, err := fx.store.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Accepted}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("accepting twice: %v", err)
		}
		m, err := fx.store.MemberByToken(ctx, d.Token)
		if err != nil || m.ID != d.Member.ID {
			t.Errorf("by token: %v %v", m, err)
		}
		msgs, _ := fx.msgs.List(ctx, messages.Filter{Ref: "application:" + itoa(a.ID)})
		if len(msgs) != 2 || !strings.Contains(msgs[0].Body, "/panel-member/"+d.Token) {
			t.Errorf("want acknowledgement and offer with link, got %d: %+v", len(msgs), msgs)
		}
	})
}

func TestDeclineNeedsReasonAndKindMessage(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a := fx.apply("sam@example.org")
		_, err := fx.store.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Declined})
		if fieldMessage(err, "reason") == "" || fieldMessage(err, "message") == "" {
			t.Fatalf("decline without reason: %v", err)
		}
		_, err = fx.store.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Declined, Reason: "Lives outside the borough",
			Message: "Thank you so much for applying. We are not able to offer you a place this time."})
		if err != nil {
			t.Fatal(err)
		}
		msgs, _ := fx.msgs.List(ctx, messages.Filter{Ref: "application:" + itoa(a.ID)})
		if len(msgs) != 2 || !strings.Contains(msgs[0].Body, "Thank you so much") || strings.Contains(msgs[0].Body, "outside the borough") {
			t.Errorf("decline message must be the kind one, never the reason: %+v", msgs)
		}
	})
}

func TestViewingAStatementIsAudited(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		a := fx.apply("sam@example.org")
		if err := fx.store.AddNote(ctx, nil, a.ID, "Strong on carers' experience"); err != nil {
			t.Fatal(err)
		}
		got, notes, err := fx.store.ViewApplication(ctx, nil, a.ID)
		if err != nil || got.Statement == "" || len(notes) != 1 {
			t.Fatalf("view: %+v %v %v", got, notes, err)
		}
		list, _ := fx.store.Applications(ctx, fx.panel.ID)
		if len(list) != 1 || list[0].Statement != "" {
			t.Errorf("the list must not carry statements: %+v", list)
		}
		events, _ := audit.NewStore(fx.db).Recent(ctx, 10)
		if len(events) == 0 || events[0].Action != "panel_application.view_statement" || events[0].Target != "application:"+itoa(a.ID) {
			t.Errorf("audit = %+v", events)
		}
		if strings.Contains(events[0].Detail, "sam") {
			t.Errorf("audit detail holds personal data: %q", events[0].Detail)
		}
	})
}

func TestStatementsForAnalysisNeedConsent(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		fx.apply("a@example.org")
		in := application("b@example.org")
		in.ConsentAnalysis, in.Statement = true, "Consented words"
		if _, err := fx.store.Apply(ctx, fx.panel.ID, in); err != nil {
			t.Fatal(err)
		}
		got, err := fx.store.StatementsForAnalysis(ctx, fx.panel.ID)
		if err != nil || len(got) != 1 || got[0] != "Consented words" {
			t.Errorf("statements = %q, %v", got, err)
		}
	})
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
