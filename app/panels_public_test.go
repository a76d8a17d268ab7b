package app_test

import (
	"context"
	"html/template"
	"net/url"
	"strings"
	"testing"
	"time"

	"codesign/panels"
)

func TestPanelListAndPage(t *testing.T) {
	f := newPanelHarness(t)
	open := f.panel("open-panel", true)
	closed := f.panel("closed-panel", false)
	status, body, _ := f.do("GET", "/panels", nil)
	if status != 200 {
		t.Fatalf("list: %d", status)
	}
	panelBodyHas(t, body, "Panel open-panel", `href="/panels/open-panel"`, "£20.00 an hour", "Samaritans")
	if strings.Contains(body, "Panel closed-panel") || strings.Contains(body, "No panel is recruiting") {
		t.Error("the list shows a closed panel or the empty state")
	}
	status, body, _ = f.do("GET", "/panels/"+open.Slug, nil)
	if status != 200 {
		t.Fatalf("panel page: %d", status)
	}
	panelBodyHas(t, body, "What the panel is for", "<p>We meet at Finsbury Library.</p>", "What members do", "One 2-hour meeting a month",
		"How you are paid", "£20.00 an hour", "Bank transfer or Vouchers", "travel and other expenses", panels.BenefitsNote,
		"How we support you", "A named contact", "How we use your information", `href="/panels/open-panel/apply"`)
	if strings.Index(body, "How we use your information") > strings.Index(body, "/apply") {
		t.Error("the privacy notice must come before the way to apply")
	}
	_, body, _ = f.do("GET", "/panels/"+closed.Slug, nil)
	panelBodyHas(t, body, "This panel is not taking applications at the moment")
	if strings.Contains(body, "/apply") {
		t.Error("a closed panel offers the form")
	}
	if status, _, _ := f.do("GET", "/panels/no-such-panel", nil); status != 404 {
		t.Errorf("unknown panel: %d", status)
	}
}

func TestResidentAppliesToAPanel(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("apply-here", true)
	status, form, _ := f.do("GET", "/panels/"+p.Slug+"/apply", nil)
	if status != 200 {
		t.Fatalf("form: %d", status)
	}
	panelBodyHas(t, form, "How we use your information", panels.BenefitsNote, "I prefer not to be paid", template.HTMLEscapeString(panels.ConsentStoreText),
		"Prefer not to say", `name="idempotency_key"`, "Exit this page")
	if strings.Index(form, "How we use your information") > strings.Index(form, `name="name"`) {
		t.Error("the privacy notice must come before the first question")
	}
	values := goodApplication("Sam@Example.org")
	values.Set("consent_analysis", "yes")
	status, _, loc := f.apply(p, values)
	if status != 303 || loc != "/panels/"+p.Slug+"/applied" {
		t.Fatalf("apply: %d to %q", status, loc)
	}
	_, body, _ := f.do("GET", loc, nil)
	panelBodyHas(t, body, "We have your application", "What happens next", p.Name)
	apps, _ := f.ps.Applications(context.Background(), p.ID)
	if len(apps) != 1 || apps[0].Email != "sam@example.org" || apps[0].LivedExperience != "own_mental_health,carer" || !apps[0].ConsentAnalysis {
		t.Fatalf("stored %+v", apps)
	}
	if apps[0].ConsentText != panels.ConsentStoreText+"\n"+panels.ConsentAnalysisText {
		t.Errorf("consent text %q", apps[0].ConsentText)
	}
	if got := f.outbox("panel_application", "sam@example.org"); len(got) != 1 {
		t.Errorf("%d acknowledgements", len(got))
	}
}

