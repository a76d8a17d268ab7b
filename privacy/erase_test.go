package privacy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"codesign/audit"
	"codesign/database/dbtest"
	"codesign/messages"
	"codesign/panels"
	"codesign/privacy"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
)

// world is one person, Samira, seeded across every kind of record
// codesign keeps, beside other people whose records must not change.
type world struct {
	*fixture
	past         *workshops.Event
	mine, theirs *surveys.Response
	member       *panels.Member
	report       *reports.Report
}

func seedWorld(t *testing.T, db *gorm.DB) *world {
	t.Helper()
	w := &world{fixture: newFixture(t, db)}
	f := w.fixture
	// A workshop that has happened, with attendance, and one to come.
	w.past = f.event("What helped in Archway", f.now.Add(48*time.Hour))
	attended := f.book(w.past, samira, workshops.BSL)
	f.book(w.past, kim, workshops.StepFree)
	f.now = w.past.EndsAt.Add(time.Hour)
	f.must(f.ws.MarkAttendance(ctx, nil, w.past.ID, map[uint]workshops.BookingStatus{attended.ID: workshops.Attended}))
	f.book(f.event("What would help in Finsbury", f.now.Add(7*24*time.Hour)), samira, workshops.QuietSpace)

	// A response with contact details, words flagged for risk and words
	// coded and quoted in a published report; others answered too.
	w.mine = f.respond(samira, "I waited months for help. Some nights I want to end my life.",
		"The library hub helped me while I was on the waiting list.")
	w.theirs = f.respond(kim, "The waiting list was far too long.", "Peer support groups.")
	for i := range 6 {
		f.respond(person{}, fmt.Sprintf("I waited %d months on the waiting list.", i+2), "Talking to friends.")
	}
	f.screenAndCode()
	items, err := f.sg.ItemsForResponses(ctx, nil, []uint{w.mine.ID})
	f.must(err)
	if len(items) != 1 {
		t.Fatalf("the risk disclosure was not queued: %+v", items)
	}
	_, err = f.sg.Record(ctx, &safeguarding.Action{ItemID: items[0].ID, Action: safeguarding.Contacted,
		Notes: "Called " + samira.Name + " on " + samira.Phone + "; she is safe tonight."})
	f.must(err)
	passages := f.confirmAll("waiting_times")
	w.report, err = f.rp.Start(ctx, nil, f.survey.ID)
	f.must(err)
	quoted := 0
	for _, p := range passages {
		if p.Scope == fmt.Sprintf("survey:%d:what_helps", f.survey.ID) && answerOf(t, f, p) == w.mine.ID {
			_, err := f.rp.AddQuote(ctx, nil, w.report.ID, p.ID, "waiting_times")
			f.must(err)
			quoted++
		}
	}
	if quoted == 0 {
		t.Fatal("nothing of Samira's was quoted")
	}
	r, err := f.rp.Get(ctx, w.report.ID)
	f.must(err)
	_, told, err := f.rp.Publish(ctx, r.ID, reports.PublishInput{Revision: r.Revision, ActorName: "Officer", Link: "http://example.test/results"})
	f.must(err)
	if told != 2 {
		t.Fatalf("told %d residents the results, want Samira and Kim", told)
	}
	_, err = f.sv.SaveDraft(ctx, f.survey, "", surveys.Answers{"barriers": {"Starting again"}, "email": {samira.Email}}, 1)
	f.must(err)

	// A panel membership with a payment, a review comment and a staff note,
	// and an application to another panel.
	w.member = f.member(f.panel, samira)
	other := f.member(f.panel, kim)
	sess := &panels.Session{PanelID: f.panel.ID, Title: "Monthly meeting", Activity: "workshop", StartsAt: f.now.AddDate(0, 0, -3), Minutes: 90}
	f.must(f.pn.CreateSession(ctx, nil, sess))
	f.must(f.pn.RecordAttendance(ctx, nil, sess.ID, []panels.Attendance{
		{MemberID: w.member.ID, Minutes: 90, ExpensesPence: 480, ReceiptNote: "Bus fares for " + samira.Name},
		{MemberID: other.ID, Minutes: 90}}))
	rv := &panels.Review{PanelID: f.panel.ID, Title: "Draft findings", Items: []panels.ReviewItem{{Ref: "finding:1", Text: "You said waits are long."}}}
	f.must(f.pn.CreateReview(ctx, nil, rv))
	links, err := f.pn.Invite(ctx, nil, rv.ID)
	f.must(err)
	f.must(f.pn.Respond(ctx, links[w.member.ID], []panels.Answer{{ItemID: rv.Items[0].ID, Comment: "Samira here: say weeks, not a while.", Approved: true}}))
	f.must(f.pn.AddNote(ctx, nil, *w.member.ApplicationID, samira.Name+" asked for evening sessions"))
	f.apply(f.newPanel("carers"), samira)

	// A message staff must pass on by phone.
	f.must(f.msgs.Enqueue(ctx, nil, &messages.Message{To: "+44 7700 900456", Subject: "Call back", Body: "Please call " + samira.Name, Kind: "manual", Ref: "call:1"}))
	return w
}

