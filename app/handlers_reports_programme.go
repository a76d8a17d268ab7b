package app

import (
	"strconv"
	"time"

	"codesign/programmes"
	"codesign/reports"

	"github.com/gofiber/fiber/v2"
)

// Findings across the whole programme: every consultation and workshop
// added up, for staff, with the same suppression as one consultation's.

// programmeOf loads the programme named by :id.
func (a *App) programmeOf(c *fiber.Ctx) (*programmes.Programme, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Reports.Programme(c.UserContext(), uint(id))
}

func programmeBase(id uint) string {
	return "/staff/programmes/" + strconv.FormatUint(uint64(id), 10) + "/findings"
}

func (a *App) programmeFindings(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := a.programmeOf(c)
	if err != nil {
		return err
	}
	f, err := a.Reports.ProgrammeFindings(ctx, p, false)
	if err != nil {
		return err
	}
	var with *reports.Findings
	unconfirmed := c.Query("unconfirmed") == "1"
	if unconfirmed {
		if with, err = a.Reports.ProgrammeFindings(ctx, p, true); err != nil {
			return err
		}
	}
	var heads []chartItem
	for _, t := range f.Themes {
		heads = append(heads, chartItem{label: t.Label, cell: t.Respondents, share: t.Share})
	}
	return a.render(c, fiber.StatusOK, "staff_reports/programme", fiber.Map{"Title": "Findings across the programme", "Programme": p,
		"F": f, "Rows": findingRows(f, with), "Unconfirmed": unconfirmed, "Chart": chart(heads), "Base": programmeBase(p.ID)})
}

// programmeFindingsCSV downloads the programme's findings as they are
// now: confirmed codes only, small numbers suppressed.
func (a *App) programmeFindingsCSV(c *fiber.Ctx) error {
	p, err := a.programmeOf(c)
	if err != nil {
		return err
	}
	f, err := a.Reports.ProgrammeFindings(c.UserContext(), p, false)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+p.Slug+`-programme-findings-`+time.Now().Format("2006-01-02")+`.csv"`)
	return f.WriteCSV(c.Response().BodyWriter())
}
