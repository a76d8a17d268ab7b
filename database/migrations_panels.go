package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the experts-by-experience panel steps (400-499).
// Do not edit: add a new step. Money is in whole pence, never float.

type m400Panel struct {
	ID              uint   `gorm:"primaryKey"`
	Slug            string `gorm:"size:80;not null;uniqueIndex"`
	Name            string `gorm:"size:200;not null"`
	Purpose         string `gorm:"type:text;not null"`
	MembersDo       string `gorm:"type:text;not null"`
	TimeCommitment  string `gorm:"size:500;not null"`
	TermMonths      int    `gorm:"not null"`
	RateKind        string `gorm:"size:20;not null"`
	RatePence       int64  `gorm:"not null"`
	PaymentMethods  string `gorm:"size:200;not null"`
	ExpensesCovered bool   `gorm:"not null"`
	Support         string `gorm:"type:text;not null"`
	RecruitOpen     bool   `gorm:"not null"`
	RecruitFrom     *time.Time
	RecruitUntil    *time.Time
	TargetSize      int       `gorm:"not null"`
	Targets         string    `gorm:"type:text;not null"` // JSON list of diversity targets
	CreatedAt       time.Time `gorm:"not null"`
	UpdatedAt       time.Time `gorm:"not null"`
}

func (m400Panel) TableName() string { return "panels" }

type m400Application struct {
	ID      uint      `gorm:"primaryKey"`
	PanelID uint      `gorm:"not null;uniqueIndex:idx_panel_applications_email,priority:1;index"`
	Panel   m400Panel `gorm:"constraint:OnDelete:CASCADE"`
	Status  string    `gorm:"size:20;not null;index"`
	Name    string    `gorm:"size:200;not null"`
	// Email is lower-cased; erasure replaces it with "erased-<id>" so the
	// unique index no longer blocks a new application.
	Email             string `gorm:"size:254;not null;uniqueIndex:idx_panel_applications_email,priority:2"`
	Phone             string `gorm:"size:40;not null"`
	LivedExperience   string `gorm:"size:500;not null"`
	Statement         string `gorm:"type:text;not null"`
	Availability      string `gorm:"size:500;not null"`
	AccessNeeds       string `gorm:"type:text;not null"`
	PaymentPreference string `gorm:"size:40;not null"`
	AgeBand           string `gorm:"size:40;not null"`
	Ethnicity         string `gorm:"size:60;not null"`
	Locality          string `gorm:"size:40;not null"`
	ConsentStore      bool   `gorm:"not null"`
	ConsentAnalysis   bool   `gorm:"not null"`
	DeclineReason     string `gorm:"type:text;not null"`
	DecidedBy         *uint
	DecidedAt         *time.Time
	ErasedAt          *time.Time
	CreatedAt         time.Time `gorm:"not null"`
	UpdatedAt         time.Time `gorm:"not null"`
}

func (m400Application) TableName() string { return "panel_applications" }

type m400Note struct {
	ID            uint            `gorm:"primaryKey"`
	ApplicationID uint            `gorm:"not null;index"`
	Application   m400Application `gorm:"constraint:OnDelete:CASCADE"`
	AuthorID      *uint           `gorm:"index"`
	Body          string          `gorm:"type:text;not null"`
	CreatedAt     time.Time       `gorm:"not null"`
}

func (m400Note) TableName() string { return "panel_application_notes" }

type m400Member struct {
	ID                uint             `gorm:"primaryKey"`
	PanelID           uint             `gorm:"not null;uniqueIndex:idx_panel_members_email,priority:1;index"`
	Panel             m400Panel        `gorm:"constraint:OnDelete:CASCADE"`
	ApplicationID     *uint            `gorm:"uniqueIndex"`
	Application       *m400Application `gorm:"constraint:OnDelete:SET NULL"`
	Status            string           `gorm:"size:20;not null;index"`
	Name              string           `gorm:"size:200;not null"`
	Email             string           `gorm:"size:254;not null;uniqueIndex:idx_panel_members_email,priority:2"`
	Phone             string           `gorm:"size:40;not null"`
	PreferredContact  string           `gorm:"size:20;not null"`
	AccessNeeds       string           `gorm:"type:text;not null"`
	PaymentPreference string           `gorm:"size:40;not null"`
	TermStart         time.Time        `gorm:"not null"`
	TermEnd           time.Time        `gorm:"not null"`
	TokenHash         *string          `gorm:"size:64;uniqueIndex"`
	LeaveRequestedAt  *time.Time
	LeftAt            *time.Time
	ErasedAt          *time.Time
	CreatedAt         time.Time `gorm:"not null"`
	UpdatedAt         time.Time `gorm:"not null"`
}

func (m400Member) TableName() string { return "panel_members" }

