package app

import (
	"errors"

	"codesign/accounts"
	"codesign/programmes"

	"github.com/gofiber/fiber/v2"
)

type dashLink struct{ Href, Label, Hint string }

func (a *App) staffHome(c *fiber.Ctx) error {
	p, err := a.Programmes.Current(c.UserContext())
	if errors.Is(err, programmes.ErrNotFound) {
		p = &programmes.Programme{Name: "No programme set up yet"}
	} else if err != nil {
		return err
	}
	links := []dashLink{
		{"/staff/surveys", "Consultations", "Build surveys, read responses, see summaries and export the data."},
		{"/staff/workshops", "Workshops", "Events, bookings, access needs and attendance."},
		{"/staff/themes", "Thematic coding", "Review suggested codes, double coding and agreement, exports."},
		{"/staff/reports", "You said, we did", "Findings, quotes, commitments and publishing the results page."},
		{"/staff/panels", "Experts-by-experience panels", "Recruitment, members, sessions and involvement payments."},
	}
	u := currentUser(c)
	if ok, err := a.Safeguarding.Allowed(c.UserContext(), u.ID); err != nil {
		return err
	} else if ok {
		links = append([]dashLink{{"/staff/safeguarding", "Safeguarding queue", "Risk disclosures waiting for a person, oldest first."}}, links...)
	}
	if u.Role.AtLeast(accounts.Admin) {
		links = append(links, dashLink{"/admin/users", "Staff accounts", "Add staff, change roles and disable accounts."},
			dashLink{"/admin/audit", "Audit log", "Who did what to accounts and personal data."},
			dashLink{"/admin/outbox", "Outbox", "Every message codesign sends, and any waiting to be passed on by hand."},
			dashLink{"/admin/privacy", "Data protection", "Find, download or erase what is held about a person; retention."},
			dashLink{"/staff/safeguarding/people", "Safeguarding permission", "Choose who may read risk disclosures in the safeguarding queue."})
	}
	return a.render(c, fiber.StatusOK, "pages/staff", fiber.Map{"Title": "Staff dashboard", "Programme": p, "Links": links})
}

func (a *App) listUsers(c *fiber.Ctx) error {
	users, err := a.Accounts.List(c.UserContext())
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin/users", fiber.Map{"Title": "Staff accounts", "Users": users, "Roles": accounts.Roles})
}

func (a *App) newUserForm(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "admin/user_new", fiber.Map{"Title": "Add a member of staff", "Roles": accounts.Roles})
}

func (a *App) createUser(c *fiber.Ctx) error {
	in := accounts.NewUser{Email: c.FormValue("email"), Name: c.FormValue("name"), Role: accounts.Role(c.FormValue("role")), Password: c.FormValue("password")}
	u, err := a.Accounts.Create(c.UserContext(), &currentUser(c).ID, in)
	if f, ok := fieldsOf(err); ok {
		form := map[string]string{"email": in.Email, "name": in.Name, "role": string(in.Role)}
		return a.render(c, fiber.StatusUnprocessableEntity, "admin/user_new", fiber.Map{"Title": "Add a member of staff", "Roles": accounts.Roles, "Errors": f, "Form": form})
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/admin/users", u.Name+" can now sign in as "+u.Role.Label()+".")
}

func (a *App) changeRole(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	role := accounts.Role(c.FormValue("role"))
	if err := a.Accounts.SetRole(c.UserContext(), &currentUser(c).ID, uint(id), role); err != nil {
		if _, ok := fieldsOf(err); ok {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "Select a role from the list.")
		}
		return err
	}
	return a.redirectWithFlash(c, "/admin/users", "Role changed to "+role.Label()+".")
}

func (a *App) setDisabled(disabled bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := c.ParamsInt("id")
		if err != nil {
			return fiber.ErrNotFound
		}
		if err := a.Accounts.SetDisabled(c.UserContext(), &currentUser(c).ID, uint(id), disabled); err != nil {
			return err
		}
		msg := "Account enabled."
		if disabled {
			msg = "Account disabled. Their sessions and API tokens have been ended."
		}
		return a.redirectWithFlash(c, "/admin/users", msg)
	}
}

func (a *App) auditLog(c *fiber.Ctx) error {
	events, err := a.Audit.Recent(c.UserContext(), 200)
	if err != nil {
		return err
	}
	users, err := a.Accounts.List(c.UserContext())
	if err != nil {
		return err
	}
	names := map[uint]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	return a.render(c, fiber.StatusOK, "admin/audit", fiber.Map{"Title": "Audit log", "Events": events, "Names": names})
}
