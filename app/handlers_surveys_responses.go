package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/errs"
	"codesign/surveys"

	"github.com/gofiber/fiber/v2"
)

// Staff pages for reading a consultation's responses: the filtered list,
// one response, the summary, every answer to one free-text question, the
// CSV and JSON downloads (and the same over the API), and entering a
// response given on paper, by phone, at a workshop or with help.
//
// Anyone on the staff may read responses on screen and enter them. The
// downloads need an officer: a file of every response, with contact
// details and what residents wrote about their mental health, leaves the
// service and can be copied anywhere, so fewer people may make one, and
// each download is written to the audit log.

const (
	responsesPerPage = 50
	latestAnswers    = 20
	answersPerPage   = 50
	// surveys.FreeText has no offset, so page n reads n pages of rows;
	// beyond this the CSV is the way to read everything.
	maxAnswerPages = 100
	// exportedAction is the audit action for a download of responses.
	exportedAction = "responses.exported"
)

// surveyResponseRoutes registers the pages under the /staff group.
func (a *App) surveyResponseRoutes(staff fiber.Router) {
	officer := a.requireRole(accounts.Officer)
	staff.Get("/surveys/:id<int>/responses", a.responseList)
	staff.Get("/surveys/:id<int>/responses.csv", officer, a.responsesCSV)
	staff.Get("/surveys/:id<int>/responses.json", officer, a.responsesJSON)
	staff.Get("/surveys/:id<int>/responses/new", a.enterResponseForm)
	staff.Post("/surveys/:id<int>/responses/new", a.enterResponse)
	staff.Get("/surveys/:id<int>/responses/:rid<int>", a.responsePage)
	staff.Get("/surveys/:id<int>/summary", a.surveySummary)
	staff.Get("/surveys/:id<int>/answers/:key", a.freeTextAnswers)
}

// surveyResponseAPIRoutes registers the API downloads. staff checks the
// bearer token; the officer check narrows it as for the staff downloads.
// GET /api/v1/surveys/{slug}/responses streams every matching response as
// one JSON array (no limit or offset: narrow it with from, to, channel and
// completion); responses.csv is the same as CSV.
func (a *App) surveyResponseAPIRoutes(api fiber.Router, staff fiber.Handler) {
	officer := a.requireRole(accounts.Officer)
	api.Get("/surveys/:slug/responses.csv", staff, officer, a.apiResponsesCSV)
	api.Get("/surveys/:slug/responses", staff, officer, a.apiResponsesJSON)
}

// surveyForResponses loads the survey named by the URL's id.
func (a *App) surveyForResponses(c *fiber.Ctx) (*surveys.Survey, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	return a.Surveys.Get(c.UserContext(), uint(id))
}

// responsesData is what every page here shows about the survey.
func responsesData(c *fiber.Ctx, sv *surveys.Survey, title string) fiber.Map {
	u := currentUser(c)
	base := fmt.Sprintf("/staff/surveys/%d", sv.ID)
	tabs := []navItem{{Href: base + "/responses", Label: "Responses"}, {Href: base + "/summary", Label: "Summary"},
		{Href: base + "/responses/new", Label: "Enter a response"}}
	for i := range tabs {
		tabs[i].Current = tabs[i].Href == c.Path()
	}
	return fiber.Map{"Title": title, "Survey": sv, "Tabs": tabs, "Base": base, "CanExport": u != nil && u.Role.AtLeast(accounts.Officer)}
}

