package themes

import "gorm.io/gorm"

// Store keeps coded passages, facilitators' decisions and the codebook in
// the database.
type Store struct {
	db *gorm.DB
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }
