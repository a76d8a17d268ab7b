package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/messages"
)

func TestReportStaffPagesNeedStaff(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "resident is sent to sign in", method: "GET", url: "/staff/reports", wantStatus: 303},
		{name: "facilitator sees the list", as: accounts.Facilitator, method: "GET", url: "/staff/reports", wantStatus: 200,
			want: []string{"Results: you said, we did", "Shaping early help"}},
		{name: "facilitator cannot start results", as: accounts.Facilitator, method: "POST", url: "/staff/reports", form: url.Values{"survey": {"1"}}, wantStatus: 403},
		{name: "unknown report", as: accounts.Facilitator, method: "GET", url: "/staff/reports/999999", wantStatus: 404},
		{name: "unknown survey", as: accounts.Officer, method: "POST", url: "/staff/reports", form: url.Values{"survey": {"999999"}}, wantStatus: 404},
	})
}

func TestOfficerBuildsFindingsAndPublishes(t *testing.T) {
	f := newReportsHarness(t)
	base := f.base()
	for path, want := range map[string][]string{
		base:                                {"Findings", "Waiting times", "8", "By Locality", "fewer than 5"},
		base + "?unconfirmed=1":             {"counting unconfirmed suggestions"},
		base + "/quotes":                    {"Passages to choose from"},
		base + "/commitments":               {"No commitments yet", "Add a commitment"},
		base + "/commitments/new":           {"Themes and codes it answers", "Waiting times"},
		base + "/publish":                   {"Revision 1", "never published", "Publish the results"},
		base + "/versions":                  {"Nothing has been published yet"},
		"/staff/reports":                    {"Test results consultation", "Draft"},
		base + "/findings.csv":              {"table,theme,code", "themes,barriers,waiting_times"},
		base + "/quotes?code=waiting_times": {"Quote this", "Cannot be quoted", "flagged for safeguarding", "[name removed]"},
	} {
		status, body, _ := f.do("GET", path, nil)
		if status != 200 {
			t.Errorf("GET %s: %d\n%.1500s", path, status, body)
			continue
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", path, w)
			}
		}
		if strings.Contains(body, "Patel") {
			t.Errorf("GET %s shows a name a quote would leave out", path)
		}
	}

	// A quote from a passage flagged for safeguarding is refused.
	status, body, _ := f.do("POST", base+"/quotes", url.Values{"passage": {idStr(f.answers["r7"])}, "code": {"waiting_times"}})
	if status != 409 || !strings.Contains(body, "flagged for safeguarding") {
		t.Errorf("quoting a flagged passage: %d\n%.1500s", status, body)
	}
	if status, _, _ := f.do("POST", base+"/quotes", url.Values{"passage": {idStr(f.answers["r0"])}, "code": {"waiting_times"}}); status != 303 {
		t.Fatalf("quoting: %d", status)
	}
	if _, body, _ := f.do("GET", base+"/quotes", nil); !strings.Contains(body, "Quotes in the draft") || !strings.Contains(body, "I waited 2 months on the waiting list.") {
		t.Errorf("the quote is not in the draft, redacted:\n%.3000s", body)
	}

	// A commitment without an owner, or due in the past, is refused.
	status, body, _ = f.do("POST", base+"/commitments", url.Values{"you_said": {"Too long"}, "we_did": {"Fund more"}, "codes": {"waiting_times"},
		"status": {"planned"}, "due": {"2020-01-01"}})
	for _, w := range []string{"Enter the organisation that owns this", "Enter the team that owns this", "The due date must be today or in the future", `Too long</textarea>`} {
		if !strings.Contains(body, w) {
			t.Errorf("commitment errors lack %q", w)
		}
	}
	if status != 422 {
		t.Errorf("bad commitment: %d", status)
	}
	f.addCommitment("Islington Council")
	status, body = f.publish("")
	if status != 303 {
		t.Fatalf("publish: %d\n%.2000s", status, body)
	}
	if msgs, _ := messages.NewStore(f.db).List(context.Background(), messages.Filter{Ref: "report:" + idStr(f.report.ID)}); len(msgs) != 1 || msgs[0].To != "hear@example.org" {
		t.Errorf("hear-back messages: %+v", msgs)
	}
	_, body, _ = f.do("GET", base+"/versions", nil)
	for _, w := range []string{"Version 1", "officer", "First version", "Create the one-year check-in survey"} {
		if !strings.Contains(body, w) {
			t.Errorf("versions lack %q", w)
		}
	}
	if status, body, _ := f.do("GET", base+"/versions/1", nil); status != 200 || !strings.Contains(body, "You are reading version 1") {
		t.Errorf("old version: %d", status)
	}
	status, _, resp := f.do("POST", base+"/checkin", url.Values{})
	if status != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/staff/surveys/") {
		t.Errorf("check-in: %d %s", status, resp.Header.Get("Location"))
	}
	if status, _, _ := f.do("POST", base+"/checkin", url.Values{}); status != 409 {
		t.Errorf("second check-in: %d", status)
	}
}