// responseList lists responses, newest first, 50 to a page.
func (a *App) responseList(c *fiber.Ctx) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	f, problems := a.parseResponseFilter(c)
	data := responsesData(c, sv, "Responses - "+sv.Title)
	data["Form"], data["Channels"], data["Filtered"] = f.Form, channelChoices(surveys.Channels), f.active()
	if problems.Has() {
		data["Errors"] = problems
		return a.render(c, fiber.StatusUnprocessableEntity, "staff_responses/list", data)
	}
	q := f.Query
	q.Limit, q.Offset = responsesPerPage, (page-1)*responsesPerPage
	list, total, err := a.Surveys.Responses(c.UserContext(), sv.ID, q)
	if err != nil {
		return err
	}
	rows := make([]responseRow, len(list))
	for i, r := range list {
		rows[i] = responseRow{ID: r.ID, Receipt: r.Receipt, SubmittedAt: r.SubmittedAt, Channel: responseChannelLabel(r.Channel),
			Complete: r.Completion == surveys.Complete}
	}
	params := f.values()
	data["Rows"], data["Total"] = rows, total
	data["CSV"], data["JSON"], data["FirstPage"] = withQuery(c.Path()+".csv", params), withQuery(c.Path()+".json", params), withQuery(c.Path(), params)
	data["Pager"] = newPager(c.Path(), params, page, responsesPerPage, len(rows), total)
	return a.render(c, fiber.StatusOK, "staff_responses/list", data)
}

// responseRow is one response in the list.
type responseRow struct {
	ID          uint
	Receipt     string
	SubmittedAt time.Time
	Channel     string
	Complete    bool
}

// withQuery adds params to path. Links are built here whole: a template
// would escape the = and & of a query put after a literal "?".
func withQuery(path string, params url.Values) string {
	if len(params) == 0 {
		return path
	}
	return path + "?" + params.Encode()
}

// pageParam reads ?page=, 1 when absent; a mangled page is not found.
func pageParam(c *fiber.Ctx) (int, error) {
	p := c.Query("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, fiber.ErrNotFound
	}
	return n, nil
}

// pager is "Previous" and "Next" with where this page starts and ends.
type pager struct {
	Prev, Next string
	First      int
	Last       int
	Page       int
	Beyond     bool // a page past the last one
}

// newPager links to the pages either side of page, keeping params. With a
// total below 0 it is unknown, and "Next" shows when the page is full.
func newPager(path string, params url.Values, page, per, shown int, total int64) pager {
	p := pager{Page: page, First: (page-1)*per + 1, Last: (page-1)*per + shown, Beyond: shown == 0 && page > 1}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range params {
			v[k] = vs
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return withQuery(path, v)
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if (total >= 0 && int64(page*per) < total) || (total < 0 && shown == per) {
		p.Next = link(page + 1)
	}
	return p
}

// responsePage shows one response as the resident gave it.
func (a *App) responsePage(c *fiber.Ctx) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	rid, err := c.ParamsInt("rid")
	if err != nil || rid <= 0 {
		return fiber.ErrNotFound
	}
	r, err := a.Surveys.Response(c.UserContext(), sv.ID, uint(rid))
	if err != nil {
		return err
	}
	data := responsesData(c, sv, "Response "+r.Receipt+" - "+sv.Title)
	data["Response"], data["Channel"], data["Sections"] = r, responseChannelLabel(r.Channel), responseSections(sv, r.Values())
	if n, err := a.Surveys.Notice(c.UserContext(), r); err == nil {
		data["Notice"] = n
	} else if !errors.Is(err, surveys.ErrNotFound) {
		return err
	}
	if r.EnteredBy != nil {
		if u, err := a.Accounts.ByID(c.UserContext(), *r.EnteredBy); err == nil {
			data["EnteredBy"] = u.Name
		}
	}
	return a.render(c, fiber.StatusOK, "staff_responses/show", data)
}

// answerRow is one question and its answer on the response page.
type answerRow struct {
	Label, Answer string
	Personal      bool
}

type answerSection struct {
	Title string
	Rows  []answerRow
}

