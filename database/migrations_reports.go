package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the "you said, we did" steps (500-599). Do not edit:
// add a new step.

// m500Report is the results of one consultation. Revision counts every
// change to the draft, so a publish can say exactly which draft it was.
type m500Report struct {
	ID             uint       `gorm:"primaryKey"`
	SurveyID       uint       `gorm:"not null;uniqueIndex"`
	Survey         m100Survey `gorm:"constraint:OnDelete:CASCADE"`
	Title          string     `gorm:"size:200;not null"`
	Intro          string     `gorm:"type:text;not null"`
	Revision       int        `gorm:"not null"`
	ConsentKey     string     `gorm:"size:60;not null"`
	ConsentValue   string     `gorm:"size:60;not null"`
	ReviewID       *uint
	ReviewRevision int `gorm:"not null"`
	CheckinID      *uint
	CreatedBy      *uint
	CreatedAt      time.Time `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

func (m500Report) TableName() string { return "report_reports" }

// m500Publication is one published version: the aggregates exactly as
// residents read them (already suppressed and redacted), as JSON.
type m500Publication struct {
	ID          uint       `gorm:"primaryKey"`
	ReportID    uint       `gorm:"not null;uniqueIndex:idx_report_publications_version,priority:1"`
	Report      m500Report `gorm:"constraint:OnDelete:CASCADE"`
	Version     int        `gorm:"not null;uniqueIndex:idx_report_publications_version,priority:2"`
	Revision    int        `gorm:"not null"`
	Reviewed    bool       `gorm:"not null"`
	Note        string     `gorm:"size:500;not null"`
	Snapshot    string     `gorm:"type:text;not null"`
	PublishedBy *uint
	ByName      string    `gorm:"size:200;not null"`
	PublishedAt time.Time `gorm:"not null;index"`
}

func (m500Publication) TableName() string { return "report_publications" }

// m500Quote is a passage an officer picked, kept as redacted text.
type m500Quote struct {
	ID         uint       `gorm:"primaryKey"`
	ReportID   uint       `gorm:"not null;uniqueIndex:idx_report_quotes_passage,priority:1"`
	Report     m500Report `gorm:"constraint:OnDelete:CASCADE"`
	PassageID  uint       `gorm:"not null;uniqueIndex:idx_report_quotes_passage,priority:2"`
	AnswerID   uint       `gorm:"not null;index"`
	ResponseID uint       `gorm:"not null"`
	Code       string     `gorm:"size:60;not null"`
	Text       string     `gorm:"type:text;not null"`
	Position   int        `gorm:"not null"`
	CreatedBy  *uint
	CreatedAt  time.Time `gorm:"not null"`
}

func (m500Quote) TableName() string { return "report_quotes" }

// m500Commitment is one "we did / we will". Only the hash of a partner's
// private link is kept.
type m500Commitment struct {
	ID               uint       `gorm:"primaryKey"`
	ReportID         uint       `gorm:"not null;index"`
	Report           m500Report `gorm:"constraint:OnDelete:CASCADE"`
	YouSaid          string     `gorm:"type:text;not null"`
	WeDid            string     `gorm:"type:text;not null"`
	Codes            string     `gorm:"type:text;not null"` // JSON list of theme and code keys
	OwnerOrg         string     `gorm:"size:200;not null;index"`
	OwnerTeam        string     `gorm:"size:200;not null"`
	Status           string     `gorm:"size:20;not null;index"`
	Reason           string     `gorm:"type:text;not null"`
	DueOn            time.Time  `gorm:"not null"`
	PartnerTokenHash *string    `gorm:"size:64;uniqueIndex"`
	Position         int        `gorm:"not null"`
	CreatedBy        *uint
	CreatedAt        time.Time `gorm:"not null"`
	UpdatedAt        time.Time `gorm:"not null"`
}

func (m500Commitment) TableName() string { return "report_commitments" }

// m500Update is one dated entry in a commitment's log; never changed.
type m500Update struct {
	ID           uint           `gorm:"primaryKey"`
	CommitmentID uint           `gorm:"not null;index"`
	Commitment   m500Commitment `gorm:"constraint:OnDelete:CASCADE"`
	Status       string         `gorm:"size:20;not null"`
	Note         string         `gorm:"type:text;not null"`
	ByUserID     *uint
	ByPartner    bool      `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m500Update) TableName() string { return "report_commitment_updates" }

var reportsSteps = []Migration{
	{Version: 500, Name: "results of consultations: reports, published versions, quotes, commitments and their updates", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m500Report{}, &m500Publication{}, &m500Quote{}, &m500Commitment{}, &m500Update{})
	}},
}
