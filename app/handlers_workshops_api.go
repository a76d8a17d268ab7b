package app

import (
	"time"

	"codesign/accounts"
	"codesign/programmes"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
)

// apiVenue is a venue as the API shows it.
type apiVenue struct {
	ID               uint   `json:"id"`
	Name             string `json:"name"`
	Address          string `json:"address"`
	StepFree         bool   `json:"step_free"`
	HearingLoop      bool   `json:"hearing_loop"`
	AccessibleToilet bool   `json:"accessible_toilet"`
	QuietRoom        bool   `json:"quiet_room"`
	BabyChanging     bool   `json:"baby_changing"`
}

type apiEvent struct {
	ID         uint      `json:"id"`
	Title      string    `json:"title"`
	Locality   string    `json:"locality"`
	Format     string    `json:"format"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Capacity   int       `json:"capacity"`
	PlacesLeft int       `json:"places_left"`
	// WaitingListFull: every place is taken and nobody else can wait.
	WaitingListFull bool      `json:"waiting_list_full"`
	Venue           *apiVenue `json:"venue"`
}

func toAPIVenue(v *programmes.Venue) *apiVenue {
	if v == nil {
		return nil
	}
	return &apiVenue{v.ID, v.Name, v.Address, v.StepFree, v.HearingLoop, v.AccessibleToilet, v.QuietRoom, v.BabyChanging}
}

// apiWorkshops lists published upcoming events.
func (a *App) apiWorkshops(c *fiber.Ctx) error {
	events, err := a.Workshops.List(c.UserContext(), workshops.Query{PublishedOnly: true, UpcomingAt: time.Now()})
	if err != nil {
		return err
	}
	out := make([]apiEvent, 0, len(events))
	for _, e := range events {
		if e.Status != workshops.Published {
			continue
		}
		out = append(out, apiEvent{ID: e.ID, Title: e.Title, Locality: e.Locality.Key, Format: string(e.Format), StartsAt: e.StartsAt,
			EndsAt: e.EndsAt, Capacity: e.Capacity, PlacesLeft: e.PlacesLeft(), WaitingListFull: e.WaitingListFull(), Venue: toAPIVenue(e.Venue)})
	}
	return c.JSON(out)
}

type apiSignup struct {
	Name                string   `json:"name"`
	Email               string   `json:"email"`
	Phone               string   `json:"phone"`
	AccessNeeds         []string `json:"access_needs"`
	InterpreterLanguage string   `json:"interpreter_language"`
	AccessNotes         string   `json:"access_notes"`
	Dietary             string   `json:"dietary"`
	ConsentContact      bool     `json:"consent_contact"`
	IdempotencyKey      string   `json:"idempotency_key"`
}

// apiBook books a place: 201 with the status and the private token, 422
// for field errors, 409 when the event is closed or cancelled.
func (a *App) apiBook(c *fiber.Ctx) error {
	e, err := a.publicEvent(c)
	if err != nil {
		return err
	}
	var body apiSignup
	if err := c.BodyParser(&body); err != nil {
		return fiber.ErrBadRequest
	}
	in := workshops.Signup{Name: body.Name, Email: body.Email, Phone: body.Phone, InterpreterLanguage: body.InterpreterLanguage,
		AccessNotes: body.AccessNotes, Dietary: body.Dietary, ConsentContact: body.ConsentContact, IdempotencyKey: body.IdempotencyKey}
	for _, n := range body.AccessNeeds {
		in.AccessNeeds = append(in.AccessNeeds, workshops.Need(n))
	}
	in.ManageToken = accounts.NewSecret(32)
	if in.IdempotencyKey != "" {
		in.ManageToken = a.bookingToken("api:" + in.IdempotencyKey)
	}
	b, err := a.Workshops.Book(c.UserContext(), e.ID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"status": b.Status, "manage_token": in.ManageToken})
}

// apiCancelBooking cancels by private token and promotes the first waiting.
func (a *App) apiCancelBooking(c *fiber.Ctx) error {
	if _, err := a.Workshops.Cancel(c.UserContext(), c.Params("token")); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": "cancelled"})
}

type apiBooking struct {
	ID             uint      `json:"id"`
	Status         string    `json:"status"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Phone          string    `json:"phone"`
	AccessNeeds    []string  `json:"access_needs"`
	AccessNotes    string    `json:"access_notes"`
	Dietary        string    `json:"dietary"`
	ConsentContact bool      `json:"consent_contact"`
	CreatedAt      time.Time `json:"created_at"`
}

// apiWorkshopBookings is for staff: bookings and the waiting list.
func (a *App) apiWorkshopBookings(c *fiber.Ctx) error {
	e, err := a.staffEvent(c)
	if err != nil {
		return err
	}
	all, err := a.Workshops.Bookings(c.UserContext(), e.ID)
	if err != nil {
		return err
	}
	booked, waiting := []apiBooking{}, []apiBooking{}
	for _, b := range all {
		needs := []string{}
		for _, n := range b.Needs() {
			needs = append(needs, string(n))
		}
		ab := apiBooking{b.ID, string(b.Status), b.Name, b.Email, b.Phone, needs, b.AccessNotes, b.Dietary, b.ConsentContact, b.CreatedAt}
		switch b.Status {
		case workshops.Waiting:
			waiting = append(waiting, ab)
		case workshops.BookingCancelled:
		default:
			booked = append(booked, ab)
		}
	}
	return c.JSON(fiber.Map{"event_id": e.ID, "capacity": e.Capacity, "bookings": booked, "waiting_list": waiting})
}
