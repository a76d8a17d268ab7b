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

// Review asks panel members to read draft findings and commitments ("you
// said, we did") before they are published: to comment on each item and
// approve its language. The reports module creates reviews through
// CreateReview; this package owns the invitations and the answers.
type Review struct {
	ID        uint
	PanelID   uint
	Title     string
	Intro     string
	ClosesAt  *time.Time
	Items     []ReviewItem `gorm:"foreignKey:ReviewID"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps the table name stable.
func (Review) TableName() string { return "panel_reviews" }

// ReviewItem is one finding or commitment to review. Ref names it in the
// module that owns it, such as "finding:12".
type ReviewItem struct {
	ID       uint
	ReviewID uint
	Position int
	Ref      string
	Text     string
}

// TableName keeps the table name stable.
func (ReviewItem) TableName() string { return "panel_review_items" }

// Invitation is one member's private link to one review.
type Invitation struct {
	ID        uint
	ReviewID  uint
	MemberID  uint
	TokenHash string `json:"-"`
	CreatedAt time.Time
}

// TableName keeps the table name stable.
func (Invitation) TableName() string { return "panel_review_invitations" }

// Response is one member's comment on, and approval of, one item.
type Response struct {
	ID           uint
	InvitationID uint
	ItemID       uint
	Comment      string
	Approved     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps the table name stable.
func (Response) TableName() string { return "panel_review_responses" }

// Open reports whether members can still answer at now.
func (r *Review) Open(now time.Time) bool { return r.ClosesAt == nil || now.Before(*r.ClosesAt) }

// Validate checks a review before it is stored.
func (r *Review) Validate() error {
	f := &errs.Fields{}
	r.Title = strings.TrimSpace(r.Title)
	if r.Title == "" || len(r.Title) > 200 {
		f.Add("title", "Enter a title of 200 characters or fewer")
	}
	if len(r.Items) == 0 {
		f.Add("items", "Add at least one finding or commitment to review")
	}
	for i, it := range r.Items {
		if strings.TrimSpace(it.Text) == "" || len(it.Ref) > 100 {
			f.Add("items", "Every item needs its text and a reference of 100 characters or fewer")
		}
		r.Items[i].Position = i + 1
	}
	return f.Err()
}

// CreateReview stores a review and its items for a panel.
func (s *Store) CreateReview(ctx context.Context, actor *uint, r *Review) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Panel
		if err := tx.Take(&p, r.PanelID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_review.create", Target: ref("review", r.ID)})
	})
}

// GetReview returns a review with its items in order.
func (s *Store) GetReview(ctx context.Context, id uint) (*Review, error) {
	var r Review
	err := s.db.WithContext(ctx).Preload("Items", func(q *gorm.DB) *gorm.DB { return q.Order("position") }).Take(&r, id).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// Reviews lists a panel's reviews, newest first.
func (s *Store) Reviews(ctx context.Context, panelID uint) ([]Review, error) {
	var out []Review
	return out, s.db.WithContext(ctx).Where("panel_id = ?", panelID).Order("id DESC").Find(&out).Error
}

// Invite gives every active member not yet invited a private link to the
// review and messages it to them. It returns the new links by member id.
func (s *Store) Invite(ctx context.Context, actor *uint, reviewID uint) (map[uint]string, error) {
	out := map[uint]string{}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Review
		if err := tx.Take(&r, reviewID).Error; err != nil {
			return notFound(err)
		}
		var members []Member
		err := tx.Where("panel_id = ? AND status = ? AND erased_at IS NULL AND id NOT IN (?)", r.PanelID, Active,
			tx.Model(&Invitation{}).Select("member_id").Where("review_id = ?", reviewID)).Find(&members).Error
		if err != nil {
			return err
		}
		for _, m := range members {
			token := accounts.NewSecret(32)
			if err := tx.Create(&Invitation{ReviewID: reviewID, MemberID: m.ID, TokenHash: accounts.HashSecret(token)}).Error; err != nil {
				return err
			}
			out[m.ID] = token
			body := "Dear " + m.Name + ",\n\nWe would value your view on the draft \"" + r.Title + "\" before it is published. " +
				"You can comment on each item and tell us whether the language is right:\n" + s.opts.BaseURL + "/panel-review/" + token
			if err := s.enqueue(ctx, tx, m.Email, "panel_review", ref("member", m.ID), "Please review: "+r.Title, body); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_review.invite", Target: ref("review", reviewID)})
	})
	return out, err
}
