package app

import (
	"bufio"
	"context"
	"log/slog"
	"strings"

	"codesign/audit"

	"github.com/gofiber/fiber/v2"
)

// exportedPassagesAction is the audit action for a download of coded
// passages.
const exportedPassagesAction = "themes.exported"

// Emerging topics read the latest topicsFrom uncoded passages and show
// the topicsShown most frequent phrases.
const (
	topicsFrom  = 2000
	topicsShown = 40
)

// themeCodebookYAML downloads the codebook as YAML, the form
// `codesign code --codebook` reads.
func (a *App) themeCodebookYAML(c *fiber.Ctx) error {
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	b, err := cb.YAML()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="codesign-codebook.yaml"`)
	return c.Send(b)
}

// themeCodebookQDC downloads the codebook as a REFI-QDA codebook, which
// NVivo, ATLAS.ti, MAXQDA and QualCoder import.
func (a *App) themeCodebookQDC(c *fiber.Ctx) error {
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	b, err := cb.QDC()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="codesign-codebook.qdc"`)
	return c.Send(b)
}

// themeTopics shows noun phrases that recur in passages no code matched:
// candidates for new codes.
func (a *App) themeTopics(c *fiber.Ctx) error {
	ctx := c.UserContext()
	scope := strings.Clone(c.Query("scope"))
	var info *scopeInfo
	if scope != "" {
		i, err := a.describeScope(ctx, scope)
		if err != nil {
			return err
		}
		info = &i
	}
	topics, err := a.Themes.Topics(ctx, scope, topicsFrom, 3)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_themes/topics", fiber.Map{"Title": "Emerging topics", "Topics": topics[:min(len(topics), topicsShown)],
		"More": len(topics) > topicsShown, "Info": info, "From": topicsFrom, "Shown": topicsShown})
}

// themePassagesCSV downloads the codes confirmed on passages, of one scope
// or all, one row per code. It is written as it is read, after the
// download is recorded in the audit log.
func (a *App) themePassagesCSV(c *fiber.Ctx) error {
	ctx := c.UserContext()
	scope := strings.Clone(c.Query("scope"))
	target := "themes:all"
	if scope != "" {
		if _, err := a.describeScope(ctx, scope); err != nil {
			return err
		}
		target = "themes:" + scope
	}
	names, err := a.staffNames(ctx)
	if err != nil {
		return err
	}
	u := currentUser(c)
	if err := audit.Record(ctx, a.DB, audit.Event{ActorUserID: &u.ID, Action: exportedPassagesAction, Target: target, Detail: "csv"}); err != nil {
		return err
	}
	name := "coded-passages-" + a.Themes.Now().In(a.london).Format("2006-01-02") + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	store, bg := a.Themes, context.WithoutCancel(ctx)
	who := func(id uint) string {
		if n, ok := names[id]; ok {
			return n
		}
		return "former member of staff"
	}
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		_, err := w.WriteString("\ufeff") // Excel reads the file as UTF-8
		if err == nil {
			err = store.WriteCSV(bg, w, scope, who)
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			slog.Error("coded passages download stopped part-way", "err", err)
		}
	})
	return nil
}
