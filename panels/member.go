package panels

import (
	"context"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// MemberStatus is whether a member is taking part.
type MemberStatus string

// The member statuses.
const (
	Active MemberStatus = "active"
	Paused MemberStatus = "paused"
	Left   MemberStatus = "left"
)

// Member is an expert by experience on a panel.
type Member struct {
	ID                uint
	PanelID           uint
	ApplicationID     *uint
	Status            MemberStatus
	Name              string
	Email             string
	Phone             string
	PreferredContact  string
	AccessNeeds       string
	PaymentPreference string
	TermStart         time.Time
	TermEnd           time.Time
	TokenHash         *string `json:"-"`
	LeaveRequestedAt  *time.Time
	LeftAt            *time.Time
	ErasedAt          *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// TableName keeps the table name stable.
func (Member) TableName() string { return "panel_members" }

// NotPaid reports whether the member prefers not to be paid for their time.
func (m *Member) NotPaid() bool { return m.PaymentPreference == "not_paid" }

// MemberChange is what staff may change about a member.
type MemberChange struct {
	Status            MemberStatus
	TermStart         time.Time
	TermEnd           time.Time
	PreferredContact  string
	AccessNeeds       string
	PaymentPreference string
}

func (c *MemberChange) validate() error {
	f := &errs.Fields{}
	if c.Status != Active && c.Status != Paused && c.Status != Left {
		f.Add("status", "Select active, paused or left")
	}
	if c.TermStart.IsZero() {
		f.Add("term_start", "Enter the date the term starts, like 2027-01-31")
	}
	if c.TermEnd.IsZero() || !c.TermEnd.After(c.TermStart) {
		f.Add("term_end", "The term must end after it starts")
	}
	if !validKey(ContactPreferences, c.PreferredContact) {
		f.Add("preferred_contact", "Select how they prefer to be contacted")
	}
	if !validKey(PaymentPreferences, c.PaymentPreference) {
		f.Add("payment_preference", "Select how they prefer to be paid")
	}
	if len(c.AccessNeeds) > 2000 {
		f.Add("access_needs", "Access needs must be 2,000 characters or fewer")
	}
	return f.Err()
}

// UpdateMember saves staff changes to a member.
func (s *Store) UpdateMember(ctx context.Context, actor *uint, id uint, c MemberChange) error {
	if err := c.validate(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Member
		if err := lockRow(tx, &m, id); err != nil {
			return err
		}
		if m.ErasedAt != nil {
			return &errs.Conflict{Message: "This member's details have been erased."}
		}
		updates := map[string]any{"status": c.Status, "term_start": c.TermStart.UTC(), "term_end": c.TermEnd.UTC(),
			"preferred_contact": c.PreferredContact, "access_needs": strings.TrimSpace(c.AccessNeeds), "payment_preference": c.PaymentPreference}
		if c.Status == Left && m.LeftAt == nil {
			updates["left_at"] = s.now()
		}
		if err := tx.Model(&m).Updates(updates).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_member.update", Target: ref("member", id)})
	})
}

// Members lists a panel's members: active, then paused, then left.
func (s *Store) Members(ctx context.Context, panelID uint) ([]Member, error) {
	var out []Member
	err := s.db.WithContext(ctx).Where("panel_id = ?", panelID).
		Order("CASE status WHEN 'active' THEN 1 WHEN 'paused' THEN 2 ELSE 3 END, name, id").Find(&out).Error
	return out, err
}

// Member returns one member.
func (s *Store) Member(ctx context.Context, id uint) (*Member, error) {
	var m Member
	if err := s.db.WithContext(ctx).Take(&m, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// MemberByToken finds a member from their private link. Every failure looks
// the same, so the answer never says whether a link once existed.
func (s *Store) MemberByToken(ctx context.Context, token string) (*Member, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, ErrNotFound
	}
	var m Member
	err := s.db.WithContext(ctx).Where("token_hash = ? AND erased_at IS NULL", accounts.HashSecret(token)).Take(&m).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// NewMemberLink replaces a member's private link, for one that was lost;
// the old link stops working.
func (s *Store) NewMemberLink(ctx context.Context, actor *uint, id uint) (string, error) {
	token := accounts.NewSecret(32)
	hash := accounts.HashSecret(token)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Member{}).Where("id = ? AND erased_at IS NULL", id).Update("token_hash", hash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_member.new_link", Target: ref("member", id)})
	})
	return token, err
}

// RequestLeave records, from the member's private link, that they want to
// leave and have their details erased. Staff then settle any payments due
// and erase them.
func (s *Store) RequestLeave(ctx context.Context, token string) error {
	m, err := s.MemberByToken(ctx, token)
	if err != nil {
		return err
	}
	if m.LeaveRequestedAt != nil {
		return nil
	}
	return s.db.WithContext(ctx).Model(m).Update("leave_requested_at", s.now()).Error
}
