package app

import (
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// codeFields are the code form's fields, in the order of the form.
var codeFields = []string{"key", "label", "description", "colour", "parent", "terms", "note", "version"}

// codeFormValues reads the code form, copied out of the request.
func codeFormValues(c *fiber.Ctx) map[string]string {
	form := map[string]string{}
	for _, k := range codeFields {
		form[k] = strings.Clone(c.FormValue(k))
	}
	return form
}

// codeFromForm is the code the form describes.
func codeFromForm(form map[string]string) themes.Code {
	return themes.Code{Key: strings.TrimSpace(form["key"]), Parent: form["parent"], Label: form["label"], Description: form["description"],
		Colour: form["colour"], Terms: themes.ParseTerms(form["terms"])}
}

// changeFromForm is who is changing the codebook, from which version, and
// why.
func changeFromForm(c *fiber.Ctx, form map[string]string) themes.Change {
	base, _ := strconv.ParseUint(form["version"], 10, 32)
	return themes.Change{Base: uint(base), UserID: currentUser(c).ID, Note: form["note"]}
}

// renderCodeForm shows the form that adds a code (key "") or edits one.
func (a *App) renderCodeForm(c *fiber.Ctx, status int, key string, form map[string]string, problems *errs.Fields) error {
	cb, version, err := a.Themes.CurrentCodebook(c.UserContext())
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": "Add a code", "Form": form, "Parents": parentOptions(cb, key), "New": key == "",
		"Action": "/staff/themes/codebook/codes"}
	if key != "" {
		code, ok := cb.Code(key)
		if !ok {
			return themes.ErrCodeNotFound
		}
		data["Title"], data["Code"], data["Theme"] = "Change "+code.Label, code, themes.IsTheme(key)
		data["Action"] = "/staff/themes/codebook/codes/" + key
	}
	if form["version"] == "" {
		form["version"] = strconv.FormatUint(uint64(version), 10)
	}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_themes/codebook_code", data)
}

// newCodeForm asks for a new code, under the code given as ?parent=.
func (a *App) newCodeForm(c *fiber.Ctx) error {
	return a.renderCodeForm(c, fiber.StatusOK, "", map[string]string{"parent": strings.Clone(c.Query("parent"))}, nil)
}

// addCode adds the code, or shows the form again with what to correct.
func (a *App) addCode(c *fiber.Ctx) error {
	form := codeFormValues(c)
	code := codeFromForm(form)
	changed, err := a.Themes.AddCode(c.UserContext(), changeFromForm(c, form), code)
	if f, ok := fieldsOf(err); ok {
		return a.renderCodeForm(c, fiber.StatusUnprocessableEntity, "", form, f)
	} else if err != nil {
		return err
	}
	msg := "Code added: " + code.Label + ". It is used for suggestions from now on."
	if !changed {
		msg = "That code was added already: nothing more was changed."
	}
	return a.redirectWithFlash(c, "/staff/themes/codebook", msg)
}

// editCodeForm shows a code's label, description, colour, parent and
// terms to change.
func (a *App) editCodeForm(c *fiber.Ctx) error {
	key := strings.Clone(c.Params("key"))
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	code, ok := cb.Code(key)
	if !ok {
		return themes.ErrCodeNotFound
	}
	form := map[string]string{"key": code.Key, "label": code.Label, "description": code.Description, "colour": code.Colour,
		"parent": code.Parent, "terms": strings.Join(code.Terms, "\n")}
	return a.renderCodeForm(c, fiber.StatusOK, key, form, nil)
}

// updateCode saves the changed code as a new version of the codebook.
func (a *App) updateCode(c *fiber.Ctx) error {
	key := strings.Clone(c.Params("key"))
	form := codeFormValues(c)
	form["key"] = key
	if themes.IsTheme(key) {
		form["parent"] = "" // the form has no parent for a theme
	}
	code := codeFromForm(form)
	changed, err := a.Themes.EditCode(c.UserContext(), changeFromForm(c, form), key, code)
	if f, ok := fieldsOf(err); ok {
		return a.renderCodeForm(c, fiber.StatusUnprocessableEntity, key, form, f)
	} else if err != nil {
		return err
	}
	msg := "Code changed: " + strings.TrimSpace(code.Label) + ". Suggestions use the change from now on."
	if !changed {
		msg = "Nothing was changed: the code already reads like that."
	}
	return a.redirectWithFlash(c, "/staff/themes/codebook#"+key, msg)
}
