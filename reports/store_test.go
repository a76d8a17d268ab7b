package reports_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/messages"
	"codesign/reports"
	"codesign/surveys"
	"codesign/themes"

	"gorm.io/gorm"
)

const waiting = "I waited six months on the waiting list for counselling."

func theme(t *testing.T, f *reports.Findings, key string) reports.ThemeCount {
	t.Helper()
	for _, th := range f.Themes {
		if th.Key == key {
			return th
		}
	}
	t.Fatalf("no theme %s", key)
	return reports.ThemeCount{}
}

func TestFindingsCountConfirmedCodesOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		north := f.evidence(t, 6, "north", waiting+" Nobody called me back.")
		south := f.evidence(t, 2, "south", waiting)
		f.evidence(t, 3, "", "Thank you.")
		f.evidence(t, 1, "central", "My landlord will not fix the damp in my flat.") // suggested, never confirmed
		f.code(t)
		for _, id := range north {
			f.confirm(t, id, "waiting_times", "stigma")
		}
		for _, id := range south {
			f.confirm(t, id, "waiting_times")
		}
		sv, _ := f.ss.Get(ctx, f.sv.ID)
		got, err := f.rs.Findings(ctx, sv, false)
		if err != nil {
			t.Fatal(err)
		}
		if got.Participants != (reports.Cell{N: 12}) {
			t.Errorf("participants = %v", got.Participants)
		}
		b := theme(t, got, "barriers")
		// 8 people: 6 with two passages and 2 with one. Every passage counts
		// once for the theme, though the north's carry two of its codes.
		if b.Respondents != (reports.Cell{N: 8}) || b.Passages != (reports.Cell{N: 14}) || b.Share != 67 {
			t.Errorf("barriers = %+v", b)
		}
		for _, c := range b.Codes {
			switch c.Key {
			case "waiting_times":
				if c.Respondents != (reports.Cell{N: 8}) || c.Passages != (reports.Cell{N: 14}) {
					t.Errorf("waiting times = %+v", c)
				}
			case "stigma":
				if c.Respondents != (reports.Cell{N: 6}) || c.Passages != (reports.Cell{N: 12}) {
					t.Errorf("stigma = %+v", c)
				}
			}
		}
		var loc reports.Breakdown
		for _, bd := range got.Breakdowns {
			if bd.Key == "locality" {
				loc = bd
			}
		}
		if len(loc.Columns) != 6 || loc.Columns[0].Key != "north" || loc.Columns[5] != reports.NotAnswered {
			t.Fatalf("locality columns = %+v", loc.Columns)
		}
		row := loc.Rows[2]
		// north 6, central 0, south 2, outside 0, prefer not 0, not answered 0.
		if row.Total != (reports.Cell{N: 8}) || row.Cells[0] != (reports.Cell{N: 6}) || !row.Cells[2].Suppressed {
			t.Errorf("barriers by locality = %+v", row)
		}
		// Suggestions nobody has decided on count only when asked for.
		with, err := f.rs.Findings(ctx, sv, true)
		if err != nil {
			t.Fatal(err)
		}
		if with.Tagged <= got.Tagged {
			t.Errorf("with suggestions %d passages, confirmed only %d", with.Tagged, got.Tagged)
		}
		if q := theme(t, got, "quality_of_life"); !q.Respondents.Suppressed || q.Passages.N != 0 {
			t.Errorf("an unconfirmed suggestion was counted: %+v", q)
		}
	})
}

