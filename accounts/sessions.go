package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"codesign/audit"

	"gorm.io/gorm"
)

// SessionTTL is how long a session lasts without use.
const SessionTTL = 8 * time.Hour

// ErrNoSession means the cookie names no live session.
var ErrNoSession = errors.New("no session")

type session struct {
	ID         string `gorm:"primaryKey"`
	UserID     uint
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (session) TableName() string { return "sessions" }

type apiToken struct {
	ID         uint `gorm:"primaryKey"`
	UserID     uint
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (apiToken) TableName() string { return "api_tokens" }

// NewSecret returns n random bytes as URL-safe text: session cookies, API
// tokens, private links.
func NewSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the OS has no entropy: nothing is safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how secrets are stored: only their SHA-256.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// StartSession creates a new session for u and returns the cookie value.
// A fresh value at every login means a session ID planted before login is
// worth nothing after it.
func (s *Store) StartSession(ctx context.Context, u *User) (string, error) {
	token := NewSecret(32)
	now := s.now()
	row := session{ID: HashSecret(token), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionTTL)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", err
	}
	return token, nil
}

// SessionUser returns the active user behind a session cookie and slides
// the expiry forward (at most once a minute, to spare the writer).
func (s *Store) SessionUser(ctx context.Context, token string) (*User, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNoSession
	}
	var row session
	err := s.db.WithContext(ctx).Where("id = ? AND expires_at > ?", HashSecret(token), s.now()).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	u, err := s.ByID(ctx, row.UserID)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled()) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	if now := s.now(); now.Sub(row.LastSeenAt) > time.Minute {
		err = s.db.WithContext(ctx).Model(&session{}).Where("id = ?", row.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": now.Add(SessionTTL)}).Error
	}
	return u, err
}

// EndSession deletes the session behind token.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("id = ?", HashSecret(token)).Delete(&session{}).Error
}

// PurgeSessions removes expired sessions and stale login counters.
func (s *Store) PurgeSessions(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("expires_at <= ?", s.now()).Delete(&session{}).Error; err != nil {
		return err
	}
	return db.Where("updated_at < ?", s.now().Add(-24*time.Hour)).Delete(&loginThrottle{}).Error
}

// TokenPrefix marks codesign API tokens so they are easy to spot in a leak.
const TokenPrefix = "cds_"

// CreateToken makes an API token for the user with email and returns it.
// Only its hash is stored, so it is shown once.
func (s *Store) CreateToken(ctx context.Context, email, name string) (string, error) {
	u, err := s.ByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	if u.Disabled() {
		return "", fmt.Errorf("the account for %s is disabled", email)
	}
	token := TokenPrefix + NewSecret(32)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row := apiToken{UserID: u.ID, Name: name, TokenHash: HashSecret(token), CreatedAt: s.now()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: &u.ID, Action: audit.TokenCreated,
			Target: fmt.Sprintf("token:%d", row.ID), Detail: name})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// TokenUser returns the active user an API token belongs to.
func (s *Store) TokenUser(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return nil, ErrNoSession
	}
	var row apiToken
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", HashSecret(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	u, err := s.ByID(ctx, row.UserID)
	if err != nil || u.Disabled() {
		return nil, ErrNoSession
	}
	return u, nil
}

// SessionEndedAudit records a logout.
func (s *Store) SessionEndedAudit(ctx context.Context, u *User) error {
	return audit.Record(ctx, s.db, audit.Event{ActorUserID: &u.ID, Action: audit.Logout, Target: fmt.Sprintf("user:%d", u.ID)})
}
