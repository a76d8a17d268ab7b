package panels

import (
	"context"
	"time"

	"codesign/audit"

	"gorm.io/gorm"
)

// EraseMember is a member's withdrawal: they leave, and their personal
// details are deleted for good from the member record, their application
// (statement, lived experience, equality answers) and staff notes. Payments
// stay, holding no personal data, until finance rules let them go.
func (s *Store) EraseMember(ctx context.Context, actor *uint, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Member
		if err := lockRow(tx, &m, id); err != nil {
			return err
		}
		if m.ErasedAt != nil {
			return nil
		}
		now := s.now()
		erased := "erased-" + itoa(int(m.ID))
		err := tx.Model(&m).Updates(map[string]any{"status": Left, "name": "Former member " + itoa(int(m.ID)), "email": erased,
			"phone": "", "access_needs": "", "token_hash": nil, "left_at": coalesce(m.LeftAt, now), "erased_at": now}).Error
		if err != nil {
			return err
		}
		if m.ApplicationID != nil {
			if err := eraseApplication(tx, *m.ApplicationID, now); err != nil {
				return err
			}
		}
		if err := s.forget(ctx, tx, ref("member", m.ID), refOrEmpty("application", m.ApplicationID)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_member.erase", Target: ref("member", id)})
	})
}

// EraseApplication erases an applicant who never became a member.
func (s *Store) EraseApplication(ctx context.Context, actor *uint, id uint) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Application
		if err := lockRow(tx, &a, id); err != nil {
			return err
		}
		if err := eraseApplication(tx, id, s.now()); err != nil {
			return err
		}
		if err := s.forget(ctx, tx, ref("application", id)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_application.erase", Target: ref("application", id)})
	})
}

func eraseApplication(tx *gorm.DB, id uint, now time.Time) error {
	err := tx.Model(&Application{}).Where("id = ?", id).Updates(map[string]any{"name": "Erased", "email": "erased-" + itoa(int(id)),
		"phone": "", "lived_experience": "", "statement": "", "availability": "", "access_needs": "", "age_band": "",
		"ethnicity": "", "locality": "", "decline_reason": "", "consent_analysis": false, "idempotency_key": nil, "erased_at": now}).Error
	if err != nil {
		return err
	}
	return tx.Where("application_id = ?", id).Delete(&Note{}).Error
}

// forget removes queued and sent messages about refs: their bodies name people.
func (s *Store) forget(ctx context.Context, tx *gorm.DB, refs ...string) error {
	if s.msgs == nil {
		return nil
	}
	var keep []string
	for _, r := range refs {
		if r != "" {
			keep = append(keep, r)
		}
	}
	return s.msgs.Forget(ctx, tx, keep)
}

// AnonymisePayments unlinks payments from members once finance rules no
// longer require them (PaymentRetentionYears after the session), and
// removes receipt notes. Amounts stay, for the panel's totals. It returns
// how many payments it anonymised.
func (s *Store) AnonymisePayments(ctx context.Context) (int64, error) {
	cutoff := s.now().AddDate(-s.opts.PaymentRetentionYears, 0, 0)
	res := s.db.WithContext(ctx).Model(&Payment{}).
		Where("anonymised_at IS NULL AND session_id IN (?)", s.db.Model(&Session{}).Select("id").Where("starts_at < ?", cutoff)).
		Updates(map[string]any{"member_id": nil, "receipt_note": "", "approved_by": nil, "paid_by": nil, "anonymised_at": s.now()})
	return res.RowsAffected, res.Error
}

func coalesce(t *time.Time, now time.Time) time.Time {
	if t != nil {
		return *t
	}
	return now
}

func refOrEmpty(kind string, id *uint) string {
	if id == nil {
		return ""
	}
	return ref(kind, *id)
}
