package app

import (
	"embed"
	"html/template"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/programmes"

	"github.com/gofiber/fiber/v2"
)

//go:embed views
var viewsFS embed.FS

func (a *App) views() (*pageViews, error) {
	sub, err := fs.Sub(viewsFS, "views")
	if err != nil {
		return nil, err
	}
	return loadViews(sub, template.FuncMap{
		"londonTime":    a.londonTime,
		"londonDate":    a.londonDate,
		"fieldErr":      fieldErr,
		"field":         field,
		"textarea":      textarea,
		"accessSummary": accessSummary,
		"deref":         func(p *uint) uint { return *p },
		"derefTime": func(p *time.Time) time.Time {
			if p == nil {
				return time.Time{}
			}
			return *p
		},
	})
}

// navItem is a link in the header.
type navItem struct {
	Href, Label string
	Current     bool
}

// render fills the values every page needs and renders tmpl in the layout.
func (a *App) render(c *fiber.Ctx, status int, tmpl string, data fiber.Map) error {
	u := currentUser(c)
	data["User"] = u
	data["CSRF"] = a.csrfToken(c)
	data["Organisation"] = "Islington Council"
	data["Signposting"] = a.opts.Signposting
	data["Nav"] = a.nav(c, u)
	if _, ok := data["Form"]; !ok {
		data["Form"] = map[string]string{}
	}
	if fl := c.Cookies(flashCookie); fl != "" {
		if msg, err := url.QueryUnescape(fl); err == nil {
			// A message starting "!" asks for attention rather than
			// reporting success.
			if rest, ok := strings.CutPrefix(msg, "!"); ok {
				msg = rest
				data["FlashImportant"] = true
			}
			data["Flash"] = msg
		}
		// Expire it on the same path it was set on, or the browser keeps
		// it and the message shows again on the next page.
		c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", HTTPOnly: true, Secure: a.opts.Secure, SameSite: "Lax", MaxAge: -1})
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Render(tmpl, data)
}

func (a *App) nav(c *fiber.Ctx, u *accounts.User) []navItem {
	items := []navItem{{Href: "/consultations", Label: "Consultations"}, {Href: "/workshops", Label: "Workshops"}, {Href: "/results", Label: "Results"}}
	if u != nil {
		items = append(items, navItem{Href: "/staff", Label: "Staff dashboard"})
		if u.Role.AtLeast(accounts.Admin) {
			items = append(items, navItem{Href: "/admin/users", Label: "Staff accounts"})
		}
	}
	path := c.Path()
	for i := range items {
		items[i].Current = path == items[i].Href || strings.HasPrefix(path, items[i].Href+"/")
	}
	return items
}

const flashCookie = "cs_flash"

// redirectWithFlash ends a successful POST: 303 to target, with a message
// shown once on the next page.
func (a *App) redirectWithFlash(c *fiber.Ctx, target, msg string) error {
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HTTPOnly: true, Secure: a.opts.Secure, SameSite: "Lax", MaxAge: 60})
	return c.Redirect(target, fiber.StatusSeeOther)
}

func (a *App) londonTime(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	lt := t.In(a.london)
	return lt.Format("2 January 2006 at ") + strings.ToLower(lt.Format("3:04pm"))
}

func (a *App) londonDate(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	return t.In(a.london).Format("Monday 2 January 2006")
}

func timeOf(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t == nil {
			return time.Time{}, false
		}
		return *t, !t.IsZero()
	}
	return time.Time{}, false
}

// fieldErr returns the message for name in a page's Errors, or "".
func fieldErr(v any, name string) string {
	if f, ok := v.(*errs.Fields); ok && f != nil {
		return f.Messages[name]
	}
	return ""
}

// inputField is what partials/input renders.
type inputField struct {
	Name, Label, Type, Autocomplete, Hint, Value, Error string
}

// field builds an inputField from the page data, keeping what was typed.
func field(page fiber.Map, name, label, typ, autocomplete, hint string) inputField {
	form, _ := page["Form"].(map[string]string)
	return inputField{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Hint: hint,
		Value: form[name], Error: fieldErr(page["Errors"], name)}
}

// textareaField is what partials/textarea renders.
type textareaField struct {
	inputField
	Rows int
}

// textarea builds a textareaField from the page data, keeping what was typed.
func textarea(page fiber.Map, name, label string, rows int, hint string) textareaField {
	return textareaField{inputField: field(page, name, label, "", "", hint), Rows: rows}
}

func accessSummary(v programmes.Venue) string {
	var parts []string
	add := func(ok bool, s string) {
		if ok {
			parts = append(parts, s)
		}
	}
	add(v.StepFree, "step-free")
	add(v.HearingLoop, "hearing loop")
	add(v.AccessibleToilet, "accessible toilet")
	add(v.QuietRoom, "quiet room")
	add(v.BabyChanging, "baby changing")
	if len(parts) == 0 {
		return "No step-free access. " + v.Notes
	}
	return strings.Join(parts, ", ") + ". " + v.Notes
}
