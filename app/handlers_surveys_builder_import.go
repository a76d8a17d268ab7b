package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// Import a definition as a new consultation, or in place of one's pages
// and details; and the same through the API. A definition is checked
// whole before anything is stored, so it is never half applied.

// maxDefinitionBytes bounds an uploaded definition; 300 questions with
// long wording fit well within it.
const maxDefinitionBytes = 1 << 20

// definitionFromForm returns the JSON uploaded as a file or pasted in the
// box (the file wins when both are given), or a problem to show.
func definitionFromForm(c *fiber.Ctx) (text string, fromFile bool, problem string, err error) {
	text = c.FormValue("definition")
	if fh, ferr := c.FormFile("file"); ferr == nil && fh.Size > 0 {
		if fh.Size > maxDefinitionBytes {
			return "", true, "The file must be smaller than 1 MB", nil
		}
		r, err := fh.Open()
		if err != nil {
			return "", true, "", err
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, maxDefinitionBytes))
		if err != nil {
			return "", true, "", err
		}
		text, fromFile = string(b), true
	}
	// Uploads skip the check every other form gets, so check here.
	if !utf8.ValidString(text) {
		return "", fromFile, "The definition is not UTF-8 text. Save it as UTF-8 (plain JSON) and try again", nil
	}
	if strings.TrimSpace(text) == "" {
		return "", false, "Choose a JSON file or paste the definition", nil
	}
	return text, fromFile, "", nil
}

// definitionProblems lists, in order, why a definition was refused.
func definitionProblems(err error) ([]string, int, bool) {
	if f, ok := fieldsOf(err); ok {
		out := make([]string, 0, len(f.Order))
		for _, k := range f.Order {
			m := f.Messages[k]
			if k != "definition" && !strings.HasPrefix(k, "pages") {
				m += fmt.Sprintf(" (“%s” in the definition)", k)
			}
			out = append(out, m)
		}
		return out, fiber.StatusUnprocessableEntity, true
	}
	if msg, status, ok := refusal(err); ok {
		return []string{msg}, status, true
	}
	return nil, 0, false
}

// renderImport shows the import form; sv is the survey to replace, or nil
// to import a new one.
func (a *App) renderImport(c *fiber.Ctx, status int, sv *surveys.Survey, text string, fromFile bool, problems []string) error {
	data := fiber.Map{"Title": "Import a consultation", "Action": "/staff/surveys/import", "Form": map[string]string{"definition": text},
		"FromFile": fromFile && text != ""}
	if sv != nil {
		data["Title"], data["Survey"], data["Action"], data["Version"] = "Replace from a definition", sv, builderURL(sv, "/import"), builderVersion(sv)
	}
	if len(problems) > 0 {
		f := &errs.Fields{}
		list := make([]builderElsewhere, 0, len(problems))
		for i, m := range problems {
			id := fmt.Sprintf("problem-%d", i+1)
			f.Add(id, m)
			list = append(list, builderElsewhere{ID: id, Message: m})
		}
		data["Errors"], data["Problems"] = f, list
	}
	return a.render(c, status, "staff_surveys/import", data)
}

func (a *App) builderImportForm(c *fiber.Ctx) error {
	return a.renderImport(c, fiber.StatusOK, nil, "", false, nil)
}

// builderImport adds a new consultation from a definition. It is always a
// draft, whatever the definition says, so staff check it before it opens.
func (a *App) builderImport(c *fiber.Ctx) error {
	text, fromFile, problem, err := definitionFromForm(c)
	if err != nil {
		return err
	}
	if problem != "" {
		return a.renderImport(c, fiber.StatusUnprocessableEntity, nil, text, fromFile, []string{problem})
	}
	sv, err := surveys.ParseDefinition(strings.NewReader(text))
	if err == nil {
		sv.Status = surveys.Draft
		err = a.Surveys.Import(c.UserContext(), &currentUser(c).ID, sv)
	}
	if err != nil {
		problems, status, ok := definitionProblems(err)
		if !ok {
			return err
		}
		return a.renderImport(c, status, nil, text, fromFile, problems)
	}
	return a.redirectWithFlash(c, builderURL(sv, ""), "Consultation imported as a draft. Check it, then open it for responses.")
}

func (a *App) builderReplaceForm(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	return a.renderImport(c, fiber.StatusOK, sv, "", false, nil)
}

// builderReplace swaps a consultation's details and pages for a
// definition's, keeping its status. Once people have answered, the store
// refuses anything that would orphan their answers.
func (a *App) builderReplace(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	text, fromFile, problem, err := definitionFromForm(c)
	if err != nil {
		return err
	}
	if problem != "" {
		return a.renderImport(c, fiber.StatusUnprocessableEntity, sv, text, fromFile, []string{problem})
	}
	parsed, err := surveys.ParseDefinition(strings.NewReader(text))
	if err == nil {
		d := parsed.Definition()
		d.Status = ""
		_, err = a.builderEdit(c, sv, "replace", func(s *surveys.Survey) error {
			s.Apply(d)
			return nil
		})
	}
	if err != nil {
		problems, status, ok := definitionProblems(err)
		if !ok {
			return err
		}
		return a.renderImport(c, status, sv, text, fromFile, problems)
	}
	return a.redirectWithFlash(c, builderURL(sv, ""), "Consultation replaced from the definition.")
}

// apiCreateSurvey adds a survey from a definition: 201 with the
// definition as stored, 422 {"error","fields"} listing every problem.
// Unlike the page, the API keeps the definition's status, so a
// definition kept in version control can be deployed as it is.
func (a *App) apiCreateSurvey(c *fiber.Ctx) error {
	sv, err := surveys.ParseDefinition(bytes.NewReader(c.Body()))
	if err != nil {
		return err
	}
	if err := a.Surveys.Import(c.UserContext(), &currentUser(c).ID, sv); err != nil {
		return err
	}
	c.Location("/api/v1/surveys/" + sv.Slug)
	return c.Status(fiber.StatusCreated).JSON(sv.Definition())
}

// apiReplaceSurvey replaces a survey's definition: 200 with the new
// definition, 422 for problems, 409 when it would orphan answers or skip
// a status. A definition without "status" keeps the survey's.
func (a *App) apiReplaceSurvey(c *fiber.Ctx) error {
	cur, err := a.Surveys.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	body := c.Body()
	parsed, err := surveys.ParseDefinition(bytes.NewReader(body))
	if err != nil {
		return err
	}
	var given struct {
		Status surveys.Status `json:"status"`
	}
	if err := json.Unmarshal(body, &given); err != nil {
		return err
	}
	d := parsed.Definition()
	d.Status = given.Status
	sv, err := a.Surveys.Replace(c.UserContext(), &currentUser(c).ID, cur.ID, d)
	if err != nil {
		return err
	}
	return c.JSON(sv.Definition())
}
