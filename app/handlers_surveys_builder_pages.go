package app

import (
	"fmt"
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// Pages of a survey: add, change, move, remove, and the standard equality
// monitoring section. Pages have no id of their own, so the URL names one
// by its number and every form carries the survey's version.

// builderPageAt returns the survey and the index of the page in the URL.
func (a *App) builderPageAt(c *fiber.Ctx) (*surveys.Survey, int, error) {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return nil, 0, err
	}
	n, err := c.ParamsInt("page")
	if err != nil || n < 1 || n > len(sv.Pages) {
		return nil, 0, fiber.ErrNotFound
	}
	return sv, n - 1, nil
}

// pageFromForm reads the page form.
func pageFromForm(c *fiber.Ctx) (surveys.Page, map[string]string, []int, *errs.Fields) {
	form := map[string]string{"title": strings.TrimSpace(c.FormValue("title")), "intro": strings.TrimSpace(c.FormValue("intro"))}
	f := &errs.Fields{}
	show, rows := showIfFromForm(c, form, f)
	return surveys.Page{Title: form["title"], Intro: form["intro"], ShowIf: show}, form, rows, f
}

// renderPageForm shows the page form; index is -1 for a new page.
func (a *App) renderPageForm(c *fiber.Ctx, status int, sv *surveys.Survey, index int, form map[string]string, problems *errs.Fields, elsewhere []builderElsewhere) error {
	data := fiber.Map{"Title": "Add a page", "Survey": sv, "Form": form, "Action": builderURL(sv, "/pages"), "Version": builderVersion(sv),
		"Earlier": earlierQuestions(sv, len(sv.Pages)-1, -1), "Ops": surveys.Ops, "Rows": conditionRows(form), "Elsewhere": elsewhere, "What": "page"}
	if index >= 0 {
		n := strconv.Itoa(index + 1)
		data["Title"], data["Action"], data["Earlier"] = "Change page "+n, builderURL(sv, "/pages/"+n), earlierQuestions(sv, index-1, -1)
	}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_surveys/page_form", data)
}

func (a *App) builderNewPage(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	return a.renderPageForm(c, fiber.StatusOK, sv, -1, map[string]string{"match": "all"}, nil, nil)
}

func (a *App) builderCreatePage(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	page, form, rows, local := pageFromForm(c)
	n := len(sv.Pages)
	problems, elsewhere, status, err := a.builderApply(c, sv, "page.add", local, func(s *surveys.Survey) error {
		s.Pages = append(s.Pages, page)
		return nil
	}, partFields(fmt.Sprintf("pages[%d].", n), rows), "title")
	if err != nil {
		return err
	}
	if problems.Has() {
		return a.renderPageForm(c, status, sv, -1, form, problems, elsewhere)
	}
	return a.redirectWithFlash(c, builderURL(sv, fmt.Sprintf("#page-%d", n+1)), "Page added. Now add its questions.")
}

func (a *App) builderEditPage(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	p := sv.Pages[i]
	form := map[string]string{"title": p.Title, "intro": p.Intro}
	showIfForm(form, p.ShowIf)
	return a.renderPageForm(c, fiber.StatusOK, sv, i, form, nil, nil)
}

func (a *App) builderUpdatePage(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	page, form, rows, local := pageFromForm(c)
	problems, elsewhere, status, err := a.builderApply(c, sv, "page.edit", local, func(s *surveys.Survey) error {
		if i >= len(s.Pages) {
			return surveys.ErrNotFound
		}
		p := &s.Pages[i]
		p.Title, p.Intro, p.ShowIf = page.Title, page.Intro, page.ShowIf
		return nil
	}, partFields(fmt.Sprintf("pages[%d].", i), rows), "title")
	if err != nil {
		return err
	}
	if problems.Has() {
		return a.renderPageForm(c, status, sv, i, form, problems, elsewhere)
	}
	return a.redirectWithFlash(c, builderURL(sv, fmt.Sprintf("#page-%d", i+1)), "Page saved.")
}

