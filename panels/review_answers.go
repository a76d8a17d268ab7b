package panels

import (
	"context"
	"errors"
	"strings"

	"codesign/accounts"
	"codesign/errs"

	"gorm.io/gorm"
)

// Reviewing is what a member sees through their review link.
type Reviewing struct {
	Invitation Invitation
	Review     *Review
	Member     *Member
	Answers    map[uint]Response // by item id
}

// ReviewByToken opens a member's review link. Any unknown token, or a
// member who has been erased, is ErrNotFound with no further hint.
func (s *Store) ReviewByToken(ctx context.Context, token string) (*Reviewing, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, ErrNotFound
	}
	out := &Reviewing{Answers: map[uint]Response{}}
	db := s.db.WithContext(ctx)
	if err := db.Where("token_hash = ?", accounts.HashSecret(token)).Take(&out.Invitation).Error; err != nil {
		return nil, notFound(err)
	}
	var err error
	if out.Member, err = s.Member(ctx, out.Invitation.MemberID); err != nil || out.Member.ErasedAt != nil {
		return nil, ErrNotFound
	}
	if out.Review, err = s.GetReview(ctx, out.Invitation.ReviewID); err != nil {
		return nil, err
	}
	var rs []Response
	if err := db.Where("invitation_id = ?", out.Invitation.ID).Find(&rs).Error; err != nil {
		return nil, err
	}
	for _, r := range rs {
		out.Answers[r.ItemID] = r
	}
	return out, nil
}

// Answer is a member's comment and approval for one item.
type Answer struct {
	ItemID   uint
	Comment  string
	Approved bool
}

// Respond saves a member's answers, replacing what they sent before.
func (s *Store) Respond(ctx context.Context, token string, answers []Answer) error {
	rv, err := s.ReviewByToken(ctx, token)
	if err != nil {
		return err
	}
	if !rv.Review.Open(s.now()) {
		return &errs.Conflict{Message: "This review has closed. Thank you: the team has what you sent before it closed."}
	}
	items := map[uint]bool{}
	for _, it := range rv.Review.Items {
		items[it.ID] = true
	}
	f := &errs.Fields{}
	for _, a := range answers {
		if !items[a.ItemID] {
			return ErrNotFound
		}
		if len(a.Comment) > 5000 {
			f.Add("comment_"+itoa(int(a.ItemID)), "Your comment must be 5,000 characters or fewer")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, a := range answers {
			if err := saveAnswer(tx, rv.Invitation.ID, a); err != nil {
				return err
			}
		}
		return nil
	})
}

func saveAnswer(tx *gorm.DB, invitationID uint, a Answer) error {
	var r Response
	err := tx.Where("invitation_id = ? AND item_id = ?", invitationID, a.ItemID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tx.Create(&Response{InvitationID: invitationID, ItemID: a.ItemID, Comment: strings.TrimSpace(a.Comment), Approved: a.Approved}).Error
	}
	if err != nil {
		return err
	}
	return tx.Model(&r).Updates(map[string]any{"comment": strings.TrimSpace(a.Comment), "approved": a.Approved}).Error
}

// ItemFeedback is what members said about one item, for officers.
type ItemFeedback struct {
	Item     ReviewItem
	Approved int
	Invited  int
	Comments []MemberComment
}

// MemberComment is one member's comment.
type MemberComment struct {
	Member   string
	Comment  string
	Approved bool
}

// Feedback returns each item of a review with its approvals and comments.
func (s *Store) Feedback(ctx context.Context, reviewID uint) (*Review, []ItemFeedback, error) {
	r, err := s.GetReview(ctx, reviewID)
	if err != nil {
		return nil, nil, err
	}
	var invited int64
	if err := s.db.WithContext(ctx).Model(&Invitation{}).Where("review_id = ?", reviewID).Count(&invited).Error; err != nil {
		return nil, nil, err
	}
	var rows []struct {
		ItemID   uint
		Name     string
		Comment  string
		Approved bool
	}
	err = s.db.WithContext(ctx).Table("panel_review_responses AS r").Select("r.item_id, m.name, r.comment, r.approved").
		Joins("JOIN panel_review_invitations AS i ON i.id = r.invitation_id").Joins("JOIN panel_members AS m ON m.id = i.member_id").
		Where("i.review_id = ?", reviewID).Order("r.item_id, m.name").Scan(&rows).Error
	if err != nil {
		return nil, nil, err
	}
	out := make([]ItemFeedback, len(r.Items))
	for i, it := range r.Items {
		out[i] = ItemFeedback{Item: it, Invited: int(invited)}
		for _, row := range rows {
			if row.ItemID != it.ID {
				continue
			}
			out[i].Approved += b2i(row.Approved)
			if row.Comment != "" {
				out[i].Comments = append(out[i].Comments, MemberComment{Member: row.Name, Comment: row.Comment, Approved: row.Approved})
			}
		}
	}
	return r, out, nil
}
