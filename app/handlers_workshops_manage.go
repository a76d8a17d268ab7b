package app

import (
	"time"

	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

// The private manage link: view, change access needs, download the
// calendar file, cancel. Any unknown token is a plain 404, so the answer
// never says whether a booking existed.

func (a *App) bookingFromLink(c *fiber.Ctx) (*workshops.Booking, string, error) {
	token := c.Params("token")
	b, err := a.Workshops.ByToken(c.UserContext(), token)
	if err != nil {
		return nil, "", err
	}
	// Private pages: never cached, never sent on in a Referer.
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	return b, token, nil
}

func (a *App) bookingConfirmation(c *fiber.Ctx) error {
	b, token, err := a.bookingFromLink(c)
	if err != nil {
		return err
	}
	title := "Your place is booked"
	if b.Status == workshops.Waiting {
		title = "You are on the waiting list"
	}
	return a.render(c, fiber.StatusOK, "workshops/confirmation", fiber.Map{"Title": title, "Booking": b, "Event": b.Event,
		"Token": token, "Link": a.opts.BaseURL + "/bookings/" + token, "Access": workshops.VenueAccess(b.Event.Venue), "Joining": paragraphsOf(b.Event.OnlineDetails)})
}

func (a *App) manageBooking(c *fiber.Ctx) error {
	b, token, err := a.bookingFromLink(c)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "workshops/manage", a.manageData(b, token, nil, nil))
}

func (a *App) manageData(b *workshops.Booking, token string, checked map[string]bool, problems any) fiber.Map {
	if checked == nil {
		checked = map[string]bool{}
		for _, n := range b.Needs() {
			checked[string(n)] = true
		}
	}
	form := map[string]string{"interpreter_language": b.InterpreterLanguage, "access_notes": b.AccessNotes, "dietary": b.Dietary}
	data := fiber.Map{"Title": "Your booking", "Booking": b, "Event": b.Event, "Token": token, "Needs": workshops.Needs,
		"Checked": checked, "Form": form, "Access": workshops.VenueAccess(b.Event.Venue), "Past": b.Event.Past(time.Now()),
		"Joining": paragraphsOf(b.Event.OnlineDetails), "Times": a.timeRange(b.Event)}
	if problems != nil {
		data["Errors"] = problems
	}
	return data
}

func (a *App) updateBookingNeeds(c *fiber.Ctx) error {
	b, token, err := a.bookingFromLink(c)
	if err != nil {
		return err
	}
	in, form, checked := signupFromForm(c)
	_, err = a.Workshops.UpdateNeeds(c.UserContext(), token, workshops.NeedsChange{AccessNeeds: in.AccessNeeds,
		InterpreterLanguage: in.InterpreterLanguage, AccessNotes: in.AccessNotes, Dietary: in.Dietary})
	if f, ok := fieldsOf(err); ok {
		data := a.manageData(b, token, checked, f)
		data["Form"] = form
		return a.render(c, fiber.StatusUnprocessableEntity, "workshops/manage", data)
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/bookings/"+token, "Your access needs are updated.")
}

func (a *App) cancelBooking(c *fiber.Ctx) error {
	_, token, err := a.bookingFromLink(c)
	if err != nil {
		return err
	}
	if _, err := a.Workshops.Cancel(c.UserContext(), token); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/bookings/"+token, "Your booking is cancelled. We have sent you a message to confirm.")
}

// bookingCalendar sends the booking's .ics file.
func (a *App) bookingCalendar(c *fiber.Ctx) error {
	b, _, err := a.bookingFromLink(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="workshop.ics"`)
	return c.SendString(a.Workshops.Calendar(b, time.Now()))
}
