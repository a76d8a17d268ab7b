package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the learned model (themes range, 200-299). Do not
// edit: add a new step.

// m220Model is one trained set of per-code classifiers. version is unique,
// so two instances finishing a retrain at once store one model, not two.
// Only the newest model keeps its parameters: an older one keeps its
// figures for the record, and words erased from the passages leave the
// database with the next retrain.
type m220Model struct {
	ID      uint `gorm:"primaryKey"`
	Version int  `gorm:"not null;uniqueIndex"`
	// What it learned from: the newest review-queue decision, how many
	// there were (undone ones included, so a deletion shows) and how many
	// were undone.
	LastDecisionID uint      `gorm:"not null"`
	Decisions      int       `gorm:"not null"`
	Undone         int       `gorm:"not null"`
	Examples       int       `gorm:"not null"` // passages
	Trained        int       `gorm:"not null"` // codes with a classifier
	Accuracy       float64   `gorm:"not null"` // cross-validated, over the trained codes
	TermF1         float64   `gorm:"not null"`
	BlendedF1      float64   `gorm:"not null"`
	Options        string    `gorm:"type:text;not null"` // JSON
	Stats          string    `gorm:"type:text;not null"` // JSON: per code, examples and cross-validated scores
	Params         string    `gorm:"type:text;not null"` // JSON: the weights; empty once a newer model is stored
	Checksum       string    `gorm:"size:64;not null"`   // SHA-256 of params, the key of the in-memory cache
	RunID          uint      `gorm:"not null"`
	TrainedAt      time.Time `gorm:"not null"`
}

func (m220Model) TableName() string { return "theme_models" }

// m220ModelRun is one retrain, on demand or in the background, and its
// progress. running is true while it runs and NULL after: its unique index
// lets only one run at a time.
type m220ModelRun struct {
	ID         uint      `gorm:"primaryKey"`
	Running    *bool     `gorm:"uniqueIndex"`
	Status     string    `gorm:"size:20;not null"`
	Step       string    `gorm:"size:120;not null"`
	Done       int       `gorm:"not null"`
	Total      int       `gorm:"not null"`
	Error      string    `gorm:"size:300;not null"`
	Version    int       `gorm:"not null"` // the model it left in use; 0 for none
	StartedBy  uint      `gorm:"not null"` // 0 for the background job
	CreatedAt  time.Time `gorm:"not null;index"`
	UpdatedAt  time.Time `gorm:"not null"`
	FinishedAt *time.Time
}

func (m220ModelRun) TableName() string { return "theme_model_runs" }

var themesModelSteps = []Migration{
	{Version: 220, Name: "learned models of facilitators' decisions and their retrain runs", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m220Model{}, &m220ModelRun{})
	}},
}
