package app

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codesign/errs"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
)

// segment is a run of a passage's text, marked when it is a word the
// coder matched. Templates escape each run, so the text is never trusted.
type segment struct {
	Text string
	Mark bool
}

// highlight splits text into runs, marking every whole-word occurrence of
// each term. Terms are the words matched as written in this same text.
func highlight(text string, terms []string) []segment {
	type span struct{ from, to int }
	var spans []span
	for _, term := range terms {
		if term == "" {
			continue
		}
		for at := 0; at < len(text); {
			i := strings.Index(text[at:], term)
			if i < 0 {
				break
			}
			from, to := at+i, at+i+len(term)
			if wordEdge(text, from, to) {
				spans = append(spans, span{from, to})
			}
			at = to
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.from <= merged[n-1].to {
			merged[n-1].to = max(merged[n-1].to, s.to)
			continue
		}
		merged = append(merged, s)
	}
	var out []segment
	pos := 0
	for _, s := range merged {
		if s.from > pos {
			out = append(out, segment{Text: text[pos:s.from]})
		}
		out = append(out, segment{Text: text[s.from:s.to], Mark: true})
		pos = s.to
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}

// wordEdge reports whether text[from:to] is not part of a longer word.
func wordEdge(text string, from, to int) bool {
	if r, _ := utf8.DecodeLastRuneInString(text[:from]); from > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[to:]); to < len(text) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return false
	}
	return true
}

// codeView is one code on a passage: suggested, decided, or both.
type codeView struct {
	Code, Label, ThemeLabel, Colour string
	Confidence                      int // per cent; 0 when not suggested
	Terms                           string
	Decision                        string // "" while waiting
	By                              string
	At                              time.Time
}

// passageView is one passage in the queue.
type passageView struct {
	ID          uint
	N           int
	Segments    []segment
	Source      string
	Suggestions []codeView
	Others      []codeView // codes decided that were not suggested
	None        *codeView  // "no code applies", in double coding
	Pending     bool       // a suggestion is waiting for a decision
}

// passageViews prepares passages for the queue. Blind double coding hides
// the suggestions, and so the highlighting.
func passageViews(ps []themes.Passage, cb *themes.Codebook, names map[uint]string, blind bool, offset int) []passageView {
	out := make([]passageView, len(ps))
	for i, p := range ps {
		decided := map[string]themes.Coding{}
		for _, c := range p.Codings {
			decided[c.Code] = c
		}
		v := passageView{ID: p.ID, N: offset + i + 1, Source: sourceLabel(p)}
		var terms []string
		if !blind {
			for _, s := range p.Suggestions {
				cv := newCodeView(cb, s.Code, names, decided)
				cv.Confidence, cv.Terms = int(s.Confidence*100+0.5), strings.Join(s.Terms, ", ")
				v.Pending = v.Pending || cv.Decision == ""
				v.Suggestions = append(v.Suggestions, cv)
				terms = append(terms, s.Terms...)
				delete(decided, s.Code)
			}
		}
		for _, c := range p.Codings {
			if _, left := decided[c.Code]; !left {
				continue
			}
			cv := newCodeView(cb, c.Code, names, decided)
			if c.Decision == themes.None {
				v.None = &cv
				continue
			}
			v.Others = append(v.Others, cv)
		}
		v.Segments = highlight(p.Text, terms)
		out[i] = v
	}
	return out
}

func newCodeView(cb *themes.Codebook, key string, names map[uint]string, decided map[string]themes.Coding) codeView {
	cv := codeView{Code: key, Label: labelOf(cb, key), ThemeLabel: labelOf(cb, cb.Theme(key)), Colour: colourOf(cb, key)}
	if d, ok := decided[key]; ok {
		cv.Decision, cv.By, cv.At = d.Decision, names[d.UserID], d.DecidedAt
		if cv.By == "" {
			cv.By = "a former member of staff"
		}
	}
	return cv
}

func colourOf(cb *themes.Codebook, key string) string {
	for _, c := range cb.Codes {
		if c.Key == key {
			return c.Colour
		}
	}
	return "#505a5f"
}

// sourceLabel says where a passage came from.
func sourceLabel(p themes.Passage) string {
	if p.SourceKind == themes.SurveyAnswer {
		return "Answer " + p.SourceID
	}
	if parts := strings.Split(p.SourceID, ":"); len(parts) == 3 {
		return "Notes " + parts[1] + ", paragraph " + parts[2]
	}
	return p.SourceID
}

// returnTo is the queue page a form came from, with the passage it was
// about, or the list of scopes.
func returnTo(c *fiber.Ctx, passage uint) string {
	r := strings.Clone(c.FormValue("return"))
	if !strings.HasPrefix(r, "/staff/themes/") || safeNext(r) != r || strings.Contains(r, "#") {
		return "/staff/themes"
	}
	if passage != 0 {
		r += "#p-" + strconv.FormatUint(uint64(passage), 10)
	}
	return r
}

