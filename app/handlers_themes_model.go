package app

import (
	"context"
	"errors"
	"fmt"

	"codesign/accounts"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// What codesign has learned from facilitators' decisions: for each code,
// how many passages were accepted or added and how many rejected, whether
// it has a classifier yet, and how well the suggestions do with and
// without it. Anyone on the staff may look; officers may retrain now.

// themeModelRoutes registers the learning pages under /staff.
func (a *App) themeModelRoutes(staff fiber.Router) {
	staff.Get("/themes/model", a.themeModel)
	staff.Post("/themes/model/retrain", a.requireRole(accounts.Officer), a.retrainThemeModel)
}

// modelRow is one code on the learning page.
type modelRow struct {
	Label, Key, Theme    string
	Positives, Negatives int
	Trained              bool
	Needs                string // what it still needs to be trained
	Precision, Recall    string // blended, cross-validated
	F1, TermF1           string
}

// themeModel shows the model in use and the latest retrain. While a
// retrain runs the page updates itself only when asked to (auto=1), as the
// coding progress page does.
func (a *App) themeModel(c *fiber.Ctx) error {
	ctx := c.UserContext()
	info, err := a.Themes.LatestModel(ctx)
	if err != nil && !errors.Is(err, themes.ErrNoModel) {
		return err
	}
	run, err := a.Themes.LatestRun(ctx)
	if err != nil && !errors.Is(err, themes.ErrNotFound) {
		return err
	}
	rows, err := a.modelRows(ctx, info)
	if err != nil {
		return err
	}
	now := a.Themes.Now()
	running := run != nil && run.Status == themes.RunRunning && !run.Stalled(now)
	auto := c.Query("auto") == "1" && running
	if auto {
		c.Set("Refresh", "5")
	}
	percent := 0
	if run != nil && run.Total > 0 {
		percent = run.Done * 100 / run.Total
	}
	data := fiber.Map{"Title": "What codesign has learned", "Model": info, "Run": run, "Running": running, "Auto": auto,
		"Stalled": run != nil && run.Stalled(now), "Percent": percent, "Rows": rows,
		"CanRetrain": currentUser(c).Role.AtLeast(accounts.Officer), "MinExamples": themes.DefaultLearnOptions().MinExamples}
	if info != nil {
		data["TermF1"], data["BlendedF1"], data["Accuracy"] = pct(info.TermF1), pct(info.BlendedF1), pct(info.Accuracy)
	}
	return a.render(c, fiber.StatusOK, "staff_themes/model", data)
}

// modelRows lists every code of the current codebook with what the model
// knows of it; a code added since the last retrain has no examples yet.
func (a *App) modelRows(ctx context.Context, info *themes.ModelInfo) ([]modelRow, error) {
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	least := themes.DefaultLearnOptions().MinExamples
	stats := map[string]themes.CodeStats{}
	if info != nil {
		least = info.Options.MinExamples
		for _, s := range info.Stats {
			stats[s.Code] = s
		}
	}
	rows := make([]modelRow, 0, len(cb.Codes))
	for _, code := range cb.Codes {
		s := stats[code.Key]
		r := modelRow{Label: code.Label, Key: code.Key, Theme: cb.Theme(code.Key), Positives: s.Positives, Negatives: s.Negatives, Trained: s.Trained}
		if s.Trained {
			r.Precision, r.Recall, r.F1, r.TermF1 = pct(s.Blended.Precision()), pct(s.Blended.Recall()), pct(s.Blended.F1()), pct(s.Term.F1())
		} else {
			r.Needs = needs(least, s.Positives, s.Negatives)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// needs says in words what a code lacks before it gets a classifier.
func needs(least, pos, neg int) string {
	switch {
	case pos < least && neg < least:
		return fmt.Sprintf("%d more applied and %d more rejected", least-pos, least-neg)
	case pos < least:
		return fmt.Sprintf("%d more applied", least-pos)
	case neg < least:
		return fmt.Sprintf("%d more rejected", least-neg)
	}
	return "the next retrain"
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// retrainThemeModel starts a retrain off the request path: the work runs
// on its own goroutine with a context of its own, and the page shows its
// progress. If one is running already, here or on another instance, the
// officer is shown that one.
func (a *App) retrainThemeModel(c *fiber.Ctx) error {
	run, started, err := a.Themes.StartRetrain(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	msg := "Retraining has started. You can leave this page: it carries on without you."
	if started {
		// RunRetrain records a failure on the run, which this page shows.
		go a.Themes.RunRetrain(context.Background(), run.ID, themes.DefaultLearnOptions())
	} else {
		msg = "Retraining was already running: this is its progress."
	}
	return a.redirectWithFlash(c, "/staff/themes/model", msg)
}
