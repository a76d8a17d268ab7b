package app_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/app"
	"codesign/audit"
	"codesign/database/dbtest"
	"codesign/messages"
	"codesign/panels"
	"codesign/programmes"
)

func TestStaffRecordsASessionAndSettlesPayments(t *testing.T) {
	f := officerHarness(t)
	p := f.panel("sessions", true)
	m, _ := f.member(p, "Rosa Lee", "rosa@example.org", "bank_transfer")
	base := panelURL(p)

	// Adding a session: mistakes first.
	status, body, _ := f.do("POST", base+"/sessions", url.Values{"title": {""}, "activity": {"party"}, "date": {"soon"}, "time": {"18:00"}, "hours": {"lots"}})
	if status != 422 {
		t.Fatalf("bad session: %d", status)
	}
	panelBodyHas(t, body, "Enter a title", "Select the activity", "Enter a date like", "Enter the length in hours", `value="soon"`)
	for _, hours := range []string{"-2", "13", "100000000"} {
		status, body, _ = f.do("POST", base+"/sessions", url.Values{"title": {"Meeting"}, "activity": {"workshop"}, "date": {"2026-01-20"}, "time": {"18:00"}, "hours": {hours}})
		if status != 422 || !strings.Contains(body, "Length must be more than 0 and no more than 12 hours") {
			t.Errorf("session of %s hours: %d", hours, status)
		}
	}
	day := time.Now().AddDate(0, 0, -3).Format("2006-01-02")
	status, _, resp := f.do("POST", base+"/sessions", url.Values{"title": {"Reading the draft findings"}, "activity": {"review_of_findings"},
		"date": {day}, "time": {"18:00"}, "hours": {"1.5"}})
	if status != 303 {
		t.Fatalf("add session: %d", status)
	}
	session := resp.Header.Get("Location")
	_, body, _ = f.do("GET", session, nil)
	panelBodyHas(t, body, "Reading the draft findings", "Review of findings", "1h 30m", "Rosa Lee", `value="1.5"`)

	// Attendance: every kind of bad hours and expenses is a message by the field.
	id := itoa(m.ID)
	bad := []struct {
		hours, expenses, receipt, field, want string
	}{
		{"-1", "", "", "hours_", "Hours must be more than 0 and no more than 12"},
		{"40", "", "", "hours_", "Hours must be more than 0 and no more than 12"},
		{"two", "", "", "hours_", "Enter the hours they attended"},
		{"2", "-4.80", "Bus", "expenses_", "Expenses must be between £0 and £500"},
		{"2", "9000", "Taxi", "expenses_", "Expenses must be between £0 and £500"},
		{"2", "4.805", "Bus", "expenses_", "Enter expenses in pounds and pence"},
		{"2", "4.80", "", "receipt_", "Add a note about the receipt"},
	}
	for _, c := range bad {
		status, body, _ := f.do("POST", session+"/attendance", url.Values{"attended_" + id: {"yes"}, "hours_" + id: {c.hours},
			"expenses_" + id: {c.expenses}, "receipt_" + id: {c.receipt}})
		if status != 422 {
			t.Errorf("hours %q expenses %q: status %d", c.hours, c.expenses, status)
			continue
		}
		panelBodyHas(t, body, c.want, `href="#`+c.field+id+`"`, `value="`+c.hours+`"`)
	}
	if pays, _ := f.ps.PanelPayments(context.Background(), p.ID, panels.Period{}); len(pays) != 0 {
		t.Fatalf("bad attendance stored %d payments", len(pays))
	}
	status, _, _ = f.do("POST", session+"/attendance", url.Values{"attended_" + id: {"yes"}, "hours_" + id: {"1.5"},
		"expenses_" + id: {"4.80"}, "receipt_" + id: {"Bus fares, receipt emailed"}})
	if status != 303 {
		t.Fatalf("attendance: %d", status)
	}
	pays, _ := f.ps.PanelPayments(context.Background(), p.ID, panels.Period{})
	if len(pays) != 1 || pays[0].FeePence != 3000 || pays[0].TotalPence != 3480 || pays[0].Status != panels.Due {
		t.Fatalf("payments %+v", pays)
	}
	pay := base + "/payments/" + itoa(pays[0].ID)

	_, body, _ = f.do("GET", base+"/payments", nil)
	panelBodyHas(t, body, "Rosa Lee", "£30.00", "£4.80", "£34.80", "Due", "Approve")
	if status, _, _ = f.do("POST", pay+"/paid", url.Values{}); status != 409 {
		t.Errorf("paying before approval: %d", status)
	}
	if status, _, _ = f.do("POST", pay+"/approve", url.Values{}); status != 303 {
		t.Fatalf("approve: %d", status)
	}
	status, body, _ = f.do("POST", pay+"/approve", url.Values{})
	if status != 409 || !strings.Contains(body, "This payment is already approved") || !strings.Contains(body, "Nothing has been changed") {
		t.Fatalf("approving twice: %d\n%.1000s", status, body)
	}
	// An approved payment is shown, not offered for change, on the session.
	_, body, _ = f.do("GET", session, nil)
	if strings.Contains(body, `name="hours_`+id+`"`) || !strings.Contains(body, "Approved, to be paid") {
		t.Error("an approved payment can be changed on the session page")
	}
	if status, _, _ = f.do("POST", pay+"/paid", url.Values{}); status != 303 {
		t.Fatalf("mark paid: %d", status)
	}
	got, _ := f.ps.Payment(context.Background(), pays[0].ID)
	if got.Status != panels.Paid || got.ApprovedBy == nil || got.PaidBy == nil {
		t.Errorf("payment %+v", got)
	}

	// Another panel's payment cannot be reached through this one.
	other := f.panel("elsewhere", true)
	if status, _, _ := f.do("POST", panelURL(other)+"/payments/"+itoa(pays[0].ID)+"/approve", url.Values{}); status != 404 {
		t.Errorf("payment through another panel: %d", status)
	}

	// Tax-year totals and the member's own page.
	_, body, _ = f.do("GET", base+"/totals", nil)
	panelBodyHas(t, body, "Rosa Lee", "£34.80", "No benefits threshold is set")
	if _, body, _ = f.do("GET", base+"/sessions", nil); !strings.Contains(body, `<td class="cs-num">1</td>`) {
		t.Error("the sessions list does not count who came")
	}
}

