package surveys_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/surveys"

	"gorm.io/gorm"
)

func sameEmail(want string) func(string) bool {
	return func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), want) }
}

func TestFindAndEraseAPersonsResponses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		mine, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}, "story": {"Long waits"}, "email": {" Sam@Example.org "}}})
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: surveys.Answers{"visited": {"no"}, "story": {"sam@example.org"}, "email": {"kim@example.org"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := s.ResponsesWithContact(ctx, nil, sameEmail("sam@example.org"))
		if err != nil || len(ids) != 1 || ids[0] != mine.ID {
			t.Fatalf("found %v (%v), want only %d: free text that happens to hold the address is not a contact detail", ids, err, mine.ID)
		}
		byReceipt, err := s.ResponseByReceipt(ctx, nil, " "+strings.ToLower(other.Receipt))
		if err != nil || byReceipt.ID != other.ID {
			t.Fatalf("by receipt: %+v %v", byReceipt, err)
		}
		if _, err := s.ResponseByReceipt(ctx, nil, "CS-NONE-NONE"); !errors.Is(err, surveys.ErrNotFound) {
			t.Errorf("unknown receipt: %v", err)
		}
		rs, err := s.ResponsesByID(ctx, nil, ids)
		if err != nil || len(rs) != 1 || rs[0].Values().Get("story") != "Long waits" {
			t.Fatalf("responses by id: %+v %v", rs, err)
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			n, err := s.EraseResponses(ctx, tx, ids)
			if n != 1 {
				t.Errorf("erased %d responses", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var answers int64
		db.Model(&surveys.Answer{}).Where("response_id = ?", mine.ID).Count(&answers)
		if n, _ := s.CountResponses(ctx, sv.ID); n != 1 || answers != 0 {
			t.Errorf("after erasure: %d responses, %d answers of the erased one", n, answers)
		}
	})
}

func TestDraftsHoldingAContactDetail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		sv := create(t, s, sample())
		if _, err := s.SaveDraft(ctx, sv, "", surveys.Answers{"email": {"SAM@example.org"}}, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveDraft(ctx, sv, "", surveys.Answers{"story": {"nothing personal"}}, 0); err != nil {
			t.Fatal(err)
		}
		ds, err := s.DraftsMatching(ctx, nil, sameEmail("sam@example.org"))
		if err != nil || len(ds) != 1 {
			t.Fatalf("drafts found: %d %v", len(ds), err)
		}
		if n, err := s.ExpiredDrafts(ctx, nil); err != nil || n != 0 {
			t.Errorf("expired now: %d %v", n, err)
		}
		now = now.AddDate(1, 0, 0)
		if n, err := s.ExpiredDrafts(ctx, nil); err != nil || n != 2 {
			t.Errorf("expired a year later: %d %v", n, err)
		}
		if n, err := s.EraseDrafts(ctx, nil, []uint{ds[0].ID}); err != nil || n != 1 {
			t.Errorf("erase draft: %d %v", n, err)
		}
		if n, err := s.DeleteExpiredDrafts(ctx, nil); err != nil || n != 1 {
			t.Errorf("deleting expired drafts: %d %v", n, err)
		}
	})
}

func TestContactDetailsAfterASurveyCloses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		closedLongAgo, stillOpen := sample(), sample()
		closedLongAgo.Slug = "closed-long-ago"
		create(t, s, closedLongAgo)
		create(t, s, stillOpen)
		answers := surveys.Answers{"visited": {"no"}, "story": {"Kind staff"}, "email": {"sam@example.org"}}
		for _, sv := range []*surveys.Survey{closedLongAgo, stillOpen} {
			if _, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: answers}); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().UTC().AddDate(0, 0, -100)
		if err := db.Model(&surveys.Survey{}).Where("id = ?", closedLongAgo.ID).Updates(map[string]any{"status": surveys.Closed, "closes_at": old, "updated_at": old}).Error; err != nil {
			t.Fatal(err)
		}
		cutoff := time.Now().UTC().AddDate(0, 0, -90)
		if n, err := s.ContactAnswersClosedBefore(ctx, nil, cutoff); err != nil || n != 1 {
			t.Fatalf("due: %d %v", n, err)
		}
		if n, err := s.DeleteContactAnswersClosedBefore(ctx, nil, cutoff); err != nil || n != 1 {
			t.Fatalf("deleted: %d %v", n, err)
		}
		if n, _ := s.ContactAnswersClosedBefore(ctx, nil, cutoff); n != 0 {
			t.Errorf("still due after deleting: %d", n)
		}
		// The response itself stays, with its other answers.
		rs, _, err := s.Responses(ctx, closedLongAgo.ID, surveys.ResponseQuery{})
		if err != nil || len(rs) != 1 {
			t.Fatalf("closed survey's responses after retention: %+v %v", rs, err)
		}
		if r, err := s.Response(ctx, closedLongAgo.ID, rs[0].ID); err != nil || r.Values().Get("story") != "Kind staff" || r.Values().Get("email") != "" {
			t.Errorf("closed survey's response after retention: %+v %v", r, err)
		}
		if ids, _ := s.ResponsesWithContact(ctx, nil, sameEmail("sam@example.org")); len(ids) != 1 {
			t.Errorf("the open survey's contact answer must stay: %v", ids)
		}
	})
}
