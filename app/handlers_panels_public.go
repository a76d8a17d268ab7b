package app

import (
	"errors"
	"slices"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelList lists the panels recruiting now.
func (a *App) panelList(c *fiber.Ctx) error {
	list, err := a.Panels.Recruiting(c.UserContext())
	if err != nil {
		return err
	}
	views := make([]panelView, 0, len(list))
	for i := range list {
		views = append(views, a.panelViewOf(&list[i]))
	}
	return a.render(c, fiber.StatusOK, "panels/list", fiber.Map{"Title": "Experts-by-experience panels", "Panels": views})
}

// panelView is a panel with its terms written out for residents.
type panelView struct {
	*panels.Panel
	Purpose, MembersDo, Support []string
	Rate                        string
	Methods                     []string
	ApplyBy                     string
	Recruiting                  bool
}

func (a *App) panelViewOf(p *panels.Panel) panelView {
	v := panelView{Panel: p, Purpose: paragraphsOf(p.Purpose), MembersDo: paragraphsOf(p.MembersDo), Support: paragraphsOf(p.Support),
		Rate: p.RateLabel(), Methods: panelLabels(panels.PaymentPreferences, p.Methods()), Recruiting: p.Recruiting(time.Now())}
	if p.RecruitUntil != nil {
		// RecruitUntil is the first moment applications are refused: the
		// last day to apply is the day before it.
		v.ApplyBy = a.londonDate(p.RecruitUntil.Add(-time.Second))
	}
	return v
}

// panelPage describes one panel: what it is, what members do, how they
// are paid and supported, and how the information is used.
func (a *App) panelPage(c *fiber.Ctx) error {
	p, err := a.Panels.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "panels/panel", fiber.Map{"Title": p.Name, "P": a.panelViewOf(p), "BenefitsNote": panels.BenefitsNote})
}

// closedPanel explains that a panel is not taking applications. It is a
// page, not an error: 200 when someone opens the form, 409 when they send it.
func (a *App) closedPanel(c *fiber.Ctx, p *panels.Panel, status int) error {
	return a.render(c, status, "panels/closed", fiber.Map{"Title": p.Name + " is not taking applications", "P": a.panelViewOf(p),
		"Sent": status == fiber.StatusConflict})
}

func (a *App) applyForm(c *fiber.Ctx) error {
	p, err := a.Panels.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if !p.Recruiting(time.Now()) {
		return a.closedPanel(c, p, fiber.StatusOK)
	}
	form := map[string]string{"idempotency_key": accounts.NewSecret(24)}
	return a.render(c, fiber.StatusOK, "panels/apply", a.applyData(p, form, nil, nil))
}

// applyToPanel stores an application. A second send of the same form (a
// double click) finds the first through the form's idempotency key.
func (a *App) applyToPanel(c *fiber.Ctx) error {
	p, err := a.Panels.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	in, form, areas := applicationFromForm(c, p)
	_, err = a.Panels.Apply(c.UserContext(), p.ID, in)
	if f, ok := fieldsOf(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "panels/apply", a.applyData(p, form, areas, f))
	}
	if errors.Is(err, errs.ErrConflict) {
		return a.closedPanel(c, p, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/panels/"+p.Slug+"/applied", fiber.StatusSeeOther)
}

// applicationFromForm reads the application form, and returns what was
// entered so a form with mistakes can be shown again as it was.
func applicationFromForm(c *fiber.Ctx, p *panels.Panel) (panels.Apply, map[string]string, map[string]bool) {
	form := map[string]string{}
	for _, n := range []string{"name", "email", "phone", "statement", "availability", "access_needs", "payment_preference",
		"age_band", "ethnicity", "locality", "consent_store", "consent_analysis", "idempotency_key"} {
		form[n] = c.FormValue(n)
	}
	in := panels.Apply{Name: form["name"], Email: form["email"], Phone: form["phone"], Statement: form["statement"],
		Availability: form["availability"], AccessNeeds: form["access_needs"], PaymentPreference: form["payment_preference"],
		AgeBand: form["age_band"], Ethnicity: form["ethnicity"], Locality: form["locality"],
		ConsentStore: form["consent_store"] == "yes", ConsentAnalysis: form["consent_analysis"] == "yes", IdempotencyKey: form["idempotency_key"]}
	// Only the ways this panel pays, or no payment, may be chosen.
	if in.PaymentPreference != "not_paid" && !slices.Contains(p.Methods(), in.PaymentPreference) {
		in.PaymentPreference = ""
	}
	areas := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("lived_experience") {
		in.LivedExperience = append(in.LivedExperience, string(v))
		areas[string(v)] = true
	}
	return in, form, areas
}

// applyData fills the application form: its choices, what was typed and
// any messages.
func (a *App) applyData(p *panels.Panel, form map[string]string, areas map[string]bool, f *errs.Fields) fiber.Map {
	one := func(key string) map[string]bool { return map[string]bool{form[key]: true} }
	pay := []panels.Option{}
	for _, o := range panels.PaymentPreferences {
		if o.Key == "not_paid" || slices.Contains(p.Methods(), o.Key) {
			pay = append(pay, o)
		}
	}
	data := fiber.Map{"Title": "Apply to join " + p.Name, "P": a.panelViewOf(p), "Form": form,
		"Lived": panelChoicesOf("lived_experience", "checkbox", "Which of these are part of your lived experience?",
			"Select all that apply. This helps us bring together a range of experiences.", panels.LivedExperienceAreas, areas, f),
		"Pay": panelChoicesOf("payment_preference", "radio", "How would you like to be paid for your time?", "", pay, one("payment_preference"), f),
		"Age": panelChoicesOf("age_band", "radio", "What is your age?", "", panels.AgeBands, one("age_band"), f),
		"Eth": panelChoicesOf("ethnicity", "radio", "What is your ethnic group?", "", panels.Ethnicities, one("ethnicity"), f),
		"Loc": panelChoicesOf("locality", "radio", "Which part of Islington do you live in?",
			"North is Archway, Tufnell Park, Finsbury Park, Holloway and Hillrise. Central is Highbury, Canonbury, Mildmay and around Upper Street. "+
				"South is Finsbury, Clerkenwell, Bunhill, Caledonian and St Peter's.", panels.Localities, one("locality"), f),
		"ConsentStoreText": panels.ConsentStoreText, "ConsentAnalysisText": panels.ConsentAnalysisText, "BenefitsNote": panels.BenefitsNote}
	return withPanelErrors(data, f)
}

// panelChoice is one radio or checkbox; the first of a group carries the
// group's name as its id, so the error summary's link lands on it.
type panelChoice struct {
	ID, Value, Label string
	Checked          bool
}

type panelChoices struct {
	Name, Type, Legend, Hint, Error string
	Options                         []panelChoice
}

func panelChoicesOf(name, typ, legend, hint string, opts []panels.Option, checked map[string]bool, f *errs.Fields) panelChoices {
	g := panelChoices{Name: name, Type: typ, Legend: legend, Hint: hint, Error: fieldErr(f, name)}
	for i, o := range opts {
		id := name + "-" + o.Key
		if i == 0 {
			id = name
		}
		g.Options = append(g.Options, panelChoice{ID: id, Value: o.Key, Label: o.Label, Checked: checked[o.Key] && o.Key != ""})
	}
	return g
}

// panelApplied is the acknowledgement. It names nobody, so it needs no
// private link.
func (a *App) panelApplied(c *fiber.Ctx) error {
	p, err := a.Panels.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "panels/applied", fiber.Map{"Title": "We have your application", "P": a.panelViewOf(p)})
}