func TestPublishingWithNoFindingsIsRefused(t *testing.T) {
	f := newReportsHarness(t)
	// The demo's closed consultation has answers but no confirmed codes.
	f.do("GET", "/staff/reports", nil)
	status, _, resp := f.do("POST", "/staff/reports", url.Values{"survey": {idStr(f.surveyID(t, "crisis-support-at-night"))}})
	if status != 303 {
		t.Fatalf("start: %d", status)
	}
	loc := resp.Header.Get("Location")
	_, body, _ := f.do("GET", loc+"/publish", nil)
	rev := revisionRe.FindStringSubmatch(body)
	status, body, _ = f.do("POST", loc+"/publish", url.Values{"revision": {rev[1]}})
	if status != 409 || !strings.Contains(body, "There are no findings to publish yet") {
		t.Errorf("publishing with no findings: %d\n%.1500s", status, body)
	}
}

// A publish racing an edit: the form carries the revision the officer
// checked; an edit in between makes the publish a 409 showing the new
// revision, and nothing unseen is published.
func TestPublishRacingAnEditIsRefused(t *testing.T) {
	f := newReportsHarness(t)
	checked := f.revision()
	f.addCommitment("Islington Mind")
	status, body, _ := f.do("POST", f.base()+"/publish", url.Values{"revision": {checked}})
	if status != 409 || !strings.Contains(body, "The draft changed after you checked it") {
		t.Fatalf("stale publish: %d\n%.1500s", status, body)
	}
	if got := revisionRe.FindStringSubmatch(body); got == nil || got[1] == checked {
		t.Errorf("the page must offer the new revision, got %v", got)
	}
	if status, _, _ := f.do("GET", "/results/"+rpSlug, nil); status != 404 {
		t.Errorf("something was published: %d", status)
	}
	if status, body := f.publish(""); status != 303 {
		t.Fatalf("publishing the checked revision: %d\n%.1500s", status, body)
	}
	_, body, _ = f.do("GET", "/results/"+rpSlug, nil)
	if !strings.Contains(body, "Islington Mind") {
		t.Error("the published version lacks the commitment the officer checked")
	}
	// Publishing the same again publishes nothing; a correction needs a note.
	if status, body := f.publish(""); status != 409 || !strings.Contains(body, "Nothing has changed") {
		t.Errorf("publishing the same again: %d", status)
	}
	f.addCommitment("Whittington Health")
	if status, body := f.publish(""); status != 422 || !strings.Contains(body, "Say what this correction changes") {
		t.Errorf("correction without a note: %d", status)
	}
	if status, body := f.publish("Added the Whittington's commitment."); status != 303 {
		t.Errorf("correction: %d\n%.1000s", status, body)
	}
}

