package database

import (
	"encoding/json"
	"fmt"
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

// m130AnswerCount is a running count kept as answers are stored and
// erased, so the staff summary reads a few hundred rows whatever the number
// of responses. Kind 0 counts a survey's responses (question and value
// empty), kind 1 the responses that answered a question (value empty),
// kind 2 how often a value was given to a question that is neither free
// text nor personal: the options of a choice question, whose values are
// short keys. Each key is spread over a few shards so concurrent
// submissions on PostgreSQL rarely wait on one row; a count is the sum of
// its shards, and a shard may go negative after an erasure.
type m130AnswerCount struct {
	SurveyID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Kind        int16  `gorm:"primaryKey;autoIncrement:false"`
	QuestionKey string `gorm:"primaryKey;size:60"`
	Value       string `gorm:"primaryKey;size:60"`
	Shard       int16  `gorm:"primaryKey;autoIncrement:false"`
	N           int64  `gorm:"not null"`
}

func (m130AnswerCount) TableName() string { return "survey_answer_counts" }

// m130Survey and m130Page read what step 130 needs of a survey's
// definition as it was stored then: which questions are choices.
type m130Survey struct {
	ID    uint
	Pages string
}

func (m130Survey) TableName() string { return "surveys" }

type m130Page struct {
	Questions []struct {
		Key      string `json:"key"`
		Type     string `json:"type"`
		Personal bool   `json:"personal"`
	} `json:"questions"`
}

var m130Choice = map[string]bool{"radio": true, "checkbox": true, "likert": true, "scale": true}

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
	// COUNT(DISTINCT) over every answer grew with the survey even from an
	// index: 8.5 s at 310,000 responses on PostgreSQL in soak run 7. The
	// counts are filled here from what is stored, then kept by the store in
	// the transaction that stores or erases answers.
	{Version: 130, Name: "running answer counts for the staff summary", Up: func(tx *gorm.DB) error {
		if err := createTables(tx, &m130AnswerCount{}); err != nil {
			return err
		}
		for _, q := range []string{
			`INSERT INTO survey_answer_counts (survey_id, kind, question_key, value, shard, n)
				SELECT survey_id, 0, '', '', 0, COUNT(*) FROM survey_responses GROUP BY survey_id`,
			`INSERT INTO survey_answer_counts (survey_id, kind, question_key, value, shard, n)
				SELECT survey_id, 1, question_key, '', 0, COUNT(DISTINCT response_id) FROM response_answers GROUP BY survey_id, question_key`,
		} {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		var surveys []m130Survey
		if err := tx.Find(&surveys).Error; err != nil {
			return err
		}
		for _, sv := range surveys {
			var pages []m130Page
			if err := json.Unmarshal([]byte(sv.Pages), &pages); err != nil {
				return fmt.Errorf("survey %d: reading its questions: %w", sv.ID, err)
			}
			var keys []string
			for _, p := range pages {
				for _, q := range p.Questions {
					if m130Choice[q.Type] && !q.Personal && q.Key != "" {
						keys = append(keys, q.Key)
					}
				}
			}
			if len(keys) == 0 {
				continue
			}
			if err := tx.Exec(`INSERT INTO survey_answer_counts (survey_id, kind, question_key, value, shard, n)
				SELECT survey_id, 2, question_key, value, 0, COUNT(*) FROM response_answers
				WHERE survey_id = ? AND question_key IN ? AND free_text = false AND personal = false
				GROUP BY survey_id, question_key, value`, sv.ID, keys).Error; err != nil {
				return err
			}
		}
		return nil
	}},
}
