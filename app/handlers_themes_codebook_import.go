package app

import (
	"io"
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// importCodebookForm asks for a codebook file: YAML, or REFI-QDA from
// NVivo, ATLAS.ti, MAXQDA or QualCoder.
func (a *App) importCodebookForm(c *fiber.Ctx) error {
	return a.renderImportForm(c, fiber.StatusOK, nil)
}

func (a *App) renderImportForm(c *fiber.Ctx, status int, problems *errs.Fields) error {
	data := fiber.Map{"Title": "Import a codebook"}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_themes/codebook_import", data)
}

// previewCodebookImport reads and checks the file and shows what it would
// add, change and remove. Nothing is stored until that is confirmed.
func (a *App) previewCodebookImport(c *fiber.Ctx) error {
	data, name, problem, err := codebookFromForm(c)
	if err != nil {
		return err
	}
	if problem != "" {
		return a.renderImportForm(c, fiber.StatusUnprocessableEntity, oneProblem("file", problem))
	}
	imp, err := a.Themes.PreviewImport(c.UserContext(), data, name)
	if f, ok := fieldsOf(err); ok {
		return a.renderImportForm(c, fiber.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return a.renderImportPreview(c, fiber.StatusOK, imp, map[string]string{}, nil)
}

// codebookFromForm returns the uploaded file, or a problem to show.
func codebookFromForm(c *fiber.Ctx) (data []byte, name, problem string, err error) {
	fh, ferr := c.FormFile("file")
	switch {
	case ferr != nil || fh.Size == 0:
		return nil, "", "Choose a codebook file: YAML, or a REFI-QDA .qdc file", nil
	case fh.Size > themes.MaxCodebookFile:
		return nil, "", "The file must be 1 MB or smaller", nil
	}
	r, err := fh.Open()
	if err != nil {
		return nil, "", "", err
	}
	defer r.Close()
	data, err = io.ReadAll(io.LimitReader(r, themes.MaxCodebookFile+1))
	return data, strings.Clone(fh.Filename), "", err
}

func oneProblem(field, msg string) *errs.Fields {
	f := &errs.Fields{}
	f.Add(field, msg)
	return f
}

func (a *App) renderImportPreview(c *fiber.Ctx, status int, imp *themes.CodebookImport, form map[string]string, problems *errs.Fields) error {
	y, err := imp.Book.YAML()
	if err != nil {
		return err
	}
	form["codebook"] = string(y)
	if form["version"] == "" {
		form["version"] = strconv.FormatUint(uint64(imp.Base), 10)
	}
	data := fiber.Map{"Title": "Check the imported codebook", "Import": imp, "Diff": imp.Diff, "Form": form, "Codes": len(imp.Book.Codes)}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_themes/codebook_import_preview", data)
}

// confirmCodebookImport stores the checked codebook as a new version. It
// is checked again: the page could have been changed, or the codebook
// changed meanwhile.
func (a *App) confirmCodebookImport(c *fiber.Ctx) error {
	form := map[string]string{"note": strings.Clone(c.FormValue("note")), "version": strings.Clone(c.FormValue("version"))}
	data := []byte(c.FormValue("codebook"))
	changed, err := a.Themes.ImportCodebook(c.UserContext(), changeFromForm(c, form), data)
	if f, ok := fieldsOf(err); ok && f.Messages["note"] != "" {
		imp, perr := a.Themes.PreviewImport(c.UserContext(), data, "codebook.yaml")
		if perr != nil {
			return perr
		}
		return a.renderImportPreview(c, fiber.StatusUnprocessableEntity, imp, form, f)
	} else if ok {
		return a.renderImportForm(c, fiber.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	msg := "Codebook imported. Suggestions use it from now on."
	if !changed {
		msg = "Nothing was changed: the codebook already reads like that."
	}
	return a.redirectWithFlash(c, "/staff/themes/codebook", msg)
}
