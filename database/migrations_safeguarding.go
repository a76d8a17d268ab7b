package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the safeguarding steps (600-699). Do not edit: add a
// new step.

// m600Grant gives one member of staff the safeguarding permission. It is
// separate from the role: an admin grants it, and needs it to read too.
type m600Grant struct {
	UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
	User      m1User `gorm:"constraint:OnDelete:CASCADE"`
	GrantedBy *uint
	GrantedAt time.Time `gorm:"not null"`
}

func (m600Grant) TableName() string { return "safeguarding_grants" }

// m600Item is one flagged text in the queue. Kind and Ref name the source
// (an answer id, or a workshop note passage "note:passage") and are unique,
// so screening the same text twice queues it once. The item goes with its
// source: erasing an answer or a note erases the copy kept here.
type m600Item struct {
	ID            uint        `gorm:"primaryKey"`
	Kind          string      `gorm:"size:20;not null;uniqueIndex:idx_safeguarding_items_source,priority:1"`
	Ref           string      `gorm:"size:60;not null;uniqueIndex:idx_safeguarding_items_source,priority:2"`
	SurveyID      *uint       `gorm:"index"`
	ResponseID    *uint       `gorm:"index"`
	AnswerID      *uint       `gorm:"index"`
	Answer        *m100Answer `gorm:"constraint:OnDelete:CASCADE"`
	QuestionKey   string      `gorm:"size:60;not null"`
	EventID       *uint       `gorm:"index"`
	NoteID        *uint       `gorm:"index"`
	Note          *m350Note   `gorm:"constraint:OnDelete:CASCADE"`
	Text          string      `gorm:"type:text;not null"`
	Flags         string      `gorm:"type:text;not null"` // JSON: the flagged sentences and their terms
	Status        string      `gorm:"size:20;not null;index"`
	FirstActionAt *time.Time
	CreatedAt     time.Time `gorm:"not null;index"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (m600Item) TableName() string { return "safeguarding_items" }

// m600Action is one thing a member of staff did about an item. The
// idempotency key makes a double submit record one action.
type m600Action struct {
	ID             uint      `gorm:"primaryKey"`
	ItemID         uint      `gorm:"not null;index"`
	Item           m600Item  `gorm:"constraint:OnDelete:CASCADE"`
	Action         string    `gorm:"size:20;not null"`
	Notes          string    `gorm:"type:text;not null"`
	ActorUserID    *uint     `gorm:"index"`
	IdempotencyKey *string   `gorm:"size:100;uniqueIndex"`
	CreatedAt      time.Time `gorm:"not null"`
}

func (m600Action) TableName() string { return "safeguarding_actions" }

// m600Cursor is how far screening has read one source of text.
type m600Cursor struct {
	Name      string    `gorm:"primaryKey;size:40"`
	LastID    uint      `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m600Cursor) TableName() string { return "safeguarding_cursors" }

var safeguardingSteps = []Migration{
	{Version: 600, Name: "safeguarding grants, queue items, actions and screening cursors", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m600Grant{}, &m600Item{}, &m600Action{}, &m600Cursor{})
	}},
}
