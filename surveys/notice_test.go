package surveys_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"codesign/database/dbtest"
	"codesign/surveys"

	"gorm.io/gorm"
)

// Each response keeps the privacy notice the resident was shown, alone or
// in a group commit, and an edited notice does not rewrite what earlier
// residents agreed to.
func TestResponsesKeepTheirPrivacyNotice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := surveys.NewStore(db)
		sv := sample()
		sv.PrivacyNotice = "First notice: we keep answers for two years."
		create(t, s, sv)
		a := surveys.Answers{"visited": {"no"}}
		first, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: a})
		if err != nil {
			t.Fatal(err)
		}
		// Several at once share a transaction.
		var wg sync.WaitGroup
		group := make([]*surveys.Response, 12)
		for i := range group {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: a, IdempotencyKey: fmt.Sprint("k", i)})
				if err != nil {
					t.Error(err)
					return
				}
				group[i] = r
			}(i)
		}
		wg.Wait()
		edited, err := s.Edit(ctx, nil, sv.ID, "notice", func(x *surveys.Survey) error {
			x.PrivacyNotice = "Second notice: we keep answers for one year."
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		later, _, err := s.Submit(ctx, edited, surveys.Submission{Answers: a})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			r    *surveys.Response
			want string
		}{{first, "First notice: we keep answers for two years."}, {group[5], "First notice: we keep answers for two years."},
			{later, "Second notice: we keep answers for one year."}} {
			stored, err := s.Response(ctx, sv.ID, c.r.ID)
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.Notice(ctx, stored)
			if err != nil || n.Text != c.want {
				t.Fatalf("response %d: notice %+v (%v), want %q", c.r.ID, n, err, c.want)
			}
		}
		// A survey with no notice leaves none.
		bare := sample()
		bare.Slug = "no-notice"
		create(t, s, bare)
		r, _, err := s.Submit(ctx, bare, surveys.Submission{Answers: a})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Notice(ctx, r); err == nil {
			t.Fatal("a survey with no notice gave one")
		}
	})
}
