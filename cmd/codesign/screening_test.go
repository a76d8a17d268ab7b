package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"codesign/config"
	"codesign/database/dbtest"
	"codesign/demo"
	"codesign/messages"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/workshops"

	"gorm.io/gorm"
)

const riskWords = "The hub was kind. Some nights I want to end my life and nobody calls back."

// screeningSurvey is an open survey with one free-text question and an
// email address.
func screeningSurvey(t *testing.T, db *gorm.DB) (*surveys.Store, *surveys.Survey) {
	t.Helper()
	s := surveys.NewStore(db)
	sv := &surveys.Survey{Slug: "screening", Title: "Screening", Status: surveys.Open, Pages: []surveys.Page{{Title: "You", Questions: []surveys.Question{
		{Key: "story", Type: surveys.Textarea, Label: "What helps?"},
		{Key: "email", Type: surveys.Email, Label: "Email", Hint: "So we can tell you what happened."},
	}}}}
	if err := s.Create(context.Background(), nil, sv); err != nil {
		t.Fatal(err)
	}
	return s, sv
}

func submitStory(t *testing.T, s *surveys.Store, sv *surveys.Survey, story string) *surveys.Response {
	t.Helper()
	r, _, err := s.Submit(context.Background(), sv, surveys.Submission{Answers: surveys.Answers{"story": {story}, "email": {"resident@example.org"}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func screeningServer(db *gorm.DB, duty string) *server {
	cfg := config.Default()
	cfg.Server.BaseURL = "https://codesign.example.gov.uk"
	cfg.Safeguarding.DutyEmail = duty
	return &server{cfg: cfg, db: db}
}

func TestScreeningQueuesEachFlaggedAnswerOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s, sv := screeningSurvey(t, db)
		risk := submitStory(t, s, sv, riskWords)
		submitStory(t, s, sv, "The peer group at the library helped most.")
		srv := screeningServer(db, "duty@example.org")
		sg := safeguarding.NewStore(db, messages.NewStore(db))
		for range 2 {
			if err := srv.screenNewText(ctx); err != nil {
				t.Fatal(err)
			}
		}
		items, err := sg.Waiting(ctx)
		if err != nil || len(items) != 1 {
			t.Fatalf("want one item for the one risk answer, got %d (%v)", len(items), err)
		}
		it := items[0]
		if it.Kind != safeguarding.SurveyAnswer || *it.ResponseID != risk.ID || *it.SurveyID != sv.ID || it.QuestionKey != "story" || it.Text != riskWords {
			t.Errorf("item source: %+v", it)
		}
		if len(it.Flags) != 1 || !strings.Contains(it.Flags[0].Sentence, "end my life") || len(it.Terms()) == 0 {
			t.Errorf("flags: %+v", it.Flags)
		}
		flagged, err := sg.FlaggedAnswerIDs(ctx, sv.ID)
		if err != nil || len(flagged) != 1 || !flagged[*it.AnswerID] {
			t.Errorf("flagged answers %v (%v)", flagged, err)
		}

		// One message for the run that queued it, none for the run that did not.
		msgs, err := messages.NewStore(db).List(ctx, messages.Filter{Ref: safeguarding.QueueRef})
		if err != nil || len(msgs) != 1 {
			t.Fatalf("want one notice, got %d (%v)", len(msgs), err)
		}
		m := msgs[0]
		if m.To != "duty@example.org" || !strings.Contains(m.Body, "1 new item is waiting in the safeguarding queue: https://codesign.example.gov.uk/staff/safeguarding") {
			t.Errorf("notice to %q: %q", m.To, m.Body)
		}
		for _, leak := range []string{"end my life", "hub", "resident@example.org"} {
			if strings.Contains(m.Subject+m.Body, leak) {
				t.Errorf("the notice contains %q", leak)
			}
		}
	})
}

func TestScreeningNothingToFlag(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s, sv := screeningSurvey(t, db)
		submitStory(t, s, sv, "Waiting lists are too long and the GP did not listen.")
		if err := screeningServer(db, "").screenNewText(ctx); err != nil {
			t.Fatal(err)
		}
		sg := safeguarding.NewStore(db, messages.NewStore(db))
		if items, _ := sg.Waiting(ctx); len(items) != 0 {
			t.Fatalf("items for text without risk: %+v", items)
		}
		if msgs, _ := messages.NewStore(db).List(ctx, messages.Filter{Ref: safeguarding.QueueRef}); len(msgs) != 0 {
			t.Fatalf("a notice with nothing new: %+v", msgs)
		}
		// The cursor moved past what was read.
		if c, _ := sg.Cursor(ctx, answersCursor); c == 0 {
			t.Error("the answers cursor did not move")
		}
	})
}

