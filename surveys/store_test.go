package surveys_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/surveys"

	"gorm.io/gorm"
)

func TestSubmitStoresOnlyVisibleAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		r, replayed, err := s.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}, "why": {"hidden"}, "story": {"=1+1"}}})
		if err != nil || replayed {
			t.Fatalf("submit: %v replayed=%v", err, replayed)
		}
		if !strings.HasPrefix(r.Receipt, "CS-") || len(r.Receipt) != 12 {
			t.Errorf("receipt %q", r.Receipt)
		}
		got, err := s.Response(ctx, sv.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		vals := got.Values()
		if _, ok := vals["why"]; ok {
			t.Error("hidden answer stored")
		}
		if vals.Get("story") != "=1+1" || got.Completion != surveys.Partial || got.Channel != surveys.ChannelOnline {
			t.Errorf("stored %+v", got)
		}
	})
}

func TestIdempotentSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		in := surveys.Submission{Answers: surveys.Answers{"visited": {"no"}}, IdempotencyKey: "key-1"}
		first, _, err := s.Submit(ctx, sv, in)
		if err != nil {
			t.Fatal(err)
		}
		again, replayed, err := s.Submit(ctx, sv, in)
		if err != nil || !replayed || again.ID != first.ID || again.Receipt != first.Receipt {
			t.Fatalf("retry gave %+v replayed=%v err=%v, want the first response", again, replayed, err)
		}
		if n, _ := s.CountResponses(ctx, sv.ID); n != 1 {
			t.Errorf("%d responses stored, want 1", n)
		}
	})
}

func TestSubmitWhenClosedOrNotYetOpen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := sample()
		sv.ClosesAt = ptr(time.Now().Add(-time.Hour))
		sv.OpensAt = ptr(time.Now().Add(-day))
		create(t, s, sv)
		_, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}}})
		var c *errs.Conflict
		if !errors.As(err, &c) || !strings.Contains(c.Message, "closed") {
			t.Fatalf("closed survey: %v", err)
		}
		// Staff may still enter a paper response that arrived in time.
		if _, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}}, Channel: surveys.ChannelPaper}); err != nil {
			t.Errorf("paper response after closing: %v", err)
		}
		s.SetClock(func() time.Time { return time.Now().Add(-2 * day) })
		_, _, err = s.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}}})
		if !errors.As(err, &c) || !strings.Contains(c.Message, "not opened yet") {
			t.Fatalf("future survey: %v", err)
		}
	})
}

func TestEditsThatWouldOrphanAnswersAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		// Before any answer, a question can go; its key is retired.
		_, err := s.Edit(ctx, nil, sv.ID, "edit", func(x *surveys.Survey) error {
			x.Pages[0].Questions = x.Pages[0].Questions[:2]
			return nil
		})
		if err != nil {
			t.Fatalf("removing a question from a survey without answers: %v", err)
		}
		_, err = s.Edit(ctx, nil, sv.ID, "edit", func(x *surveys.Survey) error {
			x.Pages[0].Questions = append(x.Pages[0].Questions, surveys.Question{Key: "story", Type: surveys.Text, Label: "Again"})
			return nil
		})
		if msgs := fieldsOf(t, err); !strings.Contains(msgs["pages[0].questions[2].key"], "removed question") {
			t.Errorf("reusing a retired key: %v", msgs)
		}
		fresh, _ := s.Get(ctx, sv.ID)
		if _, _, err := s.Submit(ctx, fresh, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}}}); err != nil {
			t.Fatal(err)
		}
		refused := map[string]func(*surveys.Survey){
			"remove question": func(x *surveys.Survey) { x.Pages[0].Questions = x.Pages[0].Questions[:1] },
			"change type": func(x *surveys.Survey) {
				x.Pages[0].Questions[1].Type = surveys.Text
				x.Pages[0].Questions[1].Min = nil
			},
			"remove option": func(x *surveys.Survey) { x.Pages[1].Questions[0].Options = x.Pages[1].Questions[0].Options[1:] },
			"change slug":   func(x *surveys.Survey) { x.Slug = "another" },
		}
		for name, edit := range refused {
			_, err := s.Edit(ctx, nil, sv.ID, "edit", func(x *surveys.Survey) error { edit(x); return nil })
			if !errors.Is(err, errs.ErrConflict) {
				t.Errorf("%s with answers: err = %v, want a conflict", name, err)
			}
		}
		_, err = s.Edit(ctx, nil, sv.ID, "edit", func(x *surveys.Survey) error {
			x.Pages[0].Questions[0].Label = "Have you been to a hub?"
			x.Pages[1].Questions[0].Options[0], x.Pages[1].Questions[0].Options[1] = x.Pages[1].Questions[0].Options[1], x.Pages[1].Questions[0].Options[0]
			return nil
		})
		if err != nil {
			t.Errorf("rewording and reordering with answers: %v", err)
		}
	})
}