// responseSections lists every question the resident was shown, page by
// page, with the answer in the words they saw.
func responseSections(sv *surveys.Survey, vals surveys.Answers) []answerSection {
	vis, _ := sv.Visible(vals)
	var out []answerSection
	for i := range sv.Pages {
		s := answerSection{Title: sv.Pages[i].Title}
		for j := range sv.Pages[i].Questions {
			if q := &sv.Pages[i].Questions[j]; vis.Questions[q.Key] {
				s.Rows = append(s.Rows, answerRow{Label: q.Label, Answer: answerText(q, vals), Personal: q.Personal})
			}
		}
		if len(s.Rows) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// responseChannelLabel is how a response reached the council, as staff
// read it.
func responseChannelLabel(ch surveys.Channel) string {
	switch ch {
	case surveys.ChannelOnline:
		return "Online"
	case surveys.ChannelPaper:
		return "Paper form"
	case surveys.ChannelPhone:
		return "Phone call"
	case surveys.ChannelWorkshop:
		return "At a workshop"
	case surveys.ChannelAssisted:
		return "With help from staff"
	}
	return string(ch)
}

// channelChoice is one channel in a select or radio list.
type channelChoice struct{ Value, Label string }

func channelChoices(chs []surveys.Channel) []channelChoice {
	out := make([]channelChoice, len(chs))
	for i, ch := range chs {
		out[i] = channelChoice{Value: string(ch), Label: responseChannelLabel(ch)}
	}
	return out
}

// fileSlug keeps only the characters that are safe in a file name.
func fileSlug(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, strings.ToLower(s))
}

func (a *App) responsesCSV(c *fiber.Ctx) error  { return a.exportResponses(c, "csv") }
func (a *App) responsesJSON(c *fiber.Ctx) error { return a.exportResponses(c, "json") }

// exportResponses downloads the responses matching the list's filters.
// Bad filters show the list page with the problem instead.
func (a *App) exportResponses(c *fiber.Ctx, format string) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	f, problems := a.parseResponseFilter(c)
	if problems.Has() {
		return a.responseList(c)
	}
	return a.streamResponses(c, sv, f, format, format == "csv")
}

func (a *App) apiResponsesCSV(c *fiber.Ctx) error  { return a.apiExport(c, "csv") }
func (a *App) apiResponsesJSON(c *fiber.Ctx) error { return a.apiExport(c, "json") }

// apiExport streams a survey's responses: 404 JSON for an unknown slug,
// 422 with a message per filter for bad filters.
func (a *App) apiExport(c *fiber.Ctx, format string) error {
	sv, err := a.Surveys.BySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	f, problems := a.parseResponseFilter(c)
	if problems.Has() {
		return problems.Err()
	}
	return a.streamResponses(c, sv, f, format, false)
}

// streamResponses records the download, then writes it while the rows are
// read, a batch at a time, so a survey with 100,000 responses never sits
// in memory. The writer runs after the handler returns: it uses nothing
// from c. An error part-way can no longer change the status, so it is
// logged and the file ends short. bom starts a CSV with the byte-order
// mark that makes Excel read it as UTF-8.
func (a *App) streamResponses(c *fiber.Ctx, sv *surveys.Survey, f responseFilter, format string, bom bool) error {
	u := currentUser(c)
	detail := strings.TrimSpace(format + " " + f.values().Encode())
	if err := audit.Record(c.UserContext(), a.DB, audit.Event{ActorUserID: &u.ID, Action: exportedAction,
		Target: "survey:" + strconv.FormatUint(uint64(sv.ID), 10), Detail: detail}); err != nil {
		return err
	}
	name := fileSlug(sv.Slug) + "-responses-" + a.Surveys.Now().In(a.london).Format("2006-01-02") + "." + format
	contentType := "text/csv; charset=utf-8"
	if format == "json" {
		contentType = fiber.MIMEApplicationJSONCharsetUTF8
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	store, q, ctx := a.Surveys, f.Query, context.WithoutCancel(c.UserContext())
	// Words flagged for safeguarding never leave codesign in a file.
	withheld, err := a.Safeguarding.FlaggedAnswerIDs(c.UserContext(), sv.ID)
	if err != nil {
		return err
	}
	q.Withheld = withheld
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		var err error
		if bom {
			_, err = w.WriteString("\ufeff")
		}
		if err == nil && format == "csv" {
			err = store.WriteCSV(ctx, w, sv, q)
		} else if err == nil {
			err = store.WriteJSON(ctx, w, sv, q)
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			slog.Error("response download stopped part-way", "survey", sv.ID, "format", format, "err", err)
		}
	})
	return nil
}

