package app

import (
	"codesign/messages"

	"github.com/gofiber/fiber/v2"
)

// outbox shows admins every message codesign has queued, sent, held or
// failed to send, so nothing is lost without someone seeing it.
func (a *App) outbox(c *fiber.Ctx) error {
	status := messages.Status(c.Query("status"))
	switch status {
	case "", messages.Queued, messages.Sent, messages.Failed, messages.Held:
	default:
		status = ""
	}
	list, err := a.Messages.List(c.UserContext(), messages.Filter{Status: status})
	if err != nil {
		return err
	}
	counts, err := a.Messages.Counts(c.UserContext())
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin/outbox", fiber.Map{"Title": "Outbox", "Messages": list, "Counts": counts, "Status": string(status),
		"MaxAttempts": messages.MaxAttempts, "Statuses": []messages.Status{messages.Queued, messages.Held, messages.Failed, messages.Sent}})
}

func (a *App) retryMessage(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	if err := a.Messages.Retry(c.UserContext(), uint(id)); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/admin/outbox", "The message will be sent again within a minute.")
}

func (a *App) messageHandled(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	if err := a.Messages.MarkHandled(c.UserContext(), uint(id)); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/admin/outbox", "Marked as passed on.")
}
