package app

import (
	"strconv"

	"codesign/reports"

	"github.com/gofiber/fiber/v2"
)

// candidateLimit is how many passages the quotes page offers for a theme.
const candidateLimit = 40

// codeChoice is a theme or code to pick quotes for.
type codeChoice struct {
	Key, Label string
	Theme      bool
}

func (a *App) quotesPage(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	return a.renderQuotes(c, rc, fiber.StatusOK, c.Query("code"), nil)
}

func (a *App) renderQuotes(c *fiber.Ctx, rc *reportCtx, status int, code string, problem error) error {
	ctx := c.UserContext()
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	var choices []codeChoice
	for _, cd := range cb.Codes {
		choices = append(choices, codeChoice{Key: cd.Key, Label: cd.Label, Theme: cd.Parent == ""})
	}
	if !cb.Has(code) {
		code = cb.Codes[0].Key
	}
	cands, err := a.Reports.Candidates(ctx, rc.Report, code, candidateLimit)
	if err != nil {
		return err
	}
	quotes, err := a.Reports.Quotes(ctx, rc.Report.ID)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, cd := range cb.Codes {
		labels[cd.Key] = cd.Label
	}
	data := rc.page(c, "Quotes: "+rc.Survey.Title, "Quotes")
	data["Choices"], data["Code"], data["CodeLabel"], data["Candidates"], data["Quotes"], data["Labels"] = choices, code, labels[code], cands, quotes, labels
	if f, ok := fieldsOf(problem); ok {
		data["Errors"] = f
	} else if problem != nil {
		data["Problem"] = problem.Error()
	}
	return a.render(c, status, "staff_reports/quotes", data)
}

func (a *App) addQuote(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	code := c.FormValue("code")
	id, perr := strconv.ParseUint(c.FormValue("passage"), 10, 32)
	if perr != nil {
		id = 0
	}
	_, err = a.Reports.AddQuote(c.UserContext(), staffActor(c), rc.Report.ID, uint(id), code)
	if f, ok := fieldsOf(err); ok {
		return a.renderQuotes(c, rc, fiber.StatusUnprocessableEntity, code, f)
	} else if isRefusal(err) {
		return a.renderQuotes(c, rc, fiber.StatusConflict, code, err)
	} else if err != nil {
		return err
	}
	return a.redirectWithFlash(c, rc.Base+"/quotes?code="+code+"#picked", "Quote added, with names and contact details removed.")
}

// isRefusal reports whether err is a quote the rules refuse.
func isRefusal(err error) bool { return err == reports.ErrFlagged || err == reports.ErrNoConsent }

func (a *App) removeQuote(c *fiber.Ctx) error {
	rc, err := a.staffReportOf(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("quote")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	if err := a.Reports.RemoveQuote(c.UserContext(), staffActor(c), rc.Report.ID, uint(id)); err != nil {
		return err
	}
	return a.redirectWithFlash(c, rc.Base+"/quotes?code="+c.FormValue("code")+"#picked", "Quote removed.")
}
