package panels

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// What data-protection requests and retention need from the panel tables:
// finding a person's applications and memberships, and deleting them for
// good. EraseMember and EraseApplication blank a record and keep it; these
// delete the rows. Each method takes the caller's transaction as tx (nil
// uses the store's database), so an erasure across packages commits whole.

func (s *Store) on(ctx context.Context, tx *gorm.DB) *gorm.DB {
	if tx == nil {
		tx = s.db
	}
	return tx.WithContext(ctx)
}

// Ref names the application in messages and the audit log.
func (a *Application) Ref() string { return ref("application", a.ID) }

// Ref names the member in messages and the audit log.
func (m *Member) Ref() string { return ref("member", m.ID) }

// contactIDs reads the id, email and phone of every row of model a batch
// at a time, and returns the ids whose email or phone match reports true
// for: contact details are written in too many ways to compare in SQL.
func contactIDs(db *gorm.DB, model any, match func(string) bool) ([]uint, error) {
	var rows []struct {
		ID    uint
		Email string
		Phone string
	}
	var ids []uint
	err := db.Model(model).Select("id, email, phone").FindInBatches(&rows, 1000, func(*gorm.DB, int) error {
		for _, r := range rows {
			if (r.Email != "" && match(r.Email)) || (r.Phone != "" && match(r.Phone)) {
				ids = append(ids, r.ID)
			}
		}
		return nil
	}).Error
	return ids, err
}

// ApplicationsMatching returns the applications whose email or phone match
// reports true for, with their statements, oldest first.
func (s *Store) ApplicationsMatching(ctx context.Context, tx *gorm.DB, match func(string) bool) ([]Application, error) {
	ids, err := contactIDs(s.on(ctx, tx), &Application{}, match)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []Application
	return out, s.on(ctx, tx).Where("id IN ?", ids).Order("id").Find(&out).Error
}

// MembersMatching returns the members whose email or phone match reports
// true for, oldest first.
func (s *Store) MembersMatching(ctx context.Context, tx *gorm.DB, match func(string) bool) ([]Member, error) {
	ids, err := contactIDs(s.on(ctx, tx), &Member{}, match)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []Member
	return out, s.on(ctx, tx).Where("id IN ?", ids).Order("id").Find(&out).Error
}

// ReviewComment is what a member said about one item of a review.
type ReviewComment struct {
	Review   string
	Item     string
	Comment  string
	Approved bool
	At       time.Time
}

// ReviewComments lists what a member said in reviews of draft findings.
func (s *Store) ReviewComments(ctx context.Context, tx *gorm.DB, memberID uint) ([]ReviewComment, error) {
	var out []ReviewComment
	err := s.on(ctx, tx).Table("panel_review_responses AS r").
		Select("v.title AS review, it.text AS item, r.comment, r.approved, r.updated_at AS at").
		Joins("JOIN panel_review_invitations i ON i.id = r.invitation_id").
		Joins("JOIN panel_review_items it ON it.id = r.item_id").
		Joins("JOIN panel_reviews v ON v.id = i.review_id").
		Where("i.member_id = ?", memberID).Order("r.id").Scan(&out).Error
	return out, err
}

// Unsettled counts the payments of members not yet paid: erasing them
// leaves finance unable to say who to pay.
func (s *Store) Unsettled(ctx context.Context, tx *gorm.DB, memberIDs []uint) (int64, error) {
	if len(memberIDs) == 0 {
		return 0, nil
	}
	var n int64
	return n, s.on(ctx, tx).Model(&Payment{}).Where("member_id IN ? AND status <> ?", memberIDs, Paid).Count(&n).Error
}

// PersonErasure says what ErasePeople did.
type PersonErasure struct {
	Applications int64 // deleted, with their staff notes
	Members      int64 // deleted, with their review links and comments
	Comments     int64 // review comments deleted
	// Payments are kept, unlinked from the member and without receipt
	// notes: the panel's payment totals and finance records stay right.
	Payments int64
}

