package workshops_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/workshops"

	"gorm.io/gorm"
)

// BenchmarkBusyEvents is the soak's situation in miniature: five events of
// 20 places, each with a long history of bookings, read as the public list
// does (List), as booking does first (Get), and booked then cancelled
// again (a waiting place taken and given up, so the rows stay the same).
// 25,000 people waiting is what an unlimited waiting list came to in the
// soak; with the limit, booking such an event is turned away at once. 49
// waiting (one short of the default limit) and 25,000 cancellations is
// what the limit leaves after a long run of bookings and cancellations.
//
//	go test -run '^$' -bench BusyEvents -benchtime 2s ./workshops
func BenchmarkBusyEvents(b *testing.B) {
	engines := []func(testing.TB) dbtest.Engine{dbtest.SQLite}
	if dbtest.PostgresDSN() != "" {
		engines = append(engines, dbtest.Postgres)
	}
	for _, open := range engines {
		for _, h := range []struct {
			name               string
			waiting, cancelled int
		}{
			{"new", 0, 0},
			{"waiting=25000", 25000, 0},
			{"waiting=49,cancelled=25000", 49, 25000},
		} {
			e := open(b) // a database of its own for each history
			b.Run(e.Name+"/"+h.name, func(b *testing.B) { benchBusy(b, e.DB, h.waiting, h.cancelled) })
		}
	}
}

func benchBusy(b *testing.B, db *gorm.DB, waiting, cancelled int) {
	f := newFixture(b, db)
	ctx := context.Background()
	var ids []uint
	for range 5 {
		e := f.event(b, 20)
		seedBookings(b, db, e.ID, 20, waiting, cancelled)
		ids = append(ids, e.ID)
	}
	b.Run("List", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.store.List(ctx, workshops.Query{From: f.now}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := f.store.Get(ctx, ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BookAndCancel", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			tok := fmt.Sprintf("bench-%d-0123456789abcdefghij", benchSeq.Add(1))
			_, err := f.store.Book(ctx, ids[i%len(ids)], workshops.Signup{Name: "Bench", Email: "bench@example.org", ManageToken: tok})
			if errors.Is(err, workshops.ErrWaitingListFull) {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.store.Cancel(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
}

var benchSeq atomic.Int64

// seedBookings writes bookings straight into the table, many to a
// statement: going through Book would take minutes.
func seedBookings(b *testing.B, db *gorm.DB, eventID uint, confirmed, waiting, cancelled int) {
	b.Helper()
	now := time.Now().UTC()
	var rows []string
	var args []any
	flush := func() {
		if len(rows) == 0 {
			return
		}
		err := db.Exec(`INSERT INTO workshop_bookings (event_id, status, name, email, phone, access_needs, interpreter_language,
			access_notes, dietary, consent_contact, consent_text, created_at, updated_at) VALUES `+strings.Join(rows, ","), args...).Error
		if err != nil {
			b.Fatal(err)
		}
		rows, args = rows[:0], args[:0]
	}
	add := func(n int, status workshops.BookingStatus) {
		for i := range n {
			rows = append(rows, "(?, ?, 'Seed', ?, '', '', '', '', '', false, '', ?, ?)")
			at := now.Add(time.Duration(len(args)) * time.Microsecond)
			args = append(args, eventID, status, fmt.Sprintf("seed-%d-%s-%d@example.org", eventID, status, i), at, at)
			if len(rows) == 200 {
				flush()
			}
		}
	}
	add(confirmed, workshops.Confirmed)
	add(waiting, workshops.Waiting)
	add(cancelled, workshops.BookingCancelled)
	flush()
}