// formUint reads a form field that holds an id; 0 when absent or bad.
func formUint(c *fiber.Ctx, name string) uint {
	n, err := strconv.ParseUint(c.FormValue(name), 10, 32)
	if err != nil {
		return 0
	}
	return uint(n)
}

// themeDecide records a facilitator's accept, reject, add or "no code
// applies" and goes back to the queue at the same passage.
func (a *App) themeDecide(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	ch := themes.Choice{PassageID: uint(id), Code: strings.Clone(c.FormValue("code")), Decision: strings.Clone(c.FormValue("decision")),
		UserID: currentUser(c).ID, Assignment: formUint(c, "assignment")}
	stands, changed, err := a.Themes.Decide(ctx, ch)
	if f, ok := fieldsOf(err); ok {
		field := "add-" + strconv.Itoa(id)
		return a.queueAgain(c, &errs.Fields{Messages: map[string]string{field: f.Messages[f.Order[0]]}, Order: []string{field}}, err)
	}
	if err != nil {
		return err
	}
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	return a.redirectWithFlash(c, returnTo(c, uint(id)), decisionMessage(cb, stands, changed))
}

// queueAgain shows the queue a form came from with what was wrong, or the
// error alone when the form did not say which queue.
func (a *App) queueAgain(c *fiber.Ctx, problems *errs.Fields, err error) error {
	r, perr := url.Parse(returnTo(c, 0))
	if perr != nil {
		return err
	}
	cb, cerr := a.Themes.Codebook(c.UserContext())
	if cerr != nil {
		return cerr
	}
	q, _ := parseQueue(r.Query(), cb)
	if r.Path == "/staff/themes/queue" {
		return a.renderQueue(c, q, nil, fiber.StatusUnprocessableEntity, problems)
	}
	if id, ok := strings.CutPrefix(r.Path, "/staff/themes/double/"); ok {
		n, _ := strconv.ParseUint(id, 10, 32)
		if as, aerr := a.Themes.Assignment(c.UserContext(), uint(n)); aerr == nil && a.isCoder(c, as) {
			q.Form["scope"], q.Filter.Scope = as.Scope, as.Scope
			return a.renderQueue(c, q, as, fiber.StatusUnprocessableEntity, problems)
		}
	}
	return err
}

func decisionMessage(cb *themes.Codebook, stands themes.Coding, changed bool) string {
	label := "“" + labelOf(cb, stands.Code) + "”"
	if !changed {
		return "Nothing changed: that decision was already recorded."
	}
	switch stands.Decision {
	case themes.Accepted:
		return "Accepted " + label + "."
	case themes.Added:
		return "Added " + label + "."
	case themes.Rejected:
		return "Rejected " + label + "."
	}
	return "Recorded that no code applies."
}

// themeUndo reverses the signed-in facilitator's last decision in a queue,
// if it is still the one the page showed.
func (a *App) themeUndo(c *fiber.Ctx) error {
	scope, assignment, id := strings.Clone(c.FormValue("scope")), formUint(c, "assignment"), formUint(c, "decision")
	n, err := a.Themes.Undo(c.UserContext(), scope, assignment, currentUser(c).ID, id)
	if err != nil {
		return err
	}
	msg := "Nothing to undo: that decision was already undone."
	switch {
	case n == 1:
		msg = "Undone. The decision before it stands again."
	case n > 1:
		msg = fmt.Sprintf("Undone: the %d suggestions accepted together are waiting for a decision again.", n)
	}
	return a.redirectWithFlash(c, returnTo(c, 0), msg)
}

// themeBulkAccept accepts every waiting suggestion in a queue at or above
// the confidence chosen, within the queue's theme or code filter.
func (a *App) themeBulkAccept(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cb, err := a.Themes.Codebook(ctx)
	if err != nil {
		return err
	}
	form := url.Values{"scope": {c.FormValue("scope")}, "theme": {c.FormValue("theme")}, "code": {c.FormValue("code")}, "min": {c.FormValue("min")}}
	q, problems := parseQueue(form, cb)
	if strings.TrimSpace(c.FormValue("min")) == "" {
		problems.Add("min", "Enter the lowest confidence to accept, from 0 to 100")
	}
	if problems.Has() {
		if m := problems.Messages["min"]; m != "" {
			problems = &errs.Fields{Messages: map[string]string{"bulk-min": m}, Order: []string{"bulk-min"}}
		}
		return a.queueAgain(c, problems, problems)
	}
	if _, err := a.describeScope(ctx, q.Filter.Scope); err != nil {
		return err
	}
	n, err := a.Themes.BulkAccept(ctx, q.Filter, currentUser(c).ID)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Accepted %d suggestions at %s%% confidence or more. You can undo this.", n, q.Form["min"])
	if n == 0 {
		msg = "No suggestions waiting at that confidence or more: nothing changed."
	}
	return a.redirectWithFlash(c, returnTo(c, 0), msg)
}
