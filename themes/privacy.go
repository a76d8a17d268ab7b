package themes

import (
	"context"

	"gorm.io/gorm"
)

// What data-protection work needs from the coded passages. A passage is a
// sentence of someone's answer, so erasing the answer erases its passages,
// the codes suggested for them and the decisions made on them. Each method
// takes the caller's transaction as tx (nil uses the store's database).

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// PassagesFrom returns the passages stored from the given sources of one
// kind (for survey answers, the answer ids), in order.
func (s *Store) PassagesFrom(ctx context.Context, tx *gorm.DB, kind string, sourceIDs []string) ([]Passage, error) {
	if len(sourceIDs) == 0 {
		return nil, nil
	}
	var out []Passage
	err := s.on(ctx, tx).Where("source_kind = ? AND source_id IN ?", kind, sourceIDs).Order("id").Find(&out).Error
	return out, err
}

// ErasePassages deletes passages for good, with their suggestions, their
// place in double-coding samples, and every decision and coding on them.
// Agreement measured later covers the passages left. It returns how many
// passages it deleted.
func (s *Store) ErasePassages(ctx context.Context, tx *gorm.DB, ids []uint) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	db := s.on(ctx, tx)
	for _, model := range []any{&Coding{}, &decision{}, &Suggested{}, &assignmentPassage{}} {
		if err := db.Where("passage_id IN ?", ids).Delete(model).Error; err != nil {
			return 0, err
		}
	}
	res := db.Where("id IN ?", ids).Delete(&Passage{})
	return res.RowsAffected, res.Error
}
