package messages_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/messages"

	"gorm.io/gorm"
)

func TestMatchingFindsByRecipientOrRef(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := messages.NewStore(db)
		mine := enqueue(t, s, "Sam@Example.org")
		about := &messages.Message{To: "duty@example.org", Subject: "s", Body: "b", Kind: "k", Ref: "application:7"}
		if err := s.Enqueue(ctx, nil, about); err != nil {
			t.Fatal(err)
		}
		enqueue(t, s, "kim@example.org")
		isSam := func(v string) bool { return strings.EqualFold(v, "sam@example.org") }
		got, err := s.Matching(ctx, nil, isSam, []string{"application:7"})
		if err != nil || len(got) != 2 || got[0].ID != mine.ID || got[1].ID != about.ID {
			t.Fatalf("matching = %+v, %v", got, err)
		}
		if got, err := s.Matching(ctx, nil, func(string) bool { return false }, nil); err != nil || len(got) != 0 {
			t.Fatalf("nobody: %+v %v", got, err)
		}
		if n, err := s.Erase(ctx, nil, []uint{mine.ID, about.ID}); err != nil || n != 2 {
			t.Fatalf("erased %d, %v", n, err)
		}
		if left, _ := s.List(ctx, messages.Filter{}); len(left) != 1 || left[0].To != "kim@example.org" {
			t.Errorf("left: %+v", left)
		}
	})
}

func TestOnlyDeliveredMessagesAreDueForRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := messages.NewStore(db)
		sent, held, queued := enqueue(t, s, "a@example.org"), enqueue(t, s, "07700 900123"), enqueue(t, s, "c@example.org")
		old := time.Now().UTC().AddDate(0, 0, -40)
		db.Model(&messages.Message{}).Where("id = ?", sent.ID).Updates(map[string]any{"status": messages.Sent, "sent_at": old})
		db.Model(&messages.Message{}).Where("id = ?", held.ID).Updates(map[string]any{"status": messages.Held, "updated_at": old})
		db.Model(&messages.Message{}).Where("id = ?", queued.ID).Update("created_at", old)
		cutoff := time.Now().UTC().AddDate(0, 0, -30)
		if n, err := s.DoneBefore(ctx, nil, cutoff); err != nil || n != 1 {
			t.Fatalf("due: %d %v", n, err)
		}
		if n, err := s.DeleteDoneBefore(ctx, nil, cutoff); err != nil || n != 1 {
			t.Fatalf("deleted: %d %v", n, err)
		}
		if _, err := s.Get(ctx, held.ID); err != nil {
			t.Error("a held message waiting for staff was deleted")
		}
		if n, _ := s.DoneBefore(ctx, nil, cutoff); n != 0 {
			t.Errorf("due after deleting: %d", n)
		}
	})
}