func (a *App) builderMovePage(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	to := i - 1
	if c.FormValue("direction") == "down" {
		to = i + 1
	}
	if to < 0 || to >= len(sv.Pages) {
		return a.redirectWithFlash(c, builderURL(sv, fmt.Sprintf("#page-%d", i+1)), "!That page cannot move further.")
	}
	_, err = a.builderEdit(c, sv, "page.move", func(s *surveys.Survey) error {
		if to >= len(s.Pages) {
			return surveys.ErrNotFound
		}
		s.Pages[i], s.Pages[to] = s.Pages[to], s.Pages[i]
		return nil
	})
	if err != nil {
		return a.builderRefused(c, sv, fmt.Sprintf("page-%d", i+1), err)
	}
	return a.redirectWithFlash(c, builderURL(sv, fmt.Sprintf("#page-%d", to+1)), fmt.Sprintf("Page moved. It is now page %d.", to+1))
}

// renderConfirm shows the page asking whether to remove something, or
// saying why it cannot be removed.
func (a *App) renderConfirm(c *fiber.Ctx, sv *surveys.Survey, title, what, action string, blocked []string) error {
	return a.render(c, fiber.StatusOK, "staff_surveys/confirm", fiber.Map{"Title": title, "Survey": sv, "What": what,
		"Action": action, "Blocked": blocked, "Version": builderVersion(sv)})
}

// removalBlocks says why the questions with keys cannot go, if they cannot:
// answers would be lost, or other conditions look at them.
func (a *App) removalBlocks(c *fiber.Ctx, sv *surveys.Survey, keys map[string]bool) ([]string, error) {
	var out []string
	if len(keys) > 0 {
		n, err := a.Surveys.CountResponses(c.UserContext(), sv.ID)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("This consultation already has %d %s, so questions cannot be removed: their answers would be lost. You can change a question's wording, or hide it with a condition that is never met.", n, plural(n, "response", "responses")))
		}
	}
	if deps := dependents(sv, keys); len(deps) > 0 {
		out = append(out, "Conditions on "+strings.Join(deps, ", ")+" look at this. Change those conditions first.")
	}
	return out, nil
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (a *App) builderConfirmRemovePage(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	p := sv.Pages[i]
	keys := map[string]bool{}
	for _, q := range p.Questions {
		keys[q.Key] = true
	}
	blocked, err := a.removalBlocks(c, sv, keys)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("page %d, “%s”", i+1, p.Title)
	if n := len(p.Questions); n > 0 {
		what += fmt.Sprintf(", and its %d %s", n, plural(int64(n), "question", "questions"))
	}
	return a.renderConfirm(c, sv, fmt.Sprintf("Remove page %d?", i+1), what, builderURL(sv, fmt.Sprintf("/pages/%d/remove", i+1)), blocked)
}

func (a *App) builderRemovePage(c *fiber.Ctx) error {
	sv, i, err := a.builderPageAt(c)
	if err != nil {
		return err
	}
	_, err = a.builderEdit(c, sv, "page.remove", func(s *surveys.Survey) error {
		if i >= len(s.Pages) {
			return surveys.ErrNotFound
		}
		s.Pages = append(s.Pages[:i], s.Pages[i+1:]...)
		return nil
	})
	if err != nil {
		return a.builderRefused(c, sv, fmt.Sprintf("page-%d", i+1), err)
	}
	return a.redirectWithFlash(c, builderURL(sv, "#pages"), "Page removed.")
}

// builderAddEquality adds the standard equality monitoring section as the
// last page, with the programme's localities to choose from.
func (a *App) builderAddEquality(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	locs, err := a.Programmes.Localities(c.UserContext())
	if err != nil {
		return err
	}
	opts := make([]surveys.Option, 0, len(locs))
	for _, l := range locs {
		opts = append(opts, surveys.Option{Value: strings.ReplaceAll(l.Key, "-", "_"), Label: l.Name})
	}
	_, err = a.builderEdit(c, sv, "equality.add", func(s *surveys.Survey) error {
		s.Pages = append(s.Pages, surveys.EqualityPage(opts))
		return nil
	})
	if err != nil {
		return a.builderRefused(c, sv, "equality", err)
	}
	return a.redirectWithFlash(c, builderURL(sv, fmt.Sprintf("#page-%d", len(sv.Pages)+1)),
		"Equality monitoring section added as the last page. Every question in it is optional and offers “Prefer not to say”.")
}
