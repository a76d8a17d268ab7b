package app

import (
	"fmt"
	"strings"

	"codesign/errs"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// mergeCodesPage asks which code to merge into which; once both are
// chosen (?check=1) it shows what the merge would move and asks to
// confirm. Nothing changes until the confirmation is sent.
func (a *App) mergeCodesPage(c *fiber.Ctx) error {
	form := map[string]string{"from": strings.Clone(c.Query("from")), "into": strings.Clone(c.Query("into"))}
	if c.Query("check") == "" {
		return a.renderMergeForm(c, fiber.StatusOK, form, nil)
	}
	return a.renderMergeConfirm(c, fiber.StatusOK, form, nil)
}

// renderMergeConfirm says what merging would move and asks to confirm, or
// shows the choice again when it cannot be made.
func (a *App) renderMergeConfirm(c *fiber.Ctx, status int, form map[string]string, problems *errs.Fields) error {
	ctx := c.UserContext()
	n, err := a.Themes.MergePreview(ctx, form["from"], form["into"])
	if f, ok := fieldsOf(err); ok {
		return a.renderMergeForm(c, fiber.StatusUnprocessableEntity, form, f)
	} else if err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	from, _ := cb.Code(form["from"])
	into, _ := cb.Code(form["into"])
	var moving []themes.Code
	for _, code := range cb.Codes {
		if code.Parent == from.Key && code.Key != into.Key {
			moving = append(moving, code)
		}
	}
	data := fiber.Map{"Title": "Merge " + from.Label + " into " + into.Label, "From": from, "Into": into, "Count": n, "Moving": moving, "Form": form}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_themes/codebook_merge_confirm", data)
}

func (a *App) renderMergeForm(c *fiber.Ctx, status int, form map[string]string, problems *errs.Fields) error {
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	var from []option
	for _, o := range parentOptions(cb, "") {
		if !themes.IsTheme(o.Value) {
			from = append(from, o)
		}
	}
	data := fiber.Map{"Title": "Merge two codes", "From": from, "Into": parentOptions(cb, ""), "Form": form}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_themes/codebook_merge", data)
}

// mergeCodes merges the codes. Sent twice, the second finds the code gone
// and moves nothing more.
func (a *App) mergeCodes(c *fiber.Ctx) error {
	form := map[string]string{"from": strings.Clone(c.FormValue("from")), "into": strings.Clone(c.FormValue("into")), "note": strings.Clone(c.FormValue("note"))}
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	from, into := labelOf(cb, form["from"]), labelOf(cb, form["into"])
	res, err := a.Themes.MergeCodes(c.UserContext(), themes.Change{UserID: currentUser(c).ID, Note: form["note"]}, form["from"], form["into"])
	if f, ok := fieldsOf(err); ok && f.Messages["note"] != "" {
		return a.renderMergeConfirm(c, fiber.StatusUnprocessableEntity, form, f)
	} else if ok {
		return a.renderMergeForm(c, fiber.StatusUnprocessableEntity, form, f)
	} else if err != nil {
		return err
	}
	msg := fmt.Sprintf("Merged %s into %s: %d %s and %d %s moved.", from, into, res.Tags, plural(res.Tags, "tag", "tags"),
		res.Suggestions, plural(res.Suggestions, "suggestion", "suggestions"))
	if !res.Done {
		msg = "That code had already been merged: nothing more was moved."
	}
	return a.redirectWithFlash(c, "/staff/themes/codebook", msg)
}
