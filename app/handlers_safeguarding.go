package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/errs"
	"codesign/safeguarding"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// safeguardingRoutes registers the safeguarding queue under /staff. The
// queue needs the safeguarding permission, whatever the role; admins give
// and remove it, and need it themselves to read the queue.
func (a *App) safeguardingRoutes(staff fiber.Router) {
	permitted := a.requireSafeguarding
	staff.Get("/safeguarding", permitted, a.safeguardingQueue)
	staff.Get("/safeguarding/:id<int>", permitted, a.safeguardingItem)
	staff.Post("/safeguarding/:id<int>", permitted, a.recordSafeguardingAction)
	staff.Get("/safeguarding/:id<int>/contact", permitted, a.safeguardingContact)
	admin := a.requireRole(accounts.Admin)
	staff.Get("/safeguarding/people", admin, a.safeguardingPeople)
	staff.Post("/safeguarding/people", admin, a.setSafeguardingGrant)
}

// requireSafeguarding lets through staff with the safeguarding permission.
// Anyone else gets 403, and the attempt goes in the audit log.
func (a *App) requireSafeguarding(c *fiber.Ctx) error {
	ctx, u := c.UserContext(), currentUser(c)
	ok, err := a.Safeguarding.Allowed(ctx, u.ID)
	if err != nil {
		return err
	}
	if ok {
		return c.Next()
	}
	target := safeguarding.QueueRef
	if id, err := c.ParamsInt("id"); err == nil && id > 0 {
		target = safeguarding.ItemRef(uint(id))
	}
	if err := a.Safeguarding.Refused(ctx, u.ID, target); err != nil {
		return err
	}
	return fiber.NewError(fiber.StatusForbidden, "Only staff with the safeguarding permission can see the safeguarding queue. "+
		"An admin can give it to you. This attempt has been recorded.")
}

// queueRow is one item as the queue lists it.
type queueRow struct {
	Item     safeguarding.Item
	Source   itemSource
	Sentence string
	Waited   string
}

func (a *App) safeguardingQueue(c *fiber.Ctx) error {
	ctx := c.UserContext()
	waiting, err := a.Safeguarding.Waiting(ctx)
	if err != nil {
		return err
	}
	handled, err := a.Safeguarding.Handled(ctx, 50)
	if err != nil {
		return err
	}
	src := a.newItemSources()
	now := time.Now()
	rows := func(items []safeguarding.Item) ([]queueRow, error) {
		out := make([]queueRow, 0, len(items))
		for _, it := range items {
			s, err := src.of(ctx, &it)
			if err != nil {
				return nil, err
			}
			r := queueRow{Item: it, Source: s, Waited: waitedFor(it.Waited(now))}
			if len(it.Flags) > 0 {
				r.Sentence = clipSentence(it.Flags[0].Sentence, 160)
			}
			out = append(out, r)
		}
		return out, nil
	}
	w, err := rows(waiting)
	if err != nil {
		return err
	}
	h, err := rows(handled)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "staff_safeguarding/list", fiber.Map{"Title": "Safeguarding queue", "Waiting": w, "Handled": h})
}

// safeguardingItemFor loads the item named in the URL.
func (a *App) safeguardingItemFor(c *fiber.Ctx) (*safeguarding.Item, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Safeguarding.Get(c.UserContext(), uint(id))
}

func (a *App) safeguardingItem(c *fiber.Ctx) error {
	it, err := a.safeguardingItemFor(c)
	if err != nil {
		return err
	}
	if err := a.Safeguarding.Viewed(c.UserContext(), currentUser(c).ID, it.ID, false); err != nil {
		return err
	}
	return a.renderSafeguardingItem(c, it, fiber.StatusOK, map[string]string{"key": accounts.NewSecret(16)}, nil)
}

// historyRow is one recorded action with who recorded it.
type historyRow struct {
	What  safeguarding.Status
	Notes string
	At    time.Time
	By    string
}

func (a *App) renderSafeguardingItem(c *fiber.Ctx, it *safeguarding.Item, status int, form map[string]string, problems *errs.Fields) error {
	ctx := c.UserContext()
	src, err := a.newItemSources().of(ctx, it)
	if err != nil {
		return err
	}
	contact, err := a.contactDetails(ctx, it)
	if err != nil {
		return err
	}
	history, err := a.Safeguarding.History(ctx, it.ID)
	if err != nil {
		return err
	}
	names, err := a.actorNames(ctx)
	if err != nil {
		return err
	}
	rows := make([]historyRow, 0, len(history))
	for _, h := range history {
		r := historyRow{What: h.Action, Notes: h.Notes, At: h.CreatedAt, By: "Unknown"}
		if h.ActorUserID != nil {
			r.By = names[*h.ActorUserID]
		}
		rows = append(rows, r)
	}
	data := fiber.Map{"Title": fmt.Sprintf("Safeguarding item %d", it.ID), "Item": it, "Source": src, "Segments": it.Segments(),
		"Terms": strings.Join(it.Terms(), ", "), "Waited": waitedFor(it.Waited(time.Now())), "HasContact": len(contact) > 0,
		"History": rows, "Actions": safeguarding.Actions, "Form": form}
	if problems != nil {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_safeguarding/item", data)
}

func (a *App) recordSafeguardingAction(c *fiber.Ctx) error {
	it, err := a.safeguardingItemFor(c)
	if err != nil {
		return err
	}
	form := map[string]string{"action": c.FormValue("action"), "notes": c.FormValue("notes"), "key": c.FormValue("key")}
	if len(form["key"]) > 100 {
		return fiber.ErrBadRequest
	}
	act := &safeguarding.Action{ItemID: it.ID, Action: safeguarding.Status(form["action"]), Notes: form["notes"], ActorUserID: &currentUser(c).ID}
	if k := form["key"]; k != "" {
		act.IdempotencyKey = &k
	}
	_, err = a.Safeguarding.Record(c.UserContext(), act)
	if f, ok := fieldsOf(err); ok {
		return a.renderSafeguardingItem(c, it, fiber.StatusUnprocessableEntity, form, f)
	}
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, "/staff/safeguarding/"+strconv.FormatUint(uint64(it.ID), 10), "Recorded: "+act.Action.Label()+".")
}

// safeguardingContact shows the contact details left in the same response
// as a flagged answer. Every viewing is audited.
func (a *App) safeguardingContact(c *fiber.Ctx) error {
	it, err := a.safeguardingItemFor(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	contact, err := a.contactDetails(ctx, it)
	if err != nil {
		return err
	}
	if len(contact) > 0 {
		if err := a.Safeguarding.Viewed(ctx, currentUser(c).ID, it.ID, true); err != nil {
			return err
		}
	}
	return a.render(c, fiber.StatusOK, "staff_safeguarding/contact", fiber.Map{"Title": fmt.Sprintf("Contact details for item %d", it.ID), "Item": it, "Contact": contact})
}

// contactDetail is one answer to a question asking for contact details,
// with what the resident was told when they gave it.
type contactDetail struct {
	Label, Hint, Value string
}

// contactDetails finds the contact details in the response a flagged
// answer came from. Workshop notes and erased responses have none.
func (a *App) contactDetails(ctx context.Context, it *safeguarding.Item) ([]contactDetail, error) {
	if it.Kind != safeguarding.SurveyAnswer || it.SurveyID == nil || it.ResponseID == nil {
		return nil, nil
	}
	sv, err := a.Surveys.Get(ctx, *it.SurveyID)
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := a.Surveys.Response(ctx, sv.ID, *it.ResponseID)
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []contactDetail
	for _, ans := range r.Answers {
		if !ans.Personal || strings.TrimSpace(ans.Value) == "" {
			continue
		}
		d := contactDetail{Label: ans.QuestionKey, Value: ans.Value}
		if q, _ := sv.Question(ans.QuestionKey); q != nil {
			d.Label, d.Hint = q.Label, q.Hint
		}
		out = append(out, d)
	}
	return out, nil
}

// itemSource says where an item came from, in words.
type itemSource struct {
	Where    string // the survey or workshop
	Question string // the question, for a survey answer
	Kind     string // "Survey answer" or "Workshop notes"
}

// itemSources looks up survey and workshop titles once per page.
type itemSources struct {
	a       *App
	surveys map[uint]*surveys.Survey
	events  map[uint]string
}

func (a *App) newItemSources() *itemSources {
	return &itemSources{a: a, surveys: map[uint]*surveys.Survey{}, events: map[uint]string{}}
}

func (s *itemSources) of(ctx context.Context, it *safeguarding.Item) (itemSource, error) {
	switch {
	case it.Kind == safeguarding.SurveyAnswer && it.SurveyID != nil:
		sv, ok := s.surveys[*it.SurveyID]
		if !ok {
			var err error
			if sv, err = s.a.Surveys.Get(ctx, *it.SurveyID); err != nil && !errors.Is(err, errs.ErrNotFound) {
				return itemSource{}, err
			}
			s.surveys[*it.SurveyID] = sv
		}
		out := itemSource{Kind: "Survey answer", Where: "A survey that no longer exists", Question: it.QuestionKey}
		if sv != nil {
			out.Where = sv.Title
			if q, _ := sv.Question(it.QuestionKey); q != nil {
				out.Question = q.Label
			}
		}
		return out, nil
	case it.Kind == safeguarding.WorkshopNote && it.EventID != nil:
		title, ok := s.events[*it.EventID]
		if !ok {
			e, err := s.a.Workshops.Get(ctx, *it.EventID)
			switch {
			case errors.Is(err, errs.ErrNotFound):
				title = "A workshop that no longer exists"
			case err != nil:
				return itemSource{}, err
			default:
				title = e.Title
			}
			s.events[*it.EventID] = title
		}
		return itemSource{Kind: "Workshop notes", Where: title}, nil
	}
	return itemSource{Kind: string(it.Kind), Where: "Unknown"}, nil
}

// actorNames maps user ids to names, for the history of actions.
func (a *App) actorNames(ctx context.Context) (map[uint]string, error) {
	users, err := a.Accounts.List(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[uint]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	return names, nil
}

// personRow is a member of staff on the permission page.
type personRow struct {
	User    accounts.User
	Granted bool
	By      string
	At      time.Time
}

func (a *App) safeguardingPeople(c *fiber.Ctx) error {
	ctx := c.UserContext()
	users, err := a.Accounts.List(ctx)
	if err != nil {
		return err
	}
	grants, err := a.Safeguarding.Grants(ctx)
	if err != nil {
		return err
	}
	names := make(map[uint]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	rows := make([]personRow, 0, len(users))
	for _, u := range users {
		r := personRow{User: u}
		if g, ok := grants[u.ID]; ok {
			r.Granted, r.At = true, g.GrantedAt
			if g.GrantedBy != nil {
				r.By = names[*g.GrantedBy]
			}
		}
		rows = append(rows, r)
	}
	return a.render(c, fiber.StatusOK, "staff_safeguarding/people", fiber.Map{"Title": "Who can see the safeguarding queue", "People": rows})
}

func (a *App) setSafeguardingGrant(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.FormValue("user"), 10, 32)
	if err != nil || id == 0 {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "Choose a member of staff from the list.")
	}
	ctx := c.UserContext()
	u, err := a.Accounts.ByID(ctx, uint(id))
	if err != nil {
		return err
	}
	on := c.FormValue("grant") == "yes"
	if err := a.Safeguarding.SetGrant(ctx, &currentUser(c).ID, u.ID, on); err != nil {
		return err
	}
	msg := u.Name + " can now see the safeguarding queue."
	if !on {
		msg = u.Name + " can no longer see the safeguarding queue."
	}
	return a.redirectWithFlash(c, "/staff/safeguarding/people", msg)
}

// waitedFor says how long something waited, in words.
func waitedFor(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// clipSentence cuts s to about n characters at a word boundary.
func clipSentence(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
