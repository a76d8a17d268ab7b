package surveys

import (
	"context"
	"errors"
	"time"

	"codesign/accounts"

	"gorm.io/gorm"
)

// SavedDraft is a resident's answers so far, reachable only with the
// private token given when it was first saved; only the token's hash is
// stored. It ends when the survey closes.
type SavedDraft struct {
	ID        uint `gorm:"primaryKey"`
	SurveyID  uint
	TokenHash string
	Answers   Answers `gorm:"serializer:json"`
	Page      int     // the page to come back to
	ExpiresAt time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps the table name stable.
func (SavedDraft) TableName() string { return "response_drafts" }

// draftLife is how long a draft of a survey with no closing date lasts.
const draftLife = 90 * 24 * time.Hour

// SaveDraft stores answers as typed (even ones that need correcting, so
// nothing is lost) under token; an empty token starts a new draft and the
// new token is returned.
func (s *Store) SaveDraft(ctx context.Context, sv *Survey, token string, a Answers, page int) (string, error) {
	now := s.Now()
	if !sv.AcceptsAt(now) {
		return "", sv.closedConflict(now)
	}
	expires := now.Add(draftLife)
	if sv.ClosesAt != nil {
		expires = *sv.ClosesAt
	}
	if token != "" {
		res := s.db.WithContext(ctx).Model(&SavedDraft{}).Where("token_hash = ? AND survey_id = ?", accounts.HashSecret(token), sv.ID).
			Updates(map[string]any{"answers": mustJSON(a), "page": page, "expires_at": expires, "updated_at": now})
		if res.Error != nil {
			return "", res.Error
		}
		if res.RowsAffected == 1 {
			return token, nil
		}
	}
	token = accounts.NewSecret(32)
	d := &SavedDraft{SurveyID: sv.ID, TokenHash: accounts.HashSecret(token), Answers: a, Page: page, ExpiresAt: expires}
	return token, s.db.WithContext(ctx).Create(d).Error
}

// LoadDraft returns the draft for token. A wrong, expired or finished
// token, or one for another survey, is ErrNotFound, with no hint which.
func (s *Store) LoadDraft(ctx context.Context, sv *Survey, token string) (*SavedDraft, error) {
	if token == "" || len(token) > 100 || !sv.AcceptsAt(s.Now()) {
		return nil, ErrNotFound
	}
	var d SavedDraft
	err := s.db.WithContext(ctx).Where("token_hash = ? AND survey_id = ? AND expires_at > ?", accounts.HashSecret(token), sv.ID, s.Now()).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.Answers == nil {
		d.Answers = Answers{}
	}
	return &d, nil
}

// DeleteDraft removes a draft once its answers are submitted.
func (s *Store) DeleteDraft(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.db.WithContext(ctx).Where("token_hash = ?", accounts.HashSecret(token)).Delete(&SavedDraft{}).Error
}

// PurgeDrafts deletes expired drafts, so unfinished answers are not kept
// after their survey closes.
func (s *Store) PurgeDrafts(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", s.Now()).Delete(&SavedDraft{})
	return res.RowsAffected, res.Error
}
