// Package reports turns coded evidence into "you said, we did": findings
// per theme with small numbers suppressed, quotes that are redacted and
// never flagged, commitments with their owners and updates, and the
// published versions residents read. It knows nothing of HTTP. It reads
// the surveys, themes and safeguarding stores and writes only its own
// tables (and, on publishing, the outbox). It reads workshops to count
// the people who came to those feeding a consultation and the codes on
// their notes, and the programme to add up everything in it.
package reports

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"codesign/audit"
	"codesign/errs"
	"codesign/messages"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrNotFound is returned for a report, quote, commitment or private link
// that does not exist.
var ErrNotFound = fmt.Errorf("results %w", errs.ErrNotFound)

// Store keeps findings, commitments and published results.
type Store struct {
	db      *gorm.DB
	surveys *surveys.Store
	themes  *themes.Store
	sg      *safeguarding.Store
	events  *workshops.Store
	outbox  *messages.Store
	now     func() time.Time
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store {
	msgs := messages.NewStore(db)
	return &Store{db: db, surveys: surveys.NewStore(db), themes: themes.NewStore(db), sg: safeguarding.NewStore(db, msgs),
		events: workshops.NewStore(db, msgs, workshops.Options{}), outbox: msgs, now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock, for tests of due dates.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Now is the store's clock in UTC.
func (s *Store) Now() time.Time { return s.now() }

// Report is the results of one consultation: its words, the quotes and
// commitments chosen, and how far it has got. Revision counts every change
// to the draft, so that a publish says exactly which draft it was.
type Report struct {
	ID       uint
	SurveyID uint
	Title    string
	Intro    string // "what we asked", in plain words
	Revision int
	// ConsentKey and ConsentValue name the answer that says a respondent
	// agreed to be quoted; empty means the survey's privacy notice told
	// everyone that anonymous quotes may be published.
	ConsentKey     string
	ConsentValue   string
	ReviewID       *uint // the panel review it was last sent for
	ReviewRevision int   // the revision the panel was sent
	CheckinID      *uint // the one-year check-in survey
	CreatedBy      *uint
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName keeps the reports tables together.
func (Report) TableName() string { return "report_reports" }

// Validate checks the words of a report.
func (r *Report) Validate() error {
	f := &errs.Fields{}
	r.Title, r.Intro = strings.TrimSpace(r.Title), strings.TrimSpace(r.Intro)
	switch n := len([]rune(r.Title)); {
	case n == 0:
		f.Add("title", "Enter a title")
	case n > 200:
		f.Add("title", "The title must be 200 characters or fewer")
	}
	if len([]rune(r.Intro)) > 5000 {
		f.Add("intro", "What we asked must be 5000 characters or fewer")
	}
	if (r.ConsentKey == "") != (r.ConsentValue == "") {
		f.Add("consent", "Select who may be quoted")
	}
	return f.Err()
}

// Reviewed reports whether the panel was sent the draft as it is now.
func (r *Report) Reviewed() bool { return r.ReviewID != nil && r.ReviewRevision == r.Revision }

// Start creates the report for a survey, or returns the one it has. The
// title and words start from the survey's; a question whose key mentions
// quoting or consent and offers "yes" becomes the consent to be quoted.
func (s *Store) Start(ctx context.Context, actor *uint, surveyID uint) (*Report, error) {
	sv, err := s.surveys.Get(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	var r Report
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("survey_id = ?", sv.ID).Take(&r).Error; err == nil {
			return nil
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		r = Report{SurveyID: sv.ID, Title: "What we heard: " + sv.Title, Intro: sv.Summary, Revision: 1, CreatedBy: actor}
		r.ConsentKey, r.ConsentValue = consentQuestion(sv)
		if len([]rune(r.Title)) > 200 {
			r.Title = string([]rune(r.Title)[:200])
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "report.start", Target: ref("report", r.ID)})
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// consentQuestion finds a question asking for consent to be quoted.
func consentQuestion(sv *surveys.Survey) (string, string) {
	for _, q := range sv.Questions() {
		if !q.Type.Choice() || !(strings.Contains(q.Key, "quot") || strings.Contains(q.Key, "consent")) {
			continue
		}
		if q.Option("yes") != nil {
			return q.Key, "yes"
		}
	}
	return "", ""
}

// Get returns a report.
func (s *Store) Get(ctx context.Context, id uint) (*Report, error) {
	var r Report
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// BySurvey returns a survey's report.
func (s *Store) BySurvey(ctx context.Context, surveyID uint) (*Report, error) {
	var r Report
	if err := s.db.WithContext(ctx).Where("survey_id = ?", surveyID).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// List returns every report by survey id.
func (s *Store) List(ctx context.Context) (map[uint]Report, error) {
	var rs []Report
	if err := s.db.WithContext(ctx).Find(&rs).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]Report, len(rs))
	for _, r := range rs {
		out[r.SurveyID] = r
	}
	return out, nil
}

// Details are what an officer may change about a report itself.
type Details struct {
	Title, Intro string
	// Consent is "" (the privacy notice covers anonymous quotes) or
	// "question_key=value".
	Consent string
}

// Update changes a report's words and who may be quoted.
func (s *Store) Update(ctx context.Context, actor *uint, id uint, d Details) (*Report, error) {
	var r Report
	err := s.edit(ctx, actor, id, "report.update", func(tx *gorm.DB, rep *Report) error {
		rep.Title, rep.Intro = d.Title, d.Intro
		rep.ConsentKey, rep.ConsentValue, _ = strings.Cut(d.Consent, "=")
		if err := rep.Validate(); err != nil {
			return err
		}
		if rep.ConsentKey != "" {
			sv, err := s.surveys.Get(ctx, rep.SurveyID)
			if err != nil {
				return err
			}
			if q, _ := sv.Question(rep.ConsentKey); q == nil || q.Option(rep.ConsentValue) == nil {
				return fieldErr("consent", "Select who may be quoted from the list")
			}
		}
		r = *rep
		return tx.Model(rep).Select("title", "intro", "consent_key", "consent_value").Updates(rep).Error
	})
	return &r, err
}

// edit runs fn on the locked report inside a transaction and moves the
// report to its next revision, so that a publish of the revision before
// this change is refused.
func (s *Store) edit(ctx context.Context, actor *uint, id uint, action string, fn func(tx *gorm.DB, r *Report) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Report
		if err := lockRow(tx, &r, id); err != nil {
			return err
		}
		if err := fn(tx, &r); err != nil {
			return err
		}
		if err := tx.Model(&Report{}).Where("id = ?", r.ID).Updates(map[string]any{"revision": gorm.Expr("revision + 1"), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: action, Target: ref("report", r.ID)})
	})
}

// lockRow reads dst by id inside tx, locking the row on PostgreSQL so
// that an edit and a publish are applied one after the other. SQLite
// needs no lock: its single writer runs transactions in turn.
func lockRow(tx *gorm.DB, dst any, id uint) error {
	q := tx
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return notFound(q.Take(dst, id).Error)
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

func fieldErr(field, msg string) error {
	f := &errs.Fields{}
	f.Add(field, msg)
	return f.Err()
}

func ref(kind string, id uint) string { return kind + ":" + strconv.FormatUint(uint64(id), 10) }

var defaultCoder = sync.OnceValues(func() (*themes.Coder, error) {
	cb, err := themes.DefaultCodebook()
	if err != nil {
		return nil, err
	}
	return themes.NewCoder(cb), nil
})
