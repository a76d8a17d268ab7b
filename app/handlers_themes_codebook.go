package app

import (
	"strconv"
	"strings"

	"codesign/accounts"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// The codebook: everyone on the staff reads it and its history; officers
// edit codes, add codes, merge one code into another and import a
// codebook file. Every change is a new version with a note of why
// (themes.CodebookVersion), and the coder uses the newest at once.

// codebookRoutes registers the codebook pages under /staff.
func (a *App) codebookRoutes(staff fiber.Router) {
	officer := a.requireRole(accounts.Officer)
	staff.Get("/themes/codebook", a.themeCodebook)
	staff.Get("/themes/codebook.yaml", a.themeCodebookYAML)
	staff.Get("/themes/codebook.qdc", a.themeCodebookQDC)
	staff.Get("/themes/codebook/versions", a.codebookVersions)
	staff.Get("/themes/codebook/versions/:id<int>/codebook.yaml", a.codebookVersionYAML)
	staff.Get("/themes/codebook/codes/new", officer, a.newCodeForm)
	staff.Post("/themes/codebook/codes", officer, a.addCode)
	staff.Get("/themes/codebook/codes/:key/edit", officer, a.editCodeForm)
	staff.Post("/themes/codebook/codes/:key", officer, a.updateCode)
	staff.Get("/themes/codebook/merge", officer, a.mergeCodesPage)
	staff.Post("/themes/codebook/merge", officer, a.mergeCodes)
	staff.Get("/themes/codebook/import", officer, a.importCodebookForm)
	staff.Post("/themes/codebook/import", officer, a.previewCodebookImport)
	staff.Post("/themes/codebook/import/confirm", officer, a.confirmCodebookImport)
}

// codeRow is one code in the codebook's list.
type codeRow struct {
	themes.Code
	Depth  int
	Under  string // the label of its parent, when that is not the theme
	Terms  int
	Indent bool
}

// codebookGroup is a theme and the codes under it, at any depth.
type codebookGroup struct {
	Theme themes.Code
	Terms int
	Codes []codeRow
}

func codebookGroups(cb *themes.Codebook) []codebookGroup {
	var groups []codebookGroup
	at := map[string]int{}
	for _, code := range cb.Codes {
		theme := cb.Theme(code.Key)
		if code.Key == theme {
			at[theme] = len(groups)
			groups = append(groups, codebookGroup{Theme: code, Terms: len(code.Terms)})
			continue
		}
		i, ok := at[theme]
		if !ok {
			continue
		}
		row := codeRow{Code: code, Depth: cb.Depth(code.Key), Terms: len(code.Terms)}
		if code.Parent != theme {
			row.Under, row.Indent = labelOf(cb, code.Parent), true
		}
		groups[i].Codes = append(groups[i].Codes, row)
	}
	return groups
}

// themeCodebook lists the themes and the codes under each, with their
// colours, meanings and how many words suggest them.
func (a *App) themeCodebook(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cb, version, err := a.Themes.CurrentCodebook(ctx)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": "Codebook", "Groups": codebookGroups(cb), "Version": version, "Codes": len(cb.Codes),
		"CanEdit": currentUser(c).Role.AtLeast(accounts.Officer)}
	if version > 0 {
		vs, err := a.Themes.CodebookVersions(ctx, 1)
		if err != nil {
			return err
		}
		if len(vs) > 0 {
			data["Latest"] = vs[0]
		}
	}
	return a.render(c, fiber.StatusOK, "staff_themes/codebook", data)
}

// versionRow is one version in the history, with who saved it.
type versionRow struct {
	themes.CodebookVersion
	By string
}

// maxVersionsShown bounds the history page.
const maxVersionsShown = 200

// codebookVersions lists the versions of the codebook, newest first.
func (a *App) codebookVersions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	vs, err := a.Themes.CodebookVersions(ctx, maxVersionsShown)
	if err != nil {
		return err
	}
	names, err := a.staffNames(ctx)
	if err != nil {
		return err
	}
	rows := make([]versionRow, len(vs))
	for i, v := range vs {
		rows[i] = versionRow{CodebookVersion: v, By: names[v.UserID]}
		if rows[i].By == "" {
			rows[i].By = "former member of staff"
		}
	}
	return a.render(c, fiber.StatusOK, "staff_themes/codebook_versions", fiber.Map{"Title": "Codebook history", "Versions": rows,
		"More": len(vs) == maxVersionsShown})
}

// codebookVersionYAML downloads one version; 0 is the codebook shipped
// with codesign.
func (a *App) codebookVersionYAML(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil {
		return fiber.ErrNotFound
	}
	b, err := a.Themes.CodebookVersionYAML(c.UserContext(), uint(id))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="codesign-codebook-version-`+strconv.FormatUint(id, 10)+`.yaml"`)
	return c.Send(b)
}

// parentOptions lists the codes a code may sit under, indented by depth:
// every code but key itself and the codes under it.
func parentOptions(cb *themes.Codebook, key string) []option {
	parent := make(map[string]string, len(cb.Codes))
	for _, c := range cb.Codes {
		parent[c.Key] = c.Parent
	}
	var out []option
	for _, c := range cb.Codes {
		depth, below := 0, c.Key == key
		for p := c.Parent; p != "" && depth <= len(parent); p = parent[p] {
			depth++
			below = below || (key != "" && p == key)
		}
		if !below {
			out = append(out, option{c.Key, strings.Repeat("– ", depth) + c.Label})
		}
	}
	return out
}
