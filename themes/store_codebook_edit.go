package themes

import (
	"context"
	"encoding/json"
	"fmt"

	"codesign/errs"

	"gorm.io/gorm"
)

// ErrCodeNotFound is returned for a code the codebook does not have.
var ErrCodeNotFound = fmt.Errorf("code %w", errs.ErrNotFound)

// EditCode changes the label, description, colour, parent and terms of the
// code with key, which stays the same (a code's key is what its tags and
// its exported guid hang on). Saving what is already stored saves nothing
// and returns false, so a form sent twice makes one version. Problems come
// back as errs.Fields named after the form's fields; a change someone else
// made since ch.Base is a conflict.
func (s *Store) EditCode(ctx context.Context, ch Change, key string, c Code) (bool, error) {
	c.Key = key
	return s.changeCode(ctx, ch, c, false)
}

// AddCode adds a code under a theme or another code. Its key must be new
// and in lower snake case.
func (s *Store) AddCode(ctx context.Context, ch Change, c Code) (bool, error) {
	return s.changeCode(ctx, ch, c, true)
}

func (s *Store) changeCode(ctx context.Context, ch Change, c Code, add bool) (bool, error) {
	if err := ch.validate(); err != nil {
		return false, err
	}
	c = cleanCode(c)
	var v CodebookVersion
	var next *Codebook
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, version, err := currentIn(tx)
		if err != nil {
			return err
		}
		next = cur.clone()
		i := next.index(c.Key)
		switch {
		case add && i >= 0:
			// Added already, by this same form sent twice or by someone else.
			if old := cur.Codes[i]; sameCode(old, c) {
				next = nil
				return nil
			}
			return fieldErr("key", fmt.Sprintf("There is already a code with the key %s: choose another", c.Key))
		case add:
			next.Codes = append(next.Codes, c)
			i = len(next.Codes) - 1
		case i < 0:
			return ErrCodeNotFound
		case sameCode(cur.Codes[i], c):
			next = nil
			return nil
		default:
			next.Codes[i] = c
		}
		if err := next.checkCode(i); err != nil {
			return err
		}
		if version != ch.Base {
			return errChanged
		}
		next.tidy()
		v = CodebookVersion{Kind: KindEdit, Summary: fmt.Sprintf("Changed %s (%s)", c.Label, c.Key), Note: ch.Note, UserID: ch.UserID}
		if add {
			v.Kind, v.Summary = KindAdd, fmt.Sprintf("Added %s (%s)", c.Label, c.Key)
		}
		return s.saveVersion(ctx, tx, version, next, &v)
	})
	if err != nil || next == nil {
		return false, err
	}
	s.saved(&v, next)
	return true, nil
}

// fieldErr is a refusal with one message, beside field.
func fieldErr(field, msg string) error {
	f := &errs.Fields{}
	f.Add(field, msg)
	return f
}

// MergeCount is how many tags a merge moves.
type MergeCount struct {
	Tags        int64 // codes people put on passages (accepted or added)
	Suggestions int64 // codesign's suggestions
	Both        int64 // passages tagged with both codes already, which keep one tag
}

// MergePreview says what merging from into into would do, for the page
// that asks to confirm it.
func (s *Store) MergePreview(ctx context.Context, from, into string) (MergeCount, error) {
	cb, err := s.Codebook(ctx)
	if err != nil {
		return MergeCount{}, err
	}
	if _, err := cb.mergeInto(from, into); err != nil {
		return MergeCount{}, err
	}
	return countMerge(s.db.WithContext(ctx), from, into)
}

func countMerge(db *gorm.DB, from, into string) (MergeCount, error) {
	var n MergeCount
	err := db.Model(&Coding{}).Where("code = ? AND decision IN ?", from, []string{Accepted, Added}).Count(&n.Tags).Error
	if err == nil {
		err = db.Model(&Suggested{}).Where("code = ?", from).Count(&n.Suggestions).Error
	}
	if err == nil {
		err = db.Table("theme_codings AS a").Where("a.code = ? AND a.decision IN ?", from, []string{Accepted, Added}).
			Where("EXISTS (SELECT 1 FROM theme_codings b WHERE b.passage_id = a.passage_id AND b.assignment_id = a.assignment_id AND b.coder_id = a.coder_id AND b.code = ? AND b.decision IN ?)",
				into, []string{Accepted, Added}).Count(&n.Both).Error
	}
	return n, err
}

// MergeResult is what a merge did.
type MergeResult struct {
	MergeCount
	Done bool // false when from had been merged already (the form sent twice)
}

