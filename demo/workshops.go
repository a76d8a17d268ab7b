package demo

import (
	"context"
	"fmt"
	"time"

	"codesign/messages"
	"codesign/programmes"
	"codesign/workshops"

	"gorm.io/gorm"
)

// demoWorkshop is one event in the demo, with how many people book it.
type demoWorkshop struct {
	title, summary, venue string
	format                workshops.Format
	days, hour, capacity  int
	bookings              int
	cancel, past          bool
}

var demoWorkshops = []demoWorkshop{
	{title: "What helps when things get hard?", venue: "Archway Library", format: workshops.InPerson, days: 6, hour: 18, capacity: 12, bookings: 5,
		summary: "An evening conversation about the support that makes a difference, and what gets in the way."},
	{title: "Telling your story once", venue: "Finsbury Library", format: workshops.InPerson, days: 9, hour: 11, capacity: 4, bookings: 7,
		summary: "How services could share what you have already told them, with your permission."},
	{title: "Young people's voices", venue: "Lift Youth Hub", format: workshops.InPerson, days: 12, hour: 16, capacity: 3, bookings: 5,
		summary: "For people aged 13 to 25: what would you change about mental health support?"},
	{title: "Online: support that fits around work and caring", venue: "Online (Zoom)", format: workshops.Online, days: 8, hour: 19, capacity: 20, bookings: 3,
		summary: "Join from home, with live captions. You can join by phone."},
	{title: "Community hub drop-in design session", venue: "222 Upper Street", format: workshops.Hybrid, days: 15, hour: 14, capacity: 15, bookings: 2,
		summary: "Help design the new Fairer Together hub sessions, in the room or online."},
	{title: "Family support at the children's centre", venue: "Northern Health Centre", format: workshops.InPerson, days: 10, hour: 10, capacity: 10, bookings: 2, cancel: true,
		summary: "What parents and carers need from early help."},
	{title: "Barriers to getting support", venue: "Central Library", format: workshops.InPerson, days: 20, hour: 18, capacity: 10, bookings: 6, past: true,
		summary: "Waiting times, thresholds and not knowing where to go."},
}

var demoPeople = []string{"Amina Hassan", "Tom Reilly", "Grace Mensah", "Dev Patel", "Maria Costa", "Kofi Boateng", "Siobhan Kelly"}

var demoNeeds = [][]workshops.Need{{workshops.StepFree}, nil, {workshops.BSL}, {workshops.HearingLoop, workshops.LargePrint}, nil, {workshops.Childcare}, {workshops.QuietSpace}}

// loadWorkshops adds workshops at the demo venues: upcoming ones (some
// full, with waiting lists, one online), one cancelled, and one that has
// taken place with attendance and notes.
func loadWorkshops(ctx context.Context, db *gorm.DB) error {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return err
	}
	venues, err := programmes.NewStore(db).Venues(ctx)
	if err != nil {
		return err
	}
	byName := map[string]programmes.Venue{}
	for _, v := range venues {
		byName[v.Name] = v
	}
	ws := workshops.NewStore(db, messages.NewStore(db), workshops.Options{BaseURL: "http://127.0.0.1:3000", London: london})
	today := time.Now().In(london)
	for _, d := range demoWorkshops {
		v, ok := byName[d.venue]
		if !ok {
			return fmt.Errorf("demo workshop %q names unknown venue %q", d.title, d.venue)
		}
		start := time.Date(today.Year(), today.Month(), today.Day()+d.days, d.hour, 0, 0, 0, london)
		if err := loadWorkshop(ctx, ws, d, v, start); err != nil {
			return fmt.Errorf("demo workshop %q: %w", d.title, err)
		}
	}
	return nil
}

func loadWorkshop(ctx context.Context, ws *workshops.Store, d demoWorkshop, v programmes.Venue, start time.Time) error {
	e := &workshops.Event{Title: d.title, Summary: d.summary, Format: d.format, LocalityID: v.LocalityID, StartsAt: start,
		EndsAt: start.Add(2 * time.Hour), SignupDeadline: start.Add(-24 * time.Hour), Capacity: d.capacity, Status: workshops.Published,
		Facilitators: "Ade (independent facilitator) and a member of the experts by experience group",
		Description: "We will start with tea and introductions. Then we talk in small groups, each with a facilitator who takes notes. " +
			"You do not have to share anything you do not want to.\n\nWe pay travel costs, and childcare if you need it. Tell us what you need when you book."}
	if d.format != workshops.Online {
		e.VenueID = &v.ID
	}
	if d.format != workshops.InPerson {
		e.OnlineDetails = "Zoom meeting 812 3456 7890, passcode 2468. To join by phone call 0203 481 5240."
	}
	if err := ws.Create(ctx, nil, e); err != nil {
		return err
	}
	var booked []uint
	for i := range d.bookings {
		name := demoPeople[i%len(demoPeople)]
		b, err := ws.Book(ctx, e.ID, workshops.Signup{Name: name, Email: fmt.Sprintf("resident%d.%d@example.org", e.ID, i+1),
			AccessNeeds: demoNeeds[i%len(demoNeeds)], ConsentContact: i%2 == 0})
		if err != nil {
			return err
		}
		if b.Status == workshops.Confirmed {
			booked = append(booked, b.ID)
		}
	}
	switch {
	case d.cancel:
		return ws.CancelEvent(ctx, nil, e.ID, "The room is no longer available. We will arrange a new date soon.")
	case d.past:
		return pastWorkshop(ctx, ws, e, booked)
	}
	return nil
}

// pastWorkshop moves an event into the past, with attendance and notes.
// It is booked while upcoming first, because bookings close at the start.
func pastWorkshop(ctx context.Context, ws *workshops.Store, e *workshops.Event, booked []uint) error {
	marks := map[uint]workshops.BookingStatus{}
	for i, id := range booked {
		marks[id] = workshops.Attended
		if i == len(booked)-1 {
			marks[id] = workshops.NoShow
		}
	}
	if err := ws.MarkAttendance(ctx, nil, e.ID, marks); err != nil {
		return err
	}
	shift := -time.Until(e.StartsAt) - 14*24*time.Hour
	e.StartsAt, e.EndsAt, e.SignupDeadline = e.StartsAt.Add(shift), e.EndsAt.Add(shift), e.SignupDeadline.Add(shift)
	if err := ws.Update(ctx, nil, e); err != nil {
		return err
	}
	return ws.AddNote(ctx, &workshops.Note{EventID: e.ID, Title: "Table 1 and 2, what gets in the way",
		Body: "- People waited months for a first appointment and felt nobody checked in.\n" +
			"- Several people did not know the library hubs offered support.\n" +
			"- \"I had to tell my story four times before anyone helped.\"\n" +
			"- Cost of travel stops people going to appointments across the borough.\n\n" +
			"The group agreed that support should be in places people already go, with someone who speaks your language."})
}