type m400Session struct {
	ID        uint      `gorm:"primaryKey"`
	PanelID   uint      `gorm:"not null;index"`
	Panel     m400Panel `gorm:"constraint:OnDelete:CASCADE"`
	Title     string    `gorm:"size:200;not null"`
	Activity  string    `gorm:"size:40;not null"`
	StartsAt  time.Time `gorm:"not null;index"`
	Minutes   int       `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m400Session) TableName() string { return "panel_sessions" }

// m400Payment is one member's attendance at one session and what it earns:
// attendance and payment are one row so that a payment can never exist
// without the attendance it pays for, nor be created twice.
type m400Payment struct {
	ID            uint        `gorm:"primaryKey"`
	SessionID     uint        `gorm:"not null;uniqueIndex:idx_panel_payments_attendance,priority:1"`
	Session       m400Session `gorm:"constraint:OnDelete:RESTRICT"`
	MemberID      *uint       `gorm:"uniqueIndex:idx_panel_payments_attendance,priority:2;index"`
	Member        *m400Member `gorm:"constraint:OnDelete:SET NULL"`
	Minutes       int         `gorm:"not null"`
	RateKind      string      `gorm:"size:20;not null"`
	RatePence     int64       `gorm:"not null"`
	FeePence      int64       `gorm:"not null"`
	ExpensesPence int64       `gorm:"not null"`
	ReceiptNote   string      `gorm:"size:500;not null"`
	TotalPence    int64       `gorm:"not null"`
	Status        string      `gorm:"size:20;not null;index"`
	ApprovedBy    *uint
	ApprovedAt    *time.Time
	PaidBy        *uint
	PaidAt        *time.Time
	AnonymisedAt  *time.Time
	CreatedAt     time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (m400Payment) TableName() string { return "panel_payments" }

type m410Review struct {
	ID        uint      `gorm:"primaryKey"`
	PanelID   uint      `gorm:"not null;index"`
	Panel     m400Panel `gorm:"constraint:OnDelete:CASCADE"`
	Title     string    `gorm:"size:200;not null"`
	Intro     string    `gorm:"type:text;not null"`
	ClosesAt  *time.Time
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m410Review) TableName() string { return "panel_reviews" }

type m410ReviewItem struct {
	ID       uint       `gorm:"primaryKey"`
	ReviewID uint       `gorm:"not null;index"`
	Review   m410Review `gorm:"constraint:OnDelete:CASCADE"`
	Position int        `gorm:"not null"`
	Ref      string     `gorm:"size:100;not null"`
	Text     string     `gorm:"type:text;not null"`
}

func (m410ReviewItem) TableName() string { return "panel_review_items" }

type m410Invitation struct {
	ID        uint       `gorm:"primaryKey"`
	ReviewID  uint       `gorm:"not null;uniqueIndex:idx_panel_review_invitations_member,priority:1"`
	Review    m410Review `gorm:"constraint:OnDelete:CASCADE"`
	MemberID  uint       `gorm:"not null;uniqueIndex:idx_panel_review_invitations_member,priority:2"`
	Member    m400Member `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string     `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt time.Time  `gorm:"not null"`
}

func (m410Invitation) TableName() string { return "panel_review_invitations" }

type m410Response struct {
	ID           uint           `gorm:"primaryKey"`
	InvitationID uint           `gorm:"not null;uniqueIndex:idx_panel_review_responses_item,priority:1"`
	Invitation   m410Invitation `gorm:"constraint:OnDelete:CASCADE"`
	ItemID       uint           `gorm:"not null;uniqueIndex:idx_panel_review_responses_item,priority:2"`
	Item         m410ReviewItem `gorm:"constraint:OnDelete:CASCADE"`
	Comment      string         `gorm:"type:text;not null"`
	Approved     bool           `gorm:"not null"`
	CreatedAt    time.Time      `gorm:"not null"`
	UpdatedAt    time.Time      `gorm:"not null"`
}

func (m410Response) TableName() string { return "panel_review_responses" }

// m420ApplicationConsent adds, to each application, the words of the
// consent the applicant gave (so what they agreed to can be shown later,
// even after the form's wording changes) and the form's idempotency key
// (so a double submission stores one application).
type m420ApplicationConsent struct {
	PanelID        uint    `gorm:"uniqueIndex:idx_panel_applications_idempotency,priority:1"`
	ConsentText    string  `gorm:"type:text;not null;default:''"`
	IdempotencyKey *string `gorm:"size:100;uniqueIndex:idx_panel_applications_idempotency,priority:2"`
}

func (m420ApplicationConsent) TableName() string { return "panel_applications" }

var panelSteps = []Migration{
	{Version: 400, Name: "experts-by-experience panels, applications, members, sessions and payments", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m400Panel{}, &m400Application{}, &m400Note{}, &m400Member{}, &m400Session{}, &m400Payment{})
	}},
	{Version: 410, Name: "panel reviews of draft findings, invitations and responses", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m410Review{}, &m410ReviewItem{}, &m410Invitation{}, &m410Response{})
	}},
	{Version: 420, Name: "panel applications keep the consent text and the form's idempotency key", Up: func(tx *gorm.DB) error {
		m := tx.Migrator()
		for _, col := range []string{"ConsentText", "IdempotencyKey"} {
			if err := m.AddColumn(&m420ApplicationConsent{}, col); err != nil {
				return err
			}
		}
		return m.CreateIndex(&m420ApplicationConsent{}, "idx_panel_applications_idempotency")
	}},
}
