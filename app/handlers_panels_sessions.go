package app

import (
	"math"
	"strconv"
	"strings"
	"time"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelSessionCount is a session with how many members came.
type panelSessionCount struct {
	panelSessionRow
	Attended int
}

func (a *App) panelSessions(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	list, err := a.Panels.Sessions(ctx, p.ID)
	if err != nil {
		return err
	}
	pays, err := a.Panels.PanelPayments(ctx, p.ID, panels.Period{})
	if err != nil {
		return err
	}
	came := map[uint]int{}
	for _, pay := range pays {
		came[pay.SessionID]++
	}
	rows := make([]panelSessionCount, 0, len(list))
	for _, s := range panelSessionRows(list) {
		rows = append(rows, panelSessionCount{panelSessionRow: s, Attended: came[s.ID]})
	}
	data := staffPanelData(c, p, "Sessions", "Sessions")
	data["Rows"] = rows
	return a.render(c, fiber.StatusOK, "staff_panels/sessions", data)
}

func (a *App) sessionFormData(c *fiber.Ctx, p *panels.Panel, form map[string]string, f *errs.Fields) fiber.Map {
	data := staffPanelData(c, p, "Add a session", "Sessions")
	data["Form"], data["Activities"] = form, panels.Activities
	return withPanelErrors(data, f)
}

func (a *App) newSessionForm(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	form := map[string]string{"activity": "workshop", "time": "18:00", "hours": "2"}
	return a.render(c, fiber.StatusOK, "staff_panels/session_form", a.sessionFormData(c, p, form, nil))
}

// createPanelSession adds a session. The date and time are UK time.
func (a *App) createPanelSession(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, n := range []string{"title", "activity", "date", "time", "hours"} {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	f := &errs.Fields{}
	s := &panels.Session{PanelID: p.ID, Title: form["title"], Activity: form["activity"]}
	if t, err := time.ParseInLocation("2006-01-02 15:04", form["date"]+" "+form["time"], a.london); err == nil {
		s.StartsAt = t
	}
	if minutes, ok := panelMinutes(form["hours"]); ok {
		s.Minutes = minutes
	} else {
		f.Add("hours", "Enter the length in hours, like 2 or 1.5")
	}
	if !f.Has() {
		if err := mergePanelFields(f, a.Panels.CreateSession(c.UserContext(), &currentUser(c).ID, s)); err != nil {
			return err
		}
	} else {
		_ = mergePanelFields(f, s.Validate())
	}
	if f.Has() {
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_panels/session_form", a.sessionFormData(c, p, form, f))
	}
	return a.redirectWithFlash(c, panelBase(p)+"/sessions/"+panelIDStr(s.ID), "Session added. Record who came once it has taken place.")
}

// panelMinutes reads hours typed as 2, 1.5 or 0.75. Absurd amounts come
// back as such, for the domain to refuse with its own message.
func panelMinutes(s string) (int, bool) {
	h, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
		return 0, false
	}
	if math.Abs(h) > 10_000 {
		h = math.Copysign(10_000, h)
	}
	return int(math.Round(h * 60)), true
}

// panelHoursOf writes minutes as hours a form can show: 90 -> "1.5".
func panelHoursOf(minutes int) string {
	return strconv.FormatFloat(float64(minutes)/60, 'f', -1, 64)
}

// panelSessionOf loads the session named by :session, which must belong to p.
func (a *App) panelSessionOf(c *fiber.Ctx, p *panels.Panel) (*panels.Session, error) {
	id, err := panelParam(c, "session")
	if err != nil {
		return nil, err
	}
	s, err := a.Panels.Session(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if s.PanelID != p.ID {
		return nil, panels.ErrNotFound
	}
	return s, nil
}

// panelAttendanceRow is one member on the attendance form. A payment already
// approved or paid is shown, not offered for change.
type panelAttendanceRow struct {
	ID                           string
	Name                         string
	Attended, Locked             bool
	Status                       string
	Hours, Expenses, Receipt     string
	HoursErr, ExpensesErr, RcErr string
	Fee, Total                   string
}

// panelAttendanceRows lists every current member, and anyone else already
// recorded at this session, with what was recorded or typed.
func (a *App) panelAttendanceRows(c *fiber.Ctx, p *panels.Panel, s *panels.Session, typed map[string]string, f *errs.Fields) ([]panelAttendanceRow, error) {
	ctx := c.UserContext()
	members, err := a.Panels.Members(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	pays, err := a.Panels.SessionPayments(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	paid := map[uint]panels.Payment{}
	for _, pay := range pays {
		if pay.MemberID != nil {
			paid[*pay.MemberID] = pay
		}
	}
	var rows []panelAttendanceRow
	for _, m := range members {
		pay, recorded := paid[m.ID]
		if !recorded && m.Status == panels.Left {
			continue
		}
		id := panelIDStr(m.ID)
		r := panelAttendanceRow{ID: id, Name: m.Name, Attended: recorded, Hours: panelHoursOf(s.Minutes)}
		if recorded {
			r.Hours, r.Receipt = panelHoursOf(pay.Minutes), pay.ReceiptNote
			r.Expenses = strings.TrimPrefix(panels.Money(pay.ExpensesPence), "£")
			r.Locked, r.Status = pay.Status != panels.Due, panelPaymentStatus(pay.Status)
			r.Fee, r.Total = panels.Money(pay.FeePence), panels.Money(pay.TotalPence)
		}
		if typed != nil && !r.Locked {
			r.Attended = typed["attended_"+id] == "yes"
			r.Hours, r.Expenses, r.Receipt = typed["hours_"+id], typed["expenses_"+id], typed["receipt_"+id]
		}
		r.HoursErr, r.ExpensesErr, r.RcErr = fieldErr(f, "hours_"+id), fieldErr(f, "expenses_"+id), fieldErr(f, "receipt_"+id)
		rows = append(rows, r)
	}
	return rows, nil
}

func (a *App) renderPanelSession(c *fiber.Ctx, status int, p *panels.Panel, s *panels.Session, typed map[string]string, f *errs.Fields) error {
	rows, err := a.panelAttendanceRows(c, p, s, typed, f)
	if err != nil {
		return err
	}
	data := staffPanelData(c, p, s.Title, "Sessions")
	data["S"], data["Activity"], data["Rows"], data["Rate"] = s, panels.Label(panels.Activities, s.Activity), rows, p.RateLabel()
	return a.render(c, status, "staff_panels/session", withPanelErrors(data, f))
}

func (a *App) panelSession(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	s, err := a.panelSessionOf(c, p)
	if err != nil {
		return err
	}
	return a.renderPanelSession(c, fiber.StatusOK, p, s, nil, nil)
}

// savePanelAttendance records who came, for how long and what expenses
// they claimed; each becomes a payment due. Hours and pounds are checked
// here for form, and by the domain for sense.
func (a *App) savePanelAttendance(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	s, err := a.panelSessionOf(c, p)
	if err != nil {
		return err
	}
	rows, err := a.panelAttendanceRows(c, p, s, nil, nil)
	if err != nil {
		return err
	}
	typed := map[string]string{}
	f := &errs.Fields{}
	var att []panels.Attendance
	for _, r := range rows {
		if r.Locked {
			continue
		}
		for _, k := range []string{"attended_", "hours_", "expenses_", "receipt_"} {
			typed[k+r.ID] = strings.TrimSpace(c.FormValue(k + r.ID))
		}
		if typed["attended_"+r.ID] != "yes" {
			continue
		}
		row, ok := parsePanelAttendance(f, r.ID, typed)
		if ok {
			row.Validate(f)
			att = append(att, row)
		}
	}
	if !f.Has() {
		if err := mergePanelFields(f, a.Panels.RecordAttendance(c.UserContext(), &currentUser(c).ID, s.ID, att)); err != nil {
			return err
		}
	}
	if f.Has() {
		return a.renderPanelSession(c, fiber.StatusUnprocessableEntity, p, s, typed, f)
	}
	return a.redirectWithFlash(c, panelBase(p)+"/sessions/"+panelIDStr(s.ID), "Attendance saved. Payments are due for approval.")
}

// parsePanelAttendance reads one member's hours and expenses.
func parsePanelAttendance(f *errs.Fields, id string, typed map[string]string) (panels.Attendance, bool) {
	n, _ := strconv.ParseUint(id, 10, 64)
	row := panels.Attendance{MemberID: uint(n), ReceiptNote: typed["receipt_"+id]}
	ok := true
	if minutes, good := panelMinutes(typed["hours_"+id]); good {
		row.Minutes = minutes
	} else {
		f.Add("hours_"+id, "Enter the hours they attended, like 2 or 1.5")
		ok = false
	}
	exp := typed["expenses_"+id]
	if pence, err := panels.ParseMoney(exp); err == nil {
		row.ExpensesPence = pence
	} else if strings.HasPrefix(exp, "-") {
		f.Add("expenses_"+id, "Expenses must be between £0 and £500")
		ok = false
	} else {
		f.Add("expenses_"+id, "Enter expenses in pounds and pence, like 4.80, or leave it empty")
		ok = false
	}
	return row, ok
}
