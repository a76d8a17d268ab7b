// Package safeguarding makes sure a risk disclosure reaches a person: free
// text the thematic coder flags for risk goes into a queue that only staff
// with the safeguarding permission see, the duty contact is told through
// the outbox (without the text), and every action on an item is recorded.
// It knows nothing of HTTP.
package safeguarding

import (
	"codesign/messages"

	"gorm.io/gorm"
)

// Store keeps the safeguarding queue.
type Store struct {
	db   *gorm.DB
	msgs *messages.Store
}

// NewStore returns a Store over db that notifies through msgs.
func NewStore(db *gorm.DB, msgs *messages.Store) *Store { return &Store{db: db, msgs: msgs} }
