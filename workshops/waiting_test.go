package workshops_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/workshops"

	"gorm.io/gorm"
)

// A full waiting list turns people away with words they understand, and
// takes them again once someone leaves it.
func TestWaitingListLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 1)
		e.WaitingListLimit = 2
		if err := f.store.Update(ctx, nil, e); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"ann", "bob", "cat"} {
			f.book(t, e, n)
		}
		_, err := f.store.Book(ctx, e.ID, workshops.Signup{Name: "dan", Email: "dan@example.org"})
		var conflict *errs.Conflict
		if !errors.Is(err, workshops.ErrWaitingListFull) || !errors.As(err, &conflict) || !strings.Contains(conflict.Message, "the waiting list is full") {
			t.Fatalf("booking with the waiting list full: %v", err)
		}
		got, err := f.store.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.WaitingListFull() || got.Waiting != 2 || got.WaitingLimit() != 2 {
			t.Fatalf("full %v, waiting %d of %d", got.WaitingListFull(), got.Waiting, got.WaitingLimit())
		}
		if len(f.outbox(t, "waiting_list")) != 2 {
			t.Error("the refused sign-up must not be sent a message")
		}
		if _, err := f.store.Cancel(ctx, token("cat")); err != nil {
			t.Fatal(err)
		}
		if b := f.book(t, e, "dan"); b.Status != workshops.Waiting {
			t.Fatalf("dan is %s once cat left the waiting list", b.Status)
		}
	})
}

func TestWaitingLimitDefault(t *testing.T) {
	for _, c := range []struct{ capacity, limit, want int }{{10, 0, 50}, {80, 0, 80}, {10, 5, 5}} {
		e := workshops.Event{Capacity: c.capacity, WaitingListLimit: c.limit}
		if got := e.WaitingLimit(); got != c.want {
			t.Errorf("capacity %d, limit %d: %d, want %d", c.capacity, c.limit, got, c.want)
		}
	}
	e := workshops.Event{Title: "T", Format: workshops.Online, LocalityID: 1, Capacity: 5, WaitingListLimit: -1, OnlineDetails: "x"}
	if f, ok := errs.AsFields(e.Validate()); !ok || f.Messages["waiting_list_limit"] == "" {
		t.Errorf("a negative waiting list limit was accepted: %v", e.Validate())
	}
}

// Thirty people press "Book" at once for the last place and a waiting
// list of three: one gets the place, three wait, the rest are told the
// waiting list is full, and nobody gets in beyond the limit.
func TestWaitingListNeverOverfills(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 2)
		e.WaitingListLimit = 3
		if err := f.store.Update(ctx, nil, e); err != nil {
			t.Fatal(err)
		}
		f.book(t, e, "early")
		var mu sync.Mutex
		got := map[string]int{}
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Go(func() {
				name := fmt.Sprintf("p%d", i)
				b, err := f.store.Book(ctx, e.ID, workshops.Signup{Name: name, Email: name + "@example.org"})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, workshops.ErrWaitingListFull):
					got["full"]++
				case err != nil:
					t.Error(err)
				default:
					got[string(b.Status)]++
				}
			})
		}
		wg.Wait()
		if got["confirmed"] != 1 || got["waiting"] != 3 || got["full"] != 26 {
			t.Fatalf("outcomes %v; want 1 confirmed, 3 waiting, 26 turned away", got)
		}
		ev, err := f.store.Get(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Confirmed != 2 || ev.Waiting != 3 {
			t.Fatalf("stored: %d confirmed, %d waiting", ev.Confirmed, ev.Waiting)
		}
	})
}
