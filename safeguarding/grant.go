package safeguarding

import (
	"context"
	"strconv"
	"time"

	"codesign/audit"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Grant gives one member of staff the safeguarding permission: to read
// the queue, see contact details and record actions. It is separate from
// the role. Admins grant and remove it, and need it themselves to read
// the queue, so who can read disclosures is always an explicit list.
type Grant struct {
	UserID    uint `gorm:"primaryKey;autoIncrement:false"`
	GrantedBy *uint
	GrantedAt time.Time
}

// TableName keeps safeguarding tables together.
func (Grant) TableName() string { return "safeguarding_grants" }

// Allowed reports whether the member of staff has the permission.
func (s *Store) Allowed(ctx context.Context, userID uint) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Grant{}).Where("user_id = ?", userID).Count(&n).Error
	return n > 0, err
}

// Grants returns every grant by user id.
func (s *Store) Grants(ctx context.Context) (map[uint]Grant, error) {
	var all []Grant
	if err := s.db.WithContext(ctx).Find(&all).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]Grant, len(all))
	for _, g := range all {
		out[g.UserID] = g
	}
	return out, nil
}

// SetGrant gives (on) or removes the permission of userID, as actor.
// Doing what is already done changes nothing and records nothing.
func (s *Store) SetGrant(ctx context.Context, actor *uint, userID uint, on bool) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var res *gorm.DB
		action := "safeguarding.grant"
		if on {
			res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Grant{UserID: userID, GrantedBy: actor, GrantedAt: time.Now().UTC()})
		} else {
			action = "safeguarding.revoke"
			res = tx.Where("user_id = ?", userID).Delete(&Grant{})
		}
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: action, Target: "user:" + strconv.FormatUint(uint64(userID), 10)})
	})
}

// Refused records that a member of staff without the permission tried to
// open target (an item, or the queue itself).
func (s *Store) Refused(ctx context.Context, actor uint, target string) error {
	return audit.Record(ctx, s.db.WithContext(ctx), audit.Event{ActorUserID: &actor, Action: "safeguarding.refused", Target: target})
}

// Viewed records that actor read an item, or with contact true, the
// contact details left in the same response.
func (s *Store) Viewed(ctx context.Context, actor uint, itemID uint, contact bool) error {
	action := "safeguarding.item_viewed"
	if contact {
		action = "safeguarding.contact_viewed"
	}
	return audit.Record(ctx, s.db.WithContext(ctx), audit.Event{ActorUserID: &actor, Action: action, Target: ItemRef(itemID)})
}