func TestDraftsSaveAndResume(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		token, err := s.SaveDraft(ctx, sv, "", surveys.Answers{"story": {"half"}}, 1)
		if err != nil || len(token) < 40 {
			t.Fatalf("save: %q %v", token, err)
		}
		if again, err := s.SaveDraft(ctx, sv, token, surveys.Answers{"story": {"more"}}, 2); err != nil || again != token {
			t.Fatalf("second save changed the token or failed: %v", err)
		}
		d, err := s.LoadDraft(ctx, sv, token)
		if err != nil || d.Answers.Get("story") != "more" || d.Page != 2 {
			t.Fatalf("load: %+v %v", d, err)
		}
		var hashes []string
		db.Table("response_drafts").Pluck("token_hash", &hashes)
		if len(hashes) != 1 || hashes[0] == token || strings.Contains(hashes[0], token) {
			t.Errorf("the token itself is stored: %v", hashes)
		}
		for _, bad := range []string{token + "x", token[:len(token)-1] + flip(token[len(token)-1:]), "", "nonsense"} {
			if _, err := s.LoadDraft(ctx, sv, bad); !errors.Is(err, surveys.ErrNotFound) {
				t.Errorf("tampered token %q: %v", bad, err)
			}
		}
		s.SetClock(func() time.Time { return time.Now().Add(100 * day) })
		if _, err := s.LoadDraft(ctx, sv, token); !errors.Is(err, surveys.ErrNotFound) {
			t.Errorf("expired draft still loads: %v", err)
		}
	})
}

func TestCSVExportNeutralisesFormulas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		answers := surveys.Answers{"visited": {"yes"}, "helped": {"staff", "other"}, "helped.other": {"@SUM(A1)"}, "why": {"=HYPERLINK(\"x\")"}, "age": {"-3"}}
		sv.Pages[0].Questions[1].Min = ptr(-10.0)
		if _, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: answers}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := s.WriteCSV(ctx, &buf, sv, surveys.ResponseQuery{}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("csv: %v %v", rows, err)
		}
		row := map[string]string{}
		for i, h := range rows[0] {
			row[h] = rows[1][i]
		}
		want := map[string]string{"helped:staff": "1", "helped:peers": "0", "helped:other": "1", "helped.other": "'@SUM(A1)",
			"why": "'=HYPERLINK(\"x\")", "age": "-3", "visited": "yes", "channel": "online"}
		for k, v := range want {
			if row[k] != v {
				t.Errorf("column %s = %q, want %q", k, row[k], v)
			}
		}
		if row["receipt"] == "" || row["response_id"] == "" || row["submitted_at"] == "" {
			t.Errorf("fixed columns missing: %v", row)
		}
	})
}

func TestFreeTextSinceAndSummary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		for _, a := range []surveys.Answers{
			{"visited": {"yes"}, "helped": {"staff", "peers"}, "story": {"the hub"}, "email": {"a@example.org"}},
			{"visited": {"yes"}, "helped": {"staff"}},
			{"visited": {"no"}, "story": {"nothing"}},
		} {
			if _, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
		units, err := s.FreeTextSince(ctx, 0, 10)
		if err != nil || len(units) != 2 || units[0].Text != "the hub" {
			t.Fatalf("free text: %+v %v", units, err)
		}
		if more, _ := s.FreeTextSince(ctx, units[0].AnswerID, 10); len(more) != 1 || more[0].Text != "nothing" {
			t.Errorf("after the first unit: %+v", more)
		}
		sum, err := s.Summarise(ctx, sv)
		if err != nil || sum.Responses != 3 {
			t.Fatalf("summary: %+v %v", sum, err)
		}
		helped := sum.Questions[3]
		if helped.Question.Key != "helped" || helped.Answered != 2 || helped.Options[0].Count != 2 || helped.Options[1].Percent != 50 {
			t.Errorf("helped summary: %+v", helped)
		}
	})
}

func TestParseDefinitionRejectsWholeWithEveryProblem(t *testing.T) {
	good, _ := sample().Definition().MarshalIndented()
	sv, err := surveys.ParseDefinition(bytes.NewReader(good))
	if err != nil || sv.Title != "Have your say" || len(sv.Pages) != 3 {
		t.Fatalf("round trip: %v", err)
	}
	bad := strings.Replace(strings.Replace(string(good), `"key": "age"`, `"key": "visited"`, 1), `"title": "The hub"`, `"title": ""`, 1)
	_, err = surveys.ParseDefinition(strings.NewReader(bad))
	if msgs := fieldsOf(t, err); len(msgs) < 2 {
		t.Errorf("want every problem listed, got %v", msgs)
	}
	for _, in := range []string{`{"title": "x", "requried": true}`, `{"title": `, `{"title": 3}`} {
		_, err := surveys.ParseDefinition(strings.NewReader(in))
		if msgs := fieldsOf(t, err); msgs["definition"] == "" || strings.Contains(msgs["definition"], "json:") {
			t.Errorf("%s: %v", in, msgs)
		}
	}
}

// flip returns a character other than c, so a tampered token always differs.
func flip(c string) string {
	if c == "A" {
		return "B"
	}
	return "A"
}

// An edit that removes no question saves: the list of retired keys is
// empty, never NULL.
func TestEditWithoutRemovingAQuestionSaves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		got, err := s.Edit(context.Background(), nil, sv.ID, "rename", func(x *surveys.Survey) error { x.Title = "Renamed"; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Renamed" || got.RetiredKeys == nil {
			t.Fatalf("title %q, retired keys %v", got.Title, got.RetiredKeys)
		}
	})
}

// ResponseCounts agrees with CountResponses for every survey at once.
func TestResponseCountsInOneQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		a := create(t, s, sample())
		b := sample()
		b.Slug = "second"
		create(t, s, b)
		for i := 0; i < 3; i++ {
			if _, _, err := s.Submit(ctx, a, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}}}); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := s.ResponseCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[a.ID] != 3 || counts[b.ID] != 0 {
			t.Fatalf("counts %v", counts)
		}
	})
}
