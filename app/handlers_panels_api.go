package app

import (
	"time"

	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// apiPanel is a recruiting panel as the API shows it.
type apiPanel struct {
	ID              uint       `json:"id"`
	Slug            string     `json:"slug"`
	Name            string     `json:"name"`
	Purpose         string     `json:"purpose"`
	MembersDo       string     `json:"members_do"`
	TimeCommitment  string     `json:"time_commitment"`
	TermMonths      int        `json:"term_months"`
	RateKind        string     `json:"rate_kind"`
	RatePence       int64      `json:"rate_pence"`
	Rate            string     `json:"rate"`
	PaymentMethods  []string   `json:"payment_methods"`
	ExpensesCovered bool       `json:"expenses_covered"`
	Support         string     `json:"support"`
	RecruitUntil    *time.Time `json:"recruit_until"`
	URL             string     `json:"url"`
}

// apiPanels lists the panels recruiting now.
func (a *App) apiPanels(c *fiber.Ctx) error {
	list, err := a.Panels.Recruiting(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]apiPanel, 0, len(list))
	for _, p := range list {
		methods := p.Methods()
		if methods == nil {
			methods = []string{}
		}
		out = append(out, apiPanel{ID: p.ID, Slug: p.Slug, Name: p.Name, Purpose: p.Purpose, MembersDo: p.MembersDo,
			TimeCommitment: p.TimeCommitment, TermMonths: p.TermMonths, RateKind: string(p.RateKind), RatePence: p.RatePence,
			Rate: p.RateLabel(), PaymentMethods: methods, ExpensesCovered: p.ExpensesCovered, Support: p.Support,
			RecruitUntil: p.RecruitUntil, URL: a.opts.BaseURL + "/panels/" + p.Slug})
	}
	return c.JSON(out)
}

type apiApplication struct {
	Name              string   `json:"name"`
	Email             string   `json:"email"`
	Phone             string   `json:"phone"`
	LivedExperience   []string `json:"lived_experience"`
	Statement         string   `json:"statement"`
	Availability      string   `json:"availability"`
	AccessNeeds       string   `json:"access_needs"`
	PaymentPreference string   `json:"payment_preference"`
	AgeBand           string   `json:"age_band"`
	Ethnicity         string   `json:"ethnicity"`
	Locality          string   `json:"locality"`
	ConsentStore      bool     `json:"consent_store"`
	ConsentAnalysis   bool     `json:"consent_analysis"`
	IdempotencyKey    string   `json:"idempotency_key"`
}

// apiApply applies to a panel: 201 when stored (or already stored with
// the same idempotency key), 422 with field messages, 409 when the panel
// is not recruiting, 404 for no such panel. consent_store must be true:
// a client must show panels.ConsentStoreText and have it agreed to.
func (a *App) apiApply(c *fiber.Ctx) error {
	id, err := panelParam(c, "id")
	if err != nil {
		return err
	}
	var body apiApplication
	if err := c.BodyParser(&body); err != nil {
		return fiber.ErrBadRequest
	}
	in := panels.Apply{Name: body.Name, Email: body.Email, Phone: body.Phone, LivedExperience: body.LivedExperience,
		Statement: body.Statement, Availability: body.Availability, AccessNeeds: body.AccessNeeds, PaymentPreference: body.PaymentPreference,
		AgeBand: body.AgeBand, Ethnicity: body.Ethnicity, Locality: body.Locality, ConsentStore: body.ConsentStore,
		ConsentAnalysis: body.ConsentAnalysis, IdempotencyKey: body.IdempotencyKey}
	ap, err := a.Panels.Apply(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"status": ap.Status,
		"message": "Thank you. We have your application and have sent a message to say so."})
}

// apiRepresentation is for staff: members and applicants against the
// panel's targets, every count under 5 already shown as "fewer than 5".
func (a *App) apiRepresentation(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	rows, err := a.Panels.Representation(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	type row struct {
		Dimension  string `json:"dimension"`
		Value      string `json:"value"`
		Target     int    `json:"target"`
		Members    string `json:"members"`
		Applicants string `json:"applicants"`
		Met        bool   `json:"met"`
	}
	out := make([]row, 0, len(rows))
	for _, r := range rows {
		out = append(out, row{r.Dimension, r.Value, r.Target, r.Members, r.Applicants, r.Met})
	}
	return c.JSON(fiber.Map{"panel_id": p.ID, "targets": out})
}