// ErasePeople deletes applications and members for good, inside tx: a
// member's application goes with them, and so does a member made from an
// erased application. Payments stay as amounts linked to nobody. Messages
// about them are deleted too.
func (s *Store) ErasePeople(ctx context.Context, tx *gorm.DB, applicationIDs, memberIDs []uint) (PersonErasure, error) {
	var out PersonErasure
	db := s.on(ctx, tx)
	var linked []Member
	if err := db.Where("id IN ? OR application_id IN ?", orNone(memberIDs), orNone(applicationIDs)).Find(&linked).Error; err != nil {
		return out, err
	}
	members, apps := []uint{}, slices.Clone(applicationIDs)
	refs := []string{}
	for _, m := range linked {
		members = append(members, m.ID)
		refs = append(refs, m.Ref())
		if m.ApplicationID != nil && !slices.Contains(apps, *m.ApplicationID) {
			apps = append(apps, *m.ApplicationID)
		}
	}
	for _, id := range apps {
		refs = append(refs, ref("application", id))
	}
	var err error
	if out.Payments, out.Comments, out.Members, err = s.deleteMembers(db, members); err != nil {
		return out, err
	}
	if out.Applications, err = deleteApplications(db, apps); err != nil {
		return out, err
	}
	if len(refs) == 0 || s.msgs == nil {
		return out, nil
	}
	return out, s.msgs.Forget(ctx, db, refs)
}

// orNone is ids with 0, an id no row has, so that IN () is never empty.
func orNone(ids []uint) []uint { return append(slices.Clone(ids), 0) }

func (s *Store) deleteMembers(db *gorm.DB, ids []uint) (payments, comments, members int64, err error) {
	if len(ids) == 0 {
		return 0, 0, 0, nil
	}
	res := db.Model(&Payment{}).Where("member_id IN ?", ids).
		Updates(map[string]any{"member_id": nil, "receipt_note": "", "anonymised_at": s.now()})
	if res.Error != nil {
		return 0, 0, 0, res.Error
	}
	invitations := db.Model(&Invitation{}).Select("id").Where("member_id IN ?", ids)
	del := db.Where("invitation_id IN (?)", invitations).Delete(&Response{})
	if del.Error != nil {
		return 0, 0, 0, del.Error
	}
	if err := db.Where("member_id IN ?", ids).Delete(&Invitation{}).Error; err != nil {
		return 0, 0, 0, err
	}
	gone := db.Where("id IN ?", ids).Delete(&Member{})
	return res.RowsAffected, del.RowsAffected, gone.RowsAffected, gone.Error
}

func deleteApplications(db *gorm.DB, ids []uint) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	if err := db.Where("application_id IN ?", ids).Delete(&Note{}).Error; err != nil {
		return 0, err
	}
	res := db.Where("id IN ?", ids).Delete(&Application{})
	return res.RowsAffected, res.Error
}

// ApplicationsNotTakenForward lists the applications, never accepted and
// never made a member, of panels whose recruitment closed before cutoff:
// its closing date passed then, or staff closed it and have not changed
// the panel since. The application form promises to delete them.
func (s *Store) ApplicationsNotTakenForward(ctx context.Context, tx *gorm.DB, cutoff time.Time) ([]uint, error) {
	db := s.on(ctx, tx)
	closed := db.Model(&Panel{}).Select("id").
		Where("(recruit_until IS NOT NULL AND recruit_until < ?) OR (recruit_open = ? AND updated_at < ?)", cutoff, false, cutoff)
	members := db.Model(&Member{}).Select("application_id").Where("application_id IS NOT NULL")
	var ids []uint
	err := db.Model(&Application{}).Where("status <> ? AND panel_id IN (?) AND id NOT IN (?)", Accepted, closed, members).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}

// MembersLeftBefore lists the members who left before cutoff and have no
// payment still to be made: those with one wait until finance has paid.
func (s *Store) MembersLeftBefore(ctx context.Context, tx *gorm.DB, cutoff time.Time) ([]uint, error) {
	db := s.on(ctx, tx)
	unpaid := db.Model(&Payment{}).Select("member_id").Where("member_id IS NOT NULL AND status <> ?", Paid)
	var ids []uint
	err := db.Model(&Member{}).Where("status = ? AND left_at IS NOT NULL AND left_at < ? AND id NOT IN (?)", Left, cutoff, unpaid).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}
