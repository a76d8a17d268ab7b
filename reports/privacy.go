package reports

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// What data-protection work needs from the reports tables. A quote is a
// resident's words, even redacted, so erasing their answer erases the quote
// from the draft and from every version already published. The findings
// published with it are counts and stay as they were published. Each method
// takes the caller's transaction as tx (nil uses the store's database).

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// QuotesOfAnswers returns the quotes picked from the given survey answers.
func (s *Store) QuotesOfAnswers(ctx context.Context, tx *gorm.DB, answerIDs []uint) ([]Quote, error) {
	if len(answerIDs) == 0 {
		return nil, nil
	}
	var out []Quote
	return out, s.on(ctx, tx).Where("answer_id IN ?", answerIDs).Order("id").Find(&out).Error
}

// QuoteErasure says what EraseQuotes did.
type QuoteErasure struct {
	Quotes    int64 // taken out of draft reports
	Published int   // taken out of published versions
}

// EraseQuotes deletes quotes from their drafts (each draft's revision moves
// on, so a publish form opened before sees the change) and removes the same
// words from every published version of those reports.
func (s *Store) EraseQuotes(ctx context.Context, tx *gorm.DB, quotes []Quote) (QuoteErasure, error) {
	var out QuoteErasure
	if len(quotes) == 0 {
		return out, nil
	}
	db := s.on(ctx, tx)
	ids, texts := []uint{}, map[uint][]string{}
	for _, q := range quotes {
		ids = append(ids, q.ID)
		texts[q.ReportID] = append(texts[q.ReportID], q.Text)
	}
	res := db.Where("id IN ?", ids).Delete(&Quote{})
	if res.Error != nil {
		return out, res.Error
	}
	out.Quotes = res.RowsAffected
	for reportID, words := range texts {
		n, err := s.unpublishQuotes(db, reportID, words)
		if err != nil {
			return out, err
		}
		out.Published += n
		err = db.Model(&Report{}).Where("id = ?", reportID).Updates(map[string]any{"revision": gorm.Expr("revision + 1"), "updated_at": s.now()}).Error
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func (s *Store) unpublishQuotes(db *gorm.DB, reportID uint, words []string) (int, error) {
	var pubs []Publication
	if err := db.Where("report_id = ?", reportID).Find(&pubs).Error; err != nil {
		return 0, err
	}
	removed := 0
	for _, p := range pubs {
		kept := slices.DeleteFunc(slices.Clone(p.Snapshot.Quotes), func(q PublishedQuote) bool { return slices.Contains(words, q.Text) })
		if len(kept) == len(p.Snapshot.Quotes) {
			continue
		}
		removed += len(p.Snapshot.Quotes) - len(kept)
		p.Snapshot.Quotes = kept
		if err := db.Model(&Publication{ID: p.ID}).Select("Snapshot").Updates(&Publication{Snapshot: p.Snapshot}).Error; err != nil {
			return 0, err
		}
	}
	return removed, nil
}
