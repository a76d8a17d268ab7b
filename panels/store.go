package panels

import (
	"context"
	"errors"
	"strconv"
	"time"

	"codesign/audit"
	"codesign/errs"
	"codesign/messages"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Options are the rules a deployment sets.
type Options struct {
	// BaseURL starts the private links in messages.
	BaseURL string
	// WarnAbovePence is the yearly total above which a member's payments
	// may affect their benefits; staff see a warning. 0 turns it off.
	WarnAbovePence int64
	// PaymentRetentionYears is how long finance rules keep payment
	// records; after that they are anonymised.
	PaymentRetentionYears int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store reads and writes panels and everything that belongs to them.
type Store struct {
	db   *gorm.DB
	msgs *messages.Store
	opts Options
}

// NewStore returns a Store over db that queues its messages in msgs.
func NewStore(db *gorm.DB, msgs *messages.Store, opts Options) *Store {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PaymentRetentionYears <= 0 {
		opts.PaymentRetentionYears = 7
	}
	return &Store{db: db, msgs: msgs, opts: opts}
}

func (s *Store) now() time.Time { return s.opts.Now().UTC() }

// WarnAbovePence is the benefits warning threshold.
func (s *Store) WarnAbovePence() int64 { return s.opts.WarnAbovePence }

var errSlugTaken = &errs.Fields{Messages: map[string]string{"slug": "Another panel already uses this web address"}, Order: []string{"slug"}}

// Create stores a new panel.
func (s *Store) Create(ctx context.Context, actor *uint, p *Panel) error {
	if err := p.Validate(); err != nil {
		return err
	}
	normalisePanel(p)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel.create", Target: ref("panel", p.ID)})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errSlugTaken
	}
	return err
}

// Update saves staff changes to a panel's terms.
func (s *Store) Update(ctx context.Context, actor *uint, p *Panel) error {
	if err := p.Validate(); err != nil {
		return err
	}
	normalisePanel(p)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Panel
		if err := tx.Take(&old, p.ID).Error; err != nil {
			return notFound(err)
		}
		p.CreatedAt = old.CreatedAt
		if err := tx.Save(p).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel.update", Target: ref("panel", p.ID)})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errSlugTaken
	}
	return err
}

func normalisePanel(p *Panel) {
	for _, t := range []**time.Time{&p.RecruitFrom, &p.RecruitUntil} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
}

// Get returns a panel by id.
func (s *Store) Get(ctx context.Context, id uint) (*Panel, error) {
	var p Panel
	if err := s.db.WithContext(ctx).Take(&p, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// BySlug returns a panel by its web address.
func (s *Store) BySlug(ctx context.Context, slug string) (*Panel, error) {
	var p Panel
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&p).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// List returns every panel, newest first.
func (s *Store) List(ctx context.Context) ([]Panel, error) {
	var out []Panel
	return out, s.db.WithContext(ctx).Order("id DESC").Find(&out).Error
}

// Recruiting returns the panels taking applications now.
func (s *Store) Recruiting(ctx context.Context) ([]Panel, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Panel
	now := s.now()
	for _, p := range all {
		if p.Recruiting(now) {
			out = append(out, p)
		}
	}
	return out, nil
}

// notFound turns gorm's not-found into the package's ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// lockRow reads dst by id inside tx, locking the row on PostgreSQL so that
// two staff deciding at once are applied one after the other. SQLite needs
// no lock: its single writer runs transactions in turn.
func lockRow(tx *gorm.DB, dst any, id uint) error {
	q := tx
	if tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return notFound(q.Take(dst, id).Error)
}

func ref(kind string, id uint) string { return kind + ":" + strconv.FormatUint(uint64(id), 10) }
