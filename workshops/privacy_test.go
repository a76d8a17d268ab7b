package workshops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/messages"
	"codesign/workshops"

	"gorm.io/gorm"
)

func isSam(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "sam@example.org") }

// Erasing a person's bookings keeps the counts of a workshop that has
// happened, and frees their place at one still to come.
func TestEraseBookingsKeepsPastCountsAndFreesFuturePlaces(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		past := f.event(t, 5)
		attended := f.book(t, past, "sam")
		f.book(t, past, "ann")
		f.now = past.EndsAt.Add(time.Hour)
		if err := f.store.MarkAttendance(ctx, nil, past.ID, map[uint]workshops.BookingStatus{attended.ID: workshops.Attended}); err != nil {
			t.Fatal(err)
		}
		before, _ := f.store.AttendanceCounts(ctx, past.ID)
		next := f.event(t, 1)
		place, err := f.store.Book(ctx, next.ID, workshops.Signup{Name: "Sam", Phone: "07700 900123", Email: "SAM@example.org", ManageToken: token("sam-again")})
		if err != nil {
			t.Fatal(err)
		}
		waiting := f.book(t, next, "kim")

		found, err := f.store.BookingsMatching(ctx, nil, isSam)
		if err != nil || len(found) != 2 || found[0].Event == nil || found[0].Event.ID != past.ID {
			t.Fatalf("found %+v, %v", found, err)
		}
		var did workshops.BookingErasure
		err = db.Transaction(func(tx *gorm.DB) error {
			did, err = f.store.EraseBookings(ctx, tx, []uint{found[0].ID, found[1].ID})
			return err
		})
		if err != nil || did.Anonymised != 1 || did.Deleted != 1 {
			t.Fatalf("erasure = %+v, %v", did, err)
		}
		if after, _ := f.store.AttendanceCounts(ctx, past.ID); after != before || after.Attended != 1 {
			t.Errorf("attendance counts changed: %+v, were %+v", after, before)
		}
		if again, _ := f.store.BookingsMatching(ctx, nil, isSam); len(again) != 0 {
			t.Errorf("still found after erasure: %+v", again)
		}
		list, _ := f.store.Bookings(ctx, next.ID)
		if len(list) != 1 || list[0].ID != waiting.ID || list[0].Status != workshops.Confirmed {
			t.Errorf("the person waiting should have the freed place: %+v", list)
		}
		all, _ := f.msgs.List(ctx, messages.Filter{Limit: 1000})
		for _, m := range all {
			if isSam(m.To) || m.Ref == place.Ref() || m.Ref == attended.Ref() {
				t.Errorf("a message to or about the erased person remains: %+v", m)
			}
		}
	})
}

func TestRetentionDryRunMatchesWhatIsCleared(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		e := f.event(t, 5)
		f.book(t, e, "sam")
		f.book(t, e, "ann")
		keep := 90 * 24 * time.Hour
		f.now = e.EndsAt.Add(keep - time.Hour)
		if ev, bk, err := f.store.AnonymiseDue(ctx, nil, keep); err != nil || ev != 0 || bk != 0 {
			t.Fatalf("due before the period ends: %d events, %d bookings, %v", ev, bk, err)
		}
		f.now = e.EndsAt.Add(keep + time.Hour)
		if ev, bk, err := f.store.AnonymiseDue(ctx, nil, keep); err != nil || ev != 1 || bk != 2 {
			t.Fatalf("due: %d events, %d bookings, %v", ev, bk, err)
		}
		if found, _ := f.store.BookingsMatching(ctx, nil, isSam); len(found) != 1 {
			t.Fatal("a dry run changed something")
		}
		ev, bk, err := f.store.AnonymiseEnded(ctx, nil, keep)
		if err != nil || ev != 1 || bk != 2 {
			t.Fatalf("cleared %d events, %d bookings, %v", ev, bk, err)
		}
		if found, _ := f.store.BookingsMatching(ctx, nil, isSam); len(found) != 0 {
			t.Error("details kept after retention")
		}
		if ev, bk, _ := f.store.AnonymiseDue(ctx, nil, keep); ev != 0 || bk != 0 {
			t.Errorf("still due after clearing: %d, %d", ev, bk)
		}
		if counts, _ := f.store.AttendanceCounts(ctx, e.ID); counts.Booked != 2 {
			t.Errorf("counts lost: %+v", counts)
		}
	})
}
