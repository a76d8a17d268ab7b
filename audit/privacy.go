package audit

import (
	"context"
)

// eachBatch is how many events Each reads at a time.
const eachBatch = 500

// Each calls fn for every event, oldest first, reading a page at a time so
// that the whole log can be exported however long it grows. An error from
// fn stops the walk and is returned.
func (s *Store) Each(ctx context.Context, fn func(Event) error) error {
	var after uint
	for {
		var page []Event
		if err := s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(eachBatch).Find(&page).Error; err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < eachBatch {
			return nil
		}
		after = page[len(page)-1].ID
	}
}