// MergeCodes merges code from into code into, in one transaction: every
// tag and suggestion of from moves to into (a passage that has both keeps
// one), from's words join into's, the codes under from move under into,
// and from leaves the codebook in a new version, with an audit entry.
// Merging a code that is gone while into is still there does nothing and
// says so, so the confirmation sent twice merges once.
func (s *Store) MergeCodes(ctx context.Context, ch Change, from, into string) (MergeResult, error) {
	if err := ch.validate(); err != nil {
		return MergeResult{}, err
	}
	var res MergeResult
	var v CodebookVersion
	var next *Codebook
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, version, err := currentIn(tx)
		if err != nil {
			return err
		}
		if cur.index(from) < 0 && cur.index(into) >= 0 {
			return nil
		}
		if next, err = cur.mergeInto(from, into); err != nil {
			return err
		}
		if res.MergeCount, err = countMerge(tx, from, into); err != nil {
			return err
		}
		if err := moveTags(tx, from, into); err != nil {
			return err
		}
		a, b := cur.Codes[cur.index(from)], cur.Codes[cur.index(into)]
		v = CodebookVersion{Kind: KindMerge, Note: ch.Note, UserID: ch.UserID,
			Summary: fmt.Sprintf("Merged %s (%s) into %s (%s): %d tags and %d suggestions moved", a.Label, a.Key, b.Label, b.Key, res.Tags, res.Suggestions)}
		res.Done = true
		return s.saveVersion(ctx, tx, version, next, &v)
	})
	if err != nil {
		return MergeResult{}, err
	}
	if res.Done {
		s.saved(&v, next)
	}
	return res, nil
}

// moveTags moves every suggestion, decision that stands and logged
// decision from code from to code into. Where a passage has both, the two
// become one: a suggestion keeps the higher confidence and both sets of
// words, and a decision that puts the code on the passage wins over one
// that does not.
func moveTags(tx *gorm.DB, from, into string) error {
	var clash []Suggested
	if err := tx.Where("code = ? AND passage_id IN (SELECT passage_id FROM theme_suggestions WHERE code = ?)", from, into).Find(&clash).Error; err != nil {
		return err
	}
	for _, a := range clash {
		var b Suggested
		if err := tx.Where("passage_id = ? AND code = ?", a.PassageID, into).Take(&b).Error; err != nil {
			return err
		}
		terms := b.Terms
		for _, t := range a.Terms {
			terms = appendUnique(terms, t)
		}
		if err := tx.Model(&b).Updates(map[string]any{"confidence": max(a.Confidence, b.Confidence), "terms": jsonTerms(terms)}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Suggested{}, a.ID).Error; err != nil {
			return err
		}
	}
	if err := tx.Model(&Suggested{}).Where("code = ?", from).Update("code", into).Error; err != nil {
		return err
	}
	var both []Coding
	err := tx.Table("theme_codings AS a").Select("a.*").Where("a.code = ?", from).
		Where("EXISTS (SELECT 1 FROM theme_codings b WHERE b.passage_id = a.passage_id AND b.assignment_id = a.assignment_id AND b.coder_id = a.coder_id AND b.code = ?)", into).
		Scan(&both).Error
	if err != nil {
		return err
	}
	for _, a := range both {
		same := func(code string) *gorm.DB {
			return tx.Model(&Coding{}).Where("passage_id = ? AND assignment_id = ? AND coder_id = ? AND code = ?", a.PassageID, a.AssignmentID, a.CoderID, code)
		}
		if a.Applies() {
			err := same(into).Where("decision NOT IN ?", []string{Accepted, Added}).
				Updates(map[string]any{"decision": a.Decision, "user_id": a.UserID, "decided_at": a.DecidedAt}).Error
			if err != nil {
				return err
			}
		}
		if err := same(from).Delete(&Coding{}).Error; err != nil {
			return err
		}
	}
	if err := tx.Model(&Coding{}).Where("code = ?", from).Update("code", into).Error; err != nil {
		return err
	}
	// The log follows, so that undoing a decision made before the merge
	// restores the merged code rather than bringing back the old one.
	return tx.Model(&decision{}).Where("code = ?", from).Update("code", into).Error
}

// tagged counts the tags and suggestions each of keys has.
func tagged(db *gorm.DB, keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(keys) == 0 {
		return out, nil
	}
	for _, table := range []any{&Coding{}, &Suggested{}} {
		var rows []struct {
			Code string
			N    int64
		}
		if err := db.Model(table).Select("code, COUNT(*) AS n").Where("code IN ?", keys).Group("code").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Code] += r.N
		}
	}
	return out, nil
}

// jsonTerms is how the terms column holds its list.
func jsonTerms(terms []string) string {
	b, _ := json.Marshal(terms)
	return string(b)
}
