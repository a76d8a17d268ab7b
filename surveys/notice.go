package surveys

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Notice is a privacy notice's text exactly as residents were shown it. A
// response names the notice it was given under, so what a person agreed to
// stays on record when staff later change the survey's notice. Each
// distinct text is kept once.
type Notice struct {
	Hash      string `gorm:"primaryKey"`
	Text      string
	CreatedAt time.Time
}

// TableName keeps the table name stable.
func (Notice) TableName() string { return "privacy_notices" }

// noticeHash names sv's current notice, or nil when it has none.
func noticeHash(sv *Survey) *string {
	if sv.PrivacyNotice == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(sv.PrivacyNotice))
	h := hex.EncodeToString(sum[:])
	return &h
}

// keepNotice stores sv's current notice if it is not stored yet.
func keepNotice(tx *gorm.DB, sv *Survey, now time.Time) error {
	h := noticeHash(sv)
	if h == nil {
		return nil
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Notice{Hash: *h, Text: sv.PrivacyNotice, CreatedAt: now.UTC()}).Error
}

// Notice returns the privacy notice a response was given under.
func (s *Store) Notice(ctx context.Context, r *Response) (*Notice, error) {
	if r.NoticeHash == nil {
		return nil, ErrNotFound
	}
	var n Notice
	err := s.db.WithContext(ctx).Where("hash = ?", *r.NoticeHash).Take(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	return &n, err
}
