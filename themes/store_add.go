package themes

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/plugin/dbresolver"
)

// Cursor is how far a background coder has read one source: the largest
// source id it has coded.
type Cursor struct {
	Name   string
	LastID uint
}

type cursorRow struct {
	Name      string `gorm:"primaryKey"`
	LastID    uint
	UpdatedAt time.Time
}

func (cursorRow) TableName() string { return "theme_cursors" }

// Cursor returns how far the source called name has been coded (0 when
// never).
func (s *Store) Cursor(ctx context.Context, name string) (uint, error) {
	var row cursorRow
	err := s.db.WithContext(ctx).Clauses(dbresolver.Write).Where("name = ?", name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	return row.LastID, err
}

// Add codes units with c and stores their sentences with the codes
// suggested, leaving out any sentence that reads as a risk disclosure: those
// belong to the safeguarding queue, never the ordinary review. When next is
// given its cursor moves forward in the same transaction. Adding what is
// already stored does nothing, so two instances may code the same units at
// once. The coding itself happens before the transaction opens, so a
// writer is never held while sentences are tagged. Add returns how many
// passages it stored.
func (s *Store) Add(ctx context.Context, c *Coder, units []Unit, next *Cursor) (int, error) {
	var ps []Passage
	for _, u := range units {
		if err := u.validate(); err != nil {
			return 0, err
		}
		ps = append(ps, passagesOf(c, u)...)
	}
	added := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if added, err = s.insert(tx, ps); err != nil {
			return err
		}
		if next != nil {
			return s.advance(tx, *next)
		}
		return nil
	})
	return added, err
}

func (u Unit) validate() error {
	switch {
	case u.Kind != SurveyAnswer && u.Kind != WorkshopNote:
		return fmt.Errorf("themes: unknown source kind %q", u.Kind)
	case u.SourceID == "" || len(u.SourceID) > 80:
		return fmt.Errorf("themes: source id %q must be 1 to 80 bytes", u.SourceID)
	case u.Scope == "" || len(u.Scope) > 160:
		return fmt.Errorf("themes: scope %q must be 1 to 160 bytes", u.Scope)
	}
	return nil
}

// passagesOf codes one unit into its passages: every sentence with a
// suggestion, and every sentence without one that has noun phrases (a
// facilitator may still add a code, and emerging topics are counted from
// them). Risk sentences are left out.
func passagesOf(c *Coder, u Unit) []Passage {
	res := c.Code(u.Text)
	risk := map[int]bool{}
	for _, r := range res.Risk {
		risk[r.Start] = true
	}
	byStart := map[int]*Passage{}
	var order []int
	get := func(start, end int, sentence string) *Passage {
		if p, ok := byStart[start]; ok {
			return p
		}
		p := &Passage{SourceKind: u.Kind, SourceID: u.SourceID, Scope: u.Scope, Text: sentence,
			StartOffset: start, EndOffset: end, Phrases: []string{}}
		byStart[start] = p
		order = append(order, start)
		return p
	}
	for _, sg := range res.Suggestions {
		if !risk[sg.Start] {
			p := get(sg.Start, sg.End, sg.Sentence)
			p.Suggestions = append(p.Suggestions, Suggested{Code: sg.Code, Confidence: sg.Confidence, Terms: sg.Terms})
		}
	}
	// Uncoded sentences carry no offsets: they come in order, so each is
	// found after the one before.
	text, from := spaceInvalid(u.Text), 0
	for _, un := range res.Uncoded {
		i := strings.Index(text[from:], un.Sentence)
		if i < 0 {
			continue
		}
		start := from + i
		from = start + len(un.Sentence)
		if !risk[start] {
			get(start, from, un.Sentence).Phrases = un.Phrases
		}
	}
	out := make([]Passage, 0, len(order))
	for _, start := range order {
		out = append(out, *byStart[start])
	}
	return out
}

// insert stores passages and their suggestions; rows already there are
// left alone, whoever stored them.
func (s *Store) insert(tx *gorm.DB, ps []Passage) (int, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	now := s.now()
	for i := range ps {
		ps[i].CreatedAt = now
	}
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Omit("ID").CreateInBatches(ps, 200)
	if res.Error != nil {
		return 0, res.Error
	}
	ids, err := passageIDs(tx, ps)
	if err != nil {
		return 0, err
	}
	var sugg []Suggested
	for _, p := range ps {
		for _, sg := range p.Suggestions {
			sg.PassageID = ids[passageKey{p.SourceKind, p.SourceID, p.StartOffset}]
			if sg.PassageID != 0 {
				sugg = append(sugg, sg)
			}
		}
	}
	if len(sugg) > 0 {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Omit("ID").CreateInBatches(sugg, 200).Error; err != nil {
			return 0, err
		}
	}
	return int(res.RowsAffected), nil
}

type passageKey struct {
	kind, source string
	start        int
}

// passageIDs finds the ids of stored passages, whether this transaction
// or another stored them.
func passageIDs(tx *gorm.DB, ps []Passage) (map[passageKey]uint, error) {
	sources := map[string][]string{}
	seen := map[passageKey]bool{}
	for _, p := range ps {
		k := passageKey{p.SourceKind, p.SourceID, 0}
		if !seen[k] {
			seen[k] = true
			sources[p.SourceKind] = append(sources[p.SourceKind], p.SourceID)
		}
	}
	out := map[passageKey]uint{}
	for kind, ids := range sources {
		for chunk := range slices.Chunk(ids, 500) {
			var rows []Passage
			if err := tx.Select("id, source_kind, source_id, start_offset").
				Where("source_kind = ? AND source_id IN ?", kind, chunk).Find(&rows).Error; err != nil {
				return nil, err
			}
			for _, r := range rows {
				out[passageKey{r.SourceKind, r.SourceID, r.StartOffset}] = r.ID
			}
		}
	}
	return out, nil
}

// advance moves a cursor forward, never back: two instances may finish
// out of order.
func (s *Store) advance(tx *gorm.DB, c Cursor) error {
	row := cursorRow{Name: c.Name, LastID: 0, UpdatedAt: s.now()}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return err
	}
	return tx.Model(&cursorRow{}).Where("name = ? AND last_id < ?", c.Name, c.LastID).
		Updates(map[string]any{"last_id": c.LastID, "updated_at": s.now()}).Error
}