func TestFinanceExportPerPeriodIsFormulaSafe(t *testing.T) {
	f := officerHarness(t)
	p := f.panel("finance", true)
	m, _ := f.member(p, "=HYPERLINK(\"http://evil.example\")", "eve@example.org", "vouchers")
	old := f.session(p, "Last year", time.Date(2025, 6, 10, 17, 0, 0, 0, time.UTC), 60)
	recent := f.session(p, "This spring", time.Date(2026, 5, 12, 17, 0, 0, 0, time.UTC), 120)
	ctx := context.Background()
	for _, s := range []*panels.Session{old, recent} {
		if err := f.ps.RecordAttendance(ctx, nil, s.ID, []panels.Attendance{{MemberID: m.ID, Minutes: s.Minutes, ExpensesPence: 250, ReceiptNote: "+44 taxi"}}); err != nil {
			t.Fatal(err)
		}
	}
	status, csv, resp := f.do("GET", panelURL(p)+"/payments.csv?from=2026-04-06&to=2027-04-05", nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "from-2026-04-06-to-2027-04-05") {
		t.Fatalf("csv %d %q %q", status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `"'=HYPERLINK(""http://evil.example"")"`) || !strings.Contains(lines[1], "'+44 taxi") ||
		!strings.Contains(lines[1], "2026-05-12") || !strings.Contains(lines[1], "Vouchers") {
		t.Fatalf("csv:\n%s", csv)
	}
	for _, private := range []string{"lived", "carer", "ethnic", "eve@example.org"} {
		if strings.Contains(strings.ToLower(csv), private) {
			t.Errorf("the finance file holds %q", private)
		}
	}
	_, body, _ := f.do("GET", panelURL(p)+"/payments?from=2026-04-06&to=2027-04-05", nil)
	panelBodyHas(t, body, "This spring", `href="`+panelURL(p)+`/payments.csv?from=2026-04-06&amp;to=2027-04-05"`)
	if strings.Contains(body, "Last year") {
		t.Error("the period shows a payment from outside it")
	}
	status, body, _ = f.do("GET", panelURL(p)+"/payments?from=spring", nil)
	if status != 200 || !strings.Contains(body, "Enter a date, like 2026-04-06") {
		t.Errorf("bad period: %d", status)
	}
	if status, _, _ = f.do("GET", panelURL(p)+"/payments.csv?to=never", nil); status != 422 {
		t.Errorf("csv for a bad period: %d", status)
	}
	_, body, _ = f.do("GET", panelURL(p)+"/totals?year=2025", nil)
	panelBodyHas(t, body, "Totals for the tax year 2025 to 2026", "£22.50")
}

func TestYearTotalsWarnAboveTheBenefitsThreshold(t *testing.T) {
	db := dbtest.SQLite(t).DB
	h := newHarnessOn(t, db, app.Options{})
	msgs := messages.NewStore(db)
	// The same app, with a panels store that warns above £200 of fees.
	warn := panels.NewStore(db, msgs, panels.Options{BaseURL: "http://example.test", WarnAbovePence: 20_000})
	f2, err := app.New(app.Deps{DB: db, Accounts: h.accounts, Audit: audit.NewStore(db), Programmes: programmes.NewStore(db), Messages: msgs, Panels: warn},
		app.Options{SessionKey: []byte("test key that is long enough for hmac use"), BodyLimit: 64 << 10, BaseURL: "http://example.test"})
	if err != nil {
		t.Fatal(err)
	}
	h.app = f2
	f := &pnFixture{harness: h, ps: warn, msgs: msgs}
	f.user("officer@example.org", accounts.Officer)
	f.login("officer@example.org")
	p := f.panel("threshold", true)
	rosa, _ := f.member(p, "Rosa Lee", "rosa@example.org", "bank_transfer")
	sam, _ := f.member(p, "Sam Green", "sam@example.org", "bank_transfer")
	ctx := context.Background()
	long := f.session(p, "Long day", time.Now().Add(-2*time.Hour), 12*60)
	short := f.session(p, "Short meeting", time.Now().Add(-time.Hour), 60)
	// Rosa's fees pass £200; Sam's expenses do, but expenses are not income.
	if err := warn.RecordAttendance(ctx, nil, long.ID, []panels.Attendance{{MemberID: rosa.ID, Minutes: 12 * 60}}); err != nil {
		t.Fatal(err)
	}
	if err := warn.RecordAttendance(ctx, nil, short.ID, []panels.Attendance{{MemberID: sam.ID, Minutes: 60, ExpensesPence: 40_000, ReceiptNote: "Train tickets"}}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := f.do("GET", panelURL(p)+"/totals", nil)
	panelBodyHas(t, body, "Fees above <strong>£200.00</strong>", "£240.00", "Above the threshold", "£420.00")
	if strings.Count(body, "Above the threshold") != 1 {
		t.Error("only Rosa is above the threshold")
	}
	_, body, _ = f.do("GET", panelURL(p)+"/members/"+itoa(rosa.ID), nil)
	panelBodyHas(t, body, "Fees this tax year are above the benefits threshold")
	_, body, _ = f.do("GET", panelURL(p)+"/totals?year="+strconv.Itoa(panels.TaxYearStart(time.Now()).Year()-1), nil)
	panelBodyHas(t, body, "No payments in this tax year")
}