// responseFilter is the list's filters as typed, and the query they make.
type responseFilter struct {
	Form  map[string]string
	Query surveys.ResponseQuery
}

var filterNames = []string{"from", "to", "channel", "completion"}

// active reports whether any filter is set.
func (f responseFilter) active() bool {
	for _, k := range filterNames {
		if f.Form[k] != "" {
			return true
		}
	}
	return false
}

// values are the filters as they go in a link.
func (f responseFilter) values() url.Values {
	v := url.Values{}
	for _, k := range filterNames {
		if f.Form[k] != "" {
			v.Set(k, f.Form[k])
		}
	}
	return v
}

// parseResponseFilter reads the filters from the query string. Dates are
// days in London: "to" includes the whole of its day. Values are copied,
// because a download uses them after the handler has returned.
func (a *App) parseResponseFilter(c *fiber.Ctx) (responseFilter, *errs.Fields) {
	f := responseFilter{Form: map[string]string{}}
	for _, k := range filterNames {
		f.Form[k] = strings.Clone(strings.TrimSpace(c.Query(k)))
	}
	problems := &errs.Fields{}
	if v := f.Form["from"]; v != "" {
		if d, ok := a.parseLondonDay(v); ok {
			f.Query.From = d
		} else {
			problems.Add("from", "Enter the first day as a real date, like 1/5/2026")
		}
	}
	if v := f.Form["to"]; v != "" {
		if d, ok := a.parseLondonDay(v); ok {
			f.Query.To = d.AddDate(0, 0, 1)
		} else {
			problems.Add("to", "Enter the last day as a real date, like 31/5/2026")
		}
	}
	if !f.Query.From.IsZero() && !f.Query.To.IsZero() && !f.Query.To.After(f.Query.From) {
		problems.Add("to", "The last day must be the same as or after the first day")
	}
	if ch := surveys.Channel(f.Form["channel"]); ch.Valid() {
		f.Query.Channel = ch
	} else if ch != "" {
		problems.Add("channel", "Select how responses were given from the list")
	}
	switch v := f.Form["completion"]; v {
	case "", surveys.Complete, surveys.Partial:
		f.Query.Completion = v
	default:
		problems.Add("completion", "Select complete or partly answered")
	}
	return f, problems
}

// parseLondonDay reads a date typed as 12/5/2026 (day first, as in the
// UK) or 2026-05-12 and returns the start of that day in London.
func (a *App) parseLondonDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2/1/2006", "2006-01-02"} {
		if d, err := time.ParseInLocation(layout, s, a.london); err == nil && d.Year() >= 2000 && d.Year() < 2200 {
			return d, true
		}
	}
	return time.Time{}, false
}

// surveySummary counts the answers to every question.
func (a *App) surveySummary(c *fiber.Ctx) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	sum, err := a.Surveys.Summarise(c.UserContext(), sv)
	if err != nil {
		return err
	}
	qs := make([]summaryQuestion, 0, len(sum.Questions))
	for _, s := range sum.Questions {
		v, err := a.summaryQuestionView(c.UserContext(), sv, s)
		if err != nil {
			return err
		}
		qs = append(qs, v)
	}
	data := responsesData(c, sv, "Summary - "+sv.Title)
	data["Responses"], data["Questions"] = sum.Responses, qs
	return a.render(c, fiber.StatusOK, "staff_responses/summary", data)
}

// summaryQuestion is one question on the summary page.
type summaryQuestion struct {
	Key, Label, Type   string
	Answered           int64
	Choice, Multiple   bool
	FreeText           bool
	Personal, HasOther bool
	Options            []summaryOption
	Latest             []surveys.Answer
	More               bool
}

// summaryOption is one bar: Width is the bar's length out of 100.
type summaryOption struct {
	Label, Percent, Width string
	Count                 int64
}

