package app

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

const passagesPerPage = 25

// queueFilters are the names of the queue's filters, in the order of the form.
var queueFilters = []string{"theme", "code", "min", "status"}

// queueState is a queue page as asked for: its scope, filters and page.
type queueState struct {
	Form   map[string]string
	Filter themes.Filter
	Page   int
}

// values are the scope and filters as they go in a link.
func (q queueState) values() url.Values {
	v := url.Values{"scope": {q.Form["scope"]}}
	for _, k := range queueFilters {
		if q.Form[k] != "" {
			v.Set(k, q.Form[k])
		}
	}
	return v
}

// parseQueue reads a queue's scope and filters. With no status given the
// queue shows what is waiting for a decision; "all" shows everything.
func parseQueue(v url.Values, cb *themes.Codebook) (queueState, *errs.Fields) {
	q := queueState{Form: map[string]string{"scope": strings.Clone(v.Get("scope"))}, Page: 1}
	for _, k := range queueFilters {
		q.Form[k] = strings.TrimSpace(strings.Clone(v.Get(k)))
	}
	q.Filter.Scope = q.Form["scope"]
	problems := &errs.Fields{}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 && n <= 1_000_000 {
		q.Page = n
	}
	switch t := q.Form["theme"]; {
	case t == "":
	case !cb.Has(t) || cb.Theme(t) != t:
		problems.Add("theme", "Choose a theme from the list")
	default:
		q.Filter.Codes = codesUnder(cb, t)
	}
	if code := q.Form["code"]; code != "" {
		if !cb.Has(code) {
			problems.Add("code", "Choose a code from the list")
		} else {
			q.Filter.Codes = []string{code}
		}
	}
	if m := q.Form["min"]; m != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(m, "%"))
		if err != nil || n < 0 || n > 100 {
			problems.Add("min", "Enter a confidence as a whole number from 0 to 100")
		} else {
			q.Filter.MinConfidence = float64(n) / 100
		}
	}
	switch s := q.Form["status"]; s {
	case "":
		q.Filter.Status = themes.StatusPending
	case "all":
	case themes.StatusPending, themes.Accepted, themes.Rejected, themes.StatusUncoded:
		q.Filter.Status = s
	default:
		problems.Add("status", "Choose a status from the list")
	}
	return q, problems
}

// codesUnder is a theme and every code under it.
func codesUnder(cb *themes.Codebook, theme string) []string {
	var out []string
	for _, c := range cb.Codes {
		if cb.Theme(c.Key) == theme {
			out = append(out, c.Key)
		}
	}
	return out
}

// themeQueue is the review queue of one scope.
func (a *App) themeQueue(c *fiber.Ctx) error {
	if _, err := pageParam(c); err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	args := c.Request().URI().QueryArgs()
	v := url.Values{}
	args.VisitAll(func(k, val []byte) { v.Add(string(k), string(val)) })
	q, problems := parseQueue(v, cb)
	status := fiber.StatusOK
	if problems.Has() {
		status = fiber.StatusUnprocessableEntity
	}
	return a.renderQueue(c, q, nil, status, problems)
}

// renderQueue shows a page of a queue: the review queue, or with an
// assignment the signed-in coder's own double coding of its sample.
func (a *App) renderQueue(c *fiber.Ctx, q queueState, as *themes.Assignment, status int, problems *errs.Fields) error {
	ctx, u := c.UserContext(), currentUser(c)
	info, err := a.describeScope(ctx, q.Filter.Scope)
	if err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	path, title := "/staff/themes/queue", "Review: "+info.Label
	f := q.Filter
	if as != nil {
		path, title = "/staff/themes/double/"+strconv.FormatUint(uint64(as.ID), 10), "Double coding: "+info.Label
		f.Assignment, f.Coder = as.ID, u.ID
	}
	data := fiber.Map{"Title": title, "Info": info, "Form": q.Form, "Assignment": as, "Themes": themeOptions(cb),
		"CodeGroups": codeGroups(cb), "Statuses": statusOptions(as != nil), "Path": path}
	if problems.Has() {
		data["Errors"] = problems
	}
	if !hasFilterError(problems) {
		f.Limit, f.Offset = passagesPerPage, (q.Page-1)*passagesPerPage
		ps, total, err := a.Themes.Passages(ctx, f)
		if err != nil {
			return err
		}
		names, err := a.staffNames(ctx)
		if err != nil {
			return err
		}
		params := q.values()
		if as != nil {
			params.Del("scope")
		}
		data["Passages"] = passageViews(ps, cb, names, as != nil && as.Blind, f.Offset)
		data["Total"] = total
		data["Pager"] = newPager(path, params, q.Page, passagesPerPage, len(ps), total)
		page := url.Values{}
		for k, vs := range params {
			page[k] = vs
		}
		if q.Page > 1 {
			page.Set("page", strconv.Itoa(q.Page))
		}
		data["Return"] = withQuery(path, page)
	}
	var asID uint
	if as != nil {
		asID = as.ID
	}
	last, err := a.Themes.Last(ctx, q.Filter.Scope, asID, u.ID)
	if err != nil && !errors.Is(err, themes.ErrNotFound) {
		return err
	}
	if last != nil {
		data["Last"], data["LastLabel"] = last, labelOf(cb, last.Code)
	}
	return a.render(c, status, "staff_themes/queue", data)
}

// hasFilterError reports whether the filters themselves are wrong, so no
// passages can be listed.
func hasFilterError(f *errs.Fields) bool {
	if !f.Has() {
		return false
	}
	for _, k := range queueFilters {
		if f.Messages[k] != "" {
			return true
		}
	}
	return false
}

func labelOf(cb *themes.Codebook, key string) string {
	for _, c := range cb.Codes {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// option is one choice in a select.
type option struct{ Value, Label string }

func themeOptions(cb *themes.Codebook) []option {
	var out []option
	for _, c := range cb.Codes {
		if c.Parent == "" {
			out = append(out, option{c.Key, c.Label})
		}
	}
	return out
}

// codeGroup is a theme and its codes, for an optgroup.
type codeGroup struct {
	Label string
	Codes []option
}

func codeGroups(cb *themes.Codebook) []codeGroup {
	var out []codeGroup
	at := map[string]int{}
	for _, c := range cb.Codes {
		theme := cb.Theme(c.Key)
		i, ok := at[theme]
		if !ok {
			i, at[theme] = len(out), len(out)
			out = append(out, codeGroup{Label: labelOf(cb, theme)})
		}
		label := c.Label
		if c.Key == theme {
			label += " (the theme as a whole)"
		}
		out[i].Codes = append(out[i].Codes, option{c.Key, label})
	}
	return out
}

func statusOptions(double bool) []option {
	pending := "Waiting for a decision"
	if double {
		pending = "Not coded by you yet"
	}
	return []option{{"", pending}, {themes.Accepted, "Accepted or added"}, {themes.Rejected, "Rejected"},
		{themes.StatusUncoded, "No code suggested or decided"}, {"all", "Any status"}}
}
