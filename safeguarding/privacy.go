package safeguarding

import (
	"context"

	"gorm.io/gorm"
)

// What data-protection work needs from the queue. A flagged answer is the
// resident's own words, so erasing their response erases the copy kept
// here and the actions recorded about it. Each method takes the caller's
// transaction as tx (nil uses the store's database).

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// ItemsForResponses returns the items queued from the given survey
// responses, oldest first.
func (s *Store) ItemsForResponses(ctx context.Context, tx *gorm.DB, responseIDs []uint) ([]Item, error) {
	if len(responseIDs) == 0 {
		return nil, nil
	}
	var out []Item
	err := s.on(ctx, tx).Where("kind = ? AND response_id IN ?", SurveyAnswer, responseIDs).Order("id").Find(&out).Error
	return out, err
}

// EraseItems deletes items and every action recorded on them, for good.
// The audit log keeps that staff acted on "safeguarding_item:N", which
// names no one. It returns how many items and actions it deleted.
func (s *Store) EraseItems(ctx context.Context, tx *gorm.DB, ids []uint) (items, actions int64, err error) {
	if len(ids) == 0 {
		return 0, 0, nil
	}
	db := s.on(ctx, tx)
	acts := db.Where("item_id IN ?", ids).Delete(&Action{})
	if acts.Error != nil {
		return 0, 0, acts.Error
	}
	res := db.Where("id IN ?", ids).Delete(&Item{})
	return res.RowsAffected, acts.RowsAffected, res.Error
}
