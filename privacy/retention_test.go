package privacy_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"codesign/audit"
	"codesign/database/dbtest"
	"codesign/messages"
	"codesign/panels"
	"codesign/privacy"
	"codesign/surveys"

	"gorm.io/gorm"
)

// due seeds records of every kind that retention removes, past their
// time, beside records still within it, and returns what a dry run must
// count for each kind.
func seedDue(t *testing.T, db *gorm.DB) (*fixture, map[string]int64) {
	t.Helper()
	f := newFixture(t, db)
	e := f.event("What helped in Archway", f.now.Add(48*time.Hour))
	f.book(e, samira)
	f.book(e, kim)
	f.now = f.now.AddDate(0, 0, 100) // the workshop ended about 100 days ago
	long := f.now.AddDate(0, 0, -100)

	closed := f.newSurvey("closed-long-ago")
	for _, p := range []person{samira, kim} {
		_, _, err := f.sv.Submit(ctx, closed, surveys.Submission{Answers: surveys.Answers{"barriers": {"Waiting"}, "quote_ok": {"no"},
			"name": {p.Name}, "email": {p.Email}, "phone": {p.Phone}}})
		f.must(err)
	}
	f.must(db.Model(&surveys.Survey{}).Where("id = ?", closed.ID).Updates(map[string]any{"status": surveys.Closed, "closes_at": long, "updated_at": long}).Error)
	f.respond(samira, "Still open", "Yes") // an open survey's contact details stay
	_, err := f.sv.SaveDraft(ctx, f.survey, "", surveys.Answers{"email": {samira.Email}}, 1)
	f.must(err)
	f.must(db.Model(&surveys.SavedDraft{}).Where("1 = 1").Update("expires_at", f.now.Add(-time.Minute)).Error)
	_, err = f.sv.SaveDraft(ctx, f.survey, "", surveys.Answers{"email": {kim.Email}}, 1) // still going
	f.must(err)

	f.panel = f.newPanel("recruited-then")
	declined := f.apply(f.panel, samira)
	_, err = f.pn.Decide(ctx, nil, declined.ID, panels.Decision{To: panels.Declined, Reason: "Full", Message: "Thank you for applying."})
	f.must(err)
	f.must(f.pn.AddNote(ctx, nil, declined.ID, "Strong application; try again next year"))
	f.apply(f.panel, person{"Ann Applicant", "ann@example.org", ""})
	f.member(f.panel, kim) // accepted: stays
	f.must(db.Model(&panels.Panel{}).Where("id = ?", f.panel.ID).Updates(map[string]any{"recruit_open": false, "recruit_until": long, "updated_at": long}).Error)
	left := f.member(f.newPanel("left-long-ago"), person{"Lee Leaver", "lee@example.org", ""})
	f.must(db.Model(&panels.Member{}).Where("id = ?", left.ID).Updates(map[string]any{"status": panels.Left, "left_at": long}).Error)

	sent := &messages.Message{To: "old@example.org", Subject: "Thanks", Body: "Thanks for coming", Kind: "manual", Ref: "manual:1"}
	f.must(f.msgs.Enqueue(ctx, nil, sent))
	f.must(db.Model(&messages.Message{}).Where("id = ?", sent.ID).Updates(map[string]any{"status": messages.Sent, "sent_at": long}).Error)

	return f, map[string]int64{"survey_contacts": 6, "survey_drafts": 1, "workshop_attendees": 2, "panel_applications": 2, "panel_members": 1, "messages": 1}
}

func counts(r *privacy.RetentionReport) map[string]int64 {
	out := map[string]int64{}
	for _, k := range r.Kinds {
		out[k.Kind] = k.Count
	}
	return out
}

func zero(t *testing.T, f *fixture, kinds ...string) {
	t.Helper()
	r, err := f.svc.Retention(ctx)
	f.must(err)
	got := counts(r)
	for _, k := range kinds {
		if got[k] != 0 {
			t.Errorf("%s: %d still due", k, got[k])
		}
	}
}

func TestRetentionDryRunChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, want := seedDue(t, db)
		before := dump(t, db)
		r, err := f.svc.Retention(ctx)
		f.must(err)
		if got := counts(r); !reflect.DeepEqual(got, want) || r.Applied || r.Total() != 13 {
			t.Errorf("dry run = %v, want %v", got, want)
		}
		if !reflect.DeepEqual(dump(t, db), before) {
			t.Error("the dry run changed the database")
		}
		for _, k := range r.Kinds {
			if k.Label == "" || k.Rule == "" || k.Unit == "" {
				t.Errorf("kind %s is not described: %+v", k.Kind, k)
			}
		}
	})
}