// With no duty contact configured the notice is still stored, and the
// outbox holds it for staff rather than dropping it.
func TestScreeningWithoutADutyContactHoldsTheNotice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s, sv := screeningSurvey(t, db)
		submitStory(t, s, sv, riskWords)
		submitStory(t, s, sv, "I have thought about killing myself.")
		if err := screeningServer(db, "").screenNewText(ctx); err != nil {
			t.Fatal(err)
		}
		out := messages.NewStore(db)
		if _, err := out.Deliver(ctx, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		msgs, err := out.List(ctx, messages.Filter{Ref: safeguarding.QueueRef})
		if err != nil || len(msgs) != 1 {
			t.Fatalf("want one notice, got %d (%v)", len(msgs), err)
		}
		if msgs[0].Status != messages.Held || !strings.Contains(msgs[0].Body, "2 new items are waiting") {
			t.Errorf("notice %s: %q", msgs[0].Status, msgs[0].Body)
		}
	})
}

// Two instances screening the same new text queue it once and send one
// notice between them.
func TestScreeningByTwoInstances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s, sv := screeningSurvey(t, db)
		for range 5 {
			submitStory(t, s, sv, riskWords)
		}
		a, b := screeningServer(db, "duty@example.org"), screeningServer(db, "duty@example.org")
		errc := make(chan error, 2)
		go func() { errc <- a.screenNewText(ctx) }()
		go func() { errc <- b.screenNewText(ctx) }()
		for range 2 {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		items, _ := safeguarding.NewStore(db, nil).Waiting(ctx)
		msgs, _ := messages.NewStore(db).List(ctx, messages.Filter{Ref: safeguarding.QueueRef})
		if len(items) != 5 || len(msgs) != 1 || !strings.Contains(msgs[0].Body, "5 new items") {
			t.Fatalf("%d items, %d notices", len(items), len(msgs))
		}
	})
}

// An answer committed late, with an id below the cursor, is still found
// on PostgreSQL, where ids can commit out of order.
func TestScreeningRereadsBehindTheCursorOnPostgres(t *testing.T) {
	db := dbtest.Postgres(t).DB
	ctx := context.Background()
	s, sv := screeningSurvey(t, db)
	submitStory(t, s, sv, riskWords)
	later := submitStory(t, s, sv, "The library helped.")
	srv := screeningServer(db, "duty@example.org")
	// Pretend the first answer was not yet visible when the cursor passed it.
	if err := db.Exec("INSERT INTO safeguarding_cursors (name, last_id, updated_at) VALUES (?, ?, now())", answersCursor, later.ID*100).Error; err != nil {
		t.Fatal(err)
	}
	if err := srv.screenNewText(ctx); err != nil {
		t.Fatal(err)
	}
	if items, _ := safeguarding.NewStore(db, nil).Waiting(ctx); len(items) != 1 {
		t.Fatalf("the answer behind the cursor was missed: %d items", len(items))
	}
}

func TestScreeningWorkshopNotes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		ws := workshops.NewStore(db, messages.NewStore(db), workshops.Options{})
		events, err := ws.List(ctx, workshops.Query{})
		if err != nil || len(events) == 0 {
			t.Fatalf("demo events: %v", err)
		}
		e := events[0].ID
		note := &workshops.Note{EventID: e, Title: "Table 2", Body: "- Hubs in libraries help\n- One person said they feel like there's no point going on"}
		if err := ws.AddNote(ctx, note); err != nil {
			t.Fatal(err)
		}
		srv := screeningServer(db, "duty@example.org")
		for range 2 {
			if err := srv.screenNewText(ctx); err != nil {
				t.Fatal(err)
			}
		}
		sg := safeguarding.NewStore(db, nil)
		all, _ := sg.Waiting(ctx)
		var items []safeguarding.Item
		for _, it := range all {
			if it.Kind == safeguarding.WorkshopNote {
				items = append(items, it)
			}
		}
		want := fmt.Sprintf("note:%d:2", note.ID)
		if len(items) != 1 || items[0].Ref != want || *items[0].EventID != e || !strings.HasPrefix(items[0].Text, "One person said") {
			t.Fatalf("items from notes: %+v", items)
		}
		passages, err := sg.FlaggedPassages(ctx, e)
		if err != nil || !passages[want] || len(passages) != 1 {
			t.Errorf("flagged passages %v (%v)", passages, err)
		}
	})
}
