package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// privatePanelPage marks a page reached through a private link: never cached,
// never indexed.
func privatePanelPage(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex, nofollow")
}

// panelPaymentRow is a payment written out for people.
type panelPaymentRow struct {
	panels.Payment
	Activity, Fee, Expenses, Total, StatusLabel string
}

func panelPaymentRowOf(p panels.Payment) panelPaymentRow {
	return panelPaymentRow{Payment: p, Activity: panels.Label(panels.Activities, p.Session.Activity), Fee: panels.Money(p.FeePence),
		Expenses: panels.Money(p.ExpensesPence), Total: panels.Money(p.TotalPence), StatusLabel: panelPaymentStatus(p.Status)}
}

func panelPaymentStatus(s panels.PaymentStatus) string {
	switch s {
	case panels.Due:
		return "Waiting for approval"
	case panels.Approved:
		return "Approved, to be paid"
	case panels.Paid:
		return "Paid"
	}
	return string(s)
}

// panelSessionRow is a session written out for people.
type panelSessionRow struct {
	panels.Session
	Activity string
}

func panelSessionRows(list []panels.Session) []panelSessionRow {
	out := make([]panelSessionRow, 0, len(list))
	for _, s := range list {
		out = append(out, panelSessionRow{Session: s, Activity: panels.Label(panels.Activities, s.Activity)})
	}
	return out
}

// memberPage is a member's own page: their upcoming sessions and every
// payment. Any wrong link is the ordinary "page not found".
func (a *App) memberPage(c *fiber.Ctx) error {
	privatePanelPage(c)
	ctx := c.UserContext()
	token := c.Params("token")
	m, err := a.Panels.MemberByToken(ctx, token)
	if err != nil {
		return err
	}
	p, err := a.Panels.Get(ctx, m.PanelID)
	if err != nil {
		return err
	}
	upcoming, err := a.Panels.UpcomingSessions(ctx, p.ID)
	if err != nil {
		return err
	}
	pays, err := a.Panels.MemberPayments(ctx, m.ID)
	if err != nil {
		return err
	}
	rows := make([]panelPaymentRow, 0, len(pays))
	var total int64
	for _, pay := range pays {
		rows = append(rows, panelPaymentRowOf(pay))
		total += pay.TotalPence
	}
	return a.render(c, fiber.StatusOK, "panels/member", fiber.Map{"Title": "Your page: " + p.Name, "Member": m, "P": a.panelViewOf(p),
		"Token": token, "Upcoming": panelSessionRows(upcoming), "Payments": rows, "Total": panels.Money(total),
		"PaymentPreference": panels.Label(panels.PaymentPreferences, m.PaymentPreference)})
}

// memberLeave records that a member wants to leave and be forgotten.
func (a *App) memberLeave(c *fiber.Ctx) error {
	privatePanelPage(c)
	token := c.Params("token")
	if err := a.Panels.RequestLeave(c.UserContext(), token); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/panel-member/"+token, "We have your request to leave. The team will settle any payment you are owed, "+
		"then delete your details and tell you when it is done.")
}

// panelReviewItem is one finding or commitment with the member's answer.
type panelReviewItem struct {
	panels.ReviewItem
	Comment  string
	Approved bool
	Error    string
}

// reviewPage lets a member comment on each draft finding and approve its
// language, through their private review link.
func (a *App) reviewPage(c *fiber.Ctx) error {
	privatePanelPage(c)
	rv, err := a.Panels.ReviewByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	items := make([]panelReviewItem, 0, len(rv.Review.Items))
	for _, it := range rv.Review.Items {
		ans := rv.Answers[it.ID]
		items = append(items, panelReviewItem{ReviewItem: it, Comment: ans.Comment, Approved: ans.Approved})
	}
	return a.renderReview(c, fiber.StatusOK, rv, items, nil, "")
}

func (a *App) renderReview(c *fiber.Ctx, status int, rv *panels.Reviewing, items []panelReviewItem, f *errs.Fields, closed string) error {
	data := fiber.Map{"Title": rv.Review.Title, "Review": rv.Review, "Member": rv.Member, "Items": items, "Intro": paragraphsOf(rv.Review.Intro),
		"Open": rv.Review.Open(time.Now()) && closed == "", "Closed": closed, "Token": c.Params("token"), "Answered": len(rv.Answers) > 0}
	return a.render(c, status, "panels/review", withPanelErrors(data, f))
}

// saveReview stores the member's comments and approvals, replacing what
// they sent before.
func (a *App) saveReview(c *fiber.Ctx) error {
	privatePanelPage(c)
	token := c.Params("token")
	rv, err := a.Panels.ReviewByToken(c.UserContext(), token)
	if err != nil {
		return err
	}
	items := make([]panelReviewItem, 0, len(rv.Review.Items))
	answers := make([]panels.Answer, 0, len(rv.Review.Items))
	for _, it := range rv.Review.Items {
		id := strconv.FormatUint(uint64(it.ID), 10)
		ans := panels.Answer{ItemID: it.ID, Comment: strings.TrimSpace(c.FormValue("comment_" + id)), Approved: c.FormValue("approved_"+id) == "yes"}
		answers = append(answers, ans)
		items = append(items, panelReviewItem{ReviewItem: it, Comment: ans.Comment, Approved: ans.Approved})
	}
	err = a.Panels.Respond(c.UserContext(), token, answers)
	if f, ok := fieldsOf(err); ok {
		for i := range items {
			items[i].Error = f.Messages["comment_"+panelIDStr(items[i].ID)]
		}
		return a.renderReview(c, fiber.StatusUnprocessableEntity, rv, items, f, "")
	}
	var conflict *errs.Conflict
	if errors.As(err, &conflict) {
		return a.renderReview(c, fiber.StatusConflict, rv, items, nil, conflict.Message)
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/panel-review/"+token, "Thank you. Your comments are saved, and the team will read them before anything is published. "+
		"You can change them until the review closes.")
}