func TestRetentionApplyRemovesWhatTheDryRunCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, want := seedDue(t, db)
		admin := uint(1)
		r, err := f.svc.Apply(ctx, &admin)
		f.must(err)
		if got := counts(r); !reflect.DeepEqual(got, want) || !r.Applied {
			t.Errorf("applied %v, want %v", got, want)
		}
		zero(t, f, "survey_contacts", "survey_drafts", "workshop_attendees", "panel_applications", "panel_members", "messages")
		events, _ := audit.NewStore(db).Recent(ctx, 10)
		n := 0
		for _, e := range events {
			if e.Action == "retention.apply" {
				n++
				if strings.Contains(e.Detail, "@") || !strings.Contains(e.Detail, "removed") {
					t.Errorf("audit detail %q", e.Detail)
				}
			}
		}
		if n != 6 {
			t.Errorf("%d retention entries in the audit log, want one per kind", n)
		}
		// What was within its time is untouched.
		if ids, _ := f.sv.ResponsesWithContact(ctx, nil, func(v string) bool { return strings.EqualFold(v, samira.Email) }); len(ids) != 1 {
			t.Errorf("the open survey's contact details went: %v", ids)
		}
		if ms, _ := f.pn.MembersMatching(ctx, nil, func(v string) bool { return v == kim.Email }); len(ms) != 1 {
			t.Error("a current member went")
		}
		again, err := f.svc.Apply(ctx, &admin)
		if err != nil || again.Total() != 0 {
			t.Errorf("a second run removed %d (%v)", again.Total(), err)
		}
	})
}

// A run that fails half-way leaves each kind done or untouched, never
// half-deleted, and the next run completes it.
func TestRetentionInterruptedHalfWayIsCompletedByTheNextRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, want := seedDue(t, db)
		const hook = "test:power_cut"
		err := db.Callback().Delete().Before("gorm:delete").Register(hook, func(tx *gorm.DB) {
			if tx.Statement.Table == "panel_applications" {
				_ = tx.AddError(errors.New("power cut"))
			}
		})
		f.must(err)
		t.Cleanup(func() { _ = db.Callback().Delete().Remove(hook) })

		r, err := f.svc.Apply(ctx, nil)
		if err == nil || !strings.Contains(err.Error(), "panel_applications") {
			t.Fatalf("apply with a failing kind: %v", err)
		}
		if len(r.Kinds) != 3 {
			t.Errorf("kinds done before the failure: %+v", r.Kinds)
		}
		zero(t, f, "survey_contacts", "survey_drafts", "workshop_attendees")
		mid, err := f.svc.Retention(ctx)
		f.must(err)
		left := counts(mid)
		for _, k := range []string{"panel_applications", "panel_members", "messages"} {
			if left[k] != want[k] {
				t.Errorf("%s: %d due after the failure, want all %d still there", k, left[k], want[k])
			}
		}
		// The failed kind's notes were deleted before the failure inside
		// its transaction: they must be back.
		var notes int64
		db.Model(&panels.Note{}).Count(&notes)
		if notes != 1 {
			t.Errorf("%d staff notes after the failed kind, want 1: nothing half-deleted", notes)
		}

		f.must(db.Callback().Delete().Remove(hook))
		r, err = f.svc.Apply(ctx, nil)
		f.must(err)
		if got := counts(r); got["panel_applications"] != 2 || got["panel_members"] != 1 || got["messages"] != 1 || got["survey_contacts"] != 0 {
			t.Errorf("the second run removed %v", got)
		}
		zero(t, f, "survey_contacts", "survey_drafts", "workshop_attendees", "panel_applications", "panel_members", "messages")
	})
}

func TestRetentionStopsWhenCancelled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, _ := seedDue(t, db)
		before := dump(t, db)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := f.svc.Apply(cancelled, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("apply after cancelling: %v", err)
		}
		if !reflect.DeepEqual(dump(t, db), before) {
			t.Error("a cancelled run changed the database")
		}
	})
}

// The daily run happens once a day whatever the number of instances, and
// leaves the policy it applied for the admin pages.
func TestApplyDailyRunsOnceADay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, _ := seedDue(t, db)
		clock := func() time.Time { return f.now }
		policy := privacy.Policy{SurveyContactDays: 30, WorkshopDays: 30, ApplicationDays: 60, MemberDays: 45, MessageDays: 7}
		one, two := privacy.New(db, policy, clock), privacy.New(db, policy, clock)
		if ran, err := one.ApplyDaily(ctx); err != nil || !ran {
			t.Fatalf("first run: %v %v", ran, err)
		}
		if ran, err := two.ApplyDaily(ctx); err != nil || ran {
			t.Fatalf("a second instance ran too: %v %v", ran, err)
		}
		f.now = f.now.Add(23 * time.Hour)
		if ran, _ := one.ApplyDaily(ctx); ran {
			t.Error("ran again within the day")
		}
		f.now = f.now.Add(2 * time.Hour)
		if ran, err := two.ApplyDaily(ctx); err != nil || !ran {
			t.Errorf("the next day: %v %v", ran, err)
		}
		stored, err := privacy.Stored(ctx, db, clock)
		f.must(err)
		if stored.Policy() != policy {
			t.Errorf("stored policy %+v, want %+v", stored.Policy(), policy)
		}
		zero(t, f, "survey_contacts", "workshop_attendees", "panel_applications", "panel_members", "messages")
	})
}

func TestStoredPolicyDefaultsBeforeTheJobRuns(t *testing.T) {
	db := dbtest.SQLite(t).DB
	s, err := privacy.Stored(ctx, db, nil)
	if err != nil || s.Policy() != privacy.DefaultPolicy() {
		t.Fatalf("stored = %+v, %v", s, err)
	}
	if err := (privacy.Policy{SurveyContactDays: 0, WorkshopDays: 1, ApplicationDays: 1, MemberDays: 1, MessageDays: 1}).Validate(); err == nil ||
		!strings.Contains(err.Error(), "survey_contact_days") {
		t.Errorf("a zero period: %v", err)
	}
}
