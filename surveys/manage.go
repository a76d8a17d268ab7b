package surveys

import (
	"context"
	"fmt"
	"strings"
)

// Import creates a new survey from a definition (already parsed and
// validated by ParseDefinition). It is always stored as a draft unless
// the definition says otherwise.
func (s *Store) Import(ctx context.Context, actor *uint, sv *Survey) error {
	sv.RetiredKeys = nil
	return s.Create(ctx, actor, sv)
}

// Replace swaps a survey's definition for d, keeping what must not
// change once people have answered.
func (s *Store) Replace(ctx context.Context, actor *uint, id uint, d Definition) (*Survey, error) {
	return s.Edit(ctx, actor, id, "replace", func(sv *Survey) error {
		sv.Apply(d)
		return nil
	})
}

// Duplicate copies a survey into a new draft with a slug of its own.
func (s *Store) Duplicate(ctx context.Context, actor *uint, id uint) (*Survey, error) {
	old, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(old.Slug, "-copy")
	if len(base) > 70 {
		base = base[:70]
	}
	for i := 1; i < 100; i++ {
		slug := base + "-copy"
		if i > 1 {
			slug = fmt.Sprintf("%s-copy-%d", base, i)
		}
		cp := old.Duplicate(slug)
		err := s.Create(ctx, actor, cp)
		if f, ok := fieldsErr(err); ok && f.Messages["slug"] != "" {
			continue
		}
		return cp, err
	}
	return nil, conflictf("Too many copies of this survey already exist.")
}

// SetStatus moves a survey to status, one step at a time.
func (s *Store) SetStatus(ctx context.Context, actor *uint, id uint, status Status) (*Survey, error) {
	return s.Edit(ctx, actor, id, "status."+string(status), func(sv *Survey) error {
		if !status.Valid() {
			return conflictf("That is not a status a survey can have.")
		}
		sv.Status = status
		return nil
	})
}
