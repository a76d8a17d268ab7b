package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"codesign/accounts"
	"codesign/surveys"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// Thematic coding: the review queue where facilitators accept, reject or
// add the codes codesign suggested for each passage of free text, double
// coding and its agreement report, the codebook, emerging topics, coding a
// whole survey on demand, and the downloads.
//
// Passages are grouped in scopes: the answers to one survey question
// ("survey:12:question_key") or the notes of one workshop ("workshop:7").
// Anyone on the staff may review. Officers assign double coding and
// download the coded passages, which carry residents' words out of the
// service, so each download is audited.

// themeRoutes registers the thematic-coding staff pages under /staff.
func (a *App) themeRoutes(staff fiber.Router) {
	officer := a.requireRole(accounts.Officer)
	staff.Get("/themes", a.themeScopes)
	staff.Get("/themes/queue", a.themeQueue)
	staff.Post("/themes/passages/:id<int>/decisions", a.themeDecide)
	staff.Post("/themes/undo", a.themeUndo)
	staff.Post("/themes/bulk-accept", a.themeBulkAccept)
	staff.Post("/themes/batches", a.startThemeBatch)
	staff.Get("/themes/batches/:id<int>", a.themeBatch)
	a.codebookRoutes(staff)
	staff.Get("/themes/topics", a.themeTopics)
	staff.Get("/themes/passages.csv", officer, a.themePassagesCSV)
	staff.Get("/themes/double", a.doubleCodingList)
	staff.Get("/themes/double/new", officer, a.newDoubleCoding)
	staff.Post("/themes/double", officer, a.assignDoubleCoding)
	staff.Get("/themes/double/:id<int>", a.doubleCodingQueue)
	staff.Get("/themes/double/:id<int>/report", a.doubleCodingReport)
}

// themeAPIRoutes registers the thematic-coding API routes; staff guards
// each staff route.
func (a *App) themeAPIRoutes(api fiber.Router, staff fiber.Handler) {
	api.Get("/themes/codebook", staff, a.apiCodebook)
	api.Get("/themes/passages", staff, a.apiPassages)
	api.Post("/themes/passages/:id<int>/decisions", staff, a.apiDecide)
}

// scopeInfo names a scope for people.
type scopeInfo struct {
	Scope  string
	Kind   string // "survey" or "workshop"
	RefID  uint
	Title  string // the survey's or workshop's title
	Label  string // the question, or "Notes"
	Counts themes.ScopeCount
}

// parseScope reads "survey:12:key" or "workshop:7".
func parseScope(s string) (kind string, id uint, key string, ok bool) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 {
		return "", 0, "", false
	}
	n, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil || n == 0 {
		return "", 0, "", false
	}
	switch {
	case parts[0] == "survey" && len(parts) == 3 && parts[2] != "":
		return "survey", uint(n), parts[2], true
	case parts[0] == "workshop" && len(parts) == 2:
		return "workshop", uint(n), "", true
	}
	return "", 0, "", false
}

func surveyScope(id uint, key string) string { return fmt.Sprintf("survey:%d:%s", id, key) }

// describeScope names a scope, or is not found.
func (a *App) describeScope(ctx context.Context, scope string) (scopeInfo, error) {
	kind, id, key, ok := parseScope(scope)
	if !ok {
		return scopeInfo{}, fiber.ErrNotFound
	}
	info := scopeInfo{Scope: scope, Kind: kind, RefID: id}
	if kind == "workshop" {
		e, err := a.Workshops.Get(ctx, id)
		if err != nil {
			return info, err
		}
		info.Title, info.Label = e.Title, "Notes"
		return info, nil
	}
	sv, err := a.Surveys.Get(ctx, id)
	if err != nil {
		return info, err
	}
	info.Title, info.Label = sv.Title, questionLabel(sv, key)
	return info, nil
}

// questionLabel is the question a key names; "key.other" is the words
// given for "something else".
func questionLabel(sv *surveys.Survey, key string) string {
	base, other := strings.CutSuffix(key, ".other")
	q, _ := sv.Question(base)
	switch {
	case q == nil:
		return key
	case other:
		return q.Label + " (something else)"
	}
	return q.Label
}

// freeTextKeys lists the answer keys of a survey that hold words worth
// coding: free-text questions and "something else" boxes, never contact
// details.
func freeTextKeys(sv *surveys.Survey) []string {
	var out []string
	for _, q := range sv.Questions() {
		if q.Personal {
			continue
		}
		if q.Type.FreeText() {
			out = append(out, q.Key)
		}
		if q.HasOther() {
			out = append(out, surveys.OtherKey(q.Key))
		}
	}
	return out
}

// surveyScopes is one survey's questions for the scope list.
type surveyScopes struct {
	Survey *surveys.Survey
	Rows   []scopeInfo
	Batch  *themes.Batch
}

// themeScopes lists every question with free text and every workshop
// with notes, with how far their review has gone.
func (a *App) themeScopes(c *fiber.Ctx) error {
	ctx := c.UserContext()
	counts, err := a.Themes.Scopes(ctx)
	if err != nil {
		return err
	}
	byScope := map[string]themes.ScopeCount{}
	for _, sc := range counts {
		byScope[sc.Scope] = sc
	}
	list, err := a.Surveys.List(ctx, surveys.ListQuery{})
	if err != nil {
		return err
	}
	batches, err := a.Themes.LatestBatches(ctx, "survey")
	if err != nil {
		return err
	}
	var groups []surveyScopes
	for i := range list {
		sv := &list[i]
		keys := freeTextKeys(sv)
		if sv.Status == surveys.Draft || len(keys) == 0 {
			continue
		}
		g := surveyScopes{Survey: sv, Batch: batches[sv.ID]}
		for _, k := range keys {
			scope := surveyScope(sv.ID, k)
			g.Rows = append(g.Rows, scopeInfo{Scope: scope, Kind: "survey", RefID: sv.ID, Title: sv.Title, Label: questionLabel(sv, k), Counts: byScope[scope]})
		}
		groups = append(groups, g)
	}
	var notes []scopeInfo
	for _, sc := range counts {
		if !strings.HasPrefix(sc.Scope, "workshop:") {
			continue
		}
		info, err := a.describeScope(ctx, sc.Scope)
		if err != nil {
			continue // a workshop since removed
		}
		info.Counts = sc
		notes = append(notes, info)
	}
	return a.render(c, fiber.StatusOK, "staff_themes/scopes", fiber.Map{"Title": "Thematic coding", "Surveys": groups,
		"Workshops": notes, "CanExport": currentUser(c).Role.AtLeast(accounts.Officer), "CodingOn": a.Coding})
}

// staffNames maps staff ids to names, for saying who decided.
func (a *App) staffNames(ctx context.Context) (map[uint]string, error) {
	users, err := a.Accounts.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint]string, len(users))
	for _, u := range users {
		out[u.ID] = u.Name
	}
	return out, nil
}