func TestQuotesAreRedactedAndNeverFlaggedOrUnconsented(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ok := f.answer(t, "Dr Patel said the waiting list was eighteen months. Email me at sam@example.org.", nil)
		flagged := f.answer(t, "The waiting list was far too long for me.", nil)
		risky := f.answer(t, "Some days I think everyone would be better off without me. The waiting list was too long.", nil)
		refused := f.answer(t, "The waiting list was too long and nobody explained why.", surveys.Answers{"quote_ok": {"no"}})
		f.code(t)
		okPs := f.confirm(t, ok, "waiting_times")
		flaggedPs := f.confirm(t, flagged, "waiting_times")
		riskyPs := f.confirm(t, risky, "waiting_times")
		refusedPs := f.confirm(t, refused, "waiting_times")
		f.flag(t, flagged)
		r := f.start(t)
		if r.ConsentKey != "quote_ok" || r.ConsentValue != "yes" {
			t.Fatalf("consent question not found: %+v", r)
		}

		q, err := f.rs.AddQuote(ctx, nil, r.ID, okPs[0].ID, "waiting_times")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(q.Text, "Patel") || !strings.Contains(q.Text, reports.RemovedName) {
			t.Errorf("quote not redacted: %q", q.Text)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, okPs[0].ID, "waiting_times"); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("same passage twice: %v", err)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, flaggedPs[0].ID, "waiting_times"); err != reports.ErrFlagged {
			t.Errorf("flagged passage: %v", err)
		}
		// The risk sentence itself is never a passage; the rest of the answer
		// is refused too, even before screening has run.
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, riskyPs[0].ID, "waiting_times"); err != reports.ErrFlagged {
			t.Errorf("passage of a risky answer: %v", err)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, refusedPs[0].ID, "waiting_times"); err != reports.ErrNoConsent {
			t.Errorf("no consent: %v", err)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, okPs[0].ID, "housing"); err == nil {
			t.Error("a code not confirmed on the passage was accepted")
		} else if _, isFields := errs.AsFields(err); !isFields {
			t.Errorf("unconfirmed code: %v", err)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, 999999, ""); err == nil {
			t.Error("an unknown passage was accepted")
		}
		cands, err := f.rs.Candidates(ctx, r, "barriers", 20)
		if err != nil {
			t.Fatal(err)
		}
		blocked := 0
		for _, c := range cands {
			if c.Blocked != "" {
				blocked++
			}
			if strings.Contains(c.Text, "sam@example.org") {
				t.Errorf("candidate not redacted: %q", c.Text)
			}
		}
		if len(cands) < 4 || blocked < 3 {
			t.Errorf("%d candidates, %d blocked", len(cands), blocked)
		}
		// When consent is not asked, the privacy notice covers anonymous
		// quotes, and only the flagged stay blocked.
		if _, err := f.rs.Update(ctx, nil, r.ID, reports.Details{Title: r.Title}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, refusedPs[0].ID, ""); err != nil {
			t.Errorf("with no consent question: %v", err)
		}
		if _, err := f.rs.Update(ctx, nil, r.ID, reports.Details{Title: r.Title, Consent: "quote_ok=maybe"}); err == nil {
			t.Error("an unknown consent answer was accepted")
		}
	})
}

func TestCommitmentRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		r := f.start(t)
		bad := &reports.Commitment{YouSaid: "Too long to wait", WeDid: "More staff", Codes: []string{"waiting_times"},
			DueOn: time.Now().UTC().AddDate(0, 0, -2)}
		err := f.rs.AddCommitment(ctx, nil, r.ID, bad)
		fields, ok := errs.AsFields(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		for _, k := range []string{"owner_org", "owner_team", "due"} {
			if fields.Messages[k] == "" {
				t.Errorf("no message for %s: %v", k, fields.Messages)
			}
		}
		bad = &reports.Commitment{YouSaid: "x", WeDid: "y", Codes: []string{"no_such_code"}, OwnerOrg: "A", OwnerTeam: "B",
			Status: reports.NotPossible, DueOn: time.Now().UTC().AddDate(0, 1, 0)}
		fields, _ = errs.AsFields(f.rs.AddCommitment(ctx, nil, r.ID, bad))
		if fields == nil || fields.Messages["codes"] == "" || fields.Messages["reason"] == "" {
			t.Errorf("unknown code and no reason: %v", fields)
		}
		before := f.revision(t, r.ID)
		c := f.commitment(t, r, "waiting_times")
		if c.Status != reports.Planned || f.revision(t, r.ID) != before+1 {
			t.Errorf("status %s, revision %d after %d", c.Status, f.revision(t, r.ID), before)
		}
		// Time passing does not make a stored due date wrong.
		f.rs.SetClock(func() time.Time { return time.Now().UTC().AddDate(1, 0, 0) })
		c.WeDid = "We will fund three more talking therapists."
		if err := f.rs.EditCommitment(ctx, nil, r.ID, c); err != nil {
			t.Errorf("editing words after the due date: %v", err)
		}
		f.rs.SetClock(func() time.Time { return time.Now().UTC() })
		if err := f.rs.Record(ctx, nil, r.ID, c.ID, reports.Progress{Status: reports.NotPossible}); err == nil {
			t.Error("not possible without a reason was accepted")
		}
		if err := f.rs.Record(ctx, nil, r.ID, c.ID, reports.Progress{Status: reports.InProgress, Note: "Recruiting now."}); err != nil {
			t.Fatal(err)
		}
		got, err := f.rs.Commitment(ctx, r.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != reports.InProgress || len(got.Updates) != 2 || got.Updates[1].Note != "Recruiting now." {
			t.Errorf("after update: %+v", got)
		}
	})
}

func TestPartnerLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		r := f.start(t)
		c := f.commitment(t, r, "waiting_times")
		token, err := f.rs.PartnerLink(ctx, nil, r.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var hash string
		db.Table("report_commitments").Where("id = ?", c.ID).Pluck("partner_token_hash", &hash)
		if hash == "" || strings.Contains(hash, token) {
			t.Fatalf("the token must be stored only as a hash: %q", hash)
		}
		if _, err := f.rs.ByPartnerToken(ctx, token); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{token + "x", token[:len(token)-1], "", strings.Repeat("a", 500)} {
			if _, err := f.rs.ByPartnerToken(ctx, bad); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("tampered %q: %v", bad, err)
			}
			if _, err := f.rs.PartnerRecord(ctx, bad, reports.Progress{Status: reports.Done, Note: "x"}); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("tampered update %q: %v", bad, err)
			}
		}
		if _, err := f.rs.PartnerRecord(ctx, token, reports.Progress{Status: reports.Done, Note: "Two therapists started in May."}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.rs.Commitment(ctx, r.ID, c.ID)
		if got.Status != reports.Done || !got.Updates[len(got.Updates)-1].ByPartner {
			t.Errorf("partner update not recorded: %+v", got)
		}
		again, err := f.rs.PartnerLink(ctx, nil, r.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.rs.ByPartnerToken(ctx, token); !errors.Is(err, errs.ErrNotFound) {
			t.Error("the old link still works after a new one was made")
		}
		if _, err := f.rs.ByPartnerToken(ctx, again); err != nil {
			t.Error(err)
		}
	})
}

func publishable(t *testing.T, f *fixture) (*reports.Report, []uint) {
	t.Helper()
	var ids []uint
	for i := range 6 {
		ids = append(ids, f.answer(t, fmt.Sprintf("I waited %d months on the waiting list for counselling.", i+2), surveys.Answers{"locality": {"north"}}))
	}
	f.answer(t, waiting, surveys.Answers{"email": {"Ann@Example.org"}})
	f.answer(t, "Thank you.", surveys.Answers{"email": {"ann@example.org"}})
	f.answer(t, "Thank you.", surveys.Answers{"email": {"bob@example.org"}})
	f.code(t)
	for _, id := range ids {
		f.confirm(t, id, "waiting_times")
	}
	return f.start(t), ids
}

func TestPublishing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		empty := f.start(t)
		if _, _, err := f.rs.Publish(ctx, empty.ID, reports.PublishInput{Revision: empty.Revision}); err != reports.ErrNoFindings {
			t.Fatalf("publishing with no findings: %v", err)
		}
		if _, err := f.rs.Published(ctx, f.sv.Slug); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("results before publishing: %v", err)
		}
		r, ids := publishable(t, f)
		ps := f.passages(t, ids[0])
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, ps[0].ID, "waiting_times"); err != nil {
			t.Fatal(err)
		}
		c := f.commitment(t, r, "waiting_times")
		rev := f.revision(t, r.ID)
		if _, _, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: rev - 1}); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale revision: %v", err)
		}
		pub, told, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: rev, ActorName: "Officer", Link: "http://x.test/results/test-consultation"})
		if err != nil {
			t.Fatal(err)
		}
		if pub.Version != 1 || told != 2 {
			t.Errorf("version %d, told %d (want 2 distinct addresses)", pub.Version, told)
		}
		var msgs []messages.Message
		db.Where("kind = ?", "results_published").Find(&msgs)
		if len(msgs) != 2 || !strings.Contains(msgs[0].Body, "http://x.test/results/test-consultation") {
			t.Errorf("messages: %+v", msgs)
		}
		if _, _, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: rev}); err != reports.ErrNothingNew {
			t.Errorf("publishing the same again: %v", err)
		}
		// A live update shows at once; a change of words waits for a version.
		if err := f.rs.Record(ctx, nil, r.ID, c.ID, reports.Progress{Status: reports.InProgress, Note: "Started."}); err != nil {
			t.Fatal(err)
		}
		c.WeDid = "We will fund three more therapists."
		if err := f.rs.EditCommitment(ctx, nil, r.ID, c); err != nil {
			t.Fatal(err)
		}
		res, err := f.rs.Published(ctx, f.sv.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Commitments[0]; got.Status != reports.InProgress || got.WeDid != "We will fund two more talking therapists." {
			t.Errorf("published commitment = %+v", got)
		}
		rev = f.revision(t, r.ID)
		if _, _, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: rev}); err == nil {
			t.Error("a correction without a note was published")
		}
		pub2, told, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: rev, Note: "Three therapists, not two.", Link: "http://x.test/r"})
		if err != nil {
			t.Fatal(err)
		}
		if pub2.Version != 2 || told != 0 {
			t.Errorf("correction: version %d, told %d again", pub2.Version, told)
		}
		vs, _ := f.rs.Versions(ctx, r.ID)
		if len(vs) != 2 || vs[1].Snapshot.Commitments[0].WeDid != "We will fund two more talking therapists." {
			t.Errorf("the old version must stay as it was: %+v", vs)
		}
		res, _ = f.rs.Published(ctx, f.sv.Slug)
		api := res.API()
		b, _ := json.Marshal(api)
		for _, want := range []string{`"survey":"test-consultation"`, `"respondents":6`, `"quotes":[{"text"`, `"status":"in_progress"`,
			`"by_channel":{"assisted":{"count":null,"suppressed":true}`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("API lacks %s:\n%s", want, b)
			}
		}
	})
}

