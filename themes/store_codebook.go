package themes

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// CodebookVersion is one saved state of the codebook. Every change staff
// make (an edit, a new code, a merge, an import) stores the whole codebook
// again as a new version, so its history can be read and any version
// downloaded. With no version stored, the codebook is the one shipped
// with codesign (version 0).
type CodebookVersion struct {
	ID        uint
	BasedOn   uint   // the version this one replaced
	YAML      string `gorm:"column:yaml"`
	Kind      string // KindEdit, KindAdd, KindMerge or KindImport
	Summary   string // what changed, in codesign's words
	Note      string // why, in the words of the member of staff
	UserID    uint
	CreatedAt time.Time
}

// TableName keeps the themes tables together.
func (CodebookVersion) TableName() string { return "theme_codebook_versions" }

// What changed a version of the codebook.
const (
	KindEdit   = "edit"
	KindAdd    = "add"
	KindMerge  = "merge"
	KindImport = "import"
)

// MaxNote is the longest change note.
const MaxNote = 500

// Audit actions for the codebook.
const (
	CodebookChangedAction = "themes.codebook_changed"
	CodesMergedAction     = "themes.codes_merged"
)

// bookCache holds the current codebook, parsed once per version, and its
// coder, compiled once per version. Whether a newer version has been saved
// (here or by another instance) is asked on every call: one indexed read
// of the newest id, 25-40 µs on SQLite and about 0.1 ms on PostgreSQL,
// against 1.5 ms to parse the codebook and 4-5 ms to compile its terms
// (BenchmarkCodebookCheck, BenchmarkCodebookParseAndCompile). So an edit
// on one instance is used by the next request on any other, with no
// time-to-live to tune.
type bookCache struct {
	mu    sync.Mutex
	entry *bookEntry
	hook  func(*Coder) *Coder
}

type bookEntry struct {
	version uint
	book    *Codebook
	base    func() *Coder // the codebook's terms compiled
	coder   func() *Coder // base with the hook applied
}

func newEntry(version uint, book *Codebook, hook func(*Coder) *Coder) *bookEntry {
	e := &bookEntry{version: version, book: book, base: sync.OnceValue(func() *Coder { return NewCoder(book) })}
	return e.withHook(hook)
}

// withHook is the same version with another hook; the terms are not
// compiled again.
func (e *bookEntry) withHook(hook func(*Coder) *Coder) *bookEntry {
	out := &bookEntry{version: e.version, book: e.book, base: e.base}
	out.coder = sync.OnceValue(func() *Coder {
		c := out.base()
		if hook != nil {
			c = hook(c)
		}
		return c
	})
	return out
}

var defaultBook = sync.OnceValues(DefaultCodebook)

// Codebook returns the codebook passages are coded and reviewed against:
// the newest version staff saved, or the one shipped with codesign. It is
// shared: callers must not change it.
func (s *Store) Codebook(ctx context.Context) (*Codebook, error) {
	e, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return e.book, nil
}

// CurrentCodebook returns the codebook with its version (0 for the one
// shipped with codesign), which an edit form sends back so that a change
// made meanwhile is not overwritten.
func (s *Store) CurrentCodebook(ctx context.Context) (*Codebook, uint, error) {
	e, err := s.current(ctx)
	if err != nil {
		return nil, 0, err
	}
	return e.book, e.version, nil
}

// Coder returns a coder for the current codebook. Its terms are compiled
// once per version, and the hook set with SetCoderHook is applied once.
func (s *Store) Coder(ctx context.Context) (*Coder, error) {
	e, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return e.coder(), nil
}

// SetCoderHook sets a function that Coder passes each newly compiled coder
// through, and returns what it returns. HOOK: this is where the per-code
// classifier attaches its model to the term matcher. Setting the hook
// again (after retraining, say) applies the new one on the next call to
// Coder without compiling the terms again. nil removes it.
func (s *Store) SetCoderHook(hook func(*Coder) *Coder) {
	s.book.mu.Lock()
	defer s.book.mu.Unlock()
	s.book.hook = hook
	if s.book.entry != nil {
		s.book.entry = s.book.entry.withHook(hook)
	}
}

