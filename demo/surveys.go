package demo

import (
	"context"

	"gorm.io/gorm"
)

// loadSurveys adds the demo consultation and its responses.
func loadSurveys(ctx context.Context, db *gorm.DB) error { return nil }
