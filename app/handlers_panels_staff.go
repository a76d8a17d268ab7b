package app

import (
	"strconv"
	"time"

	"codesign/errs"
	"codesign/panels"

	"github.com/gofiber/fiber/v2"
)

// panelListRow is a panel in the staff list.
type panelListRow struct {
	panels.Panel
	Recruiting bool
}

func (a *App) staffPanels(c *fiber.Ctx) error {
	list, err := a.Panels.List(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]panelListRow, 0, len(list))
	now := time.Now()
	for _, p := range list {
		rows = append(rows, panelListRow{Panel: p, Recruiting: p.Recruiting(now)})
	}
	return a.render(c, fiber.StatusOK, "staff_panels/list", fiber.Map{"Title": "Experts-by-experience panels", "Panels": rows, "Officer": panelOfficer(c)})
}

// panelStatusCount is how many applications are in one selection state.
type panelStatusCount struct {
	Status panels.Status
	N      int
}

// staffPanel is a panel's overview: its terms, where selection stands,
// and the reviews of draft findings it has been asked for.
func (a *App) staffPanel(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	apps, err := a.Panels.Applications(ctx, p.ID)
	if err != nil {
		return err
	}
	members, err := a.Panels.Members(ctx, p.ID)
	if err != nil {
		return err
	}
	reviews, err := a.Panels.Reviews(ctx, p.ID)
	if err != nil {
		return err
	}
	counts := map[panels.Status]int{}
	for _, ap := range apps {
		counts[ap.Status]++
	}
	var byStatus []panelStatusCount
	for _, s := range []panels.Status{panels.Received, panels.Shortlisted, panels.Invited, panels.Waiting, panels.Accepted, panels.Declined} {
		byStatus = append(byStatus, panelStatusCount{s, counts[s]})
	}
	active := 0
	for _, m := range members {
		if m.Status == panels.Active {
			active++
		}
	}
	data := staffPanelData(c, p, "Overview", "Overview")
	data["Title"] = p.Name
	data["P"] = a.panelViewOf(p)
	data["ByStatus"], data["Applications"], data["Active"], data["Reviews"] = byStatus, len(apps), active, reviews
	data["Targets"] = panelTargetSummary(p)
	return a.render(c, fiber.StatusOK, "staff_panels/show", data)
}

// panelTargetSummary writes each diversity target as "Age 16 to 24: at least 2".
func panelTargetSummary(p *panels.Panel) []string {
	var out []string
	for _, t := range p.DiversityTargets() {
		out = append(out, panels.DimensionLabels[t.Dimension]+", "+panels.Label(panels.Dimensions[t.Dimension], t.Value)+": at least "+strconv.Itoa(t.Min))
	}
	return out
}

func (a *App) panelFormData(title string, p *panels.Panel, form map[string]string, f *errs.Fields) fiber.Map {
	data := fiber.Map{"Title": title, "Form": form, "Targets": panelTargetGroups(form), "Panel": p}
	return withPanelErrors(data, f)
}

func (a *App) newPanelForm(c *fiber.Ctx) error {
	form := map[string]string{"term_months": "12", "rate_kind": "hourly", "rate": "25", "method_bank_transfer": "yes", "method_vouchers": "yes",
		"expenses_covered": "yes", "target_size": "12"}
	return a.render(c, fiber.StatusOK, "staff_panels/form", a.panelFormData("Create a panel", nil, form, nil))
}

func (a *App) editPanelForm(c *fiber.Ctx) error {
	p, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_panels/form", a.panelFormData("Edit "+p.Name, p, a.formOfPanel(p), nil))
}

func (a *App) createPanel(c *fiber.Ctx) error {
	p, form, f := a.panelFromForm(c)
	if !f.Has() {
		if err := mergePanelFields(f, a.Panels.Create(c.UserContext(), &currentUser(c).ID, p)); err != nil {
			return err
		}
	} else {
		_ = mergePanelFields(f, p.Validate()) // show every message at once
	}
	if f.Has() {
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_panels/form", a.panelFormData("Create a panel", nil, form, f))
	}
	return a.redirectWithFlash(c, panelBase(p), "Panel created.")
}

func (a *App) updatePanel(c *fiber.Ctx) error {
	old, err := a.staffPanelOf(c)
	if err != nil {
		return err
	}
	p, form, f := a.panelFromForm(c)
	p.ID = old.ID
	if !f.Has() {
		if err := mergePanelFields(f, a.Panels.Update(c.UserContext(), &currentUser(c).ID, p)); err != nil {
			return err
		}
	} else {
		_ = mergePanelFields(f, p.Validate())
	}
	if f.Has() {
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_panels/form", a.panelFormData("Edit "+old.Name, old, form, f))
	}
	return a.redirectWithFlash(c, panelBase(p), "Panel saved.")
}