// current returns the cached codebook when it is still the newest, and
// otherwise reads and parses the newest.
func (s *Store) current(ctx context.Context) (*bookEntry, error) {
	id, err := latestVersion(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	s.book.mu.Lock()
	e := s.book.entry
	s.book.mu.Unlock()
	if e != nil && e.version == id {
		return e, nil
	}
	book, err := loadVersion(s.db.WithContext(ctx), id)
	if err != nil {
		return nil, err
	}
	return s.remember(id, book), nil
}

// remember keeps version id as the current codebook, unless a newer one is
// kept already (two requests loading at once).
func (s *Store) remember(id uint, book *Codebook) *bookEntry {
	s.book.mu.Lock()
	defer s.book.mu.Unlock()
	if s.book.entry == nil || s.book.entry.version < id {
		s.book.entry = newEntry(id, book, s.book.hook)
	}
	return s.book.entry
}

// latestVersion is the id of the newest stored version, or 0.
func latestVersion(db *gorm.DB) (uint, error) {
	var ids []uint
	err := db.Model(&CodebookVersion{}).Order("id DESC").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// loadVersion reads and parses version id; 0 is the default.
func loadVersion(db *gorm.DB, id uint) (*Codebook, error) {
	if id == 0 {
		return defaultBook()
	}
	var v CodebookVersion
	if err := db.Select("yaml").Take(&v, id).Error; err != nil {
		return nil, notFound(err)
	}
	cb, err := ParseCodebook([]byte(v.YAML))
	if err != nil {
		return nil, fmt.Errorf("stored codebook version %d: %w", id, err)
	}
	return cb, nil
}

// CodebookVersions lists the stored versions, newest first, without their
// YAML.
func (s *Store) CodebookVersions(ctx context.Context, limit int) ([]CodebookVersion, error) {
	var out []CodebookVersion
	err := s.db.WithContext(ctx).Omit("yaml").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// CodebookVersionYAML returns one version as YAML; 0 is the default.
func (s *Store) CodebookVersionYAML(ctx context.Context, id uint) ([]byte, error) {
	if id == 0 {
		cb, err := defaultBook()
		if err != nil {
			return nil, err
		}
		return cb.YAML()
	}
	var v CodebookVersion
	if err := s.db.WithContext(ctx).Select("yaml").Take(&v, id).Error; err != nil {
		return nil, notFound(err)
	}
	return []byte(v.YAML), nil
}

// Change says who is changing the codebook, from which version and why.
type Change struct {
	Base   uint // the version the person saw; 0 for the default
	UserID uint
	Note   string
}

func (ch *Change) validate() error {
	ch.Note = strings.TrimSpace(ch.Note)
	if utf8.RuneCountInString(ch.Note) > MaxNote {
		return (&errs.Fields{Messages: map[string]string{"note": fmt.Sprintf("Enter a note of at most %d characters", MaxNote)}, Order: []string{"note"}}).Err()
	}
	return nil
}

// errChanged is what someone is told when the codebook changed between
// opening a form and sending it.
var errChanged = &errs.Conflict{Message: "Someone else changed the codebook since you opened this page, so nothing was saved. Go back, reload the page and make your change again."}

// codebookLock is the PostgreSQL advisory lock taken by every change to
// the codebook, so that changes queue rather than fail; SQLite's one
// writer does the same.
const codebookLock = 7320

// currentIn locks the codebook for a change and reads it as stored now.
func currentIn(tx *gorm.DB) (*Codebook, uint, error) {
	if tx.Dialector.Name() == "postgres" {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", codebookLock).Error; err != nil {
			return nil, 0, err
		}
	}
	id, err := latestVersion(tx)
	if err != nil {
		return nil, 0, err
	}
	cb, err := loadVersion(tx, id)
	return cb, id, err
}

// saveVersion checks cb and stores it as the version after base, with an
// audit entry, in tx.
func (s *Store) saveVersion(ctx context.Context, tx *gorm.DB, base uint, cb *Codebook, v *CodebookVersion) error {
	if err := cb.checkStored(); err != nil {
		return fmt.Errorf("themes: refusing to store the codebook: %w", err)
	}
	b, err := cb.YAML()
	if err != nil {
		return err
	}
	v.BasedOn, v.YAML, v.CreatedAt = base, string(b), s.now()
	v.Summary, v.Note = truncate(v.Summary, 300), truncate(v.Note, MaxNote)
	if err := tx.Create(v).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
		return errChanged
	} else if err != nil {
		return err
	}
	action := CodebookChangedAction
	if v.Kind == KindMerge {
		action = CodesMergedAction
	}
	return audit.Record(ctx, tx, audit.Event{ActorUserID: &v.UserID, Action: action,
		Target: fmt.Sprintf("codebook_version:%d", v.ID), Detail: v.Kind + ": " + v.Summary})
}

// saved makes a version this store just saved the current one, so the
// next call sees it without reading it back.
func (s *Store) saved(v *CodebookVersion, cb *Codebook) {
	if v.ID != 0 {
		s.remember(v.ID, cb)
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
