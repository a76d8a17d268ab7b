package app

import (
	"strconv"

	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelReviewOf loads the review named by :review, which must belong to p.
func (a *App) panelReviewOf(c *fiber.Ctx, p *panels.Panel) (*panels.Review, []panels.ItemFeedback, error) {
	id, err := panelParam(c, "review")
	if err != nil {
		return nil, nil, err
	}
	r, items, err := a.Panels.Feedback(c.UserContext(), id)
	if err != nil {
		return nil, nil, err
	}
	if r.PanelID != p.ID {
		return nil, nil, panels.ErrNotFound
	}
	return r, items, nil
}

// panelReviewFeedback shows officers what members said about each draft
// finding before it is published.
func (a *App) panelReviewFeedback(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	r, items, err := a.panelReviewOf(c, p)
	if err != nil {
		return err
	}
	invited := 0
	if len(items) > 0 {
		invited = items[0].Invited
	}
	data := staffPanelData(c, p, r.Title, "Overview")
	data["Review"], data["Items"], data["Invited"] = r, items, invited
	return a.render(c, fiber.StatusOK, "staff_panels/review", data)
}

// invitePanelReview sends every active member not yet invited their own
// link to the review.
func (a *App) invitePanelReview(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	r, _, err := a.panelReviewOf(c, p)
	if err != nil {
		return err
	}
	links, err := a.Panels.Invite(c.UserContext(), &currentUser(c).ID, r.ID)
	if err != nil {
		return err
	}
	msg := "Every active member already has a link to this review."
	switch n := len(links); {
	case n == 1:
		msg = "1 member has been sent a link to this review."
	case n > 1:
		msg = strconv.Itoa(n) + " members have been sent a link to this review."
	}
	return a.redirectWithFlash(c, panelBase(p)+"/reviews/"+panelIDStr(r.ID), msg)
}
