package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the messages (300-349) and workshops (350-399) steps.
// Do not edit: add a new step.

type m300Message struct {
	ID        uint   `gorm:"primaryKey"`
	Recipient string `gorm:"size:320;not null"`
	Subject   string `gorm:"size:300;not null"`
	Body      string `gorm:"type:text;not null"`
	Kind      string `gorm:"size:40;not null;index"`
	// Ref names the record the message is about ("booking:12"), so that
	// retention can find and remove it; never personal data.
	Ref           string    `gorm:"size:100;not null;index"`
	Status        string    `gorm:"size:20;not null;index:idx_messages_due,priority:1"`
	Attempts      int       `gorm:"not null"`
	NextAttemptAt time.Time `gorm:"not null;index:idx_messages_due,priority:2"`
	LeaseUntil    *time.Time
	LastError     string    `gorm:"size:500;not null"`
	CreatedAt     time.Time `gorm:"not null;index"`
	UpdatedAt     time.Time `gorm:"not null"`
	SentAt        *time.Time
}

func (m300Message) TableName() string { return "messages" }

type m350Event struct {
	ID             uint       `gorm:"primaryKey"`
	Title          string     `gorm:"size:200;not null"`
	Summary        string     `gorm:"size:500;not null"`
	Description    string     `gorm:"type:text;not null"`
	Format         string     `gorm:"size:20;not null"`
	LocalityID     uint       `gorm:"not null;index"`
	Locality       m2Locality `gorm:"constraint:OnDelete:RESTRICT"`
	VenueID        *uint      `gorm:"index"`
	Venue          *m2Venue   `gorm:"constraint:OnDelete:RESTRICT"`
	OnlineDetails  string     `gorm:"type:text;not null"`
	StartsAt       time.Time  `gorm:"not null;index"`
	EndsAt         time.Time  `gorm:"not null"`
	Capacity       int        `gorm:"not null"`
	SignupDeadline time.Time  `gorm:"not null"`
	Facilitators   string     `gorm:"size:500;not null"`
	SurveySlug     string     `gorm:"size:80;not null"`
	Status         string     `gorm:"size:20;not null;index"`
	CancelledAt    *time.Time
	AnonymisedAt   *time.Time
	CreatedAt      time.Time `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

func (m350Event) TableName() string { return "workshop_events" }

type m350Booking struct {
	ID                  uint      `gorm:"primaryKey"`
	EventID             uint      `gorm:"not null;index:idx_workshop_bookings_event_status,priority:1"`
	Event               m350Event `gorm:"constraint:OnDelete:CASCADE"`
	Status              string    `gorm:"size:20;not null;index:idx_workshop_bookings_event_status,priority:2"`
	Name                string    `gorm:"size:200;not null"`
	Email               string    `gorm:"size:254;not null"`
	Phone               string    `gorm:"size:40;not null"`
	AccessNeeds         string    `gorm:"size:500;not null"` // comma-separated keys
	InterpreterLanguage string    `gorm:"size:100;not null"`
	AccessNotes         string    `gorm:"type:text;not null"`
	Dietary             string    `gorm:"size:500;not null"`
	ConsentContact      bool      `gorm:"not null"`
	ManageTokenHash     *string   `gorm:"size:64;uniqueIndex"`
	IdempotencyKey      *string   `gorm:"size:100;uniqueIndex"`
	PromotedAt          *time.Time
	CancelledAt         *time.Time
	AnonymisedAt        *time.Time
	CreatedAt           time.Time `gorm:"not null"`
	UpdatedAt           time.Time `gorm:"not null"`
}

func (m350Booking) TableName() string { return "workshop_bookings" }

type m350Adjustment struct {
	EventID   uint      `gorm:"primaryKey;autoIncrement:false"`
	Event     m350Event `gorm:"constraint:OnDelete:CASCADE"`
	Need      string    `gorm:"primaryKey;size:40"`
	Arranged  bool      `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m350Adjustment) TableName() string { return "workshop_adjustments" }

type m350Reminder struct {
	BookingID uint        `gorm:"primaryKey;autoIncrement:false"`
	Booking   m350Booking `gorm:"constraint:OnDelete:CASCADE"`
	Offset    string      `gorm:"primaryKey;size:20"`
	SentAt    time.Time   `gorm:"not null"`
}

func (m350Reminder) TableName() string { return "workshop_reminders" }

type m350Note struct {
	ID           uint      `gorm:"primaryKey"`
	EventID      uint      `gorm:"not null;index"`
	Event        m350Event `gorm:"constraint:OnDelete:CASCADE"`
	AuthorUserID *uint     `gorm:"index"`
	Title        string    `gorm:"size:200;not null"`
	Source       string    `gorm:"size:200;not null"` // "typed" or the uploaded file's name
	Body         string    `gorm:"type:text;not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m350Note) TableName() string { return "workshop_notes" }

// m360BookingConsent adds the consent wording a booking agreed to.
type m360BookingConsent struct {
	ConsentText string `gorm:"type:text;not null;default:''"`
}

func (m360BookingConsent) TableName() string { return "workshop_bookings" }

// m370EventWaitingLimit adds the most people an event's waiting list
// takes; 0 means the default (see workshops.Event.WaitingLimit).
type m370EventWaitingLimit struct {
	WaitingListLimit int `gorm:"not null;default:0"`
}

func (m370EventWaitingLimit) TableName() string { return "workshop_events" }

// workshopsSteps holds both ranges: the outbox came with workshops.
var workshopsSteps = []Migration{
	{Version: 300, Name: "outbox of messages", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m300Message{})
	}},
	{Version: 350, Name: "workshop events, bookings, adjustments, reminders and notes", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m350Event{}, &m350Booking{}, &m350Adjustment{}, &m350Reminder{}, &m350Note{})
	}},
	{Version: 360, Name: "bookings keep the consent wording the resident agreed to", Up: func(tx *gorm.DB) error {
		return tx.Migrator().AddColumn(&m360BookingConsent{}, "ConsentText")
	}},
	{Version: 370, Name: "workshop waiting lists have a limit", Up: func(tx *gorm.DB) error {
		return tx.Migrator().AddColumn(&m370EventWaitingLimit{}, "WaitingListLimit")
	}},
}
