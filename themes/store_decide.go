package themes

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"codesign/errs"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Choice is one facilitator's decision about one code on one passage.
type Choice struct {
	PassageID uint
	Code      string
	// Decision is Accepted, Rejected, Added or None ("accept", "reject" and
	// "add" read the same). Accepting a code that was not suggested adds
	// it; adding one that was accepts it. None, "no code applies", is for
	// double coding and takes no code.
	Decision   string
	UserID     uint
	Assignment uint // a double-coding sample, or 0 for the review queue
}

var verbs = map[string]string{"accept": Accepted, Accepted: Accepted, "reject": Rejected, Rejected: Rejected,
	"add": Added, Added: Added, None: None}

// validate checks the choice against the codebook and normalises its
// decision.
func (ch *Choice) validate(cb *Codebook) error {
	f := &errs.Fields{}
	d, ok := verbs[strings.ToLower(strings.TrimSpace(ch.Decision))]
	switch {
	case !ok:
		f.Add("decision", "Choose accept, reject or add")
	case d == None && ch.Assignment == 0:
		f.Add("decision", "Choose accept, reject or add")
	case d == None:
		ch.Code = ""
	case strings.TrimSpace(ch.Code) == "":
		f.Add("code", "Choose a code to add")
	case !cb.Has(ch.Code):
		f.Add("code", "Choose a code from the codebook")
	}
	ch.Decision = d
	return f.Err()
}

// Has reports whether the codebook has a code with key.
func (cb *Codebook) Has(key string) bool {
	for _, c := range cb.Codes {
		if c.Key == key {
			return true
		}
	}
	return false
}

// Decide records a choice and makes it the decision that stands, which
// it returns. Making the same decision again changes nothing and returns
// false, so a form sent twice is stored once. In double coding only the
// two coders may decide, and only on passages in their sample.
func (s *Store) Decide(ctx context.Context, ch Choice) (Coding, bool, error) {
	cb, err := s.Codebook(ctx)
	if err != nil {
		return Coding{}, false, err
	}
	if err := ch.validate(cb); err != nil {
		return Coding{}, false, err
	}
	var stands Coding
	changed := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The row lock makes two copies of one form wait for each other.
		var p Passage
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").Take(&p, ch.PassageID).Error; err != nil {
			return notFound(err)
		}
		coder, err := s.coderFor(tx, ch.Assignment, ch.UserID, p.ID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Suggested{}).Where("passage_id = ? AND code = ?", p.ID, ch.Code).Count(&n).Error; err != nil {
			return err
		}
		if ch.Decision == Accepted && n == 0 {
			ch.Decision = Added
		} else if ch.Decision == Added && n > 0 {
			ch.Decision = Accepted
		}
		var cur Coding
		err = tx.Where("passage_id = ? AND code = ? AND assignment_id = ? AND coder_id = ?", p.ID, ch.Code, ch.Assignment, coder).Take(&cur).Error
		if err == nil && cur.Decision == ch.Decision {
			stands = cur
			return nil
		} else if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		changed = true
		d := decision{PassageID: p.ID, Code: ch.Code, Decision: ch.Decision, AssignmentID: ch.Assignment, UserID: ch.UserID, CreatedAt: s.now()}
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		stands, err = setCoding(tx, d, coder)
		return err
	})
	return stands, changed, err
}

// coderFor is whose decisions a choice changes: the team's (0) in the
// review queue, or the facilitator's own in double coding.
func (s *Store) coderFor(tx *gorm.DB, assignment, user, passage uint) (uint, error) {
	if assignment == 0 {
		return 0, nil
	}
	a, err := assignmentIn(tx, assignment)
	if err != nil {
		return 0, err
	}
	if user != a.CoderAID && user != a.CoderBID {
		return 0, fmt.Errorf("only the two coders may code this sample: %w", errs.ErrForbidden)
	}
	var n int64
	if err := tx.Model(&assignmentPassage{}).Where("assignment_id = ? AND passage_id = ?", assignment, passage).Count(&n).Error; err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, ErrNotFound
	}
	return user, nil
}

// setCoding makes d the decision that stands for its passage and code.
func setCoding(tx *gorm.DB, d decision, coder uint) (Coding, error) {
	c := Coding{PassageID: d.PassageID, Code: d.Code, AssignmentID: d.AssignmentID, CoderID: coder,
		Decision: d.Decision, UserID: d.UserID, DecidedAt: d.CreatedAt}
	return c, tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "passage_id"}, {Name: "code"}, {Name: "assignment_id"}, {Name: "coder_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"decision", "user_id", "decided_at"}),
	}).Create(&c).Error
}

// LastDecision is a facilitator's latest decision not undone, which Undo
// would reverse.
type LastDecision struct {
	ID        uint
	PassageID uint
	Code      string
	Decision  string
	Bulk      int // how many decisions one bulk accept made; 0 for one decision
	Text      string
}

