package safeguarding

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Item is one flagged text waiting for, or given, a person's attention.
// It keeps the whole text as context, and which sentences were flagged.
type Item struct {
	ID   uint
	Kind Kind
	// Ref names the source within its kind: "answer:12" or a workshop
	// note passage "note:3:2". It is unique, so a text is queued once.
	Ref           string
	SurveyID      *uint
	ResponseID    *uint
	AnswerID      *uint
	QuestionKey   string
	EventID       *uint
	NoteID        *uint
	Text          string
	Flags         []Flag `gorm:"serializer:json"`
	Status        Status
	FirstActionAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName keeps safeguarding tables together.
func (Item) TableName() string { return "safeguarding_items" }

// Flag is one sentence the detector flagged, with the words that did it.
type Flag struct {
	Sentence string   `json:"sentence"`
	Start    int      `json:"start"` // byte offsets of the sentence in Text
	End      int      `json:"end"`
	Terms    []string `json:"terms"`
}

// Waited is how long the item waited for its first action, or has waited
// so far when nobody has acted yet.
func (it *Item) Waited(now time.Time) time.Duration {
	if it.FirstActionAt != nil {
		return it.FirstActionAt.Sub(it.CreatedAt)
	}
	return now.Sub(it.CreatedAt)
}

// Terms lists the words that raised the flags, each once.
func (it *Item) Terms() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range it.Flags {
		for _, t := range f.Terms {
			if k := strings.ToLower(t); !seen[k] {
				seen[k] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// Segment is a stretch of an item's text, flagged or not.
type Segment struct {
	Text    string
	Flagged bool
}

// Segments splits the text into stretches so the flagged sentences can be
// shown within their context. Offsets that do not fit the text are found
// again by the sentence itself, and skipped if it is not there.
func (it *Item) Segments() []Segment {
	type span struct{ start, end int }
	var spans []span
	for _, f := range it.Flags {
		s, e := f.Start, f.End
		if s < 0 || e > len(it.Text) || s >= e || it.Text[s:e] != f.Sentence {
			i := strings.Index(it.Text, f.Sentence)
			if f.Sentence == "" || i < 0 {
				continue
			}
			s, e = i, i+len(f.Sentence)
		}
		if utf8.RuneStart(it.Text[s]) && (e == len(it.Text) || utf8.RuneStart(it.Text[e])) {
			spans = append(spans, span{s, e})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []Segment
	pos := 0
	for _, sp := range spans {
		if sp.end <= pos {
			continue
		}
		if sp.start > pos {
			out = append(out, Segment{Text: it.Text[pos:sp.start]})
		} else {
			sp.start = pos
		}
		out = append(out, Segment{Text: it.Text[sp.start:sp.end], Flagged: true})
		pos = sp.end
	}
	if pos < len(it.Text) {
		out = append(out, Segment{Text: it.Text[pos:]})
	}
	return out
}

// Get returns one item.
func (s *Store) Get(ctx context.Context, id uint) (*Item, error) {
	var it Item
	err := s.db.WithContext(ctx).Take(&it, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &it, err
}

// Waiting returns the items nobody has acted on yet, oldest first.
func (s *Store) Waiting(ctx context.Context) ([]Item, error) {
	var out []Item
	return out, s.db.WithContext(ctx).Where("status = ?", New).Order("created_at, id").Find(&out).Error
}

// Handled returns up to limit items someone has acted on, the most
// recently acted on first.
func (s *Store) Handled(ctx context.Context, limit int) ([]Item, error) {
	var out []Item
	return out, s.db.WithContext(ctx).Where("status <> ?", New).Order("updated_at DESC, id DESC").Limit(limit).Find(&out).Error
}

// FlaggedAnswerIDs returns the ids of a survey's answers that are in the
// safeguarding queue, whatever their status: exports, quotes, reports and
// public pages leave these answers out.
func (s *Store) FlaggedAnswerIDs(ctx context.Context, surveyID uint) (map[uint]bool, error) {
	var ids []uint
	err := s.db.WithContext(ctx).Model(&Item{}).Where("kind = ? AND survey_id = ? AND answer_id IS NOT NULL", SurveyAnswer, surveyID).
		Pluck("answer_id", &ids).Error
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// FlaggedPassages returns the ids of a workshop's note passages (as
// workshops.Unit.ID, "note:3:2") that are in the queue, to be left out
// of quotes and reports like flagged answers.
func (s *Store) FlaggedPassages(ctx context.Context, eventID uint) (map[string]bool, error) {
	var refs []string
	err := s.db.WithContext(ctx).Model(&Item{}).Where("kind = ? AND event_id = ?", WorkshopNote, eventID).Pluck("ref", &refs).Error
	out := make(map[string]bool, len(refs))
	for _, r := range refs {
		out[r] = true
	}
	return out, err
}