func answerOf(t *testing.T, f *fixture, p themes.Passage) uint {
	t.Helper()
	var a surveys.Answer
	f.must(f.db.Where("id = ?", p.SourceID).Take(&a).Error)
	return a.ResponseID
}

// published are the counts published elsewhere that erasing Samira must
// not change, or must change only by her own response.
type published struct {
	attendance  workshops.Attendance
	needs       string
	responses   int64
	payments    int64
	findings    reports.Findings
	kimResponse []surveys.Answer
}

func (w *world) published(t *testing.T) published {
	t.Helper()
	var p published
	var err error
	p.attendance, err = w.ws.AttendanceCounts(ctx, w.past.ID)
	w.must(err)
	adj, err := w.ws.Adjustments(ctx, w.past.ID)
	w.must(err)
	p.needs = workshops.Summary(adj)
	p.responses, err = w.sv.CountResponses(ctx, w.survey.ID)
	w.must(err)
	pays, err := w.pn.PanelPayments(ctx, w.panel.ID, panels.Period{})
	w.must(err)
	for _, pay := range pays {
		p.payments += pay.TotalPence
	}
	pub, err := w.rp.Version(ctx, w.report.ID, 1)
	w.must(err)
	p.findings = pub.Snapshot.Findings
	theirs, err := w.sv.Response(ctx, w.survey.ID, w.theirs.ID)
	w.must(err)
	p.kimResponse = theirs.Answers
	return p
}

// THE test the issue asks for: after erasing Samira, no table anywhere
// holds her email, phone or name, and the published counts are unchanged
// (the survey's response count is one less: her response was hers).
func TestErasureLeavesNoTraceAndPublishedCountsStay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := seedWorld(t, db)
		before := w.published(t)
		if hits := traces(t, db, samira); len(hits) == 0 {
			t.Fatal("the scan finds nothing before erasure, so it cannot prove anything after")
		}

		subj, err := privacy.ParseSubject(" " + strings.ToUpper(samira.Email) + " ")
		w.must(err)
		found, err := w.svc.Find(ctx, subj)
		w.must(err)
		got := map[string]int{}
		for _, c := range found.Counts() {
			got[c.Kind] = c.N
		}
		want := map[string]int{"survey_responses": 1, "survey_drafts": 1, "safeguarding_items": 1, "report_quotes": 1,
			"workshop_bookings": 2, "panel_applications": 2, "panel_members": 1}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("found %d %s, want %d", got[k], k, n)
			}
		}
		if got["coded_passages"] == 0 || got["messages"] < 5 || found.Unsettled != 1 {
			t.Errorf("found %v, %d unsettled payments", got, found.Unsettled)
		}

		admin := uint(1)
		e, err := w.svc.Erase(ctx, &admin, subj)
		w.must(err)
		if !e.Found || e.Responses != 1 || e.BookingsAnonymised != 1 || e.BookingsDeleted != 1 || e.Members != 1 || e.Applications != 2 ||
			e.PaymentsKept != 1 || e.SafeguardingItems != 1 || e.SafeguardingActions != 1 || e.Quotes != 1 || e.PublishedQuotes != 1 {
			t.Errorf("erasure = %+v", e)
		}
		// Her phone number was in those records; a message waits for it,
		// addressed in another way. The admin erases that too.
		phone := privacy.Subject{Kind: privacy.ByPhone, Value: "07700900456"}
		if !reflect.DeepEqual(e.Related, []privacy.Subject{phone}) {
			t.Fatalf("other contact details = %+v, want her phone", e.Related)
		}
		byPhone, err := w.svc.Erase(ctx, &admin, phone)
		w.must(err)
		if byPhone.Messages != 1 || byPhone.Summary() != "1 message" {
			t.Errorf("erasure by phone = %+v (%s)", byPhone, byPhone.Summary())
		}
		for _, hit := range traces(t, db, samira) {
			t.Errorf("still held after erasure: %s", hit)
		}
		for _, s := range []privacy.Subject{subj, phone} {
			if again, err := w.svc.Find(ctx, s); err != nil || !again.Empty() {
				t.Errorf("found by %s after erasure: %s (%v)", s.Kind, again.Summary(), err)
			}
		}

		after := w.published(t)
		if after.attendance != before.attendance || after.needs != before.needs {
			t.Errorf("workshop counts changed: %+v %q, were %+v %q", after.attendance, after.needs, before.attendance, before.needs)
		}
		if after.responses != before.responses-1 || !reflect.DeepEqual(after.kimResponse, before.kimResponse) {
			t.Errorf("responses: %d, were %d; Kim's answers %+v", after.responses, before.responses, after.kimResponse)
		}
		if after.payments != before.payments {
			t.Errorf("panel payment total %d, was %d", after.payments, before.payments)
		}
		if !reflect.DeepEqual(after.findings.Participants, before.findings.Participants) || !reflect.DeepEqual(after.findings.Themes, before.findings.Themes) {
			t.Errorf("published findings changed: %+v, were %+v", after.findings, before.findings)
		}
		if len(traces(t, db, kim)) == 0 {
			t.Error("Kim's records went too")
		}
		events, err := audit.NewStore(db).Recent(ctx, 5)
		w.must(err)
		if events[1].Action != "privacy.erase" || events[1].Target != "subject:email" || !strings.HasPrefix(events[1].Detail, "erasure: 1 survey response") {
			t.Errorf("audit entry: %+v", events[1])
		}
	})
}

