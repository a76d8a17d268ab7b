package panels

import (
	"context"
	"errors"
	"strings"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// RecordAttendance stores who came to a session, for how long and what
// expenses they claimed, and works out each payment as due. Recording
// again replaces due payments and removes members no longer listed; a
// payment already approved or paid is left exactly as it was.
func (s *Store) RecordAttendance(ctx context.Context, actor *uint, sessionID uint, rows []Attendance) error {
	f := &errs.Fields{}
	for i := range rows {
		rows[i].ReceiptNote = strings.TrimSpace(rows[i].ReceiptNote)
		rows[i].Validate(f)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sess Session
		if err := tx.Take(&sess, sessionID).Error; err != nil {
			return notFound(err)
		}
		var p Panel
		if err := tx.Take(&p, sess.PanelID).Error; err != nil {
			return err
		}
		kept := []uint{0}
		for _, row := range rows {
			if err := s.recordOne(tx, &p, &sess, row); err != nil {
				return err
			}
			kept = append(kept, row.MemberID)
		}
		err := tx.Where("session_id = ? AND status = ? AND member_id NOT IN ?", sessionID, Due, kept).Delete(&Payment{}).Error
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_session.attendance", Target: ref("session", sessionID)})
	})
}

func (s *Store) recordOne(tx *gorm.DB, p *Panel, sess *Session, row Attendance) error {
	var m Member
	if err := tx.Where("id = ? AND panel_id = ?", row.MemberID, p.ID).Take(&m).Error; err != nil {
		return notFound(err)
	}
	fee := Fee(p.RateKind, p.RatePence, row.Minutes, m.NotPaid())
	pay := Payment{SessionID: sess.ID, MemberID: &m.ID, Minutes: row.Minutes, RateKind: p.RateKind, RatePence: p.RatePence,
		FeePence: fee, ExpensesPence: row.ExpensesPence, ReceiptNote: row.ReceiptNote, TotalPence: fee + row.ExpensesPence, Status: Due}
	var old Payment
	err := tx.Where("session_id = ? AND member_id = ?", sess.ID, m.ID).Take(&old).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return tx.Omit("Session", "Member").Create(&pay).Error
	case err != nil:
		return err
	case old.Status != Due:
		return nil // approved or paid: finance has seen it, so it stays
	}
	pay.ID, pay.CreatedAt = old.ID, old.CreatedAt
	return tx.Omit("Session", "Member").Save(&pay).Error
}
