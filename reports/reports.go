// Package reports turns coded evidence into "you said, we did": findings
// per theme with small numbers suppressed, quotes that are redacted and
// never flagged, commitments with their owners and updates, and the
// published versions residents read. It knows nothing of HTTP.
package reports

import "gorm.io/gorm"

// Store keeps findings, commitments and published results.
type Store struct {
	db *gorm.DB
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }
