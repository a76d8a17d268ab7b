package app

import (
	"encoding/json"
	"net/url"
	"time"

	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// The thematic-coding API, for staff with a token:
//
//	GET  /api/v1/themes/codebook
//	GET  /api/v1/themes/passages?scope=survey:12:key&status=pending&theme=&code=&min=&page=
//	POST /api/v1/themes/passages/{id}/decisions {"code": "housing", "decision": "accept"}
//
// status is pending (the default), accepted, rejected, uncoded or all; min
// is a confidence from 0 to 100. A decision is accept, reject or add, with
// "assignment" for double coding ("none" there means no code applies). The
// same decision sent twice is stored once and answers "changed": false.

type apiCode struct {
	Key         string   `json:"key"`
	Parent      string   `json:"parent,omitempty"`
	Theme       string   `json:"theme"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Colour      string   `json:"colour"`
	Terms       []string `json:"terms"`
}

func (a *App) apiCodebook(c *fiber.Ctx) error {
	cb, err := a.Themes.Codebook(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]apiCode, len(cb.Codes))
	for i, code := range cb.Codes {
		terms := code.Terms
		if terms == nil {
			terms = []string{}
		}
		out[i] = apiCode{Key: code.Key, Parent: code.Parent, Theme: cb.Theme(code.Key), Label: code.Label,
			Description: code.Description, Colour: code.Colour, Terms: terms}
	}
	return c.JSON(fiber.Map{"codes": out})
}

type apiSuggestion struct {
	Code       string   `json:"code"`
	Confidence float64  `json:"confidence"`
	Terms      []string `json:"terms"`
}

type apiDecision struct {
	Code      string    `json:"code"`
	Decision  string    `json:"decision"`
	UserID    uint      `json:"user_id"`
	DecidedAt time.Time `json:"decided_at"`
}

type apiPassage struct {
	ID          uint            `json:"id"`
	Scope       string          `json:"scope"`
	Source      string          `json:"source"`
	SourceID    string          `json:"source_id"`
	Text        string          `json:"text"`
	Start       int             `json:"start"`
	End         int             `json:"end"`
	Suggestions []apiSuggestion `json:"suggestions"`
	Decisions   []apiDecision   `json:"decisions"`
}

func toAPIPassage(p themes.Passage) apiPassage {
	out := apiPassage{ID: p.ID, Scope: p.Scope, Source: p.SourceKind, SourceID: p.SourceID, Text: p.Text, Start: p.StartOffset,
		End: p.EndOffset, Suggestions: []apiSuggestion{}, Decisions: []apiDecision{}}
	for _, s := range p.Suggestions {
		out.Suggestions = append(out.Suggestions, apiSuggestion{Code: s.Code, Confidence: s.Confidence, Terms: s.Terms})
	}
	for _, d := range p.Codings {
		out.Decisions = append(out.Decisions, apiDecision{Code: d.Code, Decision: d.Decision, UserID: d.UserID, DecidedAt: d.DecidedAt.UTC()})
	}
	return out
}

// apiPassages lists a page of one scope's passages in the review queue.
func (a *App) apiPassages(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	v := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(k, val []byte) { v.Add(string(k), string(val)) })
	q, problems := parseQueue(v, cb)
	if q.Filter.Scope == "" {
		problems.Add("scope", "Give the scope, like survey:12:question_key or workshop:7")
	} else if _, err := a.describeScope(ctx, q.Filter.Scope); err != nil {
		return err
	}
	if problems.Has() {
		return problems
	}
	f := q.Filter
	f.Limit, f.Offset = passagesPerPage, (page-1)*passagesPerPage
	ps, total, err := a.Themes.Passages(ctx, f)
	if err != nil {
		return err
	}
	out := make([]apiPassage, len(ps))
	for i, p := range ps {
		out[i] = toAPIPassage(p)
	}
	return c.JSON(fiber.Map{"scope": q.Filter.Scope, "total": total, "page": page, "per_page": passagesPerPage, "passages": out})
}

// apiDecide records a decision: 201 when it changed something, 200 when
// it was already so.
func (a *App) apiDecide(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	var body struct {
		Code       string `json:"code"`
		Decision   string `json:"decision"`
		Assignment uint   `json:"assignment"`
	}
	if err := json.Unmarshal(c.Body(), &body); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "Send JSON like {\"code\": \"housing\", \"decision\": \"accept\"}.")
	}
	ctx := c.UserContext()
	ch := themes.Choice{PassageID: uint(id), Code: body.Code, Decision: body.Decision, UserID: currentUser(c).ID, Assignment: body.Assignment}
	_, changed, err := a.Themes.Decide(ctx, ch)
	if err != nil {
		return err
	}
	p, err := a.Themes.Passage(ctx, uint(id), body.Assignment, coderOf(body.Assignment, currentUser(c).ID))
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if changed {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(fiber.Map{"changed": changed, "passage": toAPIPassage(*p)})
}

// coderOf is whose decisions a passage shows: the team's in the review
// queue, the user's own in double coding.
func coderOf(assignment, user uint) uint {
	if assignment == 0 {
		return 0
	}
	return user
}
