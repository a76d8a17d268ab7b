package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/panels"
)

// Facilitators read every panel page but the applicants' own words; every
// change, decision and download is for officers.
func TestPanelStaffPermissions(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("perms", true)
	m, _ := f.member(p, "Rosa Lee", "rosa@example.org", "bank_transfer")
	s := f.session(p, "Monthly meeting", time.Now().Add(-time.Hour), 60)
	ctx := context.Background()
	if err := f.ps.RecordAttendance(ctx, nil, s.ID, []panels.Attendance{{MemberID: m.ID, Minutes: 60}}); err != nil {
		t.Fatal(err)
	}
	pays, _ := f.ps.SessionPayments(ctx, s.ID)
	r := &panels.Review{PanelID: p.ID, Title: "Draft", Items: []panels.ReviewItem{{Text: "A finding"}}}
	if err := f.ps.CreateReview(ctx, nil, r); err != nil {
		t.Fatal(err)
	}
	apps, _ := f.ps.Applications(ctx, p.ID)
	base := panelURL(p)
	app, member, session, pay := base+"/applications/"+itoa(apps[0].ID), base+"/members/"+itoa(m.ID), base+"/sessions/"+itoa(s.ID), base+"/payments/"+itoa(pays[0].ID)

	if status, _, _ := f.do("GET", "/staff/panels", nil); status != 303 {
		t.Errorf("a resident is not sent to sign in: %d", status)
	}
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	for _, path := range []string{"/staff/panels", base, base + "/applications", app, base + "/representation", base + "/members", member,
		base + "/sessions", session, base + "/payments", base + "/totals"} {
		status, body, _ := f.do("GET", path, nil)
		if status != 200 {
			t.Errorf("facilitator GET %s: %d", path, status)
		}
		if strings.Contains(body, "<form method=\"post\" action=\""+base) {
			t.Errorf("facilitator is offered a change on %s", path)
		}
	}
	forbidden := []struct{ method, path string }{
		{"GET", "/staff/panels/new"}, {"POST", "/staff/panels"}, {"GET", base + "/edit"}, {"POST", base},
		{"POST", app + "/decision"}, {"POST", app + "/notes"}, {"POST", app + "/erase"}, {"POST", member}, {"POST", member + "/link"}, {"POST", member + "/erase"},
		{"GET", base + "/sessions/new"}, {"POST", base + "/sessions"}, {"POST", session + "/attendance"},
		{"POST", pay + "/approve"}, {"POST", pay + "/paid"}, {"GET", base + "/payments.csv"},
		{"GET", base + "/reviews/" + itoa(r.ID)}, {"POST", base + "/reviews/" + itoa(r.ID) + "/invite"},
	}
	for _, c := range forbidden {
		var form url.Values
		if c.method == "POST" {
			form = url.Values{"to": {"declined"}, "reason": {"x"}, "message": {"y"}}
		}
		if status, _, _ := f.do(c.method, c.path, form); status != 403 {
			t.Errorf("facilitator %s %s: %d, want 403", c.method, c.path, status)
		}
	}
	if got, _ := f.ps.Payment(ctx, pays[0].ID); got.Status != panels.Due {
		t.Errorf("a facilitator changed a payment: %s", got.Status)
	}
	// The lived-experience statement is for officers only.
	_, body, _ := f.do("GET", app, nil)
	if strings.Contains(body, "Why they want to join") || strings.Contains(body, "Caring for someone") {
		t.Error("a facilitator sees lived experience")
	}
	if status, _, _ := f.do("GET", "/staff/panels/999999", nil); status != 404 {
		t.Errorf("unknown panel: %d", status)
	}
}

func officerHarness(t *testing.T) *pnFixture {
	t.Helper()
	f := newPanelHarness(t)
	f.user("officer@example.org", accounts.Officer)
	f.login("officer@example.org")
	return f
}

