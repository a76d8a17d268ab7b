package app

import (
	"strings"
	"time"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelMemberRow is a member written out for staff.
type panelMemberRow struct {
	panels.Member
	Contact, Payment string
}

func panelMemberRowOf(m panels.Member) panelMemberRow {
	return panelMemberRow{Member: m, Contact: panels.Label(panels.ContactPreferences, m.PreferredContact),
		Payment: panels.Label(panels.PaymentPreferences, m.PaymentPreference)}
}

func (a *App) panelMembers(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	list, err := a.Panels.Members(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	rows := make([]panelMemberRow, 0, len(list))
	for _, m := range list {
		rows = append(rows, panelMemberRowOf(m))
	}
	data := staffPanelData(c, p, "Members", "Members")
	data["Rows"] = rows
	return a.render(c, fiber.StatusOK, "staff_panels/members", data)
}

// panelMemberOf loads the member named by :member, who must belong to p.
func (a *App) panelMemberOf(c *fiber.Ctx, p *panels.Panel) (*panels.Member, error) {
	id, err := panelParam(c, "member")
	if err != nil {
		return nil, err
	}
	m, err := a.Panels.Member(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if m.PanelID != p.ID {
		return nil, panels.ErrNotFound
	}
	return m, nil
}

// memberData fills a member's page: their details, every session they
// came to with its payment, and this tax year's total.
func (a *App) memberData(c *fiber.Ctx, p *panels.Panel, m *panels.Member, form map[string]string, f *errs.Fields) (fiber.Map, error) {
	ctx := c.UserContext()
	pays, err := a.Panels.MemberPayments(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	rows := make([]panelPaymentRow, 0, len(pays))
	for _, pay := range pays {
		rows = append(rows, panelPaymentRowOf(pay))
	}
	totals, err := a.Panels.YearTotals(ctx, p.ID, m.ID, time.Now())
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = map[string]string{"status": string(m.Status), "term_start": a.panelDayOf(m.TermStart), "term_end": a.panelDayOf(m.TermEnd),
			"preferred_contact": m.PreferredContact, "payment_preference": m.PaymentPreference, "access_needs": m.AccessNeeds}
	}
	data := staffPanelData(c, p, m.Name, "Members")
	data["M"], data["Payments"], data["Form"] = panelMemberRowOf(*m), rows, form
	data["Statuses"] = []panels.Option{{Key: string(panels.Active), Label: "Active"}, {Key: string(panels.Paused), Label: "Paused"}, {Key: string(panels.Left), Label: "Left"}}
	data["Contacts"], data["PayOptions"] = panels.ContactPreferences, panels.PaymentPreferences
	data["Year"] = a.yearTotalRows(totals)
	data["TaxYear"] = panelTaxYear(time.Now())
	return withPanelErrors(data, f), nil
}

func (a *App) panelMember(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	m, err := a.panelMemberOf(c, p)
	if err != nil {
		return err
	}
	data, err := a.memberData(c, p, m, nil, nil)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_panels/member", data)
}

// updatePanelMember saves a member's status, term, contact preference,
// payment preference and access needs.
func (a *App) updatePanelMember(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	m, err := a.panelMemberOf(c, p)
	if err != nil {
		return err
	}
	form := map[string]string{}
	for _, n := range []string{"status", "term_start", "term_end", "preferred_contact", "payment_preference", "access_needs"} {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	ch := panels.MemberChange{Status: panels.MemberStatus(form["status"]), PreferredContact: form["preferred_contact"],
		PaymentPreference: form["payment_preference"], AccessNeeds: form["access_needs"]}
	f := &errs.Fields{}
	ch.TermStart, _ = a.panelDay(form["term_start"]) // a zero date gets the domain's message
	ch.TermEnd, _ = a.panelDay(form["term_end"])
	if err := mergePanelFields(f, a.Panels.UpdateMember(c.UserContext(), &currentUser(c).ID, m.ID, ch)); err != nil {
		return err
	}
	if f.Has() {
		data, err := a.memberData(c, p, m, form, f)
		if err != nil {
			return err
		}
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_panels/member", data)
	}
	return a.redirectWithFlash(c, panelBase(p)+"/members/"+panelIDStr(m.ID), "Member details saved.")
}

// newMemberLink replaces a lost private link and shows the new one once.
func (a *App) newMemberLink(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	m, err := a.panelMemberOf(c, p)
	if err != nil {
		return err
	}
	token, err := a.Panels.NewMemberLink(c.UserContext(), &currentUser(c).ID, m.ID)
	if err != nil {
		return err
	}
	data := staffPanelData(c, p, "New private link", "Members")
	data["M"], data["Link"] = m, a.opts.BaseURL+"/panel-member/"+token
	return a.render(c, fiber.StatusOK, "staff_panels/link", data)
}

// erasePanelMember is a member's withdrawal: their personal details are
// deleted for good; payments stay without them.
func (a *App) erasePanelMember(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	m, err := a.panelMemberOf(c, p)
	if err != nil {
		return err
	}
	if err := a.Panels.EraseMember(c.UserContext(), &currentUser(c).ID, m.ID); err != nil {
		return err
	}
	return a.redirectWithFlash(c, panelBase(p)+"/members", "Their details have been erased. Their payments are kept, without their name, for as long as finance rules require.")
}
