package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"codesign/accounts"
	"codesign/audit"

	"github.com/gofiber/fiber/v2"
)

const (
	sessionCookie = "cs_session"
	csrfCookie    = "cs_csrf"
	csrfField     = "_csrf"
	userKey       = "user"
)

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (a *App) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if a.opts.Secure {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

// logRequests logs the route pattern, status and duration: never the query
// string, body, IP address or user agent, which may identify a resident.
func logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status = fe.Code
		}
	}
	slog.Debug("request", "method", c.Method(), "route", routeOf(c), "status", status, "ms", time.Since(start).Milliseconds())
	return err
}

// validUTF8 refuses bodies that are not UTF-8 text before any handler reads
// them; file uploads (multipart) are exempt and checked by their handler.
func validUTF8(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch:
	default:
		return c.Next()
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return c.Next()
	}
	body := c.Body()
	ok := utf8.Valid(body)
	if ok && strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationForm) {
		// Percent-encoding hides bad bytes: check the decoded values too.
		ok = validForm(body)
	}
	if !ok {
		return fiber.NewError(fiber.StatusBadRequest, "What you sent contains characters that are not valid text (it is not UTF-8). Check it and try again.")
	}
	return c.Next()
}

func validForm(body []byte) bool {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return false
	}
	for k, vs := range vals {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

// csrf protects every state-changing form with a double-submit token: a
// random cookie, and a form field that is the cookie's HMAC under the
// shared session key. Nothing is stored, so any instance can check it.
// The JSON API is exempt: it never reads cookies, only bearer tokens.
func (a *App) csrf(c *fiber.Ctx) error {
	if c.Cookies(csrfCookie) == "" {
		a.setCSRFCookie(c, accounts.NewSecret(32))
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if isAPI(c) {
		return c.Next()
	}
	want := a.signCSRF(c.Cookies(csrfCookie))
	got := c.FormValue(csrfField)
	if got == "" || want == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return fiber.NewError(fiber.StatusForbidden, "This form has expired or was sent from somewhere else, so nothing was changed. Go back, reload the page and try again.")
	}
	return c.Next()
}

func (a *App) setCSRFCookie(c *fiber.Ctx, v string) {
	c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: v, Path: "/", HTTPOnly: true, Secure: a.opts.Secure, SameSite: "Lax"})
	// Make the new value visible to csrfToken within this same request.
	c.Request().Header.SetCookie(csrfCookie, v)
}

func (a *App) signCSRF(cookie string) string {
	if cookie == "" {
		return ""
	}
	m := hmac.New(sha256.New, a.opts.SessionKey)
	m.Write([]byte("csrf:" + cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken is the value templates put in the _csrf field.
func (a *App) csrfToken(c *fiber.Ctx) string { return a.signCSRF(c.Cookies(csrfCookie)) }

// loadUser finds the signed-in member of staff, if any, from the session
// cookie (pages) or a bearer token (the API, which ignores cookies).
func (a *App) loadUser(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var u *accounts.User
	var err error
	if isAPI(c) {
		if h := c.Get(fiber.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
			u, err = a.Accounts.TokenUser(ctx, strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")))
			if errors.Is(err, accounts.ErrNoSession) {
				return fiber.NewError(fiber.StatusUnauthorized, "The API token is not valid.")
			}
		}
	} else if v := c.Cookies(sessionCookie); v != "" {
		u, err = a.Accounts.SessionUser(ctx, v)
		if errors.Is(err, accounts.ErrNoSession) {
			c.ClearCookie(sessionCookie)
			u, err = nil, nil
		}
	}
	if err != nil {
		return err
	}
	if u != nil {
		c.Locals(userKey, u)
	}
	return c.Next()
}

func currentUser(c *fiber.Ctx) *accounts.User {
	u, _ := c.Locals(userKey).(*accounts.User)
	return u
}

// requireRole guards a route group. Staff pages are never cached.
func (a *App) requireRole(min accounts.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		u := currentUser(c)
		if u == nil {
			if isAPI(c) {
				return fiber.NewError(fiber.StatusUnauthorized, "Send a staff API token as Authorization: Bearer.")
			}
			return c.Redirect("/login?next="+url.QueryEscape(safeNext(c.OriginalURL())), fiber.StatusSeeOther)
		}
		if !u.Role.AtLeast(min) {
			// A refusal is audited with the route pattern only: never the
			// ids or query in the URL, which may point at a person.
			if err := audit.Record(c.UserContext(), a.DB, audit.Event{ActorUserID: &u.ID, Action: "access.refused",
				Target: c.Method() + " " + routeOf(c), Detail: "needs " + string(min)}); err != nil {
				return err
			}
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}

// safeNext keeps a post-login redirect on this site.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return "/staff"
	}
	return p
}