func TestStaffCreatesAndEditsAPanel(t *testing.T) {
	f := officerHarness(t)
	status, body, _ := f.do("GET", "/staff/panels/new", nil)
	if status != 200 {
		t.Fatalf("form: %d", status)
	}
	panelBodyHas(t, body, "Diversity targets", "16 to 24", "Caring for someone with mental health problems")
	form := url.Values{"name": {"Young people's advisory group"}, "purpose": {"Shape support for young people."}, "members_do": {"Meet monthly."},
		"time_commitment": {"2 hours a month"}, "term_months": {"12"}, "rate_kind": {"session"}, "rate": {"£60.50"},
		"method_vouchers": {"yes"}, "expenses_covered": {"yes"}, "recruit_open": {"yes"}, "recruit_until": {"2099-03-31"},
		"target_size": {"10"}, "target__age_band__16-24": {"4"}, "target__locality__north": {"2"}}
	status, _, resp := f.do("POST", "/staff/panels", form)
	if status != 303 {
		t.Fatalf("create: %d", status)
	}
	p, err := f.ps.BySlug(context.Background(), "young-peoples-advisory-group")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Location") != panelURL(p) || p.RatePence != 6050 || p.RateKind != panels.PerSession || p.PaymentMethods != "vouchers" ||
		len(p.DiversityTargets()) != 2 || p.RecruitUntil.UTC().Format("2006-01-02 15:04") != "2099-03-31 23:00" {
		t.Fatalf("stored %+v targets %v until %v", p, p.DiversityTargets(), p.RecruitUntil)
	}
	_, body, _ = f.do("GET", panelURL(p)+"/edit", nil)
	panelBodyHas(t, body, `value="60.50"`, `value="2099-03-31"`, `name="target__age_band__16-24" type="text" inputmode="numeric" value="4"`)
	_, body, _ = f.do("GET", "/panels/"+p.Slug, nil)
	panelBodyHas(t, body, "£60.50 a session", "Apply by", "Tuesday 31 March 2099")

	bad := []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"rate not a number", map[string]string{"rate": "lots"}, "Enter the rate in pounds"},
		{"negative rate", map[string]string{"rate": "-5"}, "Enter the rate in pounds"},
		{"absurd rate", map[string]string{"rate": "2500"}, "Rate must be between £0 and £500"},
		{"term of no months", map[string]string{"term_months": "0"}, "Term length must be between 1 and 60 months"},
		{"target not a number", map[string]string{"target__ethnicity__asian": "some"}, "Enter each target as a whole number"},
		{"closes before it opens", map[string]string{"recruit_from": "2099-05-01"}, "Recruitment must close after it opens"},
		{"bad date", map[string]string{"recruit_until": "next spring"}, "Enter the last day for applications"},
		{"no name", map[string]string{"name": "", "slug": "x-1"}, "Enter a name"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			v := url.Values{}
			for k, vals := range form {
				v[k] = vals
			}
			v.Set("slug", "another-"+strings.ReplaceAll(c.name, " ", "-"))
			for k, val := range c.changes {
				v.Set(k, val)
			}
			status, body, _ := f.do("POST", "/staff/panels", v)
			if status != 422 {
				t.Fatalf("status %d", status)
			}
			panelBodyHas(t, body, c.want, "There is a problem")
		})
	}
	form.Set("name", "Renamed group")
	if status, _, _ := f.do("POST", panelURL(p), form); status != 303 {
		t.Fatalf("update: %d", status)
	}
	if got, _ := f.ps.Get(context.Background(), p.ID); got.Name != "Renamed group" {
		t.Errorf("name %q", got.Name)
	}
}

