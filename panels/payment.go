package panels

import (
	"context"
	"strconv"
	"time"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// PaymentStatus is where a payment is: due, then approved, then paid.
type PaymentStatus string

// The payment states.
const (
	Due      PaymentStatus = "due"
	Approved PaymentStatus = "approved"
	Paid     PaymentStatus = "paid"
)

// Payment is one member's attendance at one session and what it earns.
// The rate is copied from the panel when attendance is recorded, so a later
// change of rate never changes a payment already worked out.
type Payment struct {
	ID            uint
	SessionID     uint
	Session       Session
	MemberID      *uint // nil once anonymised
	Member        *Member
	Minutes       int
	RateKind      RateKind
	RatePence     int64
	FeePence      int64
	ExpensesPence int64
	ReceiptNote   string
	TotalPence    int64
	Status        PaymentStatus
	ApprovedBy    *uint
	ApprovedAt    *time.Time
	PaidBy        *uint
	PaidAt        *time.Time
	AnonymisedAt  *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName keeps the table name stable.
func (Payment) TableName() string { return "panel_payments" }

// Hours is the time attended, for people.
func (p *Payment) Hours() string { return hoursLabel(p.Minutes) }

// Fee works out the payment for time: minutes x hourly rate rounded to the
// nearest penny, or the session rate for any attendance. Members who prefer
// not to be paid get no fee, though their expenses are still met.
func Fee(kind RateKind, ratePence int64, minutes int, notPaid bool) int64 {
	if notPaid || minutes <= 0 {
		return 0
	}
	if kind == PerSession {
		return ratePence
	}
	return (int64(minutes)*ratePence + 30) / 60
}

// maxExpensesPence is the most one claim may be without a conversation
// with finance first: £500.
const maxExpensesPence = 50_000

// Attendance is what staff record for one member at one session.
type Attendance struct {
	MemberID      uint
	Minutes       int
	ExpensesPence int64
	ReceiptNote   string
}

// Validate checks one member's attendance; field names carry the member
// id, as they appear in the attendance form.
func (a *Attendance) Validate(f *errs.Fields) {
	id := itoa(int(a.MemberID))
	if a.Minutes <= 0 || a.Minutes > maxMinutes {
		f.Add("hours_"+id, "Hours must be more than 0 and no more than 12")
	}
	if a.ExpensesPence < 0 || a.ExpensesPence > maxExpensesPence {
		f.Add("expenses_"+id, "Expenses must be between £0 and £500")
	}
	if a.ExpensesPence > 0 && len(a.ReceiptNote) == 0 {
		f.Add("receipt_"+id, "Add a note about the receipt for these expenses")
	}
	if len(a.ReceiptNote) > 500 {
		f.Add("receipt_"+id, "The receipt note must be 500 characters or fewer")
	}
}

// Approve moves a due payment to approved, recording who approved it and
// when. Approving twice is refused: the second approver learns someone
// else already did it.
func (s *Store) Approve(ctx context.Context, actor *uint, id uint) error {
	return s.advance(ctx, actor, id, Due, Approved, "panel_payment.approve")
}

// MarkPaid records that finance has paid an approved payment.
func (s *Store) MarkPaid(ctx context.Context, actor *uint, id uint) error {
	return s.advance(ctx, actor, id, Approved, Paid, "panel_payment.pay")
}

func (s *Store) advance(ctx context.Context, actor *uint, id uint, from, to PaymentStatus, action string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Payment
		if err := lockRow(tx, &p, id); err != nil {
			return err
		}
		if p.Status != from {
			return &errs.Conflict{Message: "This payment is already " + string(p.Status) + ", so it cannot be " + string(to) + " again. Nothing has been changed."}
		}
		now := s.now()
		updates := map[string]any{"status": to, "approved_by": actor, "approved_at": now}
		if to == Paid {
			updates = map[string]any{"status": to, "paid_by": actor, "paid_at": now}
		}
		if err := tx.Model(&p).Updates(updates).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: action, Target: ref("payment", id)})
	})
}

// Payment returns one payment with its session and member.
func (s *Store) Payment(ctx context.Context, id uint) (*Payment, error) {
	var p Payment
	if err := s.db.WithContext(ctx).Preload("Session").Preload("Member").Take(&p, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// MemberPayments lists a member's payments, newest session first.
func (s *Store) MemberPayments(ctx context.Context, memberID uint) ([]Payment, error) {
	var out []Payment
	err := s.db.WithContext(ctx).Joins("Session").Where("panel_payments.member_id = ?", memberID).
		Order(`"Session".starts_at DESC, panel_payments.id DESC`).Find(&out).Error
	return out, err
}

// SessionPayments lists the attendance recorded for a session.
func (s *Store) SessionPayments(ctx context.Context, sessionID uint) ([]Payment, error) {
	var out []Payment
	err := s.db.WithContext(ctx).Preload("Member").Where("session_id = ?", sessionID).Order("id").Find(&out).Error
	return out, err
}

func itoa(n int) string { return strconv.Itoa(n) }
