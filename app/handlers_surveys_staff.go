package app

import (
	"errors"
	"strconv"
	"strings"

	"codesign/accounts"
	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// surveyStaffRoutes registers the staff pages for building consultations,
// under the /staff group. Every member of staff may look; officers and
// admins build, so each route that changes anything, and each form for
// one, carries build. The check is per route, not a /surveys group,
// because a group's middleware would also guard the responses pages.
func (a *App) surveyStaffRoutes(staff fiber.Router) {
	build := a.requireRole(accounts.Officer)
	staff.Get("/surveys", a.builderList)
	staff.Get("/surveys/new", build, a.builderNewForm)
	staff.Post("/surveys", build, a.builderCreate)
	staff.Get("/surveys/import", build, a.builderImportForm)
	staff.Post("/surveys/import", build, a.builderImport)
	staff.Get("/surveys/:id<int>", a.builderShow)
	staff.Get("/surveys/:id<int>/definition.json", a.builderExport)
	staff.Get("/surveys/:id<int>/edit", build, a.builderEditForm)
	staff.Post("/surveys/:id<int>", build, a.builderUpdate)
	staff.Post("/surveys/:id<int>/status", build, a.builderSetStatus)
	staff.Post("/surveys/:id<int>/duplicate", build, a.builderDuplicate)
	staff.Get("/surveys/:id<int>/import", build, a.builderReplaceForm)
	staff.Post("/surveys/:id<int>/import", build, a.builderReplace)
	staff.Post("/surveys/:id<int>/equality", build, a.builderAddEquality)
	staff.Get("/surveys/:id<int>/pages/new", build, a.builderNewPage)
	staff.Post("/surveys/:id<int>/pages", build, a.builderCreatePage)
	staff.Get("/surveys/:id<int>/pages/:page<int>/edit", build, a.builderEditPage)
	staff.Post("/surveys/:id<int>/pages/:page<int>", build, a.builderUpdatePage)
	staff.Post("/surveys/:id<int>/pages/:page<int>/move", build, a.builderMovePage)
	staff.Get("/surveys/:id<int>/pages/:page<int>/remove", build, a.builderConfirmRemovePage)
	staff.Post("/surveys/:id<int>/pages/:page<int>/remove", build, a.builderRemovePage)
	staff.Get("/surveys/:id<int>/pages/:page<int>/questions/new", build, a.builderNewQuestion)
	staff.Post("/surveys/:id<int>/pages/:page<int>/questions", build, a.builderCreateQuestion)
	staff.Get("/surveys/:id<int>/questions/:key/edit", build, a.builderEditQuestion)
	staff.Post("/surveys/:id<int>/questions/:key", build, a.builderUpdateQuestion)
	staff.Post("/surveys/:id<int>/questions/:key/move", build, a.builderMoveQuestion)
	staff.Get("/surveys/:id<int>/questions/:key/remove", build, a.builderConfirmRemoveQuestion)
	staff.Post("/surveys/:id<int>/questions/:key/remove", build, a.builderRemoveQuestion)
}

// surveyStaffAPIRoutes registers the API for building consultations
// under /api/v1. staff is the API's sign-in check; building needs an
// officer or admin as well.
func (a *App) surveyStaffAPIRoutes(api fiber.Router, staff fiber.Handler) {
	build := a.requireRole(accounts.Officer)
	api.Post("/surveys", staff, build, a.apiCreateSurvey)
	api.Put("/surveys/:slug", staff, build, a.apiReplaceSurvey)
}

// builderSurvey loads the survey named in the URL, whatever its status.
func (a *App) builderSurvey(c *fiber.Ctx) (*surveys.Survey, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Surveys.Get(c.UserContext(), uint(id))
}

func builderURL(sv *surveys.Survey, rest string) string {
	return "/staff/surveys/" + strconv.FormatUint(uint64(sv.ID), 10) + rest
}

// builderVersion identifies one saved state of a survey. Forms carry it,
// so a change made in another tab since the page was opened is refused
// instead of silently overwritten: pages are addressed by position.
func builderVersion(sv *surveys.Survey) string {
	return strconv.FormatInt(sv.UpdatedAt.UnixNano(), 36)
}

var errStale = &errs.Conflict{Message: "Someone changed this consultation (perhaps you, in another tab) after you opened this page, so nothing was saved. Check the consultation as it is now and try again."}

// builderEdit changes a survey through the store, which validates the
// result whole and refuses changes that would orphan answers.
func (a *App) builderEdit(c *fiber.Ctx, sv *surveys.Survey, action string, fn func(*surveys.Survey) error) (*surveys.Survey, error) {
	version := c.FormValue("version")
	return a.Surveys.Edit(c.UserContext(), &currentUser(c).ID, sv.ID, action, func(s *surveys.Survey) error {
		if version != "" && version != builderVersion(s) {
			return errStale
		}
		return fn(s)
	})
}

// builderRow is one survey in the staff list.
type builderRow struct {
	Survey    surveys.Survey
	Responses int64
	Tag       string
}

// builderTag is the tag colour for a status.
func builderTag(s surveys.Status) string {
	switch s {
	case surveys.Open:
		return "cs-tag--green"
	case surveys.Closed:
		return "cs-tag--yellow"
	case surveys.Archived:
		return "cs-tag--red"
	}
	return "cs-tag--grey"
}

func (a *App) builderList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	list, err := a.Surveys.List(ctx, surveys.ListQuery{})
	if err != nil {
		return err
	}
	counts, err := a.Surveys.ResponseCounts(ctx)
	if err != nil {
		return err
	}
	rows := make([]builderRow, 0, len(list))
	for _, sv := range list {
		rows = append(rows, builderRow{Survey: sv, Responses: counts[sv.ID], Tag: builderTag(sv.Status)})
	}
	return a.render(c, fiber.StatusOK, "staff_surveys/list", fiber.Map{"Title": "Consultations", "Rows": rows,
		"CanBuild": currentUser(c).Role.AtLeast(accounts.Officer)})
}