func TestStaffDecidesApplications(t *testing.T) {
	f := officerHarness(t)
	p := f.panel("decisions", true)
	other := f.panel("other", true)
	for _, e := range []string{"ann@example.org", "bob@example.org"} {
		if status, _, _ := f.apply(p, goodApplication(e)); status != 303 {
			t.Fatalf("apply %s: %d", e, status)
		}
	}
	f.login("officer@example.org")
	apps, _ := f.ps.Applications(context.Background(), p.ID)
	ann, bob := panelURL(p)+"/applications/"+itoa(apps[0].ID), panelURL(p)+"/applications/"+itoa(apps[1].ID)

	_, body, _ := f.do("GET", panelURL(p)+"/applications?status=received&q=example", nil)
	panelBodyHas(t, body, "2 applications of 2", "Caring for someone with mental health problems")
	_, body, _ = f.do("GET", panelURL(p)+"/applications?status=accepted", nil)
	panelBodyHas(t, body, "No applications match")

	status, body, _ := f.do("GET", ann, nil)
	if status != 200 {
		t.Fatalf("application: %d", status)
	}
	panelBodyHas(t, body, "I waited a long time for help", "16 to 24", "recorded in the audit log", "Black, Black British")
	events, _ := audit.NewStore(f.db).Recent(context.Background(), 5)
	if len(events) == 0 || events[0].Action != "panel_application.view_statement" {
		t.Errorf("viewing was not audited: %+v", events)
	}
	if status, _, _ := f.do("GET", panelURL(other)+"/applications/"+itoa(apps[0].ID), nil); status != 404 {
		t.Errorf("an application through another panel: %d", status)
	}

	status, body, _ = f.do("POST", ann+"/decision", url.Values{"to": {"declined"}})
	if status != 422 {
		t.Fatalf("decline with no reason: %d", status)
	}
	panelBodyHas(t, body, "Enter the reason for declining", "Write a kind message", `href="#reason"`, `value="declined" checked`)
	kind := "Thank you so much for applying. We had many applications and cannot offer you a place this time."
	if status, _, _ = f.do("POST", ann+"/decision", url.Values{"to": {"declined"}, "reason": {"Lives outside the borough"}, "message": {kind}}); status != 303 {
		t.Fatalf("decline: %d", status)
	}
	sent := f.outbox("panel_decision", "ann@example.org")
	if len(sent) != 1 || !strings.Contains(sent[0].Body, kind) || strings.Contains(sent[0].Body, "outside the borough") {
		t.Errorf("decline message: %+v", sent)
	}
	if status, body, _ = f.do("POST", ann+"/decision", url.Values{"to": {"accepted"}}); status != 422 || !strings.Contains(body, "Select a decision") {
		t.Errorf("deciding a declined application again: %d", status)
	}

	if status, _, _ = f.do("POST", bob+"/decision", url.Values{"to": {"shortlisted"}}); status != 303 {
		t.Fatalf("shortlist: %d", status)
	}
	if status, _, _ = f.do("POST", bob+"/decision", url.Values{"to": {"accepted"}, "term_start": {"2030-01-31"}}); status != 303 {
		t.Fatalf("accept: %d", status)
	}
	members, _ := f.ps.Members(context.Background(), p.ID)
	if len(members) != 1 || members[0].Email != "bob@example.org" || f.dayOf(members[0].TermStart) != "2030-01-31" {
		t.Fatalf("members %+v", members)
	}
	if sent := f.outbox("panel_decision", "bob@example.org"); len(sent) != 1 || !strings.Contains(sent[0].Body, "/panel-member/") {
		t.Errorf("acceptance message %+v", sent)
	}

	// Notes are for staff only.
	if status, body, _ = f.do("POST", bob+"/notes", url.Values{"note": {"  "}}); status != 422 || !strings.Contains(body, "Enter a note") {
		t.Errorf("empty note: %d", status)
	}
	if status, _, _ = f.do("POST", bob+"/notes", url.Values{"note": {"Called: <b>prefers</b> evenings"}}); status != 303 {
		t.Fatalf("note: %d", status)
	}
	_, body, _ = f.do("GET", bob, nil)
	panelBodyHas(t, body, "Called: &lt;b&gt;prefers&lt;/b&gt; evenings", "officer")
	if strings.Contains(body, "Erase this application") {
		t.Error("a member's application offers erasure")
	}

	// Once recruitment is over, those who did not join are erased.
	if status, _, _ = f.do("POST", bob+"/erase", url.Values{}); status != 409 {
		t.Errorf("erasing a member's application: %d", status)
	}
	if status, _, _ = f.do("POST", ann+"/erase", url.Values{}); status != 303 {
		t.Fatalf("erase: %d", status)
	}
	_, body, _ = f.do("GET", panelURL(p)+"/applications", nil)
	if n := strings.Count(body, ">Sam Green</a>"); n != 1 { // both applied as Sam Green
		t.Error("the erased application is still listed")
	}
	if got, _ := f.ps.Application(context.Background(), apps[0].ID); got.Email == "ann@example.org" || got.Statement != "" || got.ErasedAt == nil {
		t.Errorf("after erasure %+v", got)
	}
}

