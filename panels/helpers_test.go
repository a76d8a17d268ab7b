package panels_test

import (
	"context"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/messages"
	"codesign/panels"

	"gorm.io/gorm"
)

var ctx = context.Background()

// fixture is a store with one recruiting panel paying £20 an hour.
type fixture struct {
	t     *testing.T
	db    *gorm.DB
	store *panels.Store
	msgs  *messages.Store
	panel *panels.Panel
	now   time.Time
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	fx := &fixture{t: t, db: db, msgs: messages.NewStore(db), now: time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)}
	fx.store = panels.NewStore(db, fx.msgs, panels.Options{BaseURL: "http://example.test", WarnAbovePence: 100_000,
		PaymentRetentionYears: 6, Now: func() time.Time { return fx.now }})
	fx.panel = fx.newPanel("early-help-2027", true)
	return fx
}

func (fx *fixture) newPanel(slug string, open bool) *panels.Panel {
	fx.t.Helper()
	until := fx.now.AddDate(0, 1, 0)
	p := &panels.Panel{Slug: slug, Name: "Early help experts group", Purpose: "Shape early help.", MembersDo: "Meet monthly.",
		TermMonths: 12, RateKind: panels.Hourly, RatePence: 2000, PaymentMethods: "bank_transfer,vouchers", ExpensesCovered: true,
		RecruitOpen: open, RecruitUntil: &until, TargetSize: 12}
	p.SetTargets([]panels.Target{{Dimension: "age_band", Value: "16-24", Min: 2}, {Dimension: "lived_experience", Value: "carer", Min: 3}})
	if err := fx.store.Create(ctx, nil, p); err != nil {
		fx.t.Fatal(err)
	}
	return p
}

func application(email string) panels.Apply {
	return panels.Apply{Name: "Sam Green", Email: email, LivedExperience: []string{"own_mental_health", "carer"},
		Statement: "I waited a long time for help.", Availability: "Evenings", PaymentPreference: "bank_transfer",
		AgeBand: "16-24", Ethnicity: "black", Locality: "north", ConsentStore: true}
}

func (fx *fixture) apply(email string) *panels.Application {
	fx.t.Helper()
	a, err := fx.store.Apply(ctx, fx.panel.ID, application(email))
	if err != nil {
		fx.t.Fatal(err)
	}
	return a
}

// member applies and accepts someone, returning the member and their link.
func (fx *fixture) member(email string) (*panels.Member, string) {
	fx.t.Helper()
	a := fx.apply(email)
	d, err := fx.store.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Accepted})
	if err != nil {
		fx.t.Fatal(err)
	}
	return d.Member, d.Token
}

func (fx *fixture) session(at time.Time, minutes int) *panels.Session {
	fx.t.Helper()
	s := &panels.Session{PanelID: fx.panel.ID, Title: "Monthly meeting", Activity: "workshop", StartsAt: at, Minutes: minutes}
	if err := fx.store.CreateSession(ctx, nil, s); err != nil {
		fx.t.Fatal(err)
	}
	return s
}

func (fx *fixture) attend(sess *panels.Session, rows ...panels.Attendance) []panels.Payment {
	fx.t.Helper()
	if err := fx.store.RecordAttendance(ctx, nil, sess.ID, rows); err != nil {
		fx.t.Fatal(err)
	}
	pays, err := fx.store.SessionPayments(ctx, sess.ID)
	if err != nil {
		fx.t.Fatal(err)
	}
	return pays
}

func each(t *testing.T, fn func(t *testing.T, fx *fixture)) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) { fn(t, newFixture(t, db)) })
}

func fieldMessage(err error, field string) string {
	if f, ok := errs.AsFields(err); ok {
		return f.Messages[field]
	}
	return ""
}
