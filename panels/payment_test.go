package panels_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"codesign/audit"
	"codesign/errs"
	"codesign/panels"
)

func TestFee(t *testing.T) {
	cases := []struct {
		name    string
		kind    panels.RateKind
		rate    int64
		minutes int
		notPaid bool
		want    int64
	}{
		{"two hours at £20", panels.Hourly, 2000, 120, false, 4000},
		{"90 minutes at £25", panels.Hourly, 2500, 90, false, 3750},
		{"rounds to the nearest penny", panels.Hourly, 1999, 50, false, 1666}, // 1665.83
		{"per session ignores length", panels.PerSession, 6000, 45, false, 6000},
		{"prefers not to be paid", panels.Hourly, 2000, 120, true, 0},
		{"no time, no fee", panels.PerSession, 6000, 0, false, 0},
	}
	for _, c := range cases {
		if got := panels.Fee(c.kind, c.rate, c.minutes, c.notPaid); got != c.want {
			t.Errorf("%s: Fee = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestMoney(t *testing.T) {
	if got := panels.Money(123456); got != "£1,234.56" {
		t.Errorf("Money = %q", got)
	}
	for in, want := range map[string]int64{"25": 2500, "25.5": 2550, "£1,000.05": 100005, "": 0} {
		if got, err := panels.ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-5", "1.234", "abc", "1e5", "."} {
		if _, err := panels.ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) accepted", in)
		}
	}
}

func TestAttendanceMakesDuePaymentsWithExpenses(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		sess := fx.session(fx.now.AddDate(0, 0, -2), 120)
		pays := fx.attend(sess, panels.Attendance{MemberID: m.ID, Minutes: 120, ExpensesPence: 480, ReceiptNote: "Bus fares"})
		if len(pays) != 1 || pays[0].FeePence != 4000 || pays[0].TotalPence != 4480 || pays[0].Status != panels.Due {
			t.Fatalf("payments = %+v", pays)
		}
		// Recording again replaces a due payment rather than adding one.
		pays = fx.attend(sess, panels.Attendance{MemberID: m.ID, Minutes: 90})
		if len(pays) != 1 || pays[0].TotalPence != 3000 {
			t.Fatalf("after correcting: %+v", pays)
		}
	})
}

func TestAttendanceBadInput(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		sess := fx.session(fx.now, 120)
		id := itoa(m.ID)
		cases := []struct {
			row   panels.Attendance
			field string
		}{
			{panels.Attendance{MemberID: m.ID, Minutes: -60}, "hours_" + id},
			{panels.Attendance{MemberID: m.ID, Minutes: 25 * 60}, "hours_" + id},
			{panels.Attendance{MemberID: m.ID, Minutes: 60, ExpensesPence: -100, ReceiptNote: "x"}, "expenses_" + id},
			{panels.Attendance{MemberID: m.ID, Minutes: 60, ExpensesPence: 9_999_999, ReceiptNote: "x"}, "expenses_" + id},
			{panels.Attendance{MemberID: m.ID, Minutes: 60, ExpensesPence: 500}, "receipt_" + id},
		}
		for _, c := range cases {
			err := fx.store.RecordAttendance(ctx, nil, sess.ID, []panels.Attendance{c.row})
			if fieldMessage(err, c.field) == "" {
				t.Errorf("%+v: want a message for %s, got %v", c.row, c.field, err)
			}
		}
		if pays, _ := fx.store.SessionPayments(ctx, sess.ID); len(pays) != 0 {
			t.Errorf("bad input stored payments: %+v", pays)
		}
	})
}

func TestPaymentStateMachine(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		pay := fx.attend(fx.session(fx.now, 60), panels.Attendance{MemberID: m.ID, Minutes: 60})[0]
		approver := uint(7)
		if err := fx.store.MarkPaid(ctx, &approver, pay.ID); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("paying before approval: %v", err)
		}
		if err := fx.store.Approve(ctx, &approver, pay.ID); err != nil {
			t.Fatal(err)
		}
		if err := fx.store.Approve(ctx, &approver, pay.ID); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("approving twice: %v", err)
		}
		if err := fx.store.MarkPaid(ctx, &approver, pay.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := fx.store.Payment(ctx, pay.ID)
		if got.Status != panels.Paid || got.ApprovedBy == nil || *got.ApprovedBy != 7 || got.ApprovedAt == nil || got.PaidAt == nil {
			t.Errorf("payment = %+v", got)
		}
		events, _ := audit.NewStore(fx.db).Recent(ctx, 5)
		if events[1].Action != "panel_payment.approve" || events[1].Target != "payment:"+itoa(pay.ID) {
			t.Errorf("audit = %+v", events)
		}
		if err := fx.store.Approve(ctx, &approver, 999999); !errors.Is(err, panels.ErrNotFound) {
			t.Errorf("unknown payment: %v", err)
		}
	})
}