func (a *App) builderShow(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	return a.renderBuilder(c, fiber.StatusOK, sv, nil)
}

// renderBuilder shows the survey page, with problems when an action on it
// was refused.
func (a *App) renderBuilder(c *fiber.Ctx, status int, sv *surveys.Survey, problems *errs.Fields) error {
	n, err := a.Surveys.CountResponses(c.UserContext(), sv.ID)
	if err != nil {
		return err
	}
	eq, _ := sv.Question("ethnicity")
	data := fiber.Map{"Title": sv.Title, "Survey": sv, "Responses": n, "Pages": builderPages(sv), "Tag": builderTag(sv.Status),
		"Moves": builderMoves(sv.Status), "CanBuild": currentUser(c).Role.AtLeast(accounts.Officer), "Version": builderVersion(sv),
		"HasEquality": eq != nil, "Personal": sv.ContainsPersonalData()}
	if problems != nil {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_surveys/show", data)
}

// builderRefused shows the survey page again when the store refused an
// action taken on it, with the reason linked to the part acted on. Any
// other error is returned for the error handler.
func (a *App) builderRefused(c *fiber.Ctx, sv *surveys.Survey, anchor string, err error) error {
	msg, status, ok := refusal(err)
	if !ok {
		return err
	}
	p := &errs.Fields{}
	p.Add(anchor, msg)
	return a.renderBuilder(c, status, sv, p)
}

// refusal is the plain-English reason the store gave for refusing a
// change: every field problem in one message, or a conflict's message.
func refusal(err error) (string, int, bool) {
	if f, ok := fieldsOf(err); ok {
		msgs := make([]string, 0, len(f.Order))
		for _, k := range f.Order {
			msgs = append(msgs, f.Messages[k])
		}
		return strings.Join(msgs, ". "), fiber.StatusUnprocessableEntity, true
	}
	var conflict *errs.Conflict
	if errors.As(err, &conflict) {
		return conflict.Message, fiber.StatusConflict, true
	}
	return "", 0, false
}

// builderMove is a button on the survey page that moves its status on.
type builderMove struct {
	To    surveys.Status
	Label string
	Hint  string
}

func builderMoves(from surveys.Status) []builderMove {
	var out []builderMove
	for _, to := range from.Next() {
		m := builderMove{To: to}
		switch to {
		case surveys.Open:
			m.Label, m.Hint = "Open for responses", "Residents can answer between the opening and closing dates."
			if from == surveys.Closed {
				m.Label = "Reopen for responses"
			}
		case surveys.Closed:
			m.Label, m.Hint = "Close it now", "Residents can still read it but can no longer answer."
		case surveys.Archived:
			m.Label, m.Hint = "Archive it", "Residents can no longer see it. Its responses are kept."
		case surveys.Draft:
			m.Label, m.Hint = "Return it to draft", "Only staff can see it, so you can change it."
		default:
			m.Label = "Make it " + to.Label()
		}
		out = append(out, m)
	}
	return out
}

func (a *App) builderSetStatus(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	to := surveys.Status(c.FormValue("status"))
	if _, err := a.Surveys.SetStatus(c.UserContext(), &currentUser(c).ID, sv.ID, to); err != nil {
		return a.builderRefused(c, sv, "status", err)
	}
	return a.redirectWithFlash(c, builderURL(sv, ""), "The consultation is now "+strings.ToLower(to.Label())+".")
}

func (a *App) builderDuplicate(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	cp, err := a.Surveys.Duplicate(c.UserContext(), &currentUser(c).ID, sv.ID)
	if err != nil {
		return a.builderRefused(c, sv, "duplicate", err)
	}
	return a.redirectWithFlash(c, builderURL(cp, ""), "Copy made as a draft. Change its title and web address before you open it.")
}

// builderExport downloads the definition, for another council or for
// version control. It holds no answers.
func (a *App) builderExport(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	b, err := sv.Definition().MarshalIndented()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+sv.Slug+`.json"`)
	return c.Send(append(b, '\n'))
}
