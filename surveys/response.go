package surveys

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/errs"

	"gorm.io/gorm"
)

// Channel is how a response reached the council.
type Channel string

// Channels: residents answer online; staff enter the rest on their behalf.
const (
	ChannelOnline   Channel = "online"
	ChannelPaper    Channel = "paper"
	ChannelPhone    Channel = "phone"
	ChannelWorkshop Channel = "workshop"
	ChannelAssisted Channel = "assisted"
)

// Channels lists every channel in the order staff see them.
var Channels = []Channel{ChannelOnline, ChannelPaper, ChannelPhone, ChannelWorkshop, ChannelAssisted}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, v := range Channels {
		if v == c {
			return true
		}
	}
	return false
}

// Completion says whether every question shown was answered.
const (
	Complete = "complete"
	Partial  = "partial"
)

// Response is one submitted set of answers. It holds nothing about the
// device or network it came from.
type Response struct {
	ID              uint `gorm:"primaryKey"`
	SurveyID        uint
	Receipt         string
	Channel         Channel
	Completion      string
	SubmittedAt     time.Time
	IdempotencyHash *string `json:"-"`
	EnteredBy       *uint
	// NoticeHash names the privacy notice the answers were given under
	// (see Notice): what the resident agreed to, and when is SubmittedAt.
	NoticeHash *string  `json:"-"`
	Answers    []Answer `gorm:"foreignKey:ResponseID"`
}

// TableName keeps the table name stable.
func (Response) TableName() string { return "survey_responses" }

// Answer is one stored value. FreeText marks words worth coding; Personal
// marks contact details.
type Answer struct {
	ID          uint `gorm:"primaryKey"`
	ResponseID  uint
	SurveyID    uint
	QuestionKey string
	Value       string
	Position    int
	FreeText    bool
	Personal    bool
}

// TableName keeps the table name stable.
func (Answer) TableName() string { return "response_answers" }

// Values gathers a response's answers back into Answers.
func (r *Response) Values() Answers {
	a := Answers{}
	for _, x := range r.Answers {
		a[x.QuestionKey] = append(a[x.QuestionKey], x.Value)
	}
	return a
}

// Submission is a response about to be stored.
type Submission struct {
	Answers Answers
	Channel Channel
	// IdempotencyKey makes a repeat of the same submission return the
	// first response instead of storing a second; only its hash is kept.
	IdempotencyKey string
	EnteredBy      *uint
}

// Submit validates and stores a response in one short transaction: the
// response row, then every answer in one multi-row insert. A repeated
// idempotency key returns the first response and replayed true.
func (s *Store) Submit(ctx context.Context, sv *Survey, in Submission) (r *Response, replayed bool, err error) {
	now := s.Now()
	if in.Channel == "" {
		in.Channel = ChannelOnline
	}
	if in.Channel == ChannelOnline && !sv.AcceptsAt(now) {
		return nil, false, sv.closedConflict(now)
	}
	if in.Channel != ChannelOnline && !sv.Public() {
		return nil, false, conflictf("Responses can only be entered for a survey that is open or closed.")
	}
	if !in.Channel.Valid() {
		f := &errs.Fields{}
		f.Add("channel", "Select how this response was given")
		return nil, false, f
	}
	var hash *string
	if k := strings.TrimSpace(in.IdempotencyKey); k != "" {
		h := accounts.HashSecret(sv.Slug + "\x00" + k)
		hash = &h
		// A retry after success returns the first response even when the
		// answers are gone (the resident's draft is deleted on submit).
		var first Response
		err := s.db.WithContext(ctx).Where("survey_id = ? AND idempotency_hash = ?", sv.ID, h).Take(&first).Error
		if err == nil {
			return &first, true, nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, false, err
		}
	}
	clean, err := sv.Clean(in.Answers)
	if err != nil {
		return nil, false, err
	}
	// A clash of receipts, or of two copies of one submission racing on
	// PostgreSQL, fails the insert; the retry finds the winner or draws a
	// new receipt.
	for attempt := 0; ; attempt++ {
		r, replayed, err = s.insertGrouped(ctx, sv, clean, in, hash, now)
		if !errors.Is(err, gorm.ErrDuplicatedKey) || attempt == 3 {
			return r, replayed, err
		}
	}
}

func (s *Store) insert(ctx context.Context, sv *Survey, clean Answers, in Submission, hash *string, now time.Time) (*Response, bool, error) {
	r := &Response{SurveyID: sv.ID, Receipt: NewReceipt(), Channel: in.Channel, Completion: completion(sv, clean),
		SubmittedAt: now, IdempotencyHash: hash, EnteredBy: in.EnteredBy, NoticeHash: noticeHash(sv)}
	replayed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if hash != nil {
			var first Response
			err := tx.Where("survey_id = ? AND idempotency_hash = ?", sv.ID, *hash).Take(&first).Error
			if err == nil {
				r, replayed = &first, true
				return nil
			}
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
		}
		if err := keepNotice(tx, sv, now); err != nil {
			return err
		}
		if err := tx.Omit("Answers").Create(r).Error; err != nil {
			return err
		}
		rows := answerRows(sv, r.ID, clean)
		if err := insertAnswers(tx, rows); err != nil {
			return err
		}
		d := deltas{}
		d.addResponse(sv, rows)
		return applyCounts(tx, d)
	})
	if err != nil {
		return nil, false, err
	}
	if !replayed {
		r.Answers = nil
	}
	return r, replayed, nil
}

// answerRows turns clean answers into rows in question order.
func answerRows(sv *Survey, responseID uint, a Answers) []Answer {
	rows := make([]Answer, 0, len(a)+2)
	for _, q := range sv.Questions() {
		for i, v := range a[q.Key] {
			rows = append(rows, Answer{ResponseID: responseID, SurveyID: sv.ID, QuestionKey: q.Key, Value: v, Position: i,
				FreeText: q.Type.FreeText(), Personal: q.Personal})
		}
		if v := a.Get(OtherKey(q.Key)); v != "" {
			rows = append(rows, Answer{ResponseID: responseID, SurveyID: sv.ID, QuestionKey: OtherKey(q.Key), Value: v, FreeText: true})
		}
	}
	return rows
}

// completion is Complete when every question shown about the subject of
// the survey was answered. Contact details and the equality section are
// optional by design, so leaving them blank does not make a response
// partial; otherwise nearly every response would be.
func completion(sv *Survey, clean Answers) string {
	vis, _ := sv.Visible(clean)
	for _, q := range sv.Questions() {
		if vis.Questions[q.Key] && len(clean[q.Key]) == 0 && !q.Personal && !equalityKeys[q.Key] {
			return Partial
		}
	}
	return Complete
}

// receiptAlphabet leaves out letters and digits people confuse when they
// read a reference out over the phone (0/O, 1/I/L, 5/S, U/V).
const receiptAlphabet = "23456789ABCDEFGHJKMNPQRTWXYZ"

// NewReceipt returns a reference like CS-7K3M-Q9PX.
func NewReceipt() string {
	out := []byte("CS-____-____")
	b := make([]byte, 1)
	limit := 256 - 256%len(receiptAlphabet) // no modulo bias
	for i := 0; i < 8; {
		if _, err := rand.Read(b); err != nil {
			panic(err)
		}
		if int(b[0]) >= limit {
			continue
		}
		pos := 3 + i
		if i >= 4 {
			pos++
		}
		out[pos] = receiptAlphabet[int(b[0])%len(receiptAlphabet)]
		i++
	}
	return string(out)
}
