package app

import (
	"strconv"
	"strings"

	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

// attendanceForm is a phone-friendly list: one pair of buttons a person.
func (a *App) attendanceForm(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	all, err := a.Workshops.Bookings(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	var people []workshops.Booking
	for _, b := range all {
		if b.Status == workshops.Confirmed || b.Status == workshops.Attended || b.Status == workshops.NoShow {
			people = append(people, b)
		}
	}
	counts, err := a.Workshops.AttendanceCounts(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_workshops/attendance", fiber.Map{"Title": "Attendance: " + e.Title, "Event": e, "People": people, "Counts": counts})
}

// saveAttendance reads fields named "b<id>" with attended, no_show or
// confirmed (not marked yet).
func (a *App) saveAttendance(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	marks := map[uint]workshops.BookingStatus{}
	var parseErr error
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		if !strings.HasPrefix(key, "b") {
			return
		}
		id, err := strconv.ParseUint(key[1:], 10, 32)
		if err != nil {
			parseErr = fiber.ErrBadRequest
			return
		}
		marks[uint(id)] = workshops.BookingStatus(v)
	})
	if parseErr != nil {
		return parseErr
	}
	if err := a.Workshops.MarkAttendance(c.UserContext(), &currentUser(c).ID, e.ID, marks); err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/workshops/"+strconv.FormatUint(uint64(e.ID), 10)+"/attendance", "Attendance saved.")
}
