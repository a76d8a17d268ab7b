package surveys

import (
	"context"
	"fmt"
	"time"

	"codesign/errs"

	"gorm.io/gorm"
)

// SeedResponse is a response given in the past, stored in bulk: demo
// content, or a pile of paper returns typed up later.
type SeedResponse struct {
	Answers     Answers
	Channel     Channel // "" is online
	SubmittedAt time.Time
}

// seedBatch keeps a multi-row insert of responses well inside SQLite's
// and PostgreSQL's limits on bound parameters.
const seedBatch = 500

// Seed stores many responses in one transaction. Each is checked with
// Clean exactly as Submit checks one, and gets its receipt, completion and
// answer rows the same way, so summaries, exports and coding treat them
// alike. If any response is refused, nothing is stored and the error says
// which one (counting from 1). Receipts are unique within the batch; a clash
// with one already stored (odds of about one in a billion) fails the whole
// batch, which can simply be stored again.
func (s *Store) Seed(ctx context.Context, sv *Survey, rs []SeedResponse) error {
	if !sv.Public() {
		return conflictf("Responses can only be entered for a survey that is open or closed.")
	}
	if len(rs) == 0 {
		return nil
	}
	now := s.Now()
	rows := make([]Response, len(rs))
	clean := make([]Answers, len(rs))
	receipts := map[string]bool{}
	for i, in := range rs {
		if in.Channel == "" {
			in.Channel = ChannelOnline
		}
		a, err := sv.cleanSeed(in, now)
		if err != nil {
			return fmt.Errorf("response %d: %w", i+1, err)
		}
		receipt := NewReceipt()
		for receipts[receipt] {
			receipt = NewReceipt()
		}
		receipts[receipt] = true
		clean[i] = a
		rows[i] = Response{SurveyID: sv.ID, Receipt: receipt, Channel: in.Channel, Completion: completion(sv, a),
			SubmittedAt: in.SubmittedAt.UTC(), NoticeHash: noticeHash(sv)}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := keepNotice(tx, sv, now); err != nil {
			return err
		}
		if err := tx.Omit("Answers").CreateInBatches(&rows, seedBatch).Error; err != nil {
			return err
		}
		var answers []Answer
		d := deltas{}
		for i := range rows {
			mine := answerRows(sv, rows[i].ID, clean[i])
			d.addResponse(sv, mine)
			answers = append(answers, mine...)
		}
		if err := insertAnswers(tx, answers); err != nil {
			return err
		}
		return applyCounts(tx, d)
	})
}

// cleanSeed checks how and when a past response arrived, then its answers.
func (sv *Survey) cleanSeed(in SeedResponse, now time.Time) (Answers, error) {
	f := &errs.Fields{}
	at := in.SubmittedAt
	switch {
	case !in.Channel.Valid():
		f.Add("channel", "Select how this response was given")
	case at.IsZero() || at.After(now):
		f.Add("submitted_at", "Enter when this response was given; it cannot be in the future")
	case sv.OpensAt != nil && at.Before(*sv.OpensAt):
		f.Add("submitted_at", "A response cannot be dated before the consultation opened")
	case in.Channel == ChannelOnline && sv.ClosesAt != nil && !at.Before(*sv.ClosesAt):
		f.Add("submitted_at", "An online response cannot be dated after the consultation closed")
	}
	if f.Has() {
		return nil, f
	}
	return sv.Clean(in.Answers)
}
