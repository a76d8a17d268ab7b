package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the surveys steps. Do not edit: add a new step.

// m100Survey keeps a survey's pages and questions as one JSON document: the
// definition is edited, versioned, imported and exported as a whole, while
// answers live in their own rows so reports can count them.
type m100Survey struct {
	ID            uint       `gorm:"primaryKey"`
	Slug          string     `gorm:"size:80;not null;uniqueIndex"`
	Title         string     `gorm:"size:200;not null"`
	Summary       string     `gorm:"type:text;not null"`
	Introduction  string     `gorm:"type:text;not null"`
	WhoIsAsking   string     `gorm:"type:text;not null"`
	PrivacyNotice string     `gorm:"type:text;not null"`
	Minutes       int        `gorm:"not null"`
	OpensAt       *time.Time `gorm:"index"`
	ClosesAt      *time.Time `gorm:"index"`
	Status        string     `gorm:"size:20;not null;index"`
	Pages         string     `gorm:"type:text;not null"`
	RetiredKeys   string     `gorm:"type:text;not null"`
	CreatedAt     time.Time  `gorm:"not null"`
	UpdatedAt     time.Time  `gorm:"not null"`
}

func (m100Survey) TableName() string { return "surveys" }

type m100Response struct {
	ID              uint       `gorm:"primaryKey"`
	SurveyID        uint       `gorm:"not null;index:idx_survey_responses_submitted,priority:1;uniqueIndex:idx_survey_responses_idem,priority:1"`
	Survey          m100Survey `gorm:"constraint:OnDelete:RESTRICT"`
	Receipt         string     `gorm:"size:20;not null;uniqueIndex"`
	Channel         string     `gorm:"size:20;not null"`
	Completion      string     `gorm:"size:20;not null"`
	SubmittedAt     time.Time  `gorm:"not null;index:idx_survey_responses_submitted,priority:2"`
	IdempotencyHash *string    `gorm:"size:64;uniqueIndex:idx_survey_responses_idem,priority:2"`
	EnteredBy       *uint
}

func (m100Response) TableName() string { return "survey_responses" }

// m100Answer is one value: a multiple-choice answer has one row per
// option chosen, so a count is a GROUP BY.
type m100Answer struct {
	ID          uint         `gorm:"primaryKey"`
	ResponseID  uint         `gorm:"not null;index"`
	Response    m100Response `gorm:"constraint:OnDelete:CASCADE"`
	SurveyID    uint         `gorm:"not null;index:idx_response_answers_question,priority:1"`
	QuestionKey string       `gorm:"size:60;not null;index:idx_response_answers_question,priority:2"`
	Value       string       `gorm:"type:text;not null"`
	Position    int          `gorm:"not null"`
	FreeText    bool         `gorm:"not null"`
	Personal    bool         `gorm:"not null"`
}

func (m100Answer) TableName() string { return "response_answers" }

type m100Draft struct {
	ID        uint       `gorm:"primaryKey"`
	SurveyID  uint       `gorm:"not null;index"`
	Survey    m100Survey `gorm:"constraint:OnDelete:CASCADE"`
	TokenHash string     `gorm:"size:64;not null;uniqueIndex"`
	Answers   string     `gorm:"type:text;not null"`
	Page      int        `gorm:"not null"`
	ExpiresAt time.Time  `gorm:"not null;index"`
	CreatedAt time.Time  `gorm:"not null"`
	UpdatedAt time.Time  `gorm:"not null"`
}

func (m100Draft) TableName() string { return "response_drafts" }

// m110Notice is a privacy notice's text as residents saw it, kept once per
// distinct text and named by its SHA-256.
type m110Notice struct {
	Hash      string    `gorm:"primaryKey;size:64"`
	Text      string    `gorm:"type:text;not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m110Notice) TableName() string { return "privacy_notices" }

// m110ResponseNotice adds the notice a response was given under.
type m110ResponseNotice struct {
	NoticeHash *string `gorm:"size:64"`
}

func (m110ResponseNotice) TableName() string { return "survey_responses" }

var surveysSteps = []Migration{
	{Version: 100, Name: "surveys, responses, answers and save-and-return drafts", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m100Survey{}, &m100Response{}, &m100Answer{}, &m100Draft{})
	}},
	{Version: 110, Name: "responses keep the privacy notice the resident was shown", Up: func(tx *gorm.DB) error {
		if err := createTables(tx, &m110Notice{}); err != nil {
			return err
		}
		return tx.Migrator().AddColumn(&m110ResponseNotice{}, "NoticeHash")
	}},
	// The staff summary counts answers per question and per option. Without
	// these it read every answer row of the survey (4.2 s and 9.7 s at
	// 278,000 responses in the soak); with them each count is read from an
	// index alone. The value index leaves out free text and personal answers,
	// which the summary never groups and which could be too long to index.
	{Version: 120, Name: "indexes for the answer summary", Up: func(tx *gorm.DB) error {
		for _, q := range []string{
			"CREATE INDEX idx_response_answers_respondents ON response_answers (survey_id, question_key, response_id)",
			"CREATE INDEX idx_response_answers_values ON response_answers (survey_id, question_key, value) WHERE free_text = false AND personal = false",
		} {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return nil
	}},
}
