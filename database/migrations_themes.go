package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the themes steps (200-299). Do not edit: add a new step.

// m200Passage is one sentence of a survey answer or a workshop note,
// stored for review with its byte offsets in the text it came from. The
// unique index is what lets two instances code the same text at once: the
// second insert does nothing.
type m200Passage struct {
	ID          uint   `gorm:"primaryKey"`
	SourceKind  string `gorm:"size:30;not null;uniqueIndex:idx_theme_passages_source,priority:1"`
	SourceID    string `gorm:"size:80;not null;uniqueIndex:idx_theme_passages_source,priority:2"`
	StartOffset int    `gorm:"not null;uniqueIndex:idx_theme_passages_source,priority:3"`
	EndOffset   int    `gorm:"not null"`
	// Scope groups passages for review: "survey:12:question_key", "workshop:7".
	Scope string `gorm:"size:160;not null;index"`
	Text  string `gorm:"type:text;not null"`
	// Phrases are the noun phrases of a sentence no code matched (JSON), for
	// emerging topics.
	Phrases   string    `gorm:"type:text;not null"`
	CreatedAt time.Time `gorm:"not null;index"`
}

func (m200Passage) TableName() string { return "theme_passages" }

// m200Suggestion is a code the coder suggested for a passage.
type m200Suggestion struct {
	ID         uint        `gorm:"primaryKey"`
	PassageID  uint        `gorm:"not null;uniqueIndex:idx_theme_suggestions_passage_code,priority:1"`
	Passage    m200Passage `gorm:"constraint:OnDelete:CASCADE"`
	Code       string      `gorm:"size:60;not null;uniqueIndex:idx_theme_suggestions_passage_code,priority:2;index"`
	Confidence float64     `gorm:"not null"`
	Terms      string      `gorm:"type:text;not null"` // JSON: the words matched, as written
}

func (m200Suggestion) TableName() string { return "theme_suggestions" }

// m200Assignment is a sample of one scope given to two facilitators to
// code independently, for measuring agreement.
type m200Assignment struct {
	ID        uint      `gorm:"primaryKey"`
	Scope     string    `gorm:"size:160;not null;index"`
	CoderAID  uint      `gorm:"not null;index"`
	CoderBID  uint      `gorm:"not null;index"`
	Size      int       `gorm:"not null"`
	Blind     bool      `gorm:"not null"`
	CreatedBy uint      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m200Assignment) TableName() string { return "theme_assignments" }

type m200AssignmentPassage struct {
	AssignmentID uint           `gorm:"primaryKey;autoIncrement:false"`
	Assignment   m200Assignment `gorm:"constraint:OnDelete:CASCADE"`
	PassageID    uint           `gorm:"primaryKey;autoIncrement:false;index"`
	Passage      m200Passage    `gorm:"constraint:OnDelete:CASCADE"`
}

func (m200AssignmentPassage) TableName() string { return "theme_assignment_passages" }

// m200Decision is the append-only log of what facilitators decided. An
// undo marks a row undone rather than deleting it. AssignmentID 0 is the
// ordinary review queue.
type m200Decision struct {
	ID           uint        `gorm:"primaryKey"`
	PassageID    uint        `gorm:"not null;index"`
	Passage      m200Passage `gorm:"constraint:OnDelete:CASCADE"`
	Code         string      `gorm:"size:60;not null"`
	Decision     string      `gorm:"size:20;not null"`
	AssignmentID uint        `gorm:"not null;index:idx_theme_decisions_user,priority:2"`
	UserID       uint        `gorm:"not null;index:idx_theme_decisions_user,priority:1"`
	Bulk         string      `gorm:"size:40;not null"` // shared by the rows of one bulk accept
	CreatedAt    time.Time   `gorm:"not null"`
	UndoneAt     *time.Time
}

func (m200Decision) TableName() string { return "theme_decisions" }

// m200Coding is the current decision for each passage and code: the
// latest decision not undone. CoderID is 0 in the review queue, where the
// team decides together, and the facilitator in double coding.
type m200Coding struct {
	PassageID    uint        `gorm:"primaryKey;autoIncrement:false"`
	Passage      m200Passage `gorm:"constraint:OnDelete:CASCADE"`
	Code         string      `gorm:"primaryKey;size:60"`
	AssignmentID uint        `gorm:"primaryKey;autoIncrement:false;index:idx_theme_codings_assignment,priority:1"`
	CoderID      uint        `gorm:"primaryKey;autoIncrement:false"`
	Decision     string      `gorm:"size:20;not null;index:idx_theme_codings_assignment,priority:2"`
	UserID       uint        `gorm:"not null"`
	DecidedAt    time.Time   `gorm:"not null"`
}

func (m200Coding) TableName() string { return "theme_codings" }

// m200Cursor is how far the background coder has read each source.
type m200Cursor struct {
	Name      string    `gorm:"primaryKey;size:40"`
	LastID    uint      `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m200Cursor) TableName() string { return "theme_cursors" }

// m200Batch records a "code all of this now" run and its progress.
type m200Batch struct {
	ID         uint      `gorm:"primaryKey"`
	Kind       string    `gorm:"size:20;not null;index:idx_theme_batches_ref,priority:1"`
	RefID      uint      `gorm:"not null;index:idx_theme_batches_ref,priority:2"`
	Total      int       `gorm:"not null"`
	Done       int       `gorm:"not null"`
	Status     string    `gorm:"size:20;not null"`
	Error      string    `gorm:"size:300;not null"`
	StartedBy  uint      `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
	FinishedAt *time.Time
}

func (m200Batch) TableName() string { return "theme_batches" }

var themesSteps = []Migration{
	{Version: 200, Name: "coded passages, suggestions, decisions, double coding, cursors and batches", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m200Passage{}, &m200Suggestion{}, &m200Assignment{}, &m200AssignmentPassage{},
			&m200Decision{}, &m200Coding{}, &m200Cursor{}, &m200Batch{})
	}},
}
