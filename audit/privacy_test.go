package audit_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"codesign/audit"
	"codesign/database/dbtest"

	"gorm.io/gorm"
)

func TestEachWalksTheWholeLogInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		const n = 1203 // more than two pages
		rows := make([]audit.Event, n)
		for i := range rows {
			rows[i] = audit.Event{Action: "test", Target: "row:" + strconv.Itoa(i)}
		}
		if err := db.CreateInBatches(rows, 300).Error; err != nil {
			t.Fatal(err)
		}
		s := audit.NewStore(db)
		var seen []string
		if err := s.Each(ctx, func(e audit.Event) error { seen = append(seen, e.Target); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(seen) != n || seen[0] != "row:0" || seen[n-1] != "row:"+strconv.Itoa(n-1) {
			t.Fatalf("walked %d events, first %q", len(seen), seen[0])
		}
		stop := errors.New("stop")
		count := 0
		err := s.Each(ctx, func(audit.Event) error {
			count++
			if count == 3 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || count != 3 {
			t.Errorf("stopping: %v after %d", err, count)
		}
	})
}
