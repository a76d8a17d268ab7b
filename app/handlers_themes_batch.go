package app

import (
	"context"
	"fmt"
	"strconv"

	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// maxBatchAnswers bounds how many answers to one question a batch reads.
const maxBatchAnswers = 200_000

// startThemeBatch codes every free-text answer of a survey, or every note
// of a workshop, now. The background job would get there too; this is for
// when staff want the whole of it reviewed today. The work runs on its own
// goroutine, with a context of its own, so it carries on after this
// request has answered; the progress page reads how far it has gone.
func (a *App) startThemeBatch(c *fiber.Ctx) error {
	if !a.Coding {
		return fiber.NewError(fiber.StatusServiceUnavailable, "Automatic coding is switched off on this server.")
	}
	ctx := c.UserContext()
	coder, err := a.Themes.Coder(ctx)
	if err != nil {
		return err
	}
	id := formUint(c, "id")
	kind := "survey"
	if c.FormValue("kind") == "workshop" {
		kind = "workshop"
	}
	units, err := a.batchUnits(ctx, kind, id)
	if err != nil {
		return err
	}
	b, started, err := a.Themes.StartBatch(ctx, kind, id, len(units), currentUser(c).ID)
	if err != nil {
		return err
	}
	msg := "Coding has started. You can leave this page: it carries on without you."
	if started {
		go a.Themes.RunBatch(context.Background(), b.ID, coder, units)
	} else {
		msg = "Coding was already running: this is its progress."
	}
	return a.redirectWithFlash(c, "/staff/themes/batches/"+strconv.FormatUint(uint64(b.ID), 10), msg)
}

// batchUnits reads the texts a batch codes.
func (a *App) batchUnits(ctx context.Context, kind string, id uint) ([]themes.Unit, error) {
	if kind == "workshop" {
		if _, err := a.Workshops.Get(ctx, id); err != nil {
			return nil, err
		}
		notes, err := a.Workshops.NoteUnits(ctx, id)
		if err != nil {
			return nil, err
		}
		out := make([]themes.Unit, len(notes))
		for i, n := range notes {
			out[i] = themes.Unit{Kind: themes.WorkshopNote, SourceID: n.ID, Scope: n.Source, Text: n.Text}
		}
		return out, nil
	}
	sv, err := a.Surveys.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []themes.Unit
	for _, key := range freeTextKeys(sv) {
		answers, err := a.Surveys.FreeText(ctx, sv.ID, key, maxBatchAnswers)
		if err != nil {
			return nil, err
		}
		for _, ans := range answers {
			if ans.FreeText && !ans.Personal {
				out = append(out, themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(ans.ID), 10),
					Scope: surveyScope(sv.ID, key), Text: ans.Value})
			}
		}
	}
	return out, nil
}

// themeBatch shows how far a batch has gone. It updates itself only when
// asked to (auto=1), by the Refresh header: a page that reloads on its own
// can lose a screen reader user's place.
func (a *App) themeBatch(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	b, err := a.Themes.Batch(ctx, uint(id))
	if err != nil {
		return err
	}
	var title, review string
	if b.Kind == "workshop" {
		review = fmt.Sprintf("/staff/themes/queue?scope=workshop:%d", b.RefID)
		if e, err := a.Workshops.Get(ctx, b.RefID); err == nil {
			title = e.Title
		}
	} else if sv, err := a.Surveys.Get(ctx, b.RefID); err == nil {
		title = sv.Title
	}
	auto := c.Query("auto") == "1" && b.Status == themes.BatchRunning && !b.Stalled(a.Themes.Now())
	if auto {
		c.Set("Refresh", "5")
	}
	percent := 100
	if b.Total > 0 {
		percent = b.Done * 100 / b.Total
	}
	return a.render(c, fiber.StatusOK, "staff_themes/batch", fiber.Map{"Title": "Coding " + title, "Batch": b, "Name": title,
		"Percent": percent, "Auto": auto, "Stalled": b.Stalled(a.Themes.Now()), "Review": review})
}
