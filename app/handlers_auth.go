package app

import (
	"errors"
	"fmt"
	"math"
	"time"

	"codesign/accounts"
	"codesign/errs"

	"github.com/gofiber/fiber/v2"
)

func (a *App) loginForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/staff", fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, "pages/login", fiber.Map{"Title": "Sign in"})
}

// login checks the password, then starts a brand new session: the cookie
// value changes at every sign-in.
func (a *App) login(c *fiber.Ctx) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	form := map[string]string{"email": email}
	f := &errs.Fields{}
	if email == "" {
		f.Add("email", "Enter your email address")
	}
	if password == "" {
		f.Add("password", "Enter your password")
	}
	if f.Has() {
		return a.render(c, fiber.StatusUnprocessableEntity, "pages/login", fiber.Map{"Title": "Sign in", "Errors": f, "Form": form})
	}
	u, err := a.Accounts.Authenticate(c.UserContext(), email, password)
	var locked *accounts.LockedError
	switch {
	case errors.As(err, &locked):
		f.Add("email", fmt.Sprintf("Too many failed attempts. Wait %s and try again, or ask an admin to help.", waitFor(time.Until(locked.Until))))
	case errors.Is(err, accounts.ErrBadLogin):
		f.Add("email", "Enter a correct email address and password")
	case err != nil:
		return err
	}
	if f.Has() {
		return a.render(c, fiber.StatusUnprocessableEntity, "pages/login", fiber.Map{"Title": "Sign in", "Errors": f, "Form": form})
	}
	if old := c.Cookies(sessionCookie); old != "" {
		_ = a.Accounts.EndSession(c.UserContext(), old)
	}
	token, err := a.Accounts.StartSession(c.UserContext(), u)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true, Secure: a.opts.Secure,
		SameSite: "Lax", Expires: time.Now().Add(accounts.SessionTTL)})
	// A new CSRF secret too, so nothing seen before sign-in is worth anything after.
	a.setCSRFCookie(c, accounts.NewSecret(32))
	return a.redirectWithFlash(c, safeNext(c.Query("next", "/staff")), "You are signed in.")
}

func waitFor(d time.Duration) string {
	m := int(math.Ceil(d.Minutes()))
	if m <= 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

func (a *App) logout(c *fiber.Ctx) error {
	if v := c.Cookies(sessionCookie); v != "" {
		if u := currentUser(c); u != nil {
			_ = a.Accounts.SessionEndedAudit(c.UserContext(), u)
		}
		if err := a.Accounts.EndSession(c.UserContext(), v); err != nil {
			return err
		}
	}
	c.ClearCookie(sessionCookie)
	c.Locals(userKey, nil)
	return a.redirectWithFlash(c, "/", "You have signed out.")
}