func (a *App) summaryQuestionView(ctx context.Context, sv *surveys.Survey, s surveys.QuestionSummary) (summaryQuestion, error) {
	q := s.Question
	v := summaryQuestion{Key: q.Key, Label: q.Label, Answered: s.Answered, Choice: q.Type.Choice(), Multiple: q.Type == surveys.Checkbox,
		FreeText: q.Type.FreeText(), Personal: q.Personal, HasOther: q.HasOther()}
	for _, t := range surveys.Types {
		if t.Type == q.Type {
			v.Type = t.Label
		}
	}
	for _, o := range s.Options {
		v.Options = append(v.Options, summaryOption{Label: o.Option.Label, Count: o.Count, Percent: formatPercent(o.Percent),
			Width: strconv.FormatFloat(min(max(o.Percent, 0), 100), 'f', 1, 64)})
	}
	if v.FreeText && !v.Personal && s.Answered > 0 {
		latest, err := a.Surveys.FreeText(ctx, sv.ID, q.Key, latestAnswers)
		if err != nil {
			return v, err
		}
		v.Latest, v.More = latest, s.Answered > int64(len(latest))
	}
	return v, nil
}

// formatPercent writes 50% or 33.3%.
func formatPercent(p float64) string {
	s := strconv.FormatFloat(p, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + "%"
}

// freeTextAnswers lists every answer to one free-text question (or the
// words given for an "other" option), newest first. Contact details are
// not listed here: they are read one response at a time.
func (a *App) freeTextAnswers(c *fiber.Ctx) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	key := strings.Clone(c.Params("key"))
	label, ok := freeTextLabel(sv, key)
	if !ok {
		return fiber.ErrNotFound
	}
	page, err := pageParam(c)
	if err != nil || page > maxAnswerPages {
		return fiber.ErrNotFound
	}
	offset := (page - 1) * answersPerPage
	all, err := a.Surveys.FreeText(c.UserContext(), sv.ID, key, offset+answersPerPage)
	if err != nil {
		return err
	}
	shown := all[min(offset, len(all)):]
	data := responsesData(c, sv, label+" - "+sv.Title)
	p := newPager(c.Path(), url.Values{}, page, answersPerPage, len(shown), -1)
	capped := page == maxAnswerPages && len(shown) == answersPerPage
	if capped {
		p.Next = ""
	}
	data["Label"], data["Key"], data["Answers"], data["Pager"] = label, key, shown, p
	data["Capped"], data["Newest"] = capped, maxAnswerPages*answersPerPage
	return a.render(c, fiber.StatusOK, "staff_responses/answers", data)
}

// freeTextLabel names the question whose typed answers key holds: a text
// question that is not contact details, or the "other" words of a choice.
func freeTextLabel(sv *surveys.Survey, key string) (string, bool) {
	if base, ok := strings.CutSuffix(key, surveys.OtherKey("")); ok {
		q, _ := sv.Question(base)
		if q == nil || !q.HasOther() {
			return "", false
		}
		return q.Label + ` (words given for "other")`, true
	}
	q, _ := sv.Question(key)
	if q == nil || !q.Type.FreeText() || q.Personal {
		return "", false
	}
	return q.Label, true
}

// entryChannels are the ways staff enter a response for someone.
var entryChannels = channelChoices([]surveys.Channel{surveys.ChannelPaper, surveys.ChannelPhone, surveys.ChannelWorkshop, surveys.ChannelAssisted})

// entrySection is one page of the survey on the entry form.
type entrySection struct {
	Title     string
	Questions []questionView
}

// enterResponseForm shows every question on one page, to type up a
// response given on paper, by phone, at a workshop or with help.
func (a *App) enterResponseForm(c *fiber.Ctx) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	form := map[string]string{"idempotency_key": accounts.NewSecret(24)}
	return a.renderEntryForm(c, fiber.StatusOK, sv, surveys.Answers{}, form, nil, false)
}