func TestApplicationBadInputKeepsWhatWasTyped(t *testing.T) {
	f := newPanelHarness(t)
	p := &panels.Panel{Slug: "vouchers-only", Name: "Vouchers panel", Purpose: "x", MembersDo: "y", TermMonths: 6, RateKind: panels.PerSession,
		RatePence: 5000, PaymentMethods: "vouchers", RecruitOpen: true}
	if err := f.ps.Create(context.Background(), nil, p); err != nil {
		t.Fatal(err)
	}
	with := func(changes map[string]string) url.Values {
		v := goodApplication("ann@example.org")
		v.Set("payment_preference", "vouchers")
		for k, val := range changes {
			if val == "" {
				v.Del(k)
			} else {
				v.Set(k, val)
			}
		}
		return v
	}
	cases := []struct {
		name    string
		form    url.Values
		want    []string
		notWant []string
	}{
		{"nothing", url.Values{}, []string{"There is a problem", `href="#name"`, `href="#email"`, `href="#lived_experience"`,
			`href="#payment_preference"`, `href="#age_band"`, `href="#ethnicity"`, `href="#locality"`, `href="#consent_store"`,
			"Tick the box to say we can keep your application"}, nil},
		{"bad email keeps typed values", with(map[string]string{"email": "ann-at-example", "name": "Ann Smith"}),
			[]string{"Enter your email address in the correct format", `value="ann-at-example"`, `value="Ann Smith"`,
				`value="carer" checked`, `value="black" checked`, "Weekday evenings"}, nil},
		{"a payment method the panel does not offer", with(map[string]string{"payment_preference": "bank_transfer"}),
			[]string{"Select how you would like to be paid"}, []string{`value="bank_transfer"`}},
		{"oversized statement", with(map[string]string{"statement": strings.Repeat("a", 3001)}), []string{"Tell us in 3,000 characters or fewer"}, nil},
		{"oversized access needs", with(map[string]string{"access_needs": strings.Repeat("a", 2001)}), []string{`href="#access_needs"`}, nil},
		{"an area not on the list", with(map[string]string{"lived_experience": "astrology"}), []string{"Select areas from the list"}, nil},
		{"script is escaped", with(map[string]string{"name": "<script>alert(1)</script>", "email": "x"}),
			[]string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert(1)"}},
		{"no consent", with(map[string]string{"consent_store": ""}), []string{"Tick the box to say we can keep your application"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := f.apply(p, c.form)
			if status != 422 {
				t.Fatalf("status %d", status)
			}
			panelBodyHas(t, body, c.want...)
			for _, w := range c.notWant {
				if strings.Contains(body, w) {
					t.Errorf("must not contain %q", w)
				}
			}
		})
	}
	if apps, _ := f.ps.Applications(context.Background(), p.ID); len(apps) != 0 {
		t.Fatalf("invalid applications stored: %d", len(apps))
	}
}

func TestDoubleSubmitMakesOneApplication(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("double", true)
	form := goodApplication("ann@example.org")
	form.Set("idempotency_key", "one-form-key-1234567890")
	s1, _, l1 := f.apply(p, form)
	s2, _, l2 := f.apply(p, form)
	apps, _ := f.ps.Applications(context.Background(), p.ID)
	if s1 != 303 || s2 != 303 || l1 != l2 || len(apps) != 1 {
		t.Fatalf("two sends: %d %q, %d %q, %d applications", s1, l1, s2, l2, len(apps))
	}
	if got := f.outbox("panel_application", "ann@example.org"); len(got) != 1 {
		t.Errorf("%d acknowledgements", len(got))
	}
}

func TestDuplicateApplicationIsRefusedWithAMessage(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("dupes", true)
	if status, _, _ := f.apply(p, goodApplication("ann@example.org")); status != 303 {
		t.Fatalf("first: %d", status)
	}
	status, body, _ := f.apply(p, goodApplication(" ANN@example.org"))
	if status != 422 {
		t.Fatalf("second: %d", status)
	}
	panelBodyHas(t, body, "We already have an application from this email address", "you do not need to apply again")
	if apps, _ := f.ps.Applications(context.Background(), p.ID); len(apps) != 1 {
		t.Errorf("%d applications, want 1", len(apps))
	}
}

func TestApplicationAfterRecruitmentCloses(t *testing.T) {
	f := newPanelHarness(t)
	closed := f.panel("closed", false)
	ended := f.panel("ended", true)
	past := time.Now().Add(-time.Hour)
	ended.RecruitUntil = &past
	if err := f.ps.Update(context.Background(), nil, ended); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*panels.Panel{closed, ended} {
		status, body, _ := f.do("GET", "/panels/"+p.Slug+"/apply", nil)
		if status != 200 || !strings.Contains(body, "is not taking applications at the moment") || strings.Contains(body, `name="email"`) {
			t.Errorf("%s form: %d", p.Slug, status)
		}
		status, body, _ = f.apply(p, goodApplication("late@example.org"))
		if status != 409 || !strings.Contains(body, "has not been sent and your details have not been kept") {
			t.Errorf("%s send: %d\n%.800s", p.Slug, status, body)
		}
		if apps, _ := f.ps.Applications(context.Background(), p.ID); len(apps) != 0 {
			t.Errorf("%s stored %d applications", p.Slug, len(apps))
		}
	}
}

func TestApplicationWithInvalidUTF8IsRefused(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("utf", true)
	v := goodApplication("ann@example.org")
	v.Set("statement", "\xff\xfe")
	status, body, _ := f.apply(p, v)
	if status != 400 || !strings.Contains(body, "not valid text") {
		t.Fatalf("status %d", status)
	}
}

func TestMemberPrivatePage(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("members-page", true)
	m, token := f.member(p, "Rosa Lee", "rosa@example.org", "bank_transfer")
	f.session(p, "Next monthly meeting", time.Now().Add(72*time.Hour), 120)
	past := f.session(p, "Reading group", time.Now().Add(-72*time.Hour), 90)
	if err := f.ps.RecordAttendance(context.Background(), nil, past.ID, []panels.Attendance{{MemberID: m.ID, Minutes: 90, ExpensesPence: 480, ReceiptNote: "Bus"}}); err != nil {
		t.Fatal(err)
	}
	status, body, resp := f.do("GET", "/panel-member/"+token, nil)
	if status != 200 {
		t.Fatalf("member page: %d", status)
	}
	panelBodyHas(t, body, "Hello Rosa Lee", "Next monthly meeting", "Reading group", "£30.00", "£4.80", "£34.80", "Waiting for approval", "Bank transfer")
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	// A made-up link and a mistyped real one look exactly alike.
	s1, b1, _ := f.do("GET", "/panel-member/"+token+"x", nil)
	s2, b2, _ := f.do("GET", "/panel-member/"+strings.Repeat("a", 43), nil)
	s3, _, _ := f.do("GET", "/panel-member/short", nil)
	s4, _, _ := f.do("POST", "/panel-member/"+strings.Repeat("a", 43)+"/leave", url.Values{})
	if s1 != 404 || s2 != 404 || s3 != 404 || s4 != 404 || b1 != b2 || strings.Contains(b1, "Rosa") {
		t.Fatalf("wrong links: %d %d %d %d, bodies differ %v", s1, s2, s3, s4, b1 != b2)
	}
	f.do("GET", "/panel-member/"+token, nil)
	if status, _, _ := f.do("POST", "/panel-member/"+token+"/leave", url.Values{}); status != 303 {
		t.Fatalf("leave: %d", status)
	}
	_, body, _ = f.do("GET", "/panel-member/"+token, nil)
	panelBodyHas(t, body, "You asked to leave the panel")
	if err := f.ps.EraseMember(context.Background(), nil, m.ID); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := f.do("GET", "/panel-member/"+token, nil); status != 404 {
		t.Errorf("an erased member's link: %d", status)
	}
}

func TestMemberReviewsDraftFindings(t *testing.T) {
	f := newPanelHarness(t)
	p := f.panel("reviewers", true)
	f.member(p, "Rosa Lee", "rosa@example.org", "vouchers")
	r := &panels.Review{PanelID: p.ID, Title: "Draft: you said, we did", Intro: "Two findings from the consultation.",
		Items: []panels.ReviewItem{{Ref: "finding:1", Text: "People wait too long for a first appointment."}, {Ref: "commitment:1", Text: "We will open drop-ins at libraries."}}}
	ctx := context.Background()
	if err := f.ps.CreateReview(ctx, nil, r); err != nil {
		t.Fatal(err)
	}
	links, err := f.ps.Invite(ctx, nil, r.ID)
	if err != nil || len(links) != 1 {
		t.Fatalf("invite: %v %v", links, err)
	}
	var token string
	for _, tok := range links {
		token = tok
	}
	page := "/panel-review/" + token
	status, body, _ := f.do("GET", page, nil)
	if status != 200 {
		t.Fatalf("review page: %d", status)
	}
	panelBodyHas(t, body, "Draft: you said, we did", "People wait too long", "We will open drop-ins at libraries", "Hello Rosa Lee")
	review, _ := f.ps.GetReview(ctx, r.ID)
	first, second := itoa(review.Items[0].ID), itoa(review.Items[1].ID)
	status, body, _ = f.do("POST", page, url.Values{"comment_" + first: {strings.Repeat("x", 5001)}, "comment_" + second: {"Keep this <b>typed</b>"}})
	if status != 422 {
		t.Fatalf("oversized comment: %d", status)
	}
	panelBodyHas(t, body, "5,000 characters or fewer", "Keep this &lt;b&gt;typed&lt;/b&gt;", `href="#comment_`+first+`"`)
	status, _, _ = f.do("POST", page, url.Values{"comment_" + first: {"Say \"weeks\", not \"a period\"."}, "approved_" + second: {"yes"}})
	if status != 303 {
		t.Fatalf("save: %d", status)
	}
	_, body, _ = f.do("GET", page, nil)
	panelBodyHas(t, body, "Your comments are saved", "Say &#34;weeks&#34;, not &#34;a period&#34;.", `id="approved_`+second+`" name="approved_`+second+`" value="yes" checked`)
	_, items, _ := f.ps.Feedback(ctx, r.ID)
	if len(items) != 2 || len(items[0].Comments) != 1 || items[1].Approved != 1 {
		t.Errorf("feedback %+v", items)
	}
	if status, _, _ := f.do("GET", "/panel-review/"+strings.Repeat("b", 43), nil); status != 404 {
		t.Errorf("wrong review link: %d", status)
	}
	// Once the review closes, the page shows what was sent and refuses changes.
	closed := time.Now().Add(-time.Minute)
	if err := f.db.Model(&panels.Review{}).Where("id = ?", r.ID).Update("closes_at", closed).Error; err != nil {
		t.Fatal(err)
	}
	status, body, _ = f.do("POST", page, url.Values{"comment_" + first: {"Late"}})
	if status != 409 || !strings.Contains(body, "This review has closed") || strings.Contains(body, `<textarea`) {
		t.Errorf("closed review: %d", status)
	}
}