func TestApprovedPaymentsAreNotRewritten(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		sess := fx.session(fx.now, 60)
		pay := fx.attend(sess, panels.Attendance{MemberID: m.ID, Minutes: 60})[0]
		if err := fx.store.Approve(ctx, nil, pay.ID); err != nil {
			t.Fatal(err)
		}
		pays := fx.attend(sess) // nobody listed: an approved payment must stay
		if len(pays) != 1 || pays[0].TotalPence != 2000 || pays[0].Status != panels.Approved {
			t.Errorf("after re-recording: %+v", pays)
		}
	})
}

func TestYearTotalsWarnAboveThreshold(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		other, _ := fx.member("kit@example.org")
		// 26 hours at £20 = £520 each in April and in February: the tax
		// year from 6 April 2026 holds both, so £1,040 passes £1,000.
		for _, at := range []time.Time{time.Date(2026, 4, 10, 18, 0, 0, 0, time.UTC), time.Date(2027, 2, 10, 18, 0, 0, 0, time.UTC)} {
			fx.attend(fx.session(at, 12*60), panels.Attendance{MemberID: m.ID, Minutes: 12 * 60}, panels.Attendance{MemberID: other.ID, Minutes: 60, ExpensesPence: 40000, ReceiptNote: "Taxi"})
			fx.attend(fx.session(at.Add(24*time.Hour), 12*60), panels.Attendance{MemberID: m.ID, Minutes: 12 * 60})
			fx.attend(fx.session(at.Add(48*time.Hour), 2*60), panels.Attendance{MemberID: m.ID, Minutes: 2 * 60})
		}
		// 5 April 2026 falls in the previous tax year.
		fx.attend(fx.session(time.Date(2026, 4, 5, 18, 0, 0, 0, time.UTC), 600), panels.Attendance{MemberID: m.ID, Minutes: 600})
		totals, err := fx.store.YearTotals(ctx, fx.panel.ID, 0, fx.now)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[uint]panels.YearTotal{}
		for _, tt := range totals {
			byID[tt.MemberID] = tt
		}
		if got := byID[m.ID]; got.FeePence != 104000 || !got.Warning {
			t.Errorf("member total = %+v", got)
		}
		// Expenses are repayments, not income: £840 of them with £40 of
		// fees stays under the threshold.
		if got := byID[other.ID]; got.TotalPence != 84000 || got.Warning {
			t.Errorf("other total = %+v", got)
		}
	})
}

func TestFinanceCSV(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		m, _ := fx.member("sam@example.org")
		fx.attend(fx.session(fx.now, 90), panels.Attendance{MemberID: m.ID, Minutes: 90, ExpensesPence: 250, ReceiptNote: "=HYPERLINK(1)"})
		fx.attend(fx.session(fx.now.AddDate(0, -3, 0), 60), panels.Attendance{MemberID: m.ID, Minutes: 60})
		var buf bytes.Buffer
		london, _ := time.LoadLocation("Europe/London")
		per := panels.Period{From: fx.now.AddDate(0, -1, 0), To: fx.now.AddDate(0, 1, 0)}
		if err := fx.store.FinanceCSV(ctx, &buf, fx.panel.ID, per, london); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 2 || !strings.Contains(lines[1], "Sam Green,Bank transfer,2027-03-01,Workshop,1.50,20.00,30.00,2.50,'=HYPERLINK(1),32.50,due") {
			t.Errorf("csv:\n%s", buf.String())
		}
		for _, private := range []string{"waited a long time", "carer", "16-24"} {
			if strings.Contains(buf.String(), private) {
				t.Errorf("finance export holds %q", private)
			}
		}
	})
}
