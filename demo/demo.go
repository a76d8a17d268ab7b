// Package demo loads believable content into an empty database so that a
// newcomer can click through codesign: Islington's early-help and
// prevention mental health co-design programme, its three localities and
// the venues residents already use. It only writes through the domain stores.
package demo

import (
	"context"
	"errors"
	"log/slog"

	"codesign/programmes"

	"gorm.io/gorm"
)

// Load fills an empty database. It does nothing if a programme exists, so it
// is safe on every start.
func Load(ctx context.Context, db *gorm.DB) error {
	ps := programmes.NewStore(db)
	if _, err := ps.Current(ctx); err == nil {
		return nil
	} else if !errors.Is(err, programmes.ErrNotFound) {
		return err
	}
	if err := ps.Seed(ctx, programme(), localities(), venues()); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil // another instance starting at the same moment loaded it
		}
		return err
	}
	if err := loadWorkshops(ctx, db); err != nil {
		return err
	}
	if err := loadSurveys(ctx, db); err != nil {
		return err
	}
	if err := loadPanels(ctx, db); err != nil {
		return err
	}
	if err := loadReports(ctx, db); err != nil {
		return err
	}
	slog.Info("loaded demo content", "programme", "islington-early-help")
	return nil
}

func programme() *programmes.Programme {
	return &programmes.Programme{
		Slug:         "islington-early-help",
		Name:         "Early help and prevention mental health support in Islington",
		Organisation: "Islington Council with NHS North Central London",
		Summary: "Islington Council is redesigning early help and prevention mental health support with the people who use it. " +
			"Over 11 months we listened to more than 450 residents through surveys, workshops, interviews and creative activities, " +
			"led by a group of experts by experience and an independent facilitator. " +
			"We want support that is in the places people already go, where you tell your story once, and where there is no wrong door.",
	}
}

func localities() []programmes.Locality {
	return []programmes.Locality{
		{Key: "north", Name: "North", Sort: 1, Summary: "Archway, Tufnell Park, Finsbury Park, Holloway and Hillrise."},
		{Key: "central", Name: "Central", Sort: 2, Summary: "Highbury, Canonbury, Mildmay and the area around Upper Street."},
		{Key: "south", Name: "South", Sort: 3, Summary: "Finsbury, Clerkenwell, Bunhill, Caledonian and St Peter's."},
	}
}

func venues() []programmes.SeedVenue {
	v := func(loc, name, kind, addr string, stepFree, loop, toilet, quiet, baby bool, notes string) programmes.SeedVenue {
		return programmes.SeedVenue{LocalityKey: loc, Venue: programmes.Venue{Name: name, Kind: kind, Address: addr,
			StepFree: stepFree, HearingLoop: loop, AccessibleToilet: toilet, QuietRoom: quiet, BabyChanging: baby, Notes: notes}}
	}
	return []programmes.SeedVenue{
		v("north", "Archway Library", "library", "Hamlyn House, Highgate Hill, London N19 5PH", true, true, true, false, true, "Lift to the first floor meeting room."),
		v("north", "N4 Library", "library", "26 Blackstock Road, London N4 2DW", true, false, true, false, false, "Small room; ring the bell at the side door for step-free entry."),
		v("north", "Northern Health Centre", "health centre", "580 Holloway Road, London N7 6LB", true, true, true, true, true, "Ask at reception for the community room."),
		v("central", "Central Library", "library", "2 Fieldway Crescent, London N5 1PF", true, true, true, true, true, "Fairer Together hub sessions on Tuesdays."),
		v("central", "222 Upper Street", "council building", "222 Upper Street, London N1 1XR", true, true, true, true, true, "Bring the booking confirmation to the front desk."),
		v("central", "Mildmay Library", "library", "21-23 Mildmay Park, London N1 4NA", false, false, false, false, false, "Three steps at the entrance; no lift to the upstairs room."),
		v("south", "Finsbury Library", "library", "245 St John Street, London EC1V 4NB", true, true, true, true, true, "Fairer Together hub; quiet room on the ground floor."),
		v("south", "Lift Youth Hub", "youth hub", "45 White Conduit Street, London N1 9EZ", true, false, true, true, false, "For sessions with young people aged 13 to 25."),
		v("south", "Online (Zoom)", "online", "Joining details are sent to confirmed attendees", true, false, false, false, false, "Live captions on; you can join by phone."),
	}
}
