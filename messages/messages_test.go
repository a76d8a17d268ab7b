package messages_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/messages"

	"gorm.io/gorm"
)

// fakeSender records what it sent and fails while fail is set.
type fakeSender struct {
	mu   sync.Mutex
	sent []string
	fail error
	slow time.Duration
}

func (f *fakeSender) Send(ctx context.Context, m messages.Message) error {
	time.Sleep(f.slow)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, m.To)
	return nil
}

func enqueue(t *testing.T, s *messages.Store, to string) *messages.Message {
	t.Helper()
	m := &messages.Message{To: to, Subject: "Your booking", Body: "Hello", Kind: "confirmation", Ref: "booking:1"}
	if err := s.Enqueue(context.Background(), nil, m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEnqueueJoinsTheCallersTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := messages.NewStore(db)
		ctx := context.Background()
		boom := errors.New("booking failed")
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := s.Enqueue(ctx, tx, &messages.Message{To: "a@example.org", Subject: "s", Body: "b", Kind: "k"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		if got, _ := s.List(ctx, messages.Filter{}); len(got) != 0 {
			t.Fatalf("a rolled-back message was kept: %+v", got)
		}
		if err := s.Enqueue(ctx, nil, &messages.Message{To: "a@example.org"}); err == nil {
			t.Fatal("a message with no subject or body was queued")
		}
	})
}

func TestDeliverWithoutSMTPHoldsMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := messages.NewStore(db)
		m := enqueue(t, s, "a@example.org")
		res, err := s.Deliver(context.Background(), nil, time.Now())
		if err != nil || res.Held != 1 {
			t.Fatalf("res %+v err %v", res, err)
		}
		got, _ := s.Get(context.Background(), m.ID)
		if got.Status != messages.Held || got.LastError == "" {
			t.Fatalf("message is %s (%q), want held with a reason", got.Status, got.LastError)
		}
		if err := s.Retry(context.Background(), m.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(context.Background(), m.ID); got.Status != messages.Queued {
			t.Fatalf("after retry status %s", got.Status)
		}
	})
}

func TestDeliverHoldsPhoneOnlyMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := messages.NewStore(db)
		m := enqueue(t, s, "07700 900123")
		fs := &fakeSender{}
		if _, err := s.Deliver(context.Background(), fs, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(context.Background(), m.ID); got.Status != messages.Held || len(fs.sent) != 0 {
			t.Fatalf("status %s, sent %v", got.Status, fs.sent)
		}
	})
}

func TestDeliverRetriesWithBackoffThenFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := messages.NewStore(db)
		ctx := context.Background()
		m := enqueue(t, s, "a@example.org")
		fs := &fakeSender{fail: errors.New("451 try later")}
		now := time.Now().UTC()
		for i := 1; i <= messages.MaxAttempts; i++ {
			if _, err := s.Deliver(ctx, fs, now); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Get(ctx, m.ID)
			if got.Attempts != i || got.LastError != "451 try later" {
				t.Fatalf("attempt %d: %+v", i, got)
			}
			if i < messages.MaxAttempts {
				if got.Status != messages.Queued || got.NextAttemptAt.Sub(now) < messages.Backoff(i)-time.Second {
					t.Fatalf("attempt %d: status %s next %v", i, got.Status, got.NextAttemptAt.Sub(now))
				}
				// Not due again before the back-off has passed.
				if res, _ := s.Deliver(ctx, fs, now.Add(time.Second)); res != (messages.Result{}) {
					t.Fatalf("retried too soon: %+v", res)
				}
				now = got.NextAttemptAt
			} else if got.Status != messages.Failed {
				t.Fatalf("after %d attempts status %s, want failed", i, got.Status)
			}
		}
	})
}

func TestBackoffDoublesAndIsCapped(t *testing.T) {
	if messages.Backoff(1) != time.Minute || messages.Backoff(3) != 4*time.Minute || messages.Backoff(30) != 6*time.Hour {
		t.Fatalf("backoff %v %v %v", messages.Backoff(1), messages.Backoff(3), messages.Backoff(30))
	}
}

func TestTwoDeliverersNeverSendTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := messages.NewStore(db)
		for range 10 {
			enqueue(t, s, "a@example.org")
		}
		fs := &fakeSender{slow: 5 * time.Millisecond}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if _, err := s.Deliver(context.Background(), fs, time.Now()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if len(fs.sent) != 10 {
			t.Fatalf("sent %d messages, want each of 10 exactly once", len(fs.sent))
		}
	})
}