// traces scans every text column of every table for any way the person's
// details could be written, and says where it found them.
func traces(t *testing.T, db *gorm.DB, p person) []string {
	t.Helper()
	first, last, _ := strings.Cut(strings.ToLower(p.Name), " ")
	digits := strings.ReplaceAll(p.Phone, " ", "")
	needles := []string{strings.ToLower(p.Email), first, last, p.Phone, digits, "+44" + digits[1:], "+44 " + p.Phone[1:], digits[len(digits)-6:]}
	var hits []string
	for table, rows := range dump(t, db) {
		for _, row := range rows {
			for col, v := range row {
				s, ok := text(v)
				if !ok {
					continue
				}
				for _, n := range needles {
					if strings.Contains(strings.ToLower(s), n) {
						hits = append(hits, fmt.Sprintf("%s.%s holds %q", table, col, n))
					}
				}
			}
		}
	}
	return hits
}

func TestAccessRequestIsJSONOfEverythingAndAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := seedWorld(t, db)
		subj, err := privacy.ParseSubject(samira.Phone)
		w.must(err)
		var buf bytes.Buffer
		admin := uint(1)
		r, err := w.svc.Access(ctx, &admin, subj, true, &buf)
		w.must(err)
		var back map[string]any
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatalf("not JSON: %v\n%.300s", err, buf.String())
		}
		body := buf.String()
		for _, want := range []string{samira.Name, "Some nights I want to end my life.", "Bus fares for", "Samira here: say weeks",
			`"survey_responses"`, `"workshop_bookings"`, `"panel_members"`, "she is safe tonight", "Have your say about early help"} {
			if !strings.Contains(body, want) {
				t.Errorf("the access request lacks %q", want)
			}
		}
		if strings.Contains(body, kim.Email) {
			t.Error("the access request holds someone else's details")
		}
		if len(r.Messages) == 0 || r.Messages[len(r.Messages)-1].To != "+44 7700 900456" {
			t.Errorf("the message to their phone, written another way, was not found: %+v", r.Messages)
		}
		events, err := audit.NewStore(db).Recent(ctx, 1)
		w.must(err)
		if events[0].Action != "privacy.access" || strings.Contains(events[0].Detail, "07700") || !strings.Contains(events[0].Detail, "survey response") {
			t.Errorf("audit entry: %+v", events[0])
		}
		// Without the safeguarding permission, flagged words and the notes
		// on them are withheld, as in every other download.
		buf.Reset()
		_, err = w.svc.Access(ctx, &admin, subj, false, &buf)
		w.must(err)
		for _, never := range []string{"end my life", "she is safe tonight"} {
			if strings.Contains(buf.String(), never) {
				t.Errorf("withheld words in the download: %q", never)
			}
		}
		if !strings.Contains(buf.String(), surveys.WithheldText) {
			t.Error("the placeholder is missing")
		}
	})
}

func TestErasingSomeoneUnknownFindsNothingAndChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := seedWorld(t, db)
		for _, raw := range []string{"nobody@example.org", "020 7527 2000", "CS-ZZZZ-ZZZZ"} {
			subj, err := privacy.ParseSubject(raw)
			w.must(err)
			r, err := w.svc.Find(ctx, subj)
			if err != nil || !r.Empty() || r.Summary() != "nothing found" {
				t.Errorf("%s: found %s (%v)", raw, r.Summary(), err)
			}
			before := dump(t, db)
			e, err := w.svc.Erase(ctx, nil, subj)
			if err != nil || e.Found || e.Summary() != "nothing found" {
				t.Errorf("%s: erasure %+v (%v)", raw, e, err)
			}
			after := dump(t, db)
			if len(after["audit_events"]) != len(before["audit_events"])+1 {
				t.Errorf("%s: the attempt was not audited", raw)
			}
			delete(before, "audit_events")
			delete(after, "audit_events")
			if !reflect.DeepEqual(before, after) {
				t.Errorf("%s: erasing nobody changed something", raw)
			}
		}
	})
}

func TestErasureByReceiptTakesOnlyThatResponse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := seedWorld(t, db)
		subj, err := privacy.ParseSubject(strings.ToLower(strings.ReplaceAll(w.mine.Receipt, "-", "")))
		w.must(err)
		e, err := w.svc.Erase(ctx, nil, subj)
		w.must(err)
		if e.Responses != 1 || e.Members != 0 || e.BookingsDeleted+e.BookingsAnonymised != 0 || e.Messages != 0 {
			t.Errorf("a receipt erases its response only: %+v", e)
		}
		if _, err := w.sv.Response(ctx, w.survey.ID, w.mine.ID); err == nil {
			t.Error("the response is still there")
		}
	})
}
