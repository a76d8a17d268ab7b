package app

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelPeriod reads the finance period from the query: from and to are UK
// dates, both included.
func (a *App) panelPeriod(c *fiber.Ctx, f *errs.Fields) (panels.Period, map[string]string) {
	form := map[string]string{"from": strings.TrimSpace(c.Query("from")), "to": strings.TrimSpace(c.Query("to"))}
	var per panels.Period
	if form["from"] != "" {
		if d, ok := a.panelDay(form["from"]); ok {
			per.From = d
		} else {
			f.Add("from", "Enter a date, like 2026-04-06")
		}
	}
	if form["to"] != "" {
		if d, ok := a.panelDay(form["to"]); ok {
			per.To = d.AddDate(0, 0, 1)
		} else {
			f.Add("to", "Enter a date, like 2027-04-05")
		}
	}
	if !per.From.IsZero() && !per.To.IsZero() && !per.To.After(per.From) {
		f.Add("to", "The end of the period must be on or after its start")
	}
	return per, form
}

// periodQuery keeps the period in links and redirects.
func periodQuery(form map[string]string) string {
	v := url.Values{}
	for _, k := range []string{"from", "to"} {
		if form[k] != "" {
			v.Set(k, form[k])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func (a *App) panelPayments(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	return a.renderPanelPayments(c, fiber.StatusOK, p, "")
}

// renderPanelPayments shows the period's payments with their totals;
// problem, when set, says why the last action was refused.
func (a *App) renderPanelPayments(c *fiber.Ctx, status int, p *panels.Panel, problem string) error {
	f := &errs.Fields{}
	per, form := a.panelPeriod(c, f)
	var rows []panelPaymentRow
	var fee, expenses, total int64
	if !f.Has() {
		pays, err := a.Panels.PanelPayments(c.UserContext(), p.ID, per)
		if err != nil {
			return err
		}
		for _, pay := range pays {
			rows = append(rows, panelPaymentRowOf(pay))
			fee, expenses, total = fee+pay.FeePence, expenses+pay.ExpensesPence, total+pay.TotalPence
		}
	}
	data := staffPanelData(c, p, "Payments", "Payments")
	data["Rows"], data["Form"], data["Query"], data["Problem"] = rows, form, periodQuery(form), problem
	data["Fee"], data["Expenses"], data["Total"] = panels.Money(fee), panels.Money(expenses), panels.Money(total)
	return a.render(c, status, "staff_panels/payments", withPanelErrors(data, f))
}

// panelPaymentOf loads the payment named by :payment, which must be for
// one of p's sessions.
func (a *App) panelPaymentOf(c *fiber.Ctx, p *panels.Panel) (*panels.Payment, error) {
	id, err := panelParam(c, "payment")
	if err != nil {
		return nil, err
	}
	pay, err := a.Panels.Payment(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if pay.Session.PanelID != p.ID {
		return nil, panels.ErrNotFound
	}
	return pay, nil
}

func (a *App) approvePayment(c *fiber.Ctx) error {
	return a.advancePayment(c, a.Panels.Approve, "Payment approved. Finance can now pay it.")
}

func (a *App) markPaymentPaid(c *fiber.Ctx) error {
	return a.advancePayment(c, a.Panels.MarkPaid, "Payment marked as paid.")
}

// advancePayment moves a payment on. A payment already moved (approved
// twice, perhaps by two people at once) is refused with the payments page
// and the reason, and nothing changes.
func (a *App) advancePayment(c *fiber.Ctx, step func(context.Context, *uint, uint) error, done string) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	pay, err := a.panelPaymentOf(c, p)
	if err != nil {
		return err
	}
	err = step(c.UserContext(), &currentUser(c).ID, pay.ID)
	var conflict *errs.Conflict
	if errors.As(err, &conflict) {
		return a.renderPanelPayments(c, fiber.StatusConflict, p, conflict.Message)
	}
	if err != nil {
		return err
	}
	back := panelBase(p) + "/payments" + periodQuery(map[string]string{"from": c.FormValue("from"), "to": c.FormValue("to")})
	return a.redirectWithFlash(c, back, done)
}

// panelFinanceCSV downloads the period's payments for finance. The file
// holds no lived-experience or equality data, and text that a spreadsheet
// would read as a formula is neutralised by the domain.
func (a *App) panelFinanceCSV(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	f := &errs.Fields{}
	per, form := a.panelPeriod(c, f)
	if f.Has() {
		return f
	}
	name := "panel-" + panelIDStr(p.ID) + "-payments"
	for _, k := range []string{"from", "to"} {
		if form[k] != "" {
			name += "-" + k + "-" + form[k]
		}
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	return a.Panels.FinanceCSV(c.UserContext(), c.Response().BodyWriter(), p.ID, per, a.london)
}

// panelYearTotal is one member's tax-year total written out.
type panelYearTotal struct {
	panels.YearTotal
	Fee, Expenses, Total string
}

func (a *App) yearTotalRows(list []panels.YearTotal) []panelYearTotal {
	out := make([]panelYearTotal, 0, len(list))
	for _, t := range list {
		out = append(out, panelYearTotal{YearTotal: t, Fee: panels.Money(t.FeePence), Expenses: panels.Money(t.ExpensesPence), Total: panels.Money(t.TotalPence)})
	}
	return out
}

// panelTaxYear names the UK tax year holding t: "2026 to 2027".
func panelTaxYear(t time.Time) string {
	y := panels.TaxYearStart(t).Year()
	return strconv.Itoa(y) + " to " + strconv.Itoa(y+1)
}

// panelYearTotals shows each member's fees for a tax year, with a warning
// for anyone above the benefits threshold.
func (a *App) panelYearTotals(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	at := time.Now()
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y >= 2000 && y <= 2100 {
		at = time.Date(y, time.April, 6, 12, 0, 0, 0, time.UTC)
	}
	totals, err := a.Panels.YearTotals(c.UserContext(), p.ID, 0, at)
	if err != nil {
		return err
	}
	start := panels.TaxYearStart(at).Year()
	data := staffPanelData(c, p, "Totals for the tax year "+panelTaxYear(at), "Payments")
	data["Rows"], data["Prev"], data["Next"] = a.yearTotalRows(totals), start-1, start+1
	if w := a.Panels.WarnAbovePence(); w > 0 {
		data["Threshold"] = panels.Money(w)
	}
	return a.render(c, fiber.StatusOK, "staff_panels/totals", data)
}
