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

// Many residents submitting at once share transactions (group commit):
// every response is stored once with all its answers, retries with the
// same idempotency key get the first response, and an invalid response
// among them fails alone.
func TestConcurrentSubmitsAreGrouped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := surveys.NewStore(db)
		sv := create(t, s, sample())
		ctx := context.Background()
		const n = 120
		type out struct {
			id      uint
			receipt string
			err     error
		}
		results := make([]out, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				a := surveys.Answers{"visited": {"yes"}, "helped": {"staff", "peers"}, "story": {fmt.Sprintf("story %d", i)}}
				key := ""
				switch {
				case i%10 == 0:
					a = surveys.Answers{"visited": {"perhaps"}} // invalid
				case i%4 == 1:
					key = fmt.Sprintf("k%d", i/8) // pairs and groups share a key
				}
				r, _, err := s.Submit(ctx, sv, surveys.Submission{Answers: a, IdempotencyKey: key})
				if err == nil {
					results[i] = out{id: r.ID, receipt: r.Receipt}
				} else {
					results[i] = out{err: err}
				}
			}(i)
		}
		wg.Wait()

		byKey := map[string]uint{}
		ids := map[uint]bool{}
		invalid := 0
		for i, r := range results {
			if i%10 == 0 {
				if r.err == nil {
					t.Fatalf("invalid response %d was stored", i)
				}
				fieldsOf(t, r.err)
				invalid++
				continue
			}
			if r.err != nil {
				t.Fatalf("response %d: %v", i, r.err)
			}
			if i%4 == 1 {
				k := fmt.Sprintf("k%d", i/8)
				if first, ok := byKey[k]; ok && first != r.id {
					t.Fatalf("key %s gave responses %d and %d", k, first, r.id)
				}
				byKey[k] = r.id
			}
			ids[r.id] = true
		}
		count, err := s.CountResponses(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if int(count) != len(ids) {
			t.Fatalf("%d responses stored, %d distinct acknowledged", count, len(ids))
		}
		// Every stored response has exactly its own answers.
		for id := range ids {
			r, err := s.Response(ctx, sv.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			v := r.Values()
			if len(v["helped"]) != 2 || v.Get("visited") != "yes" || len(r.Answers) != 4 {
				t.Fatalf("response %d has answers %v", id, v)
			}
		}
		if invalid != n/10 {
			t.Fatalf("%d invalid", invalid)
		}
	})
}
