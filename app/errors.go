package app

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"

	"codesign/accounts"
	"codesign/errs"

	"github.com/gofiber/fiber/v2"
)

// problem is what a person is told about an error.
type problem struct {
	Status    int
	Title     string
	Message   string
	Fields    map[string]string
	Reference string
}

// classify maps any error to what the person sees. Domain errors carry
// their own plain-English text; anything unexpected becomes "Something went
// wrong" with a reference, and the real error goes only to the log.
func classify(err error) problem {
	var fe *fiber.Error
	var conflict *errs.Conflict
	if f, ok := errs.AsFields(err); ok {
		return problem{Status: fiber.StatusUnprocessableEntity, Title: "Check your answers", Message: "Some answers need correcting.", Fields: f.Messages}
	}
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return statusProblem(fiber.StatusNotFound)
	case errors.As(err, &conflict):
		return problem{Status: fiber.StatusConflict, Title: "This cannot be done now", Message: conflict.Message}
	case errors.Is(err, errs.ErrConflict):
		return statusProblem(fiber.StatusConflict)
	case errors.Is(err, errs.ErrForbidden):
		return statusProblem(fiber.StatusForbidden)
	case errors.As(err, &fe):
		p := statusProblem(fe.Code)
		if fe.Code < 500 && fe.Message != "" && fe.Message != p.Title && !strings.Contains(fe.Message, "Cannot ") && fe.Message != fiber.ErrRequestEntityTooLarge.Message {
			p.Message = fe.Message
		}
		return p
	}
	if databaseUnavailable(err) {
		return statusProblem(fiber.StatusServiceUnavailable)
	}
	return statusProblem(fiber.StatusInternalServerError)
}

// databaseUnavailable recognises a database that is down, read-only, full
// or locked for too long: the person should try again, not report a bug.
func databaseUnavailable(err error) bool {
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"database is closed", "readonly database", "read-only", "database is locked",
		"disk i/o error", "database or disk is full", "connection refused", "failed to connect", "the database system is",
		"bad connection", "broken pipe", "no space left", "unexpected eof", "connection reset", "conn closed",
		"closed pool", "i/o timeout", "server closed the connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func statusProblem(status int) problem {
	p := problem{Status: status}
	switch status {
	case fiber.StatusNotFound:
		p.Title, p.Message = "Page not found", "If you typed the web address, check it is correct. If you pasted it, check you copied all of it."
	case fiber.StatusForbidden:
		p.Title, p.Message = "You cannot do that", "You do not have permission to see this page or make this change. Nothing has been changed."
	case fiber.StatusUnauthorized:
		p.Title, p.Message = "Sign in needed", "Sign in with a staff account, or send a valid API token."
	case fiber.StatusRequestEntityTooLarge:
		p.Title, p.Message = "What you sent is too large", "The form or file you sent is larger than codesign accepts. Shorten it and try again. Nothing has been saved."
	case fiber.StatusBadRequest:
		p.Title, p.Message = "We could not read what you sent", "The request was not in a form codesign understands. Go back, check what you entered and try again."
	case fiber.StatusMethodNotAllowed:
		p.Title, p.Message = "Page not found", "This address does not accept that kind of request."
	case fiber.StatusTooManyRequests:
		p.Title, p.Message = "Too many requests", "You have sent a lot of requests in a short time. Wait a minute and try again. Anything you typed is still in the page if you go back."
	case fiber.StatusConflict:
		p.Title, p.Message = "This cannot be done now", "The record has changed or is closed."
	case fiber.StatusServiceUnavailable:
		p.Title, p.Message = "Sorry, we are having problems", "We are having problems with the service. Your answers are kept in this page: please try again in a few minutes."
	case fiber.StatusUnprocessableEntity:
		p.Title, p.Message = "Check your answers", "Some answers need correcting."
	default:
		p.Status = fiber.StatusInternalServerError
		p.Title, p.Message = "Something went wrong", "Something went wrong on our side. Nothing you did caused this. Please try again later."
	}
	return p
}

// handleError is Fiber's single error handler.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	p := classify(err)
	if p.Status >= 500 {
		p.Reference = accounts.NewSecret(6)
		slog.Error("request failed", "ref", p.Reference, "method", c.Method(), "route", routeOf(c), "err", err)
	}
	if isAPI(c) {
		body := fiber.Map{"error": p.Message}
		if p.Fields != nil {
			body["fields"] = p.Fields
		}
		if p.Reference != "" {
			body["reference"] = p.Reference
		}
		return c.Status(p.Status).JSON(body)
	}
	data := fiber.Map{"Title": p.Title, "Message": p.Message, "Reference": p.Reference}
	if rerr := a.render(c, p.Status, "errors/error", data); rerr != nil {
		slog.Error("rendering error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(p.Status).SendString(p.Title + ". " + p.Message)
	}
	return nil
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// routeOf names the route pattern, not the concrete path, so tokens and
// ids in URLs stay out of the log.
func routeOf(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" && r.Path != "/" {
		return r.Path
	}
	return "-"
}
