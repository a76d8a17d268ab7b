package safeguarding

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxNotes is the longest note kept with an action, in characters.
const MaxNotes = 5000

// Action is one thing a member of staff did about an item. Actions are
// never changed or removed: together they are the item's history.
type Action struct {
	ID          uint
	ItemID      uint
	Action      Status
	Notes       string
	ActorUserID *uint
	// IdempotencyKey comes from the form, so that sending it twice
	// records one action.
	IdempotencyKey *string `json:"-"`
	CreatedAt      time.Time
}

// TableName keeps safeguarding tables together.
func (Action) TableName() string { return "safeguarding_actions" }

// Validate checks an action before it is recorded.
func (a *Action) Validate() error {
	f := &errs.Fields{}
	a.Notes = strings.TrimSpace(strings.ReplaceAll(a.Notes, "\r\n", "\n"))
	if !a.Action.IsAction() {
		f.Add("action", "Select what you did about this item")
	}
	switch {
	case !utf8.ValidString(a.Notes):
		f.Add("notes", "Notes must be plain text")
	case utf8.RuneCountInString(a.Notes) > MaxNotes:
		f.Add("notes", "Notes must be 5,000 characters or fewer")
	case a.Action == NoAction && a.Notes == "":
		f.Add("notes", "Explain why no action is needed")
	}
	return f.Err()
}

// Record stores an action and sets the item's status to it. An action
// sent again with the same idempotency key is not stored twice: Record
// then fills a with the first one and reports replayed.
func (s *Store) Record(ctx context.Context, a *Action) (replayed bool, err error) {
	if err := a.Validate(); err != nil {
		return false, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The lock makes a second submit wait for the first, then see it.
		if err := lockItem(tx, a.ItemID); err != nil {
			return err
		}
		if a.IdempotencyKey != nil {
			var first Action
			err := tx.Where("idempotency_key = ?", *a.IdempotencyKey).Limit(1).Find(&first).Error
			if err != nil {
				return err
			}
			if first.ID != 0 {
				if first.ItemID != a.ItemID {
					return &errs.Conflict{Message: "This form was already used for another item. Reload the page and try again."}
				}
				*a, replayed = first, true
				return nil
			}
		}
		a.ID = 0
		a.CreatedAt = time.Now().UTC()
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		err := tx.Model(&Item{}).Where("id = ?", a.ItemID).Updates(map[string]any{
			"status": a.Action, "updated_at": a.CreatedAt,
			"first_action_at": gorm.Expr("COALESCE(first_action_at, ?)", a.CreatedAt),
		}).Error
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: a.ActorUserID, Action: "safeguarding.action", Target: ItemRef(a.ItemID), Detail: string(a.Action)})
	})
	return replayed, err
}

func lockItem(tx *gorm.DB, id uint) error {
	q := tx.Model(&Item{}).Select("id")
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var it Item
	err := q.Take(&it, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// History returns an item's actions, oldest first.
func (s *Store) History(ctx context.Context, itemID uint) ([]Action, error) {
	var out []Action
	return out, s.db.WithContext(ctx).Where("item_id = ?", itemID).Order("created_at, id").Find(&out).Error
}
