package app

import (
	"bytes"
	"encoding/json"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// apiSurveyItem is one survey in GET /api/v1/surveys.
type apiSurveyItem struct {
	Slug     string         `json:"slug"`
	Title    string         `json:"title"`
	Status   surveys.Status `json:"status"`
	OpensAt  *time.Time     `json:"opens_at"`
	ClosesAt *time.Time     `json:"closes_at"`
}

// apiSurveys lists the surveys open now for anyone, and every survey for
// staff.
func (a *App) apiSurveys(c *fiber.Ctx) error {
	q := surveys.ListQuery{}
	if currentUser(c) == nil {
		q.OpenAt = a.Surveys.Now()
	}
	list, err := a.Surveys.List(c.UserContext(), q)
	if err != nil {
		return err
	}
	out := make([]apiSurveyItem, 0, len(list))
	for _, s := range list {
		out = append(out, apiSurveyItem{Slug: s.Slug, Title: s.Title, Status: s.Status, OpensAt: s.OpensAt, ClosesAt: s.ClosesAt})
	}
	return c.JSON(out)
}

// apiSurveyDefinition serves the definition residents answer against.
// Drafts and archived surveys exist only for staff.
func (a *App) apiSurveyDefinition(c *fiber.Ctx) error {
	sv, err := a.Surveys.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if !sv.Public() && currentUser(c) == nil {
		return surveys.ErrNotFound
	}
	return c.JSON(sv.Definition())
}

// apiResponseBody is the body of POST /api/v1/surveys/{slug}/responses.
type apiResponseBody struct {
	Answers map[string]json.RawMessage `json:"answers"`
	Channel surveys.Channel            `json:"channel"`
}

// apiSubmitResponse stores one response: 201 {"id","receipt"}; 422 with a
// message per answer; 409 when the survey is closed; 404 when unknown. An
// Idempotency-Key header makes a retry return the first result.
func (a *App) apiSubmitResponse(c *fiber.Ctx) error {
	sv, err := a.Surveys.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if !sv.Public() {
		return surveys.ErrNotFound
	}
	var body apiResponseBody
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		f := &errs.Fields{}
		f.Add("body", "Send a JSON object with \"answers\" (an object of question keys) and optionally \"channel\".")
		return f.Err()
	}
	if body.Answers == nil {
		f := &errs.Fields{}
		f.Add("answers", "Send \"answers\" as an object of question keys to answers.")
		return f.Err()
	}
	answers, problems := surveys.AnswersFromJSON(body.Answers)
	if problems != nil && problems.Has() {
		return problems.Err()
	}
	in := surveys.Submission{Answers: answers, Channel: body.Channel, IdempotencyKey: c.Get("Idempotency-Key")}
	if in.Channel != "" && in.Channel != surveys.ChannelOnline {
		// Only staff enter answers given on paper, by phone or in person.
		u := currentUser(c)
		if u == nil || !u.Role.AtLeast(accounts.Facilitator) {
			f := &errs.Fields{}
			f.Add("channel", "Only staff can enter responses given on paper, by phone, at a workshop or with help. Leave out \"channel\" or send \"online\".")
			return f.Err()
		}
		in.EnteredBy = &u.ID
	}
	if len(in.IdempotencyKey) > 200 {
		f := &errs.Fields{}
		f.Add("Idempotency-Key", "The Idempotency-Key header must be 200 characters or fewer.")
		return f.Err()
	}
	r, replayed, err := a.Surveys.Submit(c.UserContext(), sv, in)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	return c.Status(status).JSON(fiber.Map{"id": r.ID, "receipt": r.Receipt})
}