// Last returns user's latest decision in a scope that can still be undone.
func (s *Store) Last(ctx context.Context, scope string, assignment, user uint) (*LastDecision, error) {
	return lastIn(s.db.WithContext(ctx), scope, assignment, user)
}

func lastIn(db *gorm.DB, scope string, assignment, user uint) (*LastDecision, error) {
	var d decision
	err := db.Joins("JOIN theme_passages p ON p.id = theme_decisions.passage_id").
		Where("theme_decisions.user_id = ? AND theme_decisions.assignment_id = ? AND theme_decisions.undone_at IS NULL AND p.scope = ?", user, assignment, scope).
		Order("theme_decisions.id DESC").Take(&d).Error
	if err != nil {
		return nil, notFound(err)
	}
	out := &LastDecision{ID: d.ID, PassageID: d.PassageID, Code: d.Code, Decision: d.Decision}
	if d.Bulk != "" {
		var n int64
		if err := db.Model(&decision{}).Where("bulk = ? AND undone_at IS NULL", d.Bulk).Count(&n).Error; err != nil {
			return nil, err
		}
		out.Bulk = int(n)
	}
	var p Passage
	if err := db.Select("text").Take(&p, d.PassageID).Error; err != nil {
		return nil, err
	}
	out.Text = p.Text
	return out, nil
}

// Undo reverses user's latest decision in a scope (all of a bulk accept at
// once), if it is still decision id: a second press of the same button
// undoes nothing more. The decision before it, anyone's in the review
// queue or the coder's own in double coding, stands again. Undo returns how
// many decisions it reversed.
func (s *Store) Undo(ctx context.Context, scope string, assignment, user, id uint) (int, error) {
	undone := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		last, err := lastIn(tx, scope, assignment, user)
		if errors.Is(err, ErrNotFound) || (err == nil && last.ID != id) {
			return nil
		} else if err != nil {
			return err
		}
		var rows []decision
		q := tx.Where("id = ?", last.ID)
		if last.Bulk > 0 {
			var d decision
			if err := tx.Select("bulk").Take(&d, last.ID).Error; err != nil {
				return err
			}
			q = tx.Where("bulk = ? AND undone_at IS NULL", d.Bulk)
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		now := s.now()
		for _, d := range rows {
			if err := tx.Model(&decision{}).Where("id = ?", d.ID).Update("undone_at", now).Error; err != nil {
				return err
			}
			if err := restore(tx, d); err != nil {
				return err
			}
		}
		undone = len(rows)
		return nil
	})
	return undone, err
}

// restore makes the latest decision not undone stand for d's passage and
// code, or none.
func restore(tx *gorm.DB, d decision) error {
	coder := uint(0)
	q := tx.Where("passage_id = ? AND code = ? AND assignment_id = ? AND undone_at IS NULL", d.PassageID, d.Code, d.AssignmentID)
	if d.AssignmentID != 0 {
		coder = d.UserID
		q = q.Where("user_id = ?", coder)
	}
	var prev decision
	err := q.Order("id DESC").Take(&prev).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tx.Where("passage_id = ? AND code = ? AND assignment_id = ? AND coder_id = ?", d.PassageID, d.Code, d.AssignmentID, coder).
			Delete(&Coding{}).Error
	} else if err != nil {
		return err
	}
	_, err = setCoding(tx, prev, coder)
	return err
}

// BulkAccept accepts every suggestion in f's scope, codes and confidence
// that nobody has decided on, as one decision that one undo reverses. It
// works in the review queue only.
func (s *Store) BulkAccept(ctx context.Context, f Filter, user uint) (int, error) {
	if f.MinConfidence < 0 || f.MinConfidence > 1 {
		return 0, (&errs.Fields{Messages: map[string]string{"min": "Enter a confidence from 0 to 100"}}).Err()
	}
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Table("theme_suggestions AS s").Select("s.passage_id, s.code").
			Joins("JOIN theme_passages p ON p.id = s.passage_id").
			Where("p.scope = ? AND s.confidence >= ?", f.Scope, f.MinConfidence).
			Where("NOT EXISTS (SELECT 1 FROM theme_codings k WHERE k.passage_id = s.passage_id AND k.code = s.code AND k.assignment_id = 0 AND k.coder_id = 0)")
		if f.Codes != nil {
			q = q.Where("s.code IN ?", f.Codes)
		}
		var picks []struct {
			PassageID uint
			Code      string
		}
		if err := q.Order("s.passage_id, s.code").Scan(&picks).Error; err != nil {
			return err
		}
		now := s.now()
		bulk := fmt.Sprintf("bulk:%d:%d", user, now.UnixNano())
		for _, pk := range picks {
			d := decision{PassageID: pk.PassageID, Code: pk.Code, Decision: Accepted, UserID: user, Bulk: bulk, CreatedAt: now}
			if err := tx.Create(&d).Error; err != nil {
				return err
			}
			if _, err := setCoding(tx, d, 0); err != nil {
				return err
			}
		}
		n = len(picks)
		return nil
	})
	return n, err
}
