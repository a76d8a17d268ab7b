package app

import (
	"errors"
	"time"

	"codesign/database"
	"codesign/programmes"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

func (a *App) home(c *fiber.Ctx) error {
	p, err := a.Programmes.Current(c.UserContext())
	if errors.Is(err, programmes.ErrNotFound) {
		p = &programmes.Programme{Name: "codesign", Organisation: "Islington Council",
			Summary: "No programme has been set up yet. Staff can sign in to start one."}
	} else if err != nil {
		return err
	}
	venues, err := a.Programmes.Venues(c.UserContext())
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "pages/home", fiber.Map{"Title": "Home", "Programme": p, "Venues": venues})
}

var textPages = map[string]struct {
	title      string
	paragraphs []string
	signpost   bool
}{
	"privacy": {"Privacy", []string{
		"Islington Council is the data controller for what you tell us through codesign.",
		"Consultations are anonymous unless a question asks for your contact details and says why. We do not store your IP address or details of your device with your answers.",
		"Some questions ask about your health, ethnicity or sexuality. These are optional, and every one offers \"Prefer not to say\".",
		"Small numbers are never published: any group of fewer than 5 people is shown as \"fewer than 5\".",
		"You can ask to see or delete what we hold about you. Contact the council's data protection officer and give your receipt reference if you have one.",
	}, false},
	"accessibility": {"Accessibility statement", []string{
		"codesign is built to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. You can zoom to 400% without losing content, use it with a keyboard alone, and use it with a screen reader.",
		"Every page works without JavaScript. Every page is checked automatically with axe-core before each release.",
		"If you find a problem, or need information in another format such as large print, easy read or another language, tell us at any workshop or by phone and we will help.",
	}, false},
	"consultations": {"Consultations", []string{
		"There are no open consultations right now.",
		"When the council asks for views, the consultation will be listed here. You will not need an account, and you can stop and come back later.",
		"In the meantime you can come to a workshop to have your say in person or online.",
	}, true},
	"panels": {"Experts-by-experience panels", []string{
		"No panel is recruiting right now.",
		"Experts by experience are people with lived experience of mental health problems, or of caring for someone who has them. They shape this work as equals and are paid for their time. When a panel recruits, it will be listed here.",
	}, false},
	"results": {"What happened", []string{
		"No results have been published yet.",
		"When the council has read what people said, it will publish what it heard and what it will do here, and check back with residents a year later.",
	}, false},
	"help": {"Get help now", []string{
		"If you are struggling, you do not have to wait. These services are free and can help today.",
	}, true},
}

func (a *App) textPage(key string) fiber.Handler {
	page := textPages[key]
	return func(c *fiber.Ctx) error {
		return a.render(c, fiber.StatusOK, "pages/text", fiber.Map{"Title": page.title, "Paragraphs": page.paragraphs, "ShowSignposting": page.signpost})
	}
}

// health answers load balancers: 200 when the database answers, 503 if not.
func (a *App) health(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := database.Ping(c.UserContext(), a.DB); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": "ok", "version": a.opts.Version})
}

// rateLimit limits public POSTs per client. Keys live only in memory for a
// minute: nothing about the client is stored.
func (a *App) rateLimit() fiber.Handler {
	if a.opts.RateLimit <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return limiter.New(limiter.Config{
		Max:        a.opts.RateLimit,
		Expiration: time.Minute,
		LimitReached: func(c *fiber.Ctx) error {
			return fiber.ErrTooManyRequests
		},
	})
}
