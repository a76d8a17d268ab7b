package workshops_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/workshops"

	"gorm.io/gorm"
)

func TestCapacityWaitingListAndPromotion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 2)
		statuses := []workshops.BookingStatus{}
		for _, n := range []string{"ann", "bob", "cat", "dan"} {
			statuses = append(statuses, f.book(t, e, n).Status)
		}
		want := []workshops.BookingStatus{workshops.Confirmed, workshops.Confirmed, workshops.Waiting, workshops.Waiting}
		if fmt.Sprint(statuses) != fmt.Sprint(want) {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
		got, _ := f.store.Get(ctx, e.ID)
		if got.PlacesLeft() != 0 || got.Waiting != 2 || !got.Full() {
			t.Fatalf("places left %d waiting %d", got.PlacesLeft(), got.Waiting)
		}
		if _, err := f.store.Cancel(ctx, token("bob")); err != nil {
			t.Fatal(err)
		}
		cat, _ := f.store.ByToken(ctx, token("cat"))
		dan, _ := f.store.ByToken(ctx, token("dan"))
		if cat.Status != workshops.Confirmed || cat.PromotedAt == nil || dan.Status != workshops.Waiting {
			t.Fatalf("after a cancellation cat is %s, dan is %s; want the first waiting promoted", cat.Status, dan.Status)
		}
		promoted := f.outbox(t, "waiting_list_place")
		if len(promoted) != 1 || promoted[0].To != "cat@example.org" || !strings.Contains(promoted[0].Body, "Step-free access") {
			t.Fatalf("promotion messages %+v", promoted)
		}
		if len(f.outbox(t, "booking_confirmed")) != 2 || len(f.outbox(t, "waiting_list")) != 2 || len(f.outbox(t, "booking_cancelled")) != 1 {
			t.Fatal("every booking and cancellation must have its message")
		}
	})
}

func TestCancellingAWaitingPlacePromotesNobody(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 1)
		f.book(t, e, "ann")
		f.book(t, e, "bob")
		f.book(t, e, "cat")
		if _, err := f.store.Cancel(context.Background(), token("bob")); err != nil {
			t.Fatal(err)
		}
		cat, _ := f.store.ByToken(context.Background(), token("cat"))
		if cat.Status != workshops.Waiting || len(f.outbox(t, "waiting_list_place")) != 0 {
			t.Fatalf("cat is %s after a waiting cancellation", cat.Status)
		}
	})
}

func TestCancelTwiceIsAConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 5)
		f.book(t, e, "ann")
		if _, err := f.store.Cancel(context.Background(), token("ann")); err != nil {
			t.Fatal(err)
		}
		_, err := f.store.Cancel(context.Background(), token("ann"))
		if !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("second cancel: %v, want a conflict", err)
		}
		if _, err := f.store.Cancel(context.Background(), token("nobody")); !errors.Is(err, workshops.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
	})
}

func TestSameFormTwiceMakesOneBooking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 5)
		in := workshops.Signup{Name: "Ann", Email: "ann@example.org", IdempotencyKey: "form-123", ManageToken: token("ann")}
		var wg sync.WaitGroup
		ids := make([]uint, 2)
		for i := range ids {
			wg.Go(func() {
				b, err := f.store.Book(context.Background(), e.ID, in)
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = b.ID
			})
		}
		wg.Wait()
		all, _ := f.store.Bookings(context.Background(), e.ID)
		if len(all) != 1 || ids[0] != ids[1] || len(f.outbox(t, "booking_confirmed")) != 1 {
			t.Fatalf("%d bookings (ids %v) from one form sent twice", len(all), ids)
		}
	})
}

func TestClosedEventsCannotBeBooked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		late := f.event(t, 5)
		f.now = late.SignupDeadline.Add(time.Minute)
		_, err := f.store.Book(ctx, late.ID, workshops.Signup{Name: "Ann", Email: "ann@example.org"})
		var c *errs.Conflict
		if !errors.As(err, &c) || !strings.Contains(c.Message, "Sign-up for this workshop closed") {
			t.Fatalf("after the deadline: %v", err)
		}
		f.now = late.SignupDeadline.Add(-48 * time.Hour)
		cancelled := f.event(t, 5)
		f.book(t, cancelled, "bob")
		if err := f.store.CancelEvent(ctx, nil, cancelled.ID, "The venue flooded."); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.Book(ctx, cancelled.ID, workshops.Signup{Name: "Ann", Email: "ann@example.org"}); !errors.As(err, &c) || !strings.Contains(c.Message, "cancelled") {
			t.Fatalf("cancelled event: %v", err)
		}
		told := f.outbox(t, "workshop_cancelled")
		if len(told) != 1 || !strings.Contains(told[0].Body, "The venue flooded.") {
			t.Fatalf("cancellation messages %+v", told)
		}
	})
}

func TestSignupValidation(t *testing.T) {
	cases := []struct {
		in    workshops.Signup
		field string
	}{
		{workshops.Signup{Email: "a@example.org"}, "name"},
		{workshops.Signup{Name: "A"}, "email"},
		{workshops.Signup{Name: "A", Email: "not-an-email"}, "email"},
		{workshops.Signup{Name: "A", Email: "a@example"}, "email"},
		{workshops.Signup{Name: "A", Phone: "call me"}, "phone"},
		{workshops.Signup{Name: "A", Phone: "12"}, "phone"},
		{workshops.Signup{Name: "A", Phone: "07700 900982", AccessNeeds: []workshops.Need{"teleport"}}, "access_needs"},
		{workshops.Signup{Name: "A", Phone: "07700 900982", AccessNeeds: []workshops.Need{workshops.Interpreter}}, "interpreter_language"},
	}
	for _, c := range cases {
		f, ok := errs.AsFields(c.in.Validate())
		if !ok || f.Messages[c.field] == "" {
			t.Errorf("%+v: want a message for %s, got %v", c.in, c.field, f)
		}
	}
	ok := workshops.Signup{Name: "A", Phone: "+44 20 7527 2000", AccessNeeds: []workshops.Need{workshops.BSL}}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid sign-up refused: %v", err)
	}
}

// Fifty people press "Book" at once for the last three places.
func TestNeverOverbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 10)
		for i := range 7 {
			f.book(t, e, fmt.Sprintf("early%d", i))
		}
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				name := fmt.Sprintf("p%d", i)
				if _, err := f.store.Book(context.Background(), e.ID, workshops.Signup{Name: name, Email: name + "@example.org"}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got, err := f.store.Get(context.Background(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Confirmed != 10 || got.Waiting != 47 {
			t.Fatalf("confirmed %d, waiting %d; want 10 and 47", got.Confirmed, got.Waiting)
		}
	})
}
