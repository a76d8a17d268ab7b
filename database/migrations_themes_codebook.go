package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shape for the stored codebook (themes range, 200-299). Do not
// edit: add a new step.

// m210CodebookVersion is one saved state of the codebook: the whole of it
// as YAML, what changed, who saved it, when and why. based_on is unique so
// that two people saving at once cannot both build on the same version:
// the second is told to reload.
type m210CodebookVersion struct {
	ID        uint      `gorm:"primaryKey"`
	BasedOn   uint      `gorm:"not null;uniqueIndex"`
	YAML      string    `gorm:"column:yaml;type:text;not null"`
	Kind      string    `gorm:"size:20;not null"`
	Summary   string    `gorm:"size:300;not null"`
	Note      string    `gorm:"size:500;not null"`
	UserID    uint      `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m210CodebookVersion) TableName() string { return "theme_codebook_versions" }

var themesCodebookSteps = []Migration{
	{Version: 210, Name: "codebook versions", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m210CodebookVersion{})
	}},
}
