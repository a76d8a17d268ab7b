// Package errs holds the kinds of error every domain package returns, so the
// HTTP layer can map them to a status in one place: not found, conflict,
// forbidden, and per-field validation messages written for residents.
package errs

import (
	"errors"
	"sort"
	"strings"
)

var (
	// ErrNotFound is wrapped by each package's own ErrNotFound.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the request cannot be applied in the current state
	// (a closed survey, a payment already approved).
	ErrConflict = errors.New("conflict")
	// ErrForbidden means the actor may not do this.
	ErrForbidden = errors.New("forbidden")
)

// Conflict is an ErrConflict with a message fit to show a person.
type Conflict struct{ Message string }

func (c *Conflict) Error() string { return c.Message }

// Is makes errors.Is(err, ErrConflict) true.
func (c *Conflict) Is(target error) bool { return target == ErrConflict }

// Fields carries plain-English messages keyed by field name. Order keeps
// the order fields appear on the form, for the error summary.
type Fields struct {
	Messages map[string]string
	Order    []string
}

// Add records msg for field unless the field already has one: the first
// problem found is the one to fix first.
func (f *Fields) Add(field, msg string) {
	if f.Messages == nil {
		f.Messages = map[string]string{}
	}
	if _, ok := f.Messages[field]; ok {
		return
	}
	f.Messages[field] = msg
	f.Order = append(f.Order, field)
}

// Has reports whether any field has a message.
func (f *Fields) Has() bool { return f != nil && len(f.Messages) > 0 }

// Err returns f as an error, or nil when there is nothing to fix.
func (f *Fields) Err() error {
	if !f.Has() {
		return nil
	}
	return f
}

func (f *Fields) Error() string {
	keys := append([]string(nil), f.Order...)
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+f.Messages[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// AsFields returns the field messages inside err, if any.
func AsFields(err error) (*Fields, bool) {
	var f *Fields
	if errors.As(err, &f) {
		return f, true
	}
	return nil, false
}
