package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"codesign/audit"
	"codesign/errs"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Store reads and writes staff accounts.
type Store struct {
	db   *gorm.DB
	cost int
	now  func() time.Time
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, cost: bcrypt.DefaultCost, now: func() time.Time { return time.Now().UTC() }}
}

// Create adds a member of staff. actor is the admin doing it (nil from the CLI).
func (s *Store) Create(ctx context.Context, actor *uint, n NewUser) (*User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), s.cost)
	if err != nil {
		return nil, fmt.Errorf("hashing password: %w", err)
	}
	u := &User{Email: n.Email, Name: n.Name, Role: n.Role, PasswordHash: string(hash)}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", u.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			f := &errs.Fields{}
			f.Add("email", "A member of staff with this email address already exists")
			return f
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: audit.UserCreated,
			Target: fmt.Sprintf("user:%d", u.ID), Detail: "role " + string(u.Role)})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ByID returns the user with id.
func (s *Store) ByID(ctx context.Context, id uint) (*User, error) {
	var u User
	return s.first(s.db.WithContext(ctx).Where("id = ?", id), &u)
}

// ByEmail returns the user with email (case-insensitive).
func (s *Store) ByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	return s.first(s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))), &u)
}

func (s *Store) first(q *gorm.DB, u *User) (*User, error) {
	if err := q.Take(u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return u, nil
}

// List returns every member of staff, by name.
func (s *Store) List(ctx context.Context) ([]User, error) {
	var out []User
	err := s.db.WithContext(ctx).Order("name, id").Find(&out).Error
	return out, err
}

// Count returns how many accounts exist.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// SetRole changes a user's role. The last active admin cannot be demoted,
// or nobody could manage staff any more.
func (s *Store) SetRole(ctx context.Context, actor *uint, id uint, role Role) error {
	if !role.Valid() {
		f := &errs.Fields{}
		f.Add("role", "Select a role")
		return f
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := s.first(tx.Where("id = ?", id), &User{})
		if err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		if u.Role == Admin && !u.Disabled() {
			if err := s.keepOneAdmin(tx); err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"role": role, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: audit.RoleChanged,
			Target: fmt.Sprintf("user:%d", id), Detail: string(u.Role) + " -> " + string(role)})
	})
}

// SetDisabled disables or re-enables an account. Disabling also ends the
// user's sessions and revokes their API tokens.
func (s *Store) SetDisabled(ctx context.Context, actor *uint, id uint, disabled bool) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := s.first(tx.Where("id = ?", id), &User{})
		if err != nil {
			return err
		}
		if u.Disabled() == disabled {
			return nil
		}
		var at *time.Time
		action := audit.UserEnabled
		if disabled {
			if u.Role == Admin {
				if err := s.keepOneAdmin(tx); err != nil {
					return err
				}
			}
			now := s.now()
			at, action = &now, audit.UserDisabled
			if err := s.endAccess(tx, id); err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"disabled_at": at, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: action, Target: fmt.Sprintf("user:%d", id)})
	})
}

func (s *Store) keepOneAdmin(tx *gorm.DB) error {
	var admins int64
	if err := tx.Model(&User{}).Where("role = ? AND disabled_at IS NULL", Admin).Count(&admins).Error; err != nil {
		return err
	}
	if admins <= 1 {
		return &errs.Conflict{Message: "This is the only active admin. Make someone else an admin first."}
	}
	return nil
}

func (s *Store) endAccess(tx *gorm.DB, userID uint) error {
	if err := tx.Where("user_id = ?", userID).Delete(&session{}).Error; err != nil {
		return err
	}
	return tx.Model(&apiToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", s.now()).Error
}

// Bootstrap creates the first admin when there are no accounts at all. With
// no password given it generates one and returns it, to be shown once.
func (s *Store) Bootstrap(ctx context.Context, email, password string) (created *User, generated string, err error) {
	n, err := s.Count(ctx)
	if err != nil || n > 0 {
		return nil, "", err
	}
	if email == "" {
		email = "admin@example.org"
	}
	if password == "" {
		password = NewSecret(15)
		generated = password
	}
	u, err := s.Create(ctx, nil, NewUser{Email: email, Name: "Administrator", Role: Admin, Password: password})
	if _, dup := errs.AsFields(err); dup {
		// Another instance starting at the same moment created it first.
		if n, cerr := s.Count(ctx); cerr == nil && n > 0 {
			return nil, "", nil
		}
	}
	if err != nil {
		return nil, "", err
	}
	return u, generated, nil
}
