package database

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/plugin/dbresolver"
)

type setting struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedAt time.Time
}

func (setting) TableName() string { return "settings" }

// SharedSecret returns the secret stored under name, creating a random one
// the first time. Every instance on the same database gets the same value,
// so a CSRF token signed by one is accepted by another.
func SharedSecret(ctx context.Context, db *gorm.DB, name string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	fresh := setting{Key: name, Value: hex.EncodeToString(b), UpdatedAt: time.Now().UTC()}
	// Insert if absent; a racing instance's value wins and both read it back.
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
		return "", err
	}
	var got setting
	err := db.WithContext(ctx).Clauses(dbresolver.Write).Where("key = ?", name).Take(&got).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", errors.New("shared secret vanished")
	}
	return got.Value, err
}
