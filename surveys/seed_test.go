package surveys_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/surveys"

	"gorm.io/gorm"
)

func TestSeedStoresPastResponsesLikeSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := sample()
		sv.OpensAt = ptr(time.Now().Add(-10 * day))
		create(t, s, sv)
		at := time.Now().Add(-3 * day).Truncate(time.Second) // PostgreSQL keeps microseconds
		err := s.Seed(ctx, sv, []surveys.SeedResponse{
			{Answers: surveys.Answers{"visited": {"yes"}, "helped": {"peers", "other"}, "helped.other": {"The cafe"}, "why": {" Warm "},
				"story": {"Walking"}, "age": {"40"}, "email": {"a@example.org"}}, SubmittedAt: at},
			{Answers: surveys.Answers{"visited": {"no"}}, Channel: surveys.ChannelPaper, SubmittedAt: at.Add(time.Hour)},
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, total, err := s.Responses(ctx, sv.ID, surveys.ResponseQuery{})
		if err != nil || total != 2 {
			t.Fatalf("%d responses, err %v; want 2", total, err)
		}
		paper, online := rs[0], rs[1] // newest first
		if paper.Channel != surveys.ChannelPaper || paper.Completion != surveys.Partial || !paper.SubmittedAt.Equal(at.Add(time.Hour)) {
			t.Errorf("paper response stored as %+v", paper)
		}
		if online.Channel != surveys.ChannelOnline || online.Completion != surveys.Complete || paper.Receipt == online.Receipt {
			t.Errorf("online response stored as %+v (paper receipt %s)", online, paper.Receipt)
		}
		full, err := s.Response(ctx, sv.ID, online.ID)
		if err != nil {
			t.Fatal(err)
		}
		flags := map[string]surveys.Answer{}
		for _, a := range full.Answers {
			flags[a.QuestionKey+"/"+a.Value] = a
		}
		if a := flags["why/Warm"]; !a.FreeText || a.Personal {
			t.Errorf("trimmed free text stored as %+v", a)
		}
		if a := flags["helped/other"]; a.Position != 1 || a.FreeText {
			t.Errorf("second choice stored as %+v", a)
		}
		if a := flags["email/a@example.org"]; !a.Personal {
			t.Errorf("email stored as %+v", a)
		}
		if a := flags["helped.other/The cafe"]; !a.FreeText {
			t.Errorf("other words stored as %+v", a)
		}
	})
}

func TestSeedRefusesABadResponseAndStoresNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := sample()
		sv.OpensAt = ptr(time.Now().Add(-10 * day))
		sv.ClosesAt = ptr(time.Now().Add(-2 * day))
		create(t, s, sv)
		good := surveys.SeedResponse{Answers: surveys.Answers{"visited": {"no"}}, SubmittedAt: time.Now().Add(-5 * day)}
		cases := map[string]struct {
			bad   surveys.SeedResponse
			field string
		}{
			"missing required answer": {surveys.SeedResponse{Answers: surveys.Answers{"story": {"hi"}}, SubmittedAt: good.SubmittedAt}, "visited"},
			"text too long":           {surveys.SeedResponse{Answers: surveys.Answers{"visited": {"no"}, "story": {strings.Repeat("a", 31)}}, SubmittedAt: good.SubmittedAt}, "story"},
			"unknown channel":         {surveys.SeedResponse{Answers: good.Answers, Channel: "fax", SubmittedAt: good.SubmittedAt}, "channel"},
			"in the future":           {surveys.SeedResponse{Answers: good.Answers, Channel: surveys.ChannelPaper, SubmittedAt: time.Now().Add(time.Hour)}, "submitted_at"},
			"before opening":          {surveys.SeedResponse{Answers: good.Answers, Channel: surveys.ChannelPaper, SubmittedAt: time.Now().Add(-11 * day)}, "submitted_at"},
			"online after closing":    {surveys.SeedResponse{Answers: good.Answers, SubmittedAt: time.Now().Add(-day)}, "submitted_at"},
		}
		for name, c := range cases {
			err := s.Seed(ctx, sv, []surveys.SeedResponse{good, c.bad})
			if msgs := fieldsOf(t, err); msgs[c.field] == "" || !strings.HasPrefix(err.Error(), "response 2: ") {
				t.Errorf("%s: err = %v, want a message for %s on response 2", name, err, c.field)
			}
		}
		if n, _ := s.CountResponses(ctx, sv.ID); n != 0 {
			t.Errorf("%d responses stored after refusals, want 0", n)
		}
		// A paper response typed up after closing is fine.
		late := surveys.SeedResponse{Answers: good.Answers, Channel: surveys.ChannelPaper, SubmittedAt: time.Now().Add(-time.Hour)}
		if err := s.Seed(ctx, sv, []surveys.SeedResponse{good, late}); err != nil {
			t.Errorf("seeding good responses: %v", err)
		}
	})
}

func TestSeedRefusesADraftSurvey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := surveys.NewStore(db)
		sv := sample()
		sv.Status = surveys.Draft
		create(t, s, sv)
		err := s.Seed(context.Background(), sv, []surveys.SeedResponse{{Answers: surveys.Answers{"visited": {"no"}}, SubmittedAt: time.Now()}})
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("seeding a draft: err = %v, want a conflict", err)
		}
	})
}
