package surveys

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"codesign/audit"

	"gorm.io/gorm"
)

// Store reads and writes surveys, responses and drafts.
type Store struct {
	db  *gorm.DB
	now func() time.Time
	// cache keeps parsed surveys by slug, so taking an answer costs no
	// read of the definition. Edits through this store drop the entry at
	// once; the TTL bounds how long another instance's edit goes unseen.
	mu    sync.Mutex
	cache map[string]cached
	ttl   time.Duration
	// batch groups responses submitted at the same moment into one
	// transaction (batch.go).
	batch batcher
}

type cached struct {
	s  *Survey
	at time.Time
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, now: time.Now, cache: map[string]cached{}, ttl: 5 * time.Second}
}

// SetClock replaces the clock, for tests of opening and closing dates.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Now is the store's clock in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

func normaliseTimes(sv *Survey) {
	if sv.OpensAt != nil {
		t := sv.OpensAt.UTC()
		sv.OpensAt = &t
	}
	if sv.ClosesAt != nil {
		t := sv.ClosesAt.UTC()
		sv.ClosesAt = &t
	}
	if sv.Pages == nil {
		sv.Pages = []Page{}
	}
	if sv.RetiredKeys == nil {
		sv.RetiredKeys = []string{}
	}
}

// Create stores a new survey. A slug already in use is a field error.
func (s *Store) Create(ctx context.Context, actor *uint, sv *Survey) error {
	if sv.Status == "" {
		sv.Status = Draft
	}
	normaliseTimes(sv)
	if err := sv.Validate(); err != nil {
		return err
	}
	sv.ID = 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.slugFree(tx, sv.Slug, 0); err != nil {
			return err
		}
		if err := tx.Create(sv).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "survey.create", Target: ref(sv.ID)})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return slugTaken()
	}
	return err
}

func ref(id uint) string { return fmt.Sprintf("survey:%d", id) }

func (s *Store) slugFree(tx *gorm.DB, slug string, id uint) error {
	var n int64
	if err := tx.Model(&Survey{}).Where("slug = ? AND id <> ?", slug, id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return slugTaken()
	}
	return nil
}

// Get returns a survey by id, read fresh for staff pages.
func (s *Store) Get(ctx context.Context, id uint) (*Survey, error) {
	var sv Survey
	err := s.db.WithContext(ctx).Take(&sv, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &sv, err
}

// BySlug returns a survey by slug from the cache when it is fresh. The
// survey returned is shared: callers must not change it.
func (s *Store) BySlug(ctx context.Context, slug string) (*Survey, error) {
	now := time.Now()
	s.mu.Lock()
	c, ok := s.cache[slug]
	s.mu.Unlock()
	if ok && now.Sub(c.at) < s.ttl {
		return c.s, nil
	}
	var sv Survey
	err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cache[slug] = cached{s: &sv, at: now}
	s.mu.Unlock()
	return &sv, nil
}

func (s *Store) forget(slugs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sl := range slugs {
		delete(s.cache, sl)
	}
}

// ListQuery filters the survey list.
type ListQuery struct {
	// OpenAt lists only surveys taking answers at that time.
	OpenAt time.Time
}

// List returns surveys, newest first.
func (s *Store) List(ctx context.Context, q ListQuery) ([]Survey, error) {
	db := s.db.WithContext(ctx).Order("created_at DESC, id DESC")
	if !q.OpenAt.IsZero() {
		t := q.OpenAt.UTC()
		db = db.Where("status = ? AND (opens_at IS NULL OR opens_at <= ?) AND (closes_at IS NULL OR closes_at > ?)", Open, t, t)
	}
	var out []Survey
	return out, db.Find(&out).Error
}

// Edit changes a survey inside one transaction: fn receives the stored
// survey and changes it; the result is validated whole and checked
// against the answers already given before it is saved. Nothing is saved
// if fn or a check fails.
func (s *Store) Edit(ctx context.Context, actor *uint, id uint, action string, fn func(*Survey) error) (*Survey, error) {
	var out *Survey
	var oldSlug string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Survey
		if err := tx.Take(&old, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		var sv Survey
		if err := clone(&old, &sv); err != nil {
			return err
		}
		if err := fn(&sv); err != nil {
			return err
		}
		sv.ID, sv.CreatedAt, oldSlug = old.ID, old.CreatedAt, old.Slug
		if err := s.checkEdit(tx, &old, &sv); err != nil {
			return err
		}
		if err := tx.Save(&sv).Error; err != nil {
			return err
		}
		out = &sv
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "survey." + action, Target: ref(sv.ID)})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, slugTaken()
	}
	if err != nil {
		return nil, err
	}
	s.forget(oldSlug, out.Slug)
	return out, nil
}

// checkEdit validates the edited survey, refuses a status change that
// skips a step, and refuses structural changes that would orphan answers.
func (s *Store) checkEdit(tx *gorm.DB, old, sv *Survey) error {
	normaliseTimes(sv)
	sv.RetiredKeys = retire(old, sv)
	if err := sv.Validate(); err != nil {
		return err
	}
	if old.Status != sv.Status && !old.Status.CanMoveTo(sv.Status) {
		return conflictf("A survey that is %s cannot be made %s.", old.Status, sv.Status)
	}
	if err := s.slugFree(tx, sv.Slug, sv.ID); err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&Response{}).Where("survey_id = ?", sv.ID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if old.Slug != sv.Slug {
		return conflictf("This survey has responses, so its web address cannot change: people may have saved links to it.")
	}
	return orphans(old, sv)
}
