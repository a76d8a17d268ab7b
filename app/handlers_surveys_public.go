package app

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"codesign/accounts"
	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// The resident's journey through a consultation: start page, one page per
// section, check your answers, submit, confirmation. Answers so far live in
// a save-and-return draft on the server, found by a random token in a
// cookie scoped to the survey's path, so the journey works without
// JavaScript and without an account; the same token is the private
// "come back later" link. Nothing about the device or network is stored.

// surveyCookie names the cookie holding the draft token for one survey.
func surveyCookie(sv *surveys.Survey) string { return "cs_sv_" + strconv.FormatUint(uint64(sv.ID), 10) }

// honeypotField is a form field people never see; bots fill it in.
const honeypotField = "website"

// consultationList lists the consultations open now.
func (a *App) consultationList(c *fiber.Ctx) error {
	list, err := a.Surveys.List(c.UserContext(), surveys.ListQuery{OpenAt: a.Surveys.Now()})
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "surveys/list", fiber.Map{"Title": "Consultations", "Surveys": list})
}

// publicSurvey finds the survey a resident asked for. Drafts and archived
// surveys do not exist for residents; staff may preview them.
func (a *App) publicSurvey(c *fiber.Ctx) (*surveys.Survey, bool, error) {
	sv, err := a.Surveys.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, false, err
	}
	preview := c.Query("preview") == "1" && currentUser(c) != nil
	if !sv.Public() && !preview {
		return nil, false, surveys.ErrNotFound
	}
	return sv, preview, nil
}

// closedPage explains that a survey does not take answers now; it is a
// page, not an error.
func (a *App) closedPage(c *fiber.Ctx, sv *surveys.Survey, status int) error {
	return a.render(c, status, "surveys/closed", fiber.Map{"Title": sv.Title, "Survey": sv, "NotYetOpen": sv.NotYetOpen(a.Surveys.Now())})
}

// surveyStart is the start page.
func (a *App) surveyStart(c *fiber.Ctx) error {
	sv, preview, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	if !preview && !sv.AcceptsAt(a.Surveys.Now()) {
		return a.closedPage(c, sv, fiber.StatusOK)
	}
	_, d := a.draftFor(c, sv)
	return a.render(c, fiber.StatusOK, "surveys/start", fiber.Map{"Title": sv.Title, "Survey": sv, "Preview": preview,
		"Started": d != nil && len(d.Answers) > 0, "Pages": len(sv.Pages)})
}

// draftFor loads the draft named by the survey's cookie, if any.
func (a *App) draftFor(c *fiber.Ctx, sv *surveys.Survey) (string, *surveys.SavedDraft) {
	token := c.Cookies(surveyCookie(sv))
	if token == "" {
		return "", nil
	}
	d, err := a.Surveys.LoadDraft(c.UserContext(), sv, token)
	if err != nil {
		return "", nil
	}
	return token, d
}

