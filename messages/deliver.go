package messages

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Sender sends one message. An error means it was not sent and may be
// tried again.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Delivery settings. The lease is how long one instance owns a message
// while it sends it: long enough for a slow SMTP server, short enough that
// a crashed instance's messages are picked up again soon.
const (
	MaxAttempts = 8
	lease       = 2 * time.Minute
	firstDelay  = time.Minute
	maxDelay    = 6 * time.Hour
	batch       = 50
)

// noSender and noEmail explain why a message is held.
const (
	noSender = "No email server is set up, so this message was not sent. Pass it on by hand, or set up SMTP and retry."
	noEmail  = "No email address was given. Call or text the person with this message."
)

// Result counts what one Deliver run did.
type Result struct{ Sent, Retrying, Failed, Held int }

// Deliver sends the messages that are due at now. With a nil sender (no
// SMTP configured) they are held for staff instead. Each message is claimed
// with a lease first, so two instances never send the same message.
func (s *Store) Deliver(ctx context.Context, sender Sender, now time.Time) (Result, error) {
	now = now.UTC()
	var res Result
	var due []Message
	err := s.db.WithContext(ctx).
		Where("status = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)", Queued, now, now).
		Order("next_attempt_at, id").Limit(batch).Find(&due).Error
	if err != nil {
		return res, err
	}
	for _, m := range due {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		claimed, err := s.claim(ctx, m.ID, now)
		if err != nil {
			return res, err
		}
		if !claimed {
			continue // another instance has it
		}
		if err := s.deliverOne(ctx, sender, m, now, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// claim takes the lease on one message; false means someone else holds it.
func (s *Store) claim(ctx context.Context, id uint, now time.Time) (bool, error) {
	r := s.db.WithContext(ctx).Model(&Message{}).
		Where("id = ? AND status = ? AND (lease_until IS NULL OR lease_until < ?)", id, Queued, now).
		Update("lease_until", now.Add(lease))
	return r.RowsAffected == 1, r.Error
}

func (s *Store) deliverOne(ctx context.Context, sender Sender, m Message, now time.Time, res *Result) error {
	switch {
	case !m.IsEmail():
		res.Held++
		return s.finish(ctx, m.ID, map[string]any{"status": Held, "last_error": noEmail})
	case sender == nil:
		res.Held++
		return s.finish(ctx, m.ID, map[string]any{"status": Held, "last_error": noSender})
	}
	sendErr := sender.Send(ctx, m)
	if sendErr == nil {
		res.Sent++
		return s.finish(ctx, m.ID, map[string]any{"status": Sent, "sent_at": now, "attempts": m.Attempts + 1, "last_error": ""})
	}
	attempts := m.Attempts + 1
	upd := map[string]any{"attempts": attempts, "last_error": clip(sendErr.Error(), 500)}
	if attempts >= MaxAttempts {
		res.Failed++
		upd["status"] = Failed
	} else {
		res.Retrying++
		upd["next_attempt_at"] = now.Add(Backoff(attempts))
	}
	return s.finish(ctx, m.ID, upd)
}

// finish records the outcome and releases the lease.
func (s *Store) finish(ctx context.Context, id uint, upd map[string]any) error {
	upd["lease_until"] = gorm.Expr("NULL")
	return s.db.WithContext(ctx).Model(&Message{}).Where("id = ?", id).Updates(upd).Error
}

// Backoff is the wait after the given number of failed attempts: one
// minute, then doubling, never more than six hours.
func Backoff(attempts int) time.Duration {
	d := firstDelay
	for i := 1; i < attempts && d < maxDelay; i++ {
		d *= 2
	}
	return min(d, maxDelay)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
