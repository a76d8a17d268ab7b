package surveys

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// What data-protection work needs from the surveys tables: finding a
// person's responses and drafts, erasing them, and the retention of contact
// details. Each method takes the caller's transaction as tx (nil uses the
// store's database), so an erasure across several packages commits whole or
// not at all.

// scanBatch is how many rows a scan reads at a time.
const scanBatch = 1000

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// ResponseByReceipt finds a response by its receipt reference in any survey.
// Receipts are unique across surveys.
func (s *Store) ResponseByReceipt(ctx context.Context, tx *gorm.DB, receipt string) (*Response, error) {
	var r Response
	err := s.on(ctx, tx).Where("receipt = ?", strings.ToUpper(strings.TrimSpace(receipt))).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &r, err
}

// ResponsesWithContact returns the ids of responses holding an answer to a
// contact question (Personal) that match reports true for. Contact details
// are written in too many ways to compare in SQL (a phone number with or
// without spaces), so every contact answer is read, a batch at a time.
func (s *Store) ResponsesWithContact(ctx context.Context, tx *gorm.DB, match func(value string) bool) ([]uint, error) {
	var rows []struct {
		ID         uint
		ResponseID uint
		Value      string
	}
	seen := map[uint]bool{}
	var out []uint
	err := s.on(ctx, tx).Model(&Answer{}).Select("id, response_id, value").Where("personal = ?", true).
		FindInBatches(&rows, scanBatch, func(*gorm.DB, int) error {
			for _, r := range rows {
				if !seen[r.ResponseID] && match(r.Value) {
					seen[r.ResponseID] = true
					out = append(out, r.ResponseID)
				}
			}
			return nil
		}).Error
	return out, err
}

// ResponsesByID returns responses with their answers in order, oldest first.
func (s *Store) ResponsesByID(ctx context.Context, tx *gorm.DB, ids []uint) ([]Response, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rs []Response
	err := s.on(ctx, tx).Preload("Answers", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("id IN ?", ids).Order("submitted_at, id").Find(&rs).Error
	return rs, err
}

// DraftsMatching returns the unfinished drafts with any answer that match
// reports true for: a draft can already hold an email address typed on an
// earlier page.
func (s *Store) DraftsMatching(ctx context.Context, tx *gorm.DB, match func(value string) bool) ([]SavedDraft, error) {
	var batch, out []SavedDraft
	err := s.on(ctx, tx).FindInBatches(&batch, scanBatch, func(*gorm.DB, int) error {
		for _, d := range batch {
			if draftMatches(d.Answers, match) {
				out = append(out, d)
			}
		}
		return nil
	}).Error
	return out, err
}

func draftMatches(a Answers, match func(string) bool) bool {
	for _, vs := range a {
		for _, v := range vs {
			if match(v) {
				return true
			}
		}
	}
	return false
}

// EraseResponses deletes responses and all their answers for good. Callers
// first remove what other packages keep about those answers (safeguarding
// items, coded passages, quotes). It returns how many responses it deleted.
func (s *Store) EraseResponses(ctx context.Context, tx *gorm.DB, ids []uint) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err := s.on(ctx, tx).Transaction(func(db *gorm.DB) error {
		if err := subtractAnswers(db, "response_id IN ?", []any{ids}); err != nil {
			return err
		}
		if err := subtractResponses(db, ids); err != nil {
			return err
		}
		if err := db.Where("response_id IN ?", ids).Delete(&Answer{}).Error; err != nil {
			return err
		}
		res := db.Where("id IN ?", ids).Delete(&Response{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// EraseDrafts deletes drafts by id.
func (s *Store) EraseDrafts(ctx context.Context, tx *gorm.DB, ids []uint) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res := s.on(ctx, tx).Where("id IN ?", ids).Delete(&SavedDraft{})
	return res.RowsAffected, res.Error
}

// closedBefore picks the surveys that stopped taking answers before cutoff:
// their closing date passed then, or staff closed or archived them and have
// not changed them since.
func closedBefore(db *gorm.DB, cutoff time.Time) *gorm.DB {
	return db.Model(&Survey{}).Select("id").
		Where("(closes_at IS NOT NULL AND closes_at < ?) OR (status IN ? AND updated_at < ?)", cutoff, []Status{Closed, Archived}, cutoff)
}

// ContactAnswersClosedBefore counts the contact-detail answers of surveys
// that closed before cutoff: what retention would delete.
func (s *Store) ContactAnswersClosedBefore(ctx context.Context, tx *gorm.DB, cutoff time.Time) (int64, error) {
	db := s.on(ctx, tx)
	var n int64
	err := db.Model(&Answer{}).Where("personal = ? AND survey_id IN (?)", true, closedBefore(db, cutoff)).Count(&n).Error
	return n, err
}

// DeleteContactAnswersClosedBefore deletes the contact-detail answers of
// surveys that closed before cutoff. The rest of each response stays: it is
// no longer linked to anyone. Summaries then count no contact details for
// those surveys.
func (s *Store) DeleteContactAnswersClosedBefore(ctx context.Context, tx *gorm.DB, cutoff time.Time) (int64, error) {
	var n int64
	err := s.on(ctx, tx).Transaction(func(db *gorm.DB) error {
		if err := subtractAnswers(db, "personal = ? AND survey_id IN (?)", []any{true, closedBefore(db, cutoff)}); err != nil {
			return err
		}
		res := db.Where("personal = ? AND survey_id IN (?)", true, closedBefore(db, cutoff)).Delete(&Answer{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// ExpiredDrafts counts the drafts PurgeDrafts would delete now.
func (s *Store) ExpiredDrafts(ctx context.Context, tx *gorm.DB) (int64, error) {
	var n int64
	return n, s.on(ctx, tx).Model(&SavedDraft{}).Where("expires_at <= ?", s.Now()).Count(&n).Error
}

// DeleteExpiredDrafts is PurgeDrafts inside the caller's transaction.
func (s *Store) DeleteExpiredDrafts(ctx context.Context, tx *gorm.DB) (int64, error) {
	res := s.on(ctx, tx).Where("expires_at <= ?", s.Now()).Delete(&SavedDraft{})
	return res.RowsAffected, res.Error
}