func (a *App) setDraftCookie(c *fiber.Ctx, sv *surveys.Survey, token string) {
	c.Cookie(&fiber.Cookie{Name: surveyCookie(sv), Value: token, Path: "/consultations/" + sv.Slug, HTTPOnly: true,
		Secure: a.opts.Secure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (a *App) clearDraftCookie(c *fiber.Ctx, sv *surveys.Survey) {
	c.Cookie(&fiber.Cookie{Name: surveyCookie(sv), Value: "", Path: "/consultations/" + sv.Slug, HTTPOnly: true,
		Secure: a.opts.Secure, SameSite: fiber.CookieSameSiteLaxMode, MaxAge: -1})
}

// pageNumber reads the 1-based page number from the URL.
func pageNumber(c *fiber.Ctx, sv *surveys.Survey) (int, error) {
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 || n > len(sv.Pages) {
		return 0, surveys.ErrNotFound
	}
	return n - 1, nil
}

// pagePosition is page i's place among the pages shown, for "Page N of M".
func pagePosition(visible []int, i int) (pos, total int) {
	for k, p := range visible {
		if p == i {
			pos = k + 1
		}
	}
	return pos, len(visible)
}

// neighbour returns the visible page before (step -1) or after (step 1)
// page i, or -1.
func neighbour(visible []int, i, step int) int {
	if step < 0 {
		for k := len(visible) - 1; k >= 0; k-- {
			if visible[k] < i {
				return visible[k]
			}
		}
		return -1
	}
	for _, p := range visible {
		if p > i {
			return p
		}
	}
	return -1
}

func (a *App) surveyURL(sv *surveys.Survey, rest string) string {
	return "/consultations/" + sv.Slug + rest
}

// surveyPage shows one page of questions.
func (a *App) surveyPage(c *fiber.Ctx) error {
	sv, preview, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	i, err := pageNumber(c, sv)
	if err != nil {
		return err
	}
	if preview {
		return a.renderSurveyPage(c, fiber.StatusOK, sv, i, surveys.Answers{}, nil, true)
	}
	if !sv.AcceptsAt(a.Surveys.Now()) {
		return a.closedPage(c, sv, fiber.StatusOK)
	}
	answers := surveys.Answers{}
	if _, d := a.draftFor(c, sv); d != nil {
		answers = d.Answers
	}
	visible := sv.VisiblePages(answers)
	if pos, _ := pagePosition(visible, i); pos == 0 {
		// This page does not apply given the answers so far.
		next := neighbour(visible, i, 1)
		if next < 0 {
			return c.Redirect(a.surveyURL(sv, "/check"), fiber.StatusSeeOther)
		}
		return c.Redirect(a.surveyURL(sv, fmt.Sprintf("/pages/%d", next+1)), fiber.StatusSeeOther)
	}
	return a.renderSurveyPage(c, fiber.StatusOK, sv, i, answers, nil, false)
}

func (a *App) renderSurveyPage(c *fiber.Ctx, status int, sv *surveys.Survey, i int, answers surveys.Answers, problems *errs.Fields, preview bool) error {
	var qs []*surveys.Question
	visible := sv.VisiblePages(answers)
	if preview {
		for j := range sv.Pages[i].Questions {
			qs = append(qs, &sv.Pages[i].Questions[j])
		}
		visible = make([]int, len(sv.Pages))
		for k := range visible {
			visible[k] = k
		}
	} else {
		qs = pageQuestions(sv, i, answers)
	}
	pos, total := pagePosition(visible, i)
	back := a.surveyURL(sv, "")
	if prev := neighbour(visible, i, -1); prev >= 0 {
		back = a.surveyURL(sv, fmt.Sprintf("/pages/%d", prev+1))
	}
	next := ""
	if preview {
		if n := neighbour(visible, i, 1); n >= 0 {
			next = a.surveyURL(sv, fmt.Sprintf("/pages/%d?preview=1", n+1))
		}
		back += "?preview=1"
	}
	keys := make([]string, len(qs))
	for k, q := range qs {
		keys[k] = q.Key
	}
	data := fiber.Map{"Title": sv.Pages[i].Title + " - " + sv.Title, "Survey": sv, "Page": &sv.Pages[i], "Number": i + 1,
		"Position": pos, "Total": total, "Questions": questionViews(qs, answers, problems), "Back": back, "Preview": preview,
		"PreviewNext": next, "Shown": strings.Join(keys, " "), "Change": c.Query("change") == "1"}
	if problems != nil {
		data["Errors"] = problems
	}
	return a.render(c, status, "surveys/page", data)
}

// saveSurveyPage takes one page's answers: "Continue" checks them and moves
// on; "Save and come back later" keeps them as typed and gives the link.
func (a *App) saveSurveyPage(c *fiber.Ctx) error {
	sv, _, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	i, err := pageNumber(c, sv)
	if err != nil {
		return err
	}
	if !sv.AcceptsAt(a.Surveys.Now()) {
		return a.closedPage(c, sv, fiber.StatusConflict)
	}
	token, d := a.draftFor(c, sv)
	answers := surveys.Answers{}
	if d != nil {
		answers = d.Answers
	}
	// Read exactly the questions the resident was shown: the form names
	// them, and only those that exist on this page count.
	shown := map[string]bool{}
	for _, k := range strings.Fields(c.FormValue("shown")) {
		shown[k] = true
	}
	var qs []*surveys.Question
	for j := range sv.Pages[i].Questions {
		if q := &sv.Pages[i].Questions[j]; shown[q.Key] {
			qs = append(qs, q)
		}
	}
	readAnswers(c, qs, answers)

	save := c.FormValue("action") == "save"
	if save {
		token, err = a.Surveys.SaveDraft(c.UserContext(), sv, token, answers, i+1)
		if err != nil {
			return err
		}
		a.setDraftCookie(c, sv, token)
		return c.Redirect(a.surveyURL(sv, "/saved"), fiber.StatusSeeOther)
	}
	if err := sv.CleanPage(i, answers); err != nil {
		f, ok := errs.AsFields(err)
		if !ok {
			return err
		}
		// Keep what was typed, even the parts to correct.
		if token, err = a.Surveys.SaveDraft(c.UserContext(), sv, token, answers, i+1); err != nil {
			return err
		}
		a.setDraftCookie(c, sv, token)
		return a.renderSurveyPage(c, fiber.StatusUnprocessableEntity, sv, i, answers, f, false)
	}
	if token, err = a.Surveys.SaveDraft(c.UserContext(), sv, token, answers, i+1); err != nil {
		return err
	}
	a.setDraftCookie(c, sv, token)
	// An answer on this page can reveal a further question on it; without
	// JavaScript the resident sees it on the same page, asked once more.
	for _, q := range pageQuestions(sv, i, answers) {
		if !shown[q.Key] {
			return a.redirectWithFlash(c, a.surveyURL(sv, fmt.Sprintf("/pages/%d#q-%s", i+1, q.Key)),
				"!We have added a question based on your answer. Please answer it and continue.")
		}
	}
	if c.FormValue("change") == "1" {
		return c.Redirect(a.surveyURL(sv, "/check"), fiber.StatusSeeOther)
	}
	next := neighbour(sv.VisiblePages(answers), i, 1)
	if next < 0 {
		return c.Redirect(a.surveyURL(sv, "/check"), fiber.StatusSeeOther)
	}
	return c.Redirect(a.surveyURL(sv, fmt.Sprintf("/pages/%d", next+1)), fiber.StatusSeeOther)
}

// checkRow is one answer on the check page.
type checkRow struct {
	Key, Label, Answer, Change string
}

// checkSection is one page on the check page.
type checkSection struct {
	Title string
	Rows  []checkRow
}

func (a *App) checkSections(sv *surveys.Survey, answers surveys.Answers) []checkSection {
	var out []checkSection
	for _, i := range sv.VisiblePages(answers) {
		s := checkSection{Title: sv.Pages[i].Title}
		for _, q := range pageQuestions(sv, i, answers) {
			s.Rows = append(s.Rows, checkRow{Key: q.Key, Label: q.Label, Answer: answerText(q, answers),
				Change: a.surveyURL(sv, fmt.Sprintf("/pages/%d?change=1#q-%s", i+1, q.Key))})
		}
		out = append(out, s)
	}
	return out
}

// checkAnswers shows every answer with a link to change it.
func (a *App) checkAnswers(c *fiber.Ctx) error {
	sv, _, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	if !sv.AcceptsAt(a.Surveys.Now()) {
		return a.closedPage(c, sv, fiber.StatusOK)
	}
	_, d := a.draftFor(c, sv)
	if d == nil {
		return c.Redirect(a.surveyURL(sv, ""), fiber.StatusSeeOther)
	}
	return a.renderCheck(c, fiber.StatusOK, sv, d.Answers, nil)
}

func (a *App) renderCheck(c *fiber.Ctx, status int, sv *surveys.Survey, answers surveys.Answers, problems *errs.Fields) error {
	data := fiber.Map{"Title": "Check your answers - " + sv.Title, "Survey": sv, "Sections": a.checkSections(sv, answers),
		"Form": map[string]string{"idempotency_key": accounts.NewSecret(24)}}
	if problems != nil {
		// Each problem links to the page where it can be put right, so the
		// summary is the page's own rather than the one linking to fields.
		data["Title"] = "Error: Check your answers - " + sv.Title
		data["Problems"] = a.problemLinks(sv, problems)
	}
	return a.render(c, status, "surveys/check", data)
}

// problemLink points an error on the check page at its question's page.
type problemLink struct{ Href, Message string }

func (a *App) problemLinks(sv *surveys.Survey, problems *errs.Fields) []problemLink {
	var out []problemLink
	for _, k := range problems.Order {
		key := strings.TrimSuffix(k, surveys.OtherKey(""))
		href := a.surveyURL(sv, "")
		if _, page := sv.Question(key); page >= 0 {
			href = a.surveyURL(sv, fmt.Sprintf("/pages/%d?change=1#q-%s", page+1, key))
		}
		out = append(out, problemLink{Href: href, Message: problems.Messages[k]})
	}
	return out
}

// submitSurvey stores the response once, however many times the button is
// pressed: the idempotency key was written into the check page.
func (a *App) submitSurvey(c *fiber.Ctx) error {
	sv, _, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	if c.FormValue(honeypotField) != "" {
		// A bot: it is told all went well and nothing is stored.
		a.clearDraftCookie(c, sv)
		return a.render(c, fiber.StatusOK, "surveys/confirmation", fiber.Map{"Title": "Response received", "Survey": sv, "Receipt": surveys.NewReceipt()})
	}
	if !sv.AcceptsAt(a.Surveys.Now()) {
		return a.closedPage(c, sv, fiber.StatusConflict)
	}
	key := c.FormValue("idempotency_key")
	if key == "" || len(key) > 100 {
		return a.redirectWithFlash(c, a.surveyURL(sv, "/check"), "!Please check your answers and submit again.")
	}
	token, d := a.draftFor(c, sv)
	answers := surveys.Answers{}
	if d != nil {
		answers = d.Answers
	}
	r, _, err := a.Surveys.Submit(c.UserContext(), sv, surveys.Submission{Answers: answers, Channel: surveys.ChannelOnline, IdempotencyKey: key})
	if err != nil {
		if f, ok := errs.AsFields(err); ok {
			if d == nil {
				// No answers and no earlier submission: the cookie was lost.
				return a.redirectWithFlash(c, a.surveyURL(sv, ""), "!We could not find your answers. If you saved them, use the link we gave you; otherwise please start again.")
			}
			return a.renderCheck(c, fiber.StatusUnprocessableEntity, sv, answers, f)
		}
		return err
	}
	if token != "" {
		if err := a.Surveys.DeleteDraft(c.UserContext(), token); err != nil {
			return err
		}
	}
	a.clearDraftCookie(c, sv)
	return c.Redirect(a.surveyURL(sv, "/confirmation?ref="+r.Receipt), fiber.StatusSeeOther)
}

var receiptRe = regexp.MustCompile(`^CS-[2-9A-Z]{4}-[2-9A-Z]{4}$`)

// surveyConfirmation shows the receipt reference.
func (a *App) surveyConfirmation(c *fiber.Ctx) error {
	sv, err := a.Surveys.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	// The page does not look the reference up, so guessing references
	// here reveals nothing about which exist.
	ref := c.Query("ref")
	if !receiptRe.MatchString(ref) {
		return surveys.ErrNotFound
	}
	return a.render(c, fiber.StatusOK, "surveys/confirmation", fiber.Map{"Title": "Response received", "Survey": sv, "Receipt": ref})
}

// savedPage gives the private link to come back later.
func (a *App) savedPage(c *fiber.Ctx) error {
	sv, _, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	token, d := a.draftFor(c, sv)
	if d == nil {
		return c.Redirect(a.surveyURL(sv, ""), fiber.StatusSeeOther)
	}
	link := strings.TrimRight(a.opts.BaseURL, "/") + a.surveyURL(sv, "/resume/"+token)
	return a.render(c, fiber.StatusOK, "surveys/saved", fiber.Map{"Title": "Your answers are saved - " + sv.Title, "Survey": sv,
		"Link": link, "Page": d.Page})
}

// resumeSurvey restores a saved draft from its private link. A wrong,
// expired or used token is a plain 404 that does not say which.
func (a *App) resumeSurvey(c *fiber.Ctx) error {
	sv, _, err := a.publicSurvey(c)
	if err != nil {
		return err
	}
	if !sv.AcceptsAt(a.Surveys.Now()) {
		return a.closedPage(c, sv, fiber.StatusOK)
	}
	token := c.Params("token")
	d, err := a.Surveys.LoadDraft(c.UserContext(), sv, token)
	if errors.Is(err, surveys.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	a.setDraftCookie(c, sv, token)
	page := d.Page
	if page < 1 || page > len(sv.Pages) {
		page = 1
	}
	return a.redirectWithFlash(c, a.surveyURL(sv, fmt.Sprintf("/pages/%d", page)), "Welcome back. Your answers so far have been restored.")
}