func TestCommitmentUpdatesAndPartnerLinks(t *testing.T) {
	f := newReportsHarness(t)
	f.addCommitment("Islington Mind")
	cs, _ := f.rs.Commitments(context.Background(), f.report.ID)
	page := f.base() + "/commitments/" + idStr(cs[0].ID)
	if status, body, _ := f.do("GET", page, nil); status != 200 || !strings.Contains(body, "Commitment made.") {
		t.Fatalf("commitment page: %d", status)
	}
	status, body, _ := f.do("POST", page+"/progress", url.Values{"status": {"not_possible"}})
	if status != 422 || !strings.Contains(body, "Say why this is not possible") {
		t.Errorf("not possible without a reason: %d", status)
	}
	if status, _, _ := f.do("POST", page+"/progress", url.Values{"status": {"in_progress"}, "note": {"Recruiting."}}); status != 303 {
		t.Errorf("update: %d", status)
	}
	status, body, _ = f.do("POST", page, url.Values{"you_said": {"Waiting lists are too long."}, "codes": {"waiting_times"},
		"we_did": {"Three therapists."}, "owner_org": {""}, "owner_team": {"Team"}, "due": {"2020-01-01"}})
	if status != 422 || !strings.Contains(body, "Enter the organisation that owns this") || !strings.Contains(body, "must be today or in the future") {
		t.Errorf("bad edit: %d", status)
	}
	status, body, _ = f.do("POST", page+"/link", url.Values{})
	m := linkRe.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("partner link: %d\n%.2000s", status, body)
	}
	token := m[1]
	f.cookies = map[string]string{} // the partner has no account
	f.do("GET", "/", nil)
	if status, body, _ := f.do("GET", "/commitment-updates/"+token, nil); status != 200 || !strings.Contains(body, "Three") && !strings.Contains(body, "two more therapists") {
		t.Errorf("partner page: %d", status)
	}
	for _, bad := range []string{token + "x", token[:len(token)-2], "nothing"} {
		if status, _, _ := f.do("GET", "/commitment-updates/"+bad, nil); status != 404 {
			t.Errorf("tampered link %q: %d", bad, status)
		}
		if status, _, _ := f.do("POST", "/commitment-updates/"+bad, url.Values{"status": {"done"}, "note": {"x"}}); status != 404 {
			t.Errorf("tampered update %q: %d", bad, status)
		}
	}
	if status, body, _ := f.do("POST", "/commitment-updates/"+token, url.Values{"status": {"done"}}); status != 422 || !strings.Contains(body, "Say what has happened") {
		t.Errorf("partner update without words: %d", status)
	}
	if status, _, _ := f.do("POST", "/commitment-updates/"+token, url.Values{"status": {"done"}, "note": {"Two therapists started in May."}}); status != 303 {
		t.Errorf("partner update: %d", status)
	}
	got, _ := f.rs.Commitment(context.Background(), f.report.ID, cs[0].ID)
	if got.Status != "done" || !got.Updates[len(got.Updates)-1].ByPartner {
		t.Errorf("partner update not stored: %+v", got)
	}
}

// The draft goes to an experts-by-experience panel before publishing; the
// version published records whether the panel saw exactly that draft.
func TestDraftSentToThePanel(t *testing.T) {
	f := newReportsHarness(t)
	f.addCommitment("Islington Council")
	ps, err := f.panelsList()
	if err != nil || len(ps) == 0 {
		t.Fatalf("demo panels: %v", err)
	}
	if status, body, _ := f.do("POST", f.base()+"/review", url.Values{"panel": {""}}); status != 422 || !strings.Contains(body, "Select the panel") {
		t.Errorf("no panel chosen: %d", status)
	}
	status, _, resp := f.do("POST", f.base()+"/review", url.Values{"panel": {idStr(ps[0])}})
	if status != 303 || !strings.Contains(resp.Header.Get("Location"), "/reviews/") {
		t.Fatalf("send for review: %d %s", status, resp.Header.Get("Location"))
	}
	if status, body, _ := f.do("GET", resp.Header.Get("Location"), nil); status != 200 || !strings.Contains(body, "Waiting lists are too long.") {
		t.Errorf("the panel's review page: %d", status)
	}
	if _, body, _ := f.do("GET", f.base()+"/publish", nil); !strings.Contains(body, "which is the draft as it is now") {
		t.Error("the publish page does not say the panel saw this draft")
	}
	if status, body := f.publish(""); status != 303 {
		t.Fatalf("publish: %d\n%.1000s", status, body)
	}
	if _, body, _ := f.do("GET", f.base()+"/versions", nil); !strings.Contains(body, "Reviewed this draft") {
		t.Error("the version does not record the panel's review")
	}
	f.addCommitment("Islington Mind")
	if _, body, _ := f.do("GET", f.base()+"/publish", nil); !strings.Contains(body, "the draft has changed since") {
		t.Error("the publish page does not say the draft changed after the review")
	}
}

// A facilitator reads the findings, quotes and commitments but changes
// nothing: the forms are not offered and the actions are refused.
func TestFacilitatorReadsResultsOnly(t *testing.T) {
	f := newReportsHarness(t)
	f.addCommitment("Islington Council")
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	for _, path := range []string{"", "/quotes?code=waiting_times", "/commitments", "/publish", "/versions"} {
		status, body, _ := f.do("GET", f.base()+path, nil)
		if status != 200 || strings.Contains(body, "Quote this") || strings.Contains(body, "Publish the results") || strings.Contains(body, "Save details") {
			t.Errorf("GET %s as a facilitator: %d, with forms", path, status)
		}
	}
	for _, path := range []string{"/publish", "/quotes", "/commitments", "/review", "/checkin", ""} {
		if status, _, _ := f.do("POST", f.base()+path, url.Values{"revision": {"1"}}); status != 403 {
			t.Errorf("POST %s as a facilitator: %d", path, status)
		}
	}
}
