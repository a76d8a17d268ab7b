// Package programmes owns the engagement programme a deployment runs and the
// places it happens in: localities and the venues residents already use.
// Workshops, surveys and reports refer to these.
package programmes

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codesign/errs"

	"gorm.io/gorm"
)

// ErrNotFound means no such programme, locality or venue.
var ErrNotFound = fmt.Errorf("programme record %w", errs.ErrNotFound)

// Programme is one co-design programme, such as a redesign of early help.
type Programme struct {
	ID           uint
	Slug         string
	Name         string
	Organisation string
	Summary      string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Locality is an area of the borough (North, Central, South).
type Locality struct {
	ID      uint
	Key     string
	Name    string
	Summary string
	Sort    int
}

// Venue is a place people already go, with what it offers for access.
type Venue struct {
	ID               uint
	Name             string
	Kind             string // library, community hub, children's centre, GP practice, online
	Address          string
	LocalityID       uint
	Locality         Locality
	StepFree         bool
	HearingLoop      bool
	AccessibleToilet bool
	QuietRoom        bool
	BabyChanging     bool
	Notes            string
}

// Store reads and writes programmes and places.
type Store struct{ db *gorm.DB }

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Current returns the programme this deployment runs (the first one).
func (s *Store) Current(ctx context.Context) (*Programme, error) {
	var p Programme
	err := s.db.WithContext(ctx).Order("id").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &p, err
}

// Localities returns the localities in display order.
func (s *Store) Localities(ctx context.Context) ([]Locality, error) {
	var out []Locality
	return out, s.db.WithContext(ctx).Order("sort, id").Find(&out).Error
}

// Venues returns every venue with its locality, by locality then name.
func (s *Store) Venues(ctx context.Context) ([]Venue, error) {
	var out []Venue
	err := s.db.WithContext(ctx).Joins("Locality").Order("\"Locality\".sort, venues.name").Find(&out).Error
	return out, err
}

// Seed stores a programme with its localities and venues in one
// transaction. Venues name their locality by key in LocalityKey.
func (s *Store) Seed(ctx context.Context, p *Programme, locs []Locality, venues []SeedVenue) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		ids := map[string]uint{}
		for i := range locs {
			if err := tx.Create(&locs[i]).Error; err != nil {
				return err
			}
			ids[locs[i].Key] = locs[i].ID
		}
		for _, sv := range venues {
			v := sv.Venue
			v.LocalityID = ids[sv.LocalityKey]
			if v.LocalityID == 0 {
				return fmt.Errorf("venue %q names unknown locality %q", v.Name, sv.LocalityKey)
			}
			if err := tx.Omit("Locality").Create(&v).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// SeedVenue is a venue with its locality named by key.
type SeedVenue struct {
	Venue
	LocalityKey string
}
