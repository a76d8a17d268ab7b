package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen shapes for the foundation steps. Do not edit: add a new step.

type m1User struct {
	ID           uint   `gorm:"primaryKey"`
	Email        string `gorm:"size:254;not null;uniqueIndex"`
	Name         string `gorm:"size:200;not null"`
	Role         string `gorm:"size:20;not null"`
	PasswordHash string `gorm:"size:200;not null"`
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
}

func (m1User) TableName() string { return "users" }

type m1Session struct {
	ID         string    `gorm:"primaryKey;size:64"` // SHA-256 of the cookie value
	UserID     uint      `gorm:"not null;index"`
	User       m1User    `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
}

func (m1Session) TableName() string { return "sessions" }

type m1APIToken struct {
	ID         uint   `gorm:"primaryKey"`
	UserID     uint   `gorm:"not null;index"`
	User       m1User `gorm:"constraint:OnDelete:CASCADE"`
	Name       string `gorm:"size:100;not null"`
	TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (m1APIToken) TableName() string { return "api_tokens" }

type m1LoginThrottle struct {
	Key         string `gorm:"primaryKey;size:64"` // SHA-256 of the lower-cased email
	Failures    int    `gorm:"not null"`
	LockedUntil *time.Time
	UpdatedAt   time.Time `gorm:"not null;index"`
}

func (m1LoginThrottle) TableName() string { return "login_throttles" }

type m1AuditEvent struct {
	ID          uint      `gorm:"primaryKey"`
	At          time.Time `gorm:"not null;index"`
	ActorUserID *uint     `gorm:"index"`
	Action      string    `gorm:"size:60;not null;index"`
	Target      string    `gorm:"size:200;not null"`
	Detail      string    `gorm:"size:1000;not null"`
}

func (m1AuditEvent) TableName() string { return "audit_events" }

type m2Programme struct {
	ID           uint   `gorm:"primaryKey"`
	Slug         string `gorm:"size:80;not null;uniqueIndex"`
	Name         string `gorm:"size:200;not null"`
	Organisation string `gorm:"size:200;not null"`
	Summary      string `gorm:"type:text;not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (m2Programme) TableName() string { return "programmes" }

type m2Locality struct {
	ID      uint   `gorm:"primaryKey"`
	Key     string `gorm:"size:40;not null;uniqueIndex"`
	Name    string `gorm:"size:100;not null"`
	Summary string `gorm:"type:text;not null"`
	Sort    int    `gorm:"not null"`
}

func (m2Locality) TableName() string { return "localities" }

type m2Venue struct {
	ID               uint       `gorm:"primaryKey"`
	Name             string     `gorm:"size:200;not null;uniqueIndex"`
	Kind             string     `gorm:"size:40;not null"`
	Address          string     `gorm:"size:300;not null"`
	LocalityID       uint       `gorm:"not null;index"`
	Locality         m2Locality `gorm:"constraint:OnDelete:RESTRICT"`
	StepFree         bool       `gorm:"not null"`
	HearingLoop      bool       `gorm:"not null"`
	AccessibleToilet bool       `gorm:"not null"`
	QuietRoom        bool       `gorm:"not null"`
	BabyChanging     bool       `gorm:"not null"`
	Notes            string     `gorm:"type:text;not null"`
}

func (m2Venue) TableName() string { return "venues" }

var foundationSteps = []Migration{
	{Version: 1, Name: "staff accounts, sessions, tokens, throttling, audit", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m1User{}, &m1Session{}, &m1APIToken{}, &m1LoginThrottle{}, &m1AuditEvent{})
	}},
	{Version: 2, Name: "programmes, localities and venues", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m2Programme{}, &m2Locality{}, &m2Venue{})
	}},
	{Version: 3, Name: "settings shared by every instance", Up: func(tx *gorm.DB) error {
		return createTables(tx, &m3Setting{})
	}},
}

type m3Setting struct {
	Key       string `gorm:"primaryKey;size:100"`
	Value     string `gorm:"type:text;not null"`
	UpdatedAt time.Time
}

func (m3Setting) TableName() string { return "settings" }
