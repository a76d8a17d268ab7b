package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"codesign/audit"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Login failures. Both say the same to the person signing in, whether or not
// the email belongs to anyone, so the form cannot be used to find staff.
var (
	ErrBadLogin = errors.New("email address or password is not right")
	ErrLocked   = errors.New("too many failed attempts")
)

// FreeAttempts is how many failures are allowed before a lock-out.
const FreeAttempts = 5

// LockedError says how long the lock-out lasts.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string { return ErrLocked.Error() }

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

type loginThrottle struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	LockedUntil *time.Time
	UpdatedAt   time.Time
}

func (loginThrottle) TableName() string { return "login_throttles" }

// A hash of nothing in particular, compared against when the email is
// unknown so that an unknown email takes as long as a wrong password.
var decoyHash, _ = bcrypt.GenerateFromPassword([]byte("decoy password for timing"), bcrypt.DefaultCost)

// Authenticate checks email and password. Repeated failures for one email
// lock it for a time that doubles from one minute up to an hour. The count
// is kept in the database so every instance sees it.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	key := throttleKey(email)
	db := s.db.WithContext(ctx)
	var th loginThrottle
	err := db.Where("key = ?", key).Take(&th).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	if th.LockedUntil != nil && th.LockedUntil.After(s.now()) {
		return nil, &LockedError{Until: *th.LockedUntil}
	}
	u, err := s.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	hash := decoyHash
	if u != nil {
		hash = []byte(u.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || u == nil || u.Disabled() {
		return nil, s.fail(ctx, key, u)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("key = ?", key).Delete(&loginThrottle{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", s.now()).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: &u.ID, Action: audit.LoginSucceeded, Target: fmt.Sprintf("user:%d", u.ID)})
	})
	return u, err
}

// fail counts a failure and locks the email once the free attempts are used.
func (s *Store) fail(ctx context.Context, key string, u *User) error {
	var locked *time.Time
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var th loginThrottle
		err := tx.Where("key = ?", key).Take(&th).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		th.Key = key
		th.Failures++
		th.UpdatedAt = s.now()
		if th.Failures >= FreeAttempts {
			until := s.now().Add(lockFor(th.Failures))
			th.LockedUntil, locked = &until, &until
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&th).Error; err != nil {
			return err
		}
		ev := audit.Event{Action: audit.LoginFailed, Target: "email:" + key[:12]}
		if u != nil {
			ev.Target = fmt.Sprintf("user:%d", u.ID)
		}
		return audit.Record(ctx, tx, ev)
	})
	if err != nil {
		return err
	}
	if locked != nil {
		return &LockedError{Until: *locked}
	}
	return ErrBadLogin
}

func lockFor(failures int) time.Duration {
	d := time.Minute * time.Duration(math.Pow(2, float64(failures-FreeAttempts)))
	if d > time.Hour || d <= 0 {
		return time.Hour
	}
	return d
}

func throttleKey(email string) string {
	sum := sha256.Sum256([]byte("login:" + email))
	return hex.EncodeToString(sum[:])
}

// SetPassword replaces a user's password and ends their other sessions.
func (s *Store) SetPassword(ctx context.Context, id uint, password string) error {
	if msg := PasswordProblem(password); msg != "" {
		return errors.New(msg)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": string(hash), "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", id).Delete(&session{}).Error
	})
}