// Edits and publishes race: whatever wins, a version holds exactly the
// revision the officer checked, never an edit made after.
func TestPublishRacingAnEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		r, ids := publishable(t, f)
		var passages []themes.Passage
		for _, id := range ids {
			passages = append(passages, f.passages(t, id)...)
		}
		published, refused := 0, 0
		for i := 0; i < 6; i++ {
			rev := f.revision(t, r.ID)
			quotes, _ := f.rs.Quotes(ctx, r.ID)
			var wg sync.WaitGroup
			var pub *reports.Publication
			var perr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				pub, _, perr = f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: rev, Note: "Another quote."})
			}()
			go func() {
				defer wg.Done()
				if _, err := f.rs.AddQuote(ctx, nil, r.ID, passages[i].ID, ""); err != nil {
					t.Error(err)
				}
			}()
			wg.Wait()
			switch {
			case perr == nil:
				published++
				if pub.Revision != rev || len(pub.Snapshot.Quotes) != len(quotes) {
					t.Errorf("published revision %d with %d quotes; checked revision %d with %d", pub.Revision, len(pub.Snapshot.Quotes), rev, len(quotes))
				}
			case errors.Is(perr, errs.ErrConflict):
				refused++
			default:
				t.Fatal(perr)
			}
		}
		t.Logf("%d published, %d refused as changed", published, refused)
	})
}

func TestCheckin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		r, _ := publishable(t, f)
		if _, err := f.rs.CreateCheckin(ctx, nil, r.ID); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("check-in before publishing: %v", err)
		}
		c := f.commitment(t, r, "waiting_times")
		if _, _, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: f.revision(t, r.ID)}); err != nil {
			t.Fatal(err)
		}
		sv, err := f.rs.CreateCheckin(ctx, nil, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sv.Status != surveys.Draft || sv.Slug != "test-consultation-one-year-on" {
			t.Errorf("check-in: %s %s", sv.Status, sv.Slug)
		}
		q, _ := sv.Question(reports.DifferenceKey(c.ID))
		if q == nil || q.Type != surveys.Scale {
			t.Fatalf("no scale question for the commitment: %+v", sv.Pages)
		}
		if q, _ := sv.Question(reports.CommentKey(c.ID)); q == nil || !q.Type.FreeText() {
			t.Error("no free-text question for the commitment")
		}
		if _, err := f.rs.CreateCheckin(ctx, nil, r.ID); err != reports.ErrCheckinExists {
			t.Errorf("second check-in: %v", err)
		}
		// Answers show beside the commitment once there are enough.
		if sv, err = f.ss.SetStatus(ctx, nil, sv.ID, surveys.Open); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			a := surveys.Answers{reports.DifferenceKey(c.ID): {[]string{"4", "6", "8", "6", "6"}[i]}}
			if _, _, err := f.ss.Submit(ctx, sv, surveys.Submission{Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
		r, _ = f.rs.Get(ctx, r.ID)
		got, err := f.rs.CheckinResults(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if ch := got[c.ID]; ch.Answered != (reports.Cell{N: 5}) || ch.Average != 6 || !ch.Comments.Suppressed {
			t.Errorf("check-in results = %+v", ch)
		}
	})
}
