package app

import (
	"codesign/errs"

	"github.com/gofiber/fiber/v2"
)

func fieldsOf(err error) (*errs.Fields, bool) { return errs.AsFields(err) }

func (a *App) apiMe(c *fiber.Ctx) error {
	u := currentUser(c)
	return c.JSON(fiber.Map{"id": u.ID, "email": u.Email, "name": u.Name, "role": u.Role})
}

func (a *App) apiProgramme(c *fiber.Ctx) error {
	p, err := a.Programmes.Current(c.UserContext())
	if err != nil {
		return err
	}
	locs, err := a.Programmes.Localities(c.UserContext())
	if err != nil {
		return err
	}
	venues, err := a.Programmes.Venues(c.UserContext())
	if err != nil {
		return err
	}
	type venue struct {
		ID               uint   `json:"id"`
		Name             string `json:"name"`
		Address          string `json:"address"`
		Locality         string `json:"locality"`
		StepFree         bool   `json:"step_free"`
		HearingLoop      bool   `json:"hearing_loop"`
		AccessibleToilet bool   `json:"accessible_toilet"`
		QuietRoom        bool   `json:"quiet_room"`
		BabyChanging     bool   `json:"baby_changing"`
	}
	vs := make([]venue, 0, len(venues))
	for _, v := range venues {
		vs = append(vs, venue{v.ID, v.Name, v.Address, v.Locality.Key, v.StepFree, v.HearingLoop, v.AccessibleToilet, v.QuietRoom, v.BabyChanging})
	}
	ls := make([]fiber.Map, 0, len(locs))
	for _, l := range locs {
		ls = append(ls, fiber.Map{"key": l.Key, "name": l.Name})
	}
	return c.JSON(fiber.Map{"slug": p.Slug, "name": p.Name, "organisation": p.Organisation, "localities": ls, "venues": vs})
}
