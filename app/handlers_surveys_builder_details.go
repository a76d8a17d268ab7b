package app

import (
	"regexp"
	"strconv"
	"strings"

	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// The details form: what a consultation is called, where it lives, what
// residents read before they start, and when it takes answers.

var builderDetailFields = []string{"title", "slug", "summary", "introduction", "who_is_asking", "privacy_notice", "minutes",
	"opens_date", "opens_time", "closes_date", "closes_time"}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugFrom makes a web address name from a title.
func slugFrom(title string) string {
	s := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

// detailsFromForm reads the details form. A survey's dates are typed in
// UK time and stored in UTC; an empty web address name is made from the
// title. Problems reading the form come with the survey's own checks.
func (a *App) detailsFromForm(c *fiber.Ctx) (*surveys.Survey, map[string]string, *errs.Fields) {
	form := map[string]string{}
	for _, n := range builderDetailFields {
		form[n] = strings.TrimSpace(c.FormValue(n))
	}
	if form["slug"] == "" {
		form["slug"] = slugFrom(form["title"])
	}
	f := &errs.Fields{}
	d := &surveys.Survey{Title: form["title"], Slug: form["slug"], Summary: form["summary"], Introduction: form["introduction"],
		WhoIsAsking: form["who_is_asking"], PrivacyNotice: form["privacy_notice"], Status: surveys.Draft}
	if form["minutes"] != "" {
		n, err := strconv.Atoi(form["minutes"])
		if err != nil {
			f.Add("minutes", "Enter how many minutes it takes as a whole number, like 10")
		}
		d.Minutes = n
	}
	d.OpensAt = a.londonInstant(f, "opens_date", "opening", form["opens_date"], form["opens_time"], "00:00")
	d.ClosesAt = a.londonInstant(f, "closes_date", "closing", form["closes_date"], form["closes_time"], "23:59")
	if f.Has() {
		if more, ok := fieldsOf(d.Validate()); ok {
			for _, k := range more.Order {
				f.Add(k, more.Messages[k])
			}
		}
	}
	return d, form, f
}

// detailsForm fills the form from a stored survey.
func (a *App) detailsForm(sv *surveys.Survey) map[string]string {
	form := map[string]string{"title": sv.Title, "slug": sv.Slug, "summary": sv.Summary, "introduction": sv.Introduction,
		"who_is_asking": sv.WhoIsAsking, "privacy_notice": sv.PrivacyNotice}
	if sv.Minutes > 0 {
		form["minutes"] = strconv.Itoa(sv.Minutes)
	}
	if sv.OpensAt != nil {
		t := sv.OpensAt.In(a.london)
		form["opens_date"], form["opens_time"] = t.Format("2006-01-02"), t.Format("15:04")
	}
	if sv.ClosesAt != nil {
		t := sv.ClosesAt.In(a.london)
		form["closes_date"], form["closes_time"] = t.Format("2006-01-02"), t.Format("15:04")
	}
	return form
}

func (a *App) renderDetails(c *fiber.Ctx, status int, sv *surveys.Survey, form map[string]string, problems *errs.Fields, elsewhere []builderElsewhere) error {
	data := fiber.Map{"Title": "Create a consultation", "Form": form, "Action": "/staff/surveys", "Elsewhere": elsewhere}
	if sv != nil {
		data["Title"], data["Survey"], data["Action"], data["Version"] = "Change the details", sv, builderURL(sv, ""), builderVersion(sv)
	}
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_surveys/details", data)
}

func (a *App) builderNewForm(c *fiber.Ctx) error {
	return a.renderDetails(c, fiber.StatusOK, nil, map[string]string{}, nil, nil)
}

func (a *App) builderCreate(c *fiber.Ctx) error {
	d, form, problems := a.detailsFromForm(c)
	if problems.Has() {
		return a.renderDetails(c, fiber.StatusUnprocessableEntity, nil, form, problems, nil)
	}
	if err := a.Surveys.Create(c.UserContext(), &currentUser(c).ID, d); err != nil {
		p, elsewhere, status, err := builderFormProblems(err, detailFields, "title")
		if err != nil {
			return err
		}
		return a.renderDetails(c, status, nil, form, p, elsewhere)
	}
	return a.redirectWithFlash(c, builderURL(d, ""), "Consultation created as a draft. Now add its pages and questions.")
}

func (a *App) builderEditForm(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	return a.renderDetails(c, fiber.StatusOK, sv, a.detailsForm(sv), nil, nil)
}

func (a *App) builderUpdate(c *fiber.Ctx) error {
	sv, err := a.builderSurvey(c)
	if err != nil {
		return err
	}
	d, form, problems := a.detailsFromForm(c)
	if problems.Has() {
		return a.renderDetails(c, fiber.StatusUnprocessableEntity, sv, form, problems, nil)
	}
	_, err = a.builderEdit(c, sv, "details", func(s *surveys.Survey) error {
		s.Title, s.Slug, s.Summary, s.Introduction = d.Title, d.Slug, d.Summary, d.Introduction
		s.WhoIsAsking, s.PrivacyNotice, s.Minutes, s.OpensAt, s.ClosesAt = d.WhoIsAsking, d.PrivacyNotice, d.Minutes, d.OpensAt, d.ClosesAt
		return nil
	})
	if err != nil {
		// The only refusal a details change meets is a new web address
		// once people have answered, or a change made meanwhile.
		p, elsewhere, status, err := builderFormProblems(err, detailFields, "slug")
		if err != nil {
			return err
		}
		return a.renderDetails(c, status, sv, form, p, elsewhere)
	}
	return a.redirectWithFlash(c, builderURL(sv, ""), "Details saved.")
}
