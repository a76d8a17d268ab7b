package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"codesign/messages"
	"codesign/panels"
)

// pnFixture gives HTTP tests direct access to the panels store and the
// outbox over the harness's database, to set up panels and check results.
type pnFixture struct {
	*harness
	ps   *panels.Store
	msgs *messages.Store
}

func newPanelHarness(t *testing.T) *pnFixture {
	t.Helper()
	h := newHarness(t)
	msgs := messages.NewStore(h.db)
	return &pnFixture{harness: h, msgs: msgs, ps: panels.NewStore(h.db, msgs, panels.Options{BaseURL: "http://example.test"})}
}

// panel creates a panel paying £20 an hour by bank transfer or vouchers,
// recruiting for the next month when open.
func (f *pnFixture) panel(slug string, open bool) *panels.Panel {
	f.t.Helper()
	until := time.Now().AddDate(0, 1, 0)
	p := &panels.Panel{Slug: slug, Name: "Panel " + slug, Purpose: "Shape early help in Islington.\n\nWe meet at Finsbury Library.",
		MembersDo: "Read drafts and come to monthly meetings.", TimeCommitment: "One 2-hour meeting a month", TermMonths: 12,
		RateKind: panels.Hourly, RatePence: 2000, PaymentMethods: "bank_transfer,vouchers", ExpensesCovered: true,
		Support: "A named contact and a debrief after every session.", RecruitOpen: open, RecruitUntil: &until, TargetSize: 12}
	p.SetTargets([]panels.Target{{Dimension: "age_band", Value: "16-24", Min: 2}, {Dimension: "lived_experience", Value: "carer", Min: 3}})
	if err := f.ps.Create(context.Background(), nil, p); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// goodApplication is a complete, valid application form.
func goodApplication(email string) url.Values {
	return url.Values{"name": {"Sam Green"}, "email": {email}, "phone": {"07700 900123"},
		"lived_experience": {"own_mental_health", "carer"}, "statement": {"I waited a long time for help and want it to be quicker."},
		"availability": {"Weekday evenings"}, "access_needs": {"Step-free access"}, "payment_preference": {"bank_transfer"},
		"age_band": {"16-24"}, "ethnicity": {"black"}, "locality": {"north"}, "consent_store": {"yes"}}
}

var panelIdemRe = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// apply opens the form (for the CSRF token and the form's key) and sends
// values.
func (f *pnFixture) apply(p *panels.Panel, values url.Values) (int, string, string) {
	f.t.Helper()
	_, page, _ := f.do("GET", "/panels/"+p.Slug+"/apply", nil)
	if f.csrf == "" {
		f.do("GET", "/login", nil)
	}
	if values.Get("idempotency_key") == "" {
		if m := panelIdemRe.FindStringSubmatch(page); m != nil {
			values.Set("idempotency_key", m[1])
		}
	}
	status, body, resp := f.do("POST", "/panels/"+p.Slug+"/apply", values)
	return status, body, resp.Header.Get("Location")
}

// member applies and accepts someone through the store.
func (f *pnFixture) member(p *panels.Panel, name, email, pay string) (*panels.Member, string) {
	f.t.Helper()
	in := panels.Apply{Name: name, Email: email, LivedExperience: []string{"carer"}, PaymentPreference: pay,
		AgeBand: "25-34", Ethnicity: "white", Locality: "south", ConsentStore: true, AccessNeeds: "Large print"}
	a, err := f.ps.Apply(context.Background(), p.ID, in)
	if err != nil {
		f.t.Fatal(err)
	}
	d, err := f.ps.Decide(context.Background(), nil, a.ID, panels.Decision{To: panels.Accepted})
	if err != nil {
		f.t.Fatal(err)
	}
	return d.Member, d.Token
}

func (f *pnFixture) session(p *panels.Panel, title string, at time.Time, minutes int) *panels.Session {
	f.t.Helper()
	s := &panels.Session{PanelID: p.ID, Title: title, Activity: "workshop", StartsAt: at, Minutes: minutes}
	if err := f.ps.CreateSession(context.Background(), nil, s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// outbox returns the messages of kind sent to to.
func (f *pnFixture) outbox(kind, to string) []messages.Message {
	f.t.Helper()
	all, err := f.msgs.List(context.Background(), messages.Filter{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []messages.Message
	for _, m := range all {
		if m.Kind == kind && m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// api sends a JSON request and decodes an object answer.
func (f *pnFixture) api(method, path, body string, headers ...string) (int, map[string]any, string) {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	status, raw, _ := f.send(req)
	var out map[string]any
	_ = json.Unmarshal([]byte(raw), &out)
	return status, out, raw
}

// panelBodyHas fails the test for each of want that body lacks.
func panelBodyHas(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}

func panelURL(p *panels.Panel) string { return "/staff/panels/" + itoa(p.ID) }