func (f *pnFixture) dayOf(t time.Time) string {
	london, _ := time.LoadLocation("Europe/London")
	return t.In(london).Format("2006-01-02")
}

func TestRepresentativenessHidesSmallCounts(t *testing.T) {
	f := officerHarness(t)
	p := f.panel("counts", true)
	for i, e := range []string{"a@example.org", "b@example.org"} {
		v := goodApplication(e)
		v.Set("name", "Applicant "+string(rune('A'+i)))
		if status, _, _ := f.apply(p, v); status != 303 {
			t.Fatalf("apply: %d", status)
		}
	}
	f.login("officer@example.org")
	_, body, _ := f.do("GET", panelURL(p)+"/representation", nil)
	panelBodyHas(t, body, "Age: 16 to 24", "Lived experience: Caring for someone", "fewer than 5", "at least 2")
	if strings.Contains(body, `<td class="cs-num">2</td>`) {
		t.Error("a count under 5 is shown")
	}
	status, out, _ := f.api("GET", "/api/v1/panels/"+itoa(p.ID)+"/representation", "")
	if status != 401 {
		t.Errorf("api without a token: %d %v", status, out)
	}
	tok, err := f.accounts.CreateToken(context.Background(), "officer@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	status, _, raw := f.api("GET", "/api/v1/panels/"+itoa(p.ID)+"/representation", "", "Authorization", "Bearer "+tok)
	if status != 200 || !strings.Contains(raw, `"applicants":"fewer than 5"`) {
		t.Errorf("api: %d %s", status, raw)
	}
}

func TestStaffMemberPage(t *testing.T) {
	f := officerHarness(t)
	p := f.panel("member-page", true)
	m, token := f.member(p, "Rosa Lee", "rosa@example.org", "not_paid")
	s := f.session(p, "Reading group", time.Now().Add(-24*time.Hour), 90)
	if err := f.ps.RecordAttendance(context.Background(), nil, s.ID, []panels.Attendance{{MemberID: m.ID, Minutes: 90, ExpensesPence: 350, ReceiptNote: "Tube"}}); err != nil {
		t.Fatal(err)
	}
	page := panelURL(p) + "/members/" + itoa(m.ID)
	_, body, _ := f.do("GET", page, nil)
	panelBodyHas(t, body, "Rosa Lee", "Active", "rosa@example.org", "Large print", "I prefer not to be paid", "Reading group", "1h 30m",
		"£0.00", "£3.50", "Tax year")
	status, body, _ := f.do("POST", page, url.Values{"status": {"paused"}, "term_start": {"2027-01-01"}, "term_end": {"2026-01-01"},
		"preferred_contact": {"text"}, "payment_preference": {"vouchers"}})
	if status != 422 || !strings.Contains(body, "The term must end after it starts") {
		t.Fatalf("bad term: %d", status)
	}
	status, _, _ = f.do("POST", page, url.Values{"status": {"paused"}, "term_start": {"2027-01-01"}, "term_end": {"2028-01-01"},
		"preferred_contact": {"text"}, "payment_preference": {"vouchers"}, "access_needs": {"Quiet room"}})
	if status != 303 {
		t.Fatalf("update: %d", status)
	}
	got, _ := f.ps.Member(context.Background(), m.ID)
	if got.Status != panels.Paused || got.PreferredContact != "text" || got.AccessNeeds != "Quiet room" {
		t.Errorf("member %+v", got)
	}
	status, body, _ = f.do("POST", page+"/link", url.Values{})
	if status != 200 || !strings.Contains(body, "http://example.test/panel-member/") {
		t.Fatalf("new link: %d", status)
	}
	if status, _, _ = f.do("GET", "/panel-member/"+token, nil); status != 404 {
		t.Errorf("the old link still works: %d", status)
	}
	if status, _, _ = f.do("POST", page+"/erase", url.Values{}); status != 303 {
		t.Fatalf("erase: %d", status)
	}
	_, body, _ = f.do("GET", panelURL(p)+"/members", nil)
	if strings.Contains(body, "Rosa") || !strings.Contains(body, "Former member") {
		t.Error("the member's name is still shown after erasure")
	}
}
