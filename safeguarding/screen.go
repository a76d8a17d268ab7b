package safeguarding

import (
	"context"
	"fmt"
	"strings"
	"time"

	"codesign/messages"
	"codesign/themes"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Text is one piece of free text to screen, with where it came from. Ids
// that do not apply to its kind are 0.
type Text struct {
	Kind        Kind
	Ref         string // unique within Kind: "answer:12", "note:3:2"
	SurveyID    uint
	ResponseID  uint
	AnswerID    uint
	QuestionKey string
	EventID     uint
	NoteID      uint
	Text        string
}

// Batch is the text read from one source in one screening run.
type Batch struct {
	Cursor string // the source's cursor, such as "survey_answers"
	From   uint   // the cursor's value when the text was read
	To     uint   // where the cursor moves once the text is screened
	Texts  []Text
}

// Detector finds risk language; *themes.Coder is one.
type Detector interface {
	Code(text string) themes.Result
}

// Notice says where news of new items goes.
type Notice struct {
	To      string // the duty contact's email address; empty holds the message in the outbox for staff
	BaseURL string
}

// noContact stands in for a duty contact nobody configured: the outbox
// holds a message to it for staff to pass on, rather than dropping it.
const noContact = "Safeguarding duty contact (none set: configure safeguarding.duty_email)"

// cursor is how far screening has read one source.
type cursor struct {
	Name      string `gorm:"primaryKey"`
	LastID    uint
	UpdatedAt time.Time
}

func (cursor) TableName() string { return "safeguarding_cursors" }

// Cursor returns how far screening has read the named source: the last
// id it screened, 0 at first.
func (s *Store) Cursor(ctx context.Context, name string) (uint, error) {
	var c cursor
	err := s.db.WithContext(ctx).Where("name = ?", name).Limit(1).Find(&c).Error
	return c.LastID, err
}

// Screen codes each text, queues those flagged for risk and moves each
// batch's cursor from From to To, all in one transaction; when it queued
// anything it tells the duty contact how many, once, without the text.
// A batch whose cursor is no longer at From was screened by another
// instance meanwhile and is skipped, so two instances never notify twice.
// Screen returns how many items it queued.
func (s *Store) Screen(ctx context.Context, d Detector, n Notice, batches ...Batch) (int, error) {
	// Code before the transaction: it is the slow part and needs no lock.
	flagged := make([][]Item, len(batches))
	for i, b := range batches {
		for _, t := range b.Texts {
			if r := d.Code(t.Text); r.Safeguarding {
				flagged[i] = append(flagged[i], newItem(t, r))
			}
		}
	}
	created := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		created = 0
		for i, b := range batches {
			moved, err := advance(tx, b.Cursor, b.From, b.To)
			if err != nil {
				return err
			}
			if !moved {
				continue
			}
			for _, it := range flagged[i] {
				res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&it)
				if res.Error != nil {
					return res.Error
				}
				created += int(res.RowsAffected)
			}
		}
		if created == 0 {
			return nil
		}
		return s.msgs.Enqueue(ctx, tx, notification(n, created))
	})
	return created, err
}

// advance moves a cursor from from to to, and reports false when it was
// not at from.
func advance(tx *gorm.DB, name string, from, to uint) (bool, error) {
	now := time.Now().UTC()
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&cursor{Name: name, UpdatedAt: now}).Error; err != nil {
		return false, err
	}
	res := tx.Model(&cursor{}).Where("name = ? AND last_id = ?", name, from).
		Updates(map[string]any{"last_id": max(from, to), "updated_at": now})
	return res.RowsAffected == 1, res.Error
}

func newItem(t Text, r themes.Result) Item {
	it := Item{Kind: t.Kind, Ref: t.Ref, QuestionKey: t.QuestionKey, Text: t.Text, Status: New,
		SurveyID: id(t.SurveyID), ResponseID: id(t.ResponseID), AnswerID: id(t.AnswerID), EventID: id(t.EventID), NoteID: id(t.NoteID)}
	for _, sg := range r.Risk {
		it.Flags = append(it.Flags, Flag{Sentence: sg.Sentence, Start: sg.Start, End: sg.End, Terms: sg.Terms})
	}
	return it
}

func id(v uint) *uint {
	if v == 0 {
		return nil
	}
	return &v
}

// notification tells the duty contact how many items are new and where
// to read them. It never carries what anyone wrote.
func notification(n Notice, count int) *messages.Message {
	to := strings.TrimSpace(n.To)
	if to == "" {
		to = noContact
	}
	what := fmt.Sprintf("%d new items are waiting", count)
	if count == 1 {
		what = "1 new item is waiting"
	}
	return &messages.Message{To: to, Kind: "safeguarding", Ref: QueueRef,
		Subject: fmt.Sprintf("Safeguarding: %s", what),
		Body: what + " in the safeguarding queue: " + strings.TrimRight(n.BaseURL, "/") + "/staff/safeguarding\n\n" +
			"Sign in to read them and record what you do. To protect people's privacy, this message never says what anyone wrote."}
}
