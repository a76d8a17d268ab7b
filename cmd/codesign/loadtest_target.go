package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"

	"codesign/surveys"
)

// loadTarget is what the load aims at, found before it starts: a
// consultation and valid answers to it, the workshops open for booking,
// and a signed-in staff client.
type loadTarget struct {
	base     string
	slug     string
	answers  []map[string]any // a few different valid responses
	events   []uint
	surveyID uint
	staff    *http.Client
}

// findTarget reads what it needs from the server's API and pages, so it
// works against any codesign, in-process or not.
func findTarget(base, slug string, mix loadMix, staff int, plain *http.Client, staffEmail, staffPassword string) (*loadTarget, error) {
	t := &loadTarget{base: base, slug: slug}
	var def surveys.Definition
	if err := getJSON(plain, base+"/api/v1/surveys/"+url.PathEscape(slug), &def); err != nil {
		return nil, fmt.Errorf("reading consultation %q: %w", slug, err)
	}
	sv := &surveys.Survey{}
	sv.Apply(def)
	for n := range 8 {
		a, err := makeAnswers(sv, n)
		if err != nil {
			return nil, fmt.Errorf("cannot make a valid response to %q: %w", slug, err)
		}
		t.answers = append(t.answers, a)
	}
	if mix["book"] > 0 || mix["cancel"] > 0 {
		var events []struct {
			ID uint `json:"id"`
		}
		if err := getJSON(plain, base+"/api/v1/workshops", &events); err != nil {
			return nil, fmt.Errorf("listing workshops: %w", err)
		}
		for _, e := range events {
			t.events = append(t.events, e.ID)
		}
		if len(t.events) == 0 {
			return nil, errors.New("no workshop is open for booking: leave book and cancel out of --mix")
		}
	}
	if staff > 0 {
		var err error
		if t.staff, err = staffLogin(plain.Transport, base, staffEmail, staffPassword); err != nil {
			return nil, err
		}
		if t.surveyID, err = staffSurveyID(t.staff, base, slug); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func getJSON(c *http.Client, u string, v any) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// makeAnswers makes the nth response: every question shown is answered,
// except contact details nobody is required to give. A condition may
// show a question once an earlier one is answered, hence the rounds.
func makeAnswers(sv *surveys.Survey, n int) (map[string]any, error) {
	a := surveys.Answers{}
	for range 3 {
		vis, _ := sv.Visible(a)
		for _, q := range sv.Questions() {
			if _, done := a[q.Key]; done || !vis.Questions[q.Key] || (q.Personal && !q.Required) {
				continue
			}
			if v := answerFor(q, n); v != nil {
				a[q.Key] = v
			}
		}
	}
	_, kept := sv.Visible(a)
	if _, err := sv.Clean(kept); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, q := range sv.Questions() {
		if v, ok := kept[q.Key]; ok {
			if q.Type == surveys.Checkbox {
				out[q.Key] = v
			} else {
				out[q.Key] = v[0]
			}
		}
	}
	return out, nil
}

var loadTexts = []string{
	"A GP who listened and a peer group on Saturdays.",
	"Waiting lists are too long; nobody called back for weeks.",
	"Support in the library or the community centre would help, somewhere I already go.",
	"Telling my story again and again to each new service wore me out.",
}

// answerFor is a valid answer to q, varied by n, or nil.
func answerFor(q *surveys.Question, n int) []string {
	var opts []string
	for _, o := range q.Options {
		if !o.Other {
			opts = append(opts, o.Value)
		}
	}
	switch q.Type {
	case surveys.Radio, surveys.Likert, surveys.Scale:
		if len(opts) > 0 {
			return []string{opts[n%len(opts)]}
		}
	case surveys.Checkbox:
		if len(opts) > 1 {
			return []string{opts[n%len(opts)], opts[(n+1)%len(opts)]}
		} else if len(opts) == 1 {
			return opts
		}
	case surveys.Text, surveys.Textarea:
		s := loadTexts[n%len(loadTexts)]
		if r := []rune(s); len(r) > q.Limit() {
			s = string(r[:q.Limit()])
		}
		return []string{s}
	case surveys.Number:
		v := 3.0
		if q.Min != nil {
			v = *q.Min
		} else if q.Max != nil && *q.Max < v {
			v = *q.Max
		}
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case surveys.Date:
		return []string{"2026-01-15"}
	case surveys.Email:
		return []string{fmt.Sprintf("load-%d@example.org", n)}
	case surveys.Phone:
		return []string{"020 7527 2000"}
	}
	return nil
}

var loginCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// staffLogin signs in through the real form, as a person would.
func staffLogin(tr http.RoundTripper, base, email, password string) (*http.Client, error) {
	if email == "" || password == "" {
		return nil, errors.New("staff requests need an account: set --staff-email and CODESIGN_LOADTEST_STAFF_PASSWORD, or set --staff 0")
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	m := loginCSRF.FindSubmatch(page)
	if m == nil {
		return nil, errors.New("the sign-in page has no CSRF field")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {password}})
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("staff sign-in as %s failed (status %d): check the email and password", email, resp.StatusCode)
	}
	return c, nil
}

// staffSurveyID finds the consultation's id on the staff list, where each
// row links to it by id and shows its address.
func staffSurveyID(c *http.Client, base, slug string) (uint, error) {
	resp, err := c.Get(base + "/staff/surveys")
	if err != nil {
		return 0, err
	}
	page, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	re := regexp.MustCompile(`href="/staff/surveys/(\d+)">[^<]*</a><br><span[^>]*>/consultations/` + regexp.QuoteMeta(html.EscapeString(slug)) + `<`)
	m := re.FindSubmatch(page)
	if m == nil {
		return 0, fmt.Errorf("consultation %q is not on the staff list (status %d)", slug, resp.StatusCode)
	}
	id, err := strconv.ParseUint(string(m[1]), 10, 32)
	return uint(id), err
}
