package panels

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// TaxYearStart returns the start of the UK tax year (6 April) holding t,
// the year that income for benefits and tax is counted in.
func TaxYearStart(t time.Time) time.Time {
	t = t.UTC()
	start := time.Date(t.Year(), time.April, 6, 0, 0, 0, 0, time.UTC)
	if t.Before(start) {
		start = start.AddDate(-1, 0, 0)
	}
	return start
}

// YearTotal is what one member has earned in a tax year. Warning is set
// when fees pass the configured threshold: expenses are repayments, not
// income, so they do not count towards it.
type YearTotal struct {
	MemberID      uint
	Name          string
	FeePence      int64
	ExpensesPence int64
	TotalPence    int64
	Warning       bool
}

// YearTotals returns each member's totals for the tax year holding at,
// for one panel, or for one member when memberID is not 0.
func (s *Store) YearTotals(ctx context.Context, panelID, memberID uint, at time.Time) ([]YearTotal, error) {
	start := TaxYearStart(at)
	q := s.db.WithContext(ctx).Table("panel_payments AS p").
		Select("p.member_id, m.name, SUM(p.fee_pence) AS fee_pence, SUM(p.expenses_pence) AS expenses_pence, SUM(p.total_pence) AS total_pence").
		Joins("JOIN panel_sessions AS s ON s.id = p.session_id").Joins("JOIN panel_members AS m ON m.id = p.member_id").
		Where("s.panel_id = ? AND s.starts_at >= ? AND s.starts_at < ?", panelID, start, start.AddDate(1, 0, 0)).
		Group("p.member_id, m.name").Order("m.name")
	if memberID != 0 {
		q = q.Where("p.member_id = ?", memberID)
	}
	var out []YearTotal
	if err := q.Scan(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Warning = s.opts.WarnAbovePence > 0 && out[i].FeePence > s.opts.WarnAbovePence
	}
	return out, nil
}

// Period narrows the finance view to sessions starting in [From, To).
type Period struct{ From, To time.Time }

// PanelPayments lists a panel's payments for sessions in the period,
// oldest first, with each session and member.
func (s *Store) PanelPayments(ctx context.Context, panelID uint, per Period) ([]Payment, error) {
	var out []Payment
	q := s.db.WithContext(ctx).Joins("Session").Preload("Member").Where(`"Session".panel_id = ?`, panelID)
	q = inPeriod(q, per)
	return out, q.Order(`"Session".starts_at, panel_payments.id`).Find(&out).Error
}

func inPeriod(q *gorm.DB, per Period) *gorm.DB {
	if !per.From.IsZero() {
		q = q.Where(`"Session".starts_at >= ?`, per.From.UTC())
	}
	if !per.To.IsZero() {
		q = q.Where(`"Session".starts_at < ?`, per.To.UTC())
	}
	return q
}

// FinanceCSV writes the period's payments for finance: who is paid, how,
// for what and how much. It holds no lived-experience or equality data.
func (s *Store) FinanceCSV(ctx context.Context, w io.Writer, panelID uint, per Period, london *time.Location) error {
	pays, err := s.PanelPayments(ctx, panelID, per)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"payment", "member", "payment method", "session date", "activity", "hours", "rate",
		"fee", "expenses", "receipt note", "total", "status", "approved at"})
	for _, p := range pays {
		name, method := "Anonymised", ""
		if p.Member != nil {
			name, method = p.Member.Name, Label(PaymentPreferences, p.Member.PaymentPreference)
		}
		approved := ""
		if p.ApprovedAt != nil {
			approved = p.ApprovedAt.In(london).Format("2006-01-02 15:04")
		}
		_ = cw.Write([]string{ref("payment", p.ID), safeCell(name), method, p.Session.StartsAt.In(london).Format("2006-01-02"),
			Label(Activities, p.Session.Activity), strconv.FormatFloat(float64(p.Minutes)/60, 'f', 2, 64), pounds(p.RatePence),
			pounds(p.FeePence), pounds(p.ExpensesPence), safeCell(p.ReceiptNote), pounds(p.TotalPence), string(p.Status), approved})
	}
	cw.Flush()
	return cw.Error()
}

// pounds writes pence as a plain decimal for spreadsheets: 2550 -> 25.50.
func pounds(pence int64) string {
	return strconv.FormatInt(pence/100, 10) + "." + strconv.FormatInt(pence%100/10, 10) + strconv.FormatInt(pence%10, 10)
}

// safeCell stops a spreadsheet reading typed text as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
