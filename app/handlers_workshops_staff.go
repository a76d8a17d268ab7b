package app

import (
	"strconv"
	"strings"
	"time"

	"codesign/errs"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

// staffEvent loads the event named in the URL, whatever its status.
func (a *App) staffEvent(c *fiber.Ctx) (*workshops.Event, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Workshops.Get(c.UserContext(), uint(id))
}

func (a *App) staffWorkshops(c *fiber.Ctx) error {
	events, err := a.Workshops.List(c.UserContext(), workshops.Query{})
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_workshops/list", fiber.Map{"Title": "Workshops", "Events": events})
}

func (a *App) staffWorkshop(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	bookings, err := a.Workshops.Bookings(ctx, e.ID)
	if err != nil {
		return err
	}
	adj, err := a.Workshops.Adjustments(ctx, e.ID)
	if err != nil {
		return err
	}
	counts, err := a.Workshops.AttendanceCounts(ctx, e.ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_workshops/show", fiber.Map{"Title": e.Title, "Event": e, "Bookings": bookings,
		"Adjustments": adj, "Summary": workshops.Summary(adj), "Counts": counts, "Access": workshops.VenueAccess(e.Venue), "Times": a.timeRange(e)})
}

// workshopFormData fills the lists the create and edit form needs.
func (a *App) workshopFormData(c *fiber.Ctx, title string, form map[string]string, problems *errs.Fields) (fiber.Map, error) {
	locs, err := a.Programmes.Localities(c.UserContext())
	if err != nil {
		return nil, err
	}
	venues, err := a.Programmes.Venues(c.UserContext())
	if err != nil {
		return nil, err
	}
	data := fiber.Map{"Title": title, "Form": form, "Localities": locs, "Venues": venues, "Formats": workshops.Formats, "Statuses": workshops.Statuses}
	if problems != nil {
		data["Errors"] = problems
	}
	return data, nil
}

func (a *App) newWorkshopForm(c *fiber.Ctx) error {
	data, err := a.workshopFormData(c, "Create a workshop", map[string]string{"format": "in_person", "status": "draft", "capacity": "20"}, nil)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_workshops/form", data)
}

func (a *App) editWorkshopForm(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	data, err := a.workshopFormData(c, "Edit "+e.Title, a.formOfEvent(e), nil)
	if err != nil {
		return err
	}
	data["Event"] = e
	return a.render(c, fiber.StatusOK, "staff_workshops/form", data)
}

func (a *App) createWorkshop(c *fiber.Ctx) error {
	e, form, problems := a.eventFromForm(c)
	if !problems.Has() {
		err := a.Workshops.Create(c.UserContext(), &currentUser(c).ID, e)
		if f, ok := fieldsOf(err); ok {
			problems = f
		} else if err != nil {
			return err
		}
	}
	if problems.Has() {
		data, err := a.workshopFormData(c, "Create a workshop", form, problems)
		if err != nil {
			return err
		}
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_workshops/form", data)
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10), "Workshop created.")
}

func (a *App) updateWorkshop(c *fiber.Ctx) error {
	old, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	e, form, problems := a.eventFromForm(c)
	e.ID = old.ID
	if !problems.Has() {
		err := a.Workshops.Update(c.UserContext(), &currentUser(c).ID, e)
		if f, ok := fieldsOf(err); ok {
			problems = f
		} else if err != nil {
			return err
		}
	}
	if problems.Has() {
		data, err := a.workshopFormData(c, "Edit "+old.Title, form, problems)
		if err != nil {
			return err
		}
		data["Event"] = old
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_workshops/form", data)
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10), "Workshop saved.")
}

func (a *App) cancelWorkshop(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	if err := a.Workshops.CancelEvent(c.UserContext(), &currentUser(c).ID, e.ID, strings.TrimSpace(c.FormValue("reason"))); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10), "Workshop cancelled. Everyone booked or waiting is being told.")
}

func (a *App) staffCancelBooking(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	id, err := c.ParamsInt("booking")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	if err := a.Workshops.CancelBooking(c.UserContext(), &currentUser(c).ID, uint(id)); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10), "Booking cancelled.")
}

func (a *App) markAdjustment(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	need := workshops.Need(c.FormValue("need"))
	arranged := c.FormValue("arranged") == "yes"
	if err := a.Workshops.SetArranged(c.UserContext(), &currentUser(c).ID, e.ID, need, arranged); err != nil {
		return err
	}
	msg := need.Label() + " marked as arranged."
	if !arranged {
		msg = need.Label() + " marked as still to arrange."
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10)+"#access", msg)
}

// workshopCSV exports an event's bookings.
func (a *App) workshopCSV(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	all, err := a.Workshops.Bookings(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="workshop-`+strconv.FormatUint(uint64(e.ID), 10)+`-bookings-`+time.Now().Format("2006-01-02")+`.csv"`)
	return a.Workshops.WriteCSV(c.Response().BodyWriter(), all)
}