// entryQuestions lists the questions shown for answers a, page by page,
// and their keys in order.
func entryQuestions(sv *surveys.Survey, a surveys.Answers) ([][]*surveys.Question, []string) {
	vis, _ := sv.Visible(a)
	pages := make([][]*surveys.Question, len(sv.Pages))
	var keys []string
	for i := range sv.Pages {
		for j := range sv.Pages[i].Questions {
			if q := &sv.Pages[i].Questions[j]; vis.Questions[q.Key] {
				pages[i] = append(pages[i], q)
				keys = append(keys, q.Key)
			}
		}
	}
	return pages, keys
}

func (a *App) renderEntryForm(c *fiber.Ctx, status int, sv *surveys.Survey, answers surveys.Answers, form map[string]string, problems *errs.Fields, changed bool) error {
	pages, keys := entryQuestions(sv, answers)
	var sections []entrySection
	for i, qs := range pages {
		if len(qs) > 0 {
			sections = append(sections, entrySection{Title: sv.Pages[i].Title, Questions: questionViews(qs, answers, problems)})
		}
	}
	data := responsesData(c, sv, "Enter a response - "+sv.Title)
	data["Sections"], data["Shown"], data["Channels"], data["Form"] = sections, strings.Join(keys, " "), entryChannels, form
	data["Changed"], data["CanEnter"], data["ChannelError"] = changed, sv.Public(), fieldErr(problems, "channel")
	if problems.Has() {
		data["Errors"] = problems
	}
	return a.render(c, status, "staff_responses/enter", data)
}

// enterResponse stores a response entered by staff. The idempotency key
// written into the form makes a double submit store one response. Without
// JavaScript an answer can show or hide questions only after it is sent,
// so when the questions change the form comes back with the new set and
// nothing is stored until it is sent again.
func (a *App) enterResponse(c *fiber.Ctx) error {
	sv, err := a.surveyForResponses(c)
	if err != nil {
		return err
	}
	shown := strings.Fields(c.FormValue("shown"))
	var qs []*surveys.Question
	for _, k := range shown {
		if q, _ := sv.Question(k); q != nil {
			qs = append(qs, q)
		}
	}
	answers := answersFromForm(c, qs)
	form := map[string]string{"channel": strings.Clone(c.FormValue("channel")), "idempotency_key": strings.Clone(c.FormValue("idempotency_key"))}
	if k := form["idempotency_key"]; k == "" || len(k) > 100 {
		form["idempotency_key"] = accounts.NewSecret(24)
	}
	problems := &errs.Fields{}
	ch := surveys.Channel(form["channel"])
	if !ch.Valid() || ch == surveys.ChannelOnline {
		problems.Add("channel", "Select how this response was given")
	}
	if _, keys := entryQuestions(sv, answers); strings.Join(keys, " ") != strings.Join(shown, " ") {
		return a.renderEntryForm(c, fiber.StatusOK, sv, answers, form, nil, true)
	}
	if problems.Has() {
		if _, err := sv.Clean(answers); err != nil {
			if f, ok := fieldsOf(err); ok {
				for _, k := range f.Order {
					problems.Add(k, f.Messages[k])
				}
			}
		}
		return a.renderEntryForm(c, fiber.StatusUnprocessableEntity, sv, answers, form, problems, false)
	}
	r, _, err := a.Surveys.Submit(c.UserContext(), sv, surveys.Submission{Answers: answers, Channel: ch,
		IdempotencyKey: form["idempotency_key"], EnteredBy: &currentUser(c).ID})
	if f, ok := fieldsOf(err); ok {
		return a.renderEntryForm(c, fiber.StatusUnprocessableEntity, sv, answers, form, f, false)
	} else if err != nil {
		return err
	}
	return a.redirectWithFlash(c, fmt.Sprintf("/staff/surveys/%d/responses/%d", sv.ID, r.ID),
		"Response "+r.Receipt+" saved ("+strings.ToLower(responseChannelLabel(ch))+").")
}
