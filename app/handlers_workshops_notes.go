package app

import (
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

func (a *App) notesPage(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	return a.renderNotes(c, e, fiber.StatusOK, nil, nil)
}

func (a *App) renderNotes(c *fiber.Ctx, e *workshops.Event, status int, form map[string]string, problems *errs.Fields) error {
	notes, err := a.Workshops.Notes(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	units, err := a.Workshops.NoteUnits(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	suggested, err := a.suggest(c.UserContext(), units)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": "Notes: " + e.Title, "Event": e, "Notes": notes, "Units": len(units), "Form": form,
		"Suggested": suggested}
	if form == nil {
		data["Form"] = map[string]string{}
	}
	if problems != nil {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_workshops/notes", data)
}

// addNotes stores typed or pasted notes, or the text of an uploaded file.
// Only the extracted text is kept; the file itself is never stored.
func (a *App) addNotes(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	n := &workshops.Note{EventID: e.ID, AuthorUserID: &currentUser(c).ID, Title: c.FormValue("title"), Body: c.FormValue("body")}
	form := map[string]string{"title": n.Title, "body": n.Body}
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		text, err := readUpload(fh.Filename, fh.Size, func() (io.ReadCloser, error) { return fh.Open() })
		if f, ok := fieldsOf(err); ok {
			return a.renderNotes(c, e, fiber.StatusUnprocessableEntity, form, f)
		} else if err != nil {
			return err
		}
		n.Body, n.Source = text, filepath.Base(fh.Filename)
	}
	err = a.Workshops.AddNote(c.UserContext(), n)
	if f, ok := fieldsOf(err); ok {
		return a.renderNotes(c, e, fiber.StatusUnprocessableEntity, form, f)
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10)+"/notes", "Notes saved. They are ready for thematic coding.")
}

func readUpload(name string, size int64, open func() (io.ReadCloser, error)) (string, error) {
	if size > workshops.MaxUploadBytes {
		return workshops.TextFromUpload(name, make([]byte, workshops.MaxUploadBytes+1))
	}
	r, err := open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, workshops.MaxUploadBytes+1))
	if err != nil {
		return "", err
	}
	return workshops.TextFromUpload(name, data)
}

// suggestedPassage is a passage of notes with the codes the coder suggests.
type suggestedPassage struct {
	Text         string
	Codes        []suggestedCode
	Safeguarding bool
}

type suggestedCode struct {
	Label string
	Terms string
}

// suggest codes each passage on the fly. These are suggestions to read,
// not decisions: nothing is stored until the review queue exists.
func (a *App) suggest(ctx context.Context, units []workshops.Unit) ([]suggestedPassage, error) {
	if !a.Coding {
		return nil, nil
	}
	coder, err := a.Themes.Coder(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]suggestedPassage, 0, len(units))
	for _, u := range units {
		r := coder.Code(u.Text)
		p := suggestedPassage{Text: u.Text, Safeguarding: r.Safeguarding}
		seen := map[string]int{}
		for _, s := range r.Suggestions {
			if i, ok := seen[s.Code]; ok {
				p.Codes[i].Terms += ", " + strings.Join(s.Terms, ", ")
				continue
			}
			seen[s.Code] = len(p.Codes)
			p.Codes = append(p.Codes, suggestedCode{Label: coder.Label(s.Code), Terms: strings.Join(s.Terms, ", ")})
		}
		out = append(out, p)
	}
	return out, nil
}
