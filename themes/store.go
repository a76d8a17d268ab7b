package themes

import (
	"errors"
	"fmt"
	"time"

	"codesign/errs"

	"gorm.io/gorm"
)

// Store keeps coded passages, facilitators' decisions and the codebook in
// the database.
type Store struct {
	db   *gorm.DB
	now  func() time.Time
	book bookCache // the current codebook and its coder (store_codebook.go)
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// ErrNotFound is returned for a passage, assignment or batch that does not
// exist.
var ErrNotFound = fmt.Errorf("coded passage %w", errs.ErrNotFound)

// The kinds of text codesign codes.
const (
	SurveyAnswer = "survey_answer"
	WorkshopNote = "workshop_note"
)

// Unit is one text to code and keep: where it came from and its words.
type Unit struct {
	Kind     string // SurveyAnswer or WorkshopNote
	SourceID string // the answer's id, or the note passage ("note:3:2")
	Scope    string // where it is reviewed: "survey:12:question_key", "workshop:7"
	Text     string
}

// Passage is one stored sentence, with what the coder suggested and the
// current decisions on it.
type Passage struct {
	ID          uint
	SourceKind  string
	SourceID    string
	Scope       string
	Text        string
	StartOffset int // byte offsets of the sentence in the source text
	EndOffset   int
	Phrases     []string `gorm:"serializer:json"`
	CreatedAt   time.Time

	Suggestions []Suggested `gorm:"-"`
	Codings     []Coding    `gorm:"-"`
}

// TableName keeps the themes tables together.
func (Passage) TableName() string { return "theme_passages" }

// Suggested is a code the coder suggested for a passage, with its evidence.
type Suggested struct {
	ID         uint
	PassageID  uint
	Code       string
	Confidence float64
	Terms      []string `gorm:"serializer:json"`
}

// TableName keeps the themes tables together.
func (Suggested) TableName() string { return "theme_suggestions" }

// Decisions a facilitator can make about a code on a passage. Added is a
// code the coder did not suggest; None says that no code applies, which in
// double coding marks a passage as coded.
const (
	Accepted = "accepted"
	Rejected = "rejected"
	Added    = "added"
	None     = "none"
)

// Coding is the decision that stands for one code on one passage: the
// latest one not undone.
type Coding struct {
	PassageID    uint
	Code         string
	AssignmentID uint // 0 in the review queue
	CoderID      uint // 0 in the review queue; the facilitator in double coding
	Decision     string
	UserID       uint
	DecidedAt    time.Time
}

// TableName keeps the themes tables together.
func (Coding) TableName() string { return "theme_codings" }

// Applies reports whether the decision puts the code on the passage.
func (c Coding) Applies() bool { return c.Decision == Accepted || c.Decision == Added }

// decision is one row of the append-only log.
type decision struct {
	ID           uint
	PassageID    uint
	Code         string
	Decision     string
	AssignmentID uint
	UserID       uint
	Bulk         string
	CreatedAt    time.Time
	UndoneAt     *time.Time
}

func (decision) TableName() string { return "theme_decisions" }

// notFound turns GORM's not-found into the package's.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// Now is the time by the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now() }
