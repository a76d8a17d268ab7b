package app_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestResultsAreNotFoundBeforePublishing(t *testing.T) {
	f := newReportsHarness(t)
	for _, path := range []string{"/results/" + rpSlug, "/results/" + rpSlug + "/data.csv", "/results/" + rpSlug + "/data.json",
		"/api/v1/surveys/" + rpSlug + "/results", "/results/no-such-thing", "/api/v1/surveys/no-such-thing/results"} {
		if status, _, _ := f.do("GET", path, nil); status != 404 {
			t.Errorf("GET %s before publishing: %d", path, status)
		}
	}
}

// published makes a harness with the test consultation published: a
// quote and two commitments, one of them under way.
func published(t *testing.T) *rpFixture {
	t.Helper()
	f := newReportsHarness(t)
	if status, _, _ := f.do("POST", f.base()+"/quotes", url.Values{"passage": {idStr(f.answers["r1"])}, "code": {"waiting_times"}}); status != 303 {
		t.Fatalf("quote: %d", status)
	}
	f.addCommitment("Islington Council")
	f.addCommitment("Test Partner Trust")
	if status, body := f.publish(""); status != 303 {
		t.Fatalf("publish: %d\n%.1500s", status, body)
	}
	return f
}

func TestPublicResultsPage(t *testing.T) {
	f := published(t)
	f.cookies = map[string]string{}
	status, body, _ := f.do("GET", "/results/"+rpSlug, nil)
	if status != 200 {
		t.Fatalf("results page: %d", status)
	}
	for _, w := range []string{"What we heard: Test results consultation", "What we asked", "What gets in the way of getting support?",
		"<strong>8</strong> people answered the consultation", "Online", "fewer than 5", `aria-hidden="true"`, "Waiting times", "I waited 3 months on the waiting list.",
		"You said: Waiting lists are too long.", "Test Partner Trust", "Planned", "Based on what 8 people said", "/results/" + rpSlug + "/data.csv",
		"By Locality"} {
		if !strings.Contains(body, w) {
			t.Errorf("results page lacks %q", w)
		}
	}
	for _, w := range []string{"Patel", "hear@example.org", "Your email address"} {
		if strings.Contains(body, w) {
			t.Errorf("results page shows %q", w)
		}
	}
	_, body, _ = f.do("GET", "/results", nil)
	for _, w := range []string{"What we heard: Test results consultation", "Track every commitment", "2 commitments."} {
		if !strings.Contains(body, w) {
			t.Errorf("results list lacks %q", w)
		}
	}
	// The demo's results are published too, so the tracker is checked by
	// what it shows of this consultation's two commitments.
	for _, tc := range []struct {
		query, want string
		ours        bool
	}{
		{"owner=Test+Partner+Trust", "1 of ", true},
		{"status=done", " of ", false},
		{"theme=barriers", " of ", true},
		{"theme=quality_of_life", " of ", false},
		{"status=%3Cscript%3E", "0 of ", false},
	} {
		_, body, _ := f.do("GET", "/results?"+tc.query, nil)
		if !strings.Contains(body, tc.want) || strings.Contains(body, "Waiting lists are too long.") != tc.ours {
			t.Errorf("tracker %s: want %q, ours shown %v", tc.query, tc.want, tc.ours)
		}
	}
	if _, body, _ := f.do("GET", "/results?owner=Test+Partner+Trust", nil); strings.Count(body, "Waiting lists are too long.") != 1 {
		t.Error("the owner filter shows another owner's commitment")
	}
}

func TestResultsAPIContract(t *testing.T) {
	f := published(t)
	f.cookies = map[string]string{}
	status, body, resp := f.do("GET", "/api/v1/surveys/"+rpSlug+"/results", nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("API: %d %s", status, resp.Header.Get("Content-Type"))
	}
	var got struct {
		Survey       string  `json:"survey"`
		PublishedAt  *string `json:"published_at"`
		Participants struct {
			Total     *int `json:"total"`
			ByChannel map[string]struct {
				Count      *int `json:"count"`
				Suppressed bool `json:"suppressed"`
			} `json:"by_channel"`
		} `json:"participants"`
		Themes []struct {
			Key, Label  string
			Respondents *int     `json:"respondents"`
			Share       *float64 `json:"share"`
			Suppressed  bool     `json:"suppressed"`
			Codes       []struct {
				Key         string `json:"key"`
				Respondents *int   `json:"respondents"`
				Suppressed  bool   `json:"suppressed"`
			} `json:"codes"`
		} `json:"themes"`
		Breakdowns  map[string]json.RawMessage     `json:"breakdowns"`
		Quotes      []struct{ Text, Theme string } `json:"quotes"`
		Commitments []struct {
			ID      uint     `json:"id"`
			YouSaid string   `json:"you_said"`
			WeDid   string   `json:"we_did"`
			Themes  []string `json:"themes"`
			Owner   struct{ Organisation, Team string }
			Status  string            `json:"status"`
			Due     string            `json:"due"`
			Updates []json.RawMessage `json:"updates"`
		} `json:"commitments"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Survey != rpSlug || got.PublishedAt == nil || got.Participants.Total == nil || *got.Participants.Total != 8 {
		t.Errorf("head: %s", body)
	}
	if ch := got.Participants.ByChannel["paper"]; ch.Count != nil || !ch.Suppressed {
		t.Errorf("a channel with 0 responses must be null and suppressed: %+v", ch)
	}
	if ch := got.Participants.ByChannel["online"]; ch.Count == nil || *ch.Count != 8 {
		t.Errorf("online: %+v", ch)
	}
	var barriers, quality bool
	for _, th := range got.Themes {
		switch th.Key {
		case "barriers":
			barriers = th.Respondents != nil && *th.Respondents == 8 && th.Share != nil && *th.Share == 1 && len(th.Codes) == 1 && th.Codes[0].Key == "waiting_times"
		case "quality_of_life":
			quality = th.Respondents == nil && th.Suppressed && th.Share == nil
		}
	}
	if !barriers || !quality {
		t.Errorf("themes: %s", body)
	}
	if got.Breakdowns["locality"] == nil || len(got.Quotes) != 1 || got.Quotes[0].Theme != "barriers" {
		t.Errorf("breakdowns or quotes: %s", body)
	}
	if len(got.Commitments) != 2 || got.Commitments[0].Owner.Organisation != "Islington Council" || got.Commitments[0].Status != "planned" ||
		!strings.HasPrefix(got.Commitments[0].Due, nextYear()) || len(got.Commitments[0].Updates) != 1 || got.Commitments[0].Themes[0] != "barriers" {
		t.Errorf("commitments: %s", body)
	}
	if !strings.Contains(body, `"workshops":{"count":0,"people":{"count":null,"suppressed":true}}`) {
		t.Errorf("participants lack the workshops: %s", body)
	}
	if strings.Contains(body, "Patel") || strings.Contains(body, "hear@example.org") {
		t.Error("the API leaks a name or an email address")
	}
	_, data, _ := f.do("GET", "/results/"+rpSlug+"/data.json", nil)
	if data != body {
		t.Error("the JSON download differs from the API")
	}
	_, csv, resp := f.do("GET", "/results/"+rpSlug+"/data.csv", nil)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv, "participants,,,channel,paper,On paper,,true,") ||
		!strings.Contains(csv, "themes,barriers,waiting_times,,,Waiting times,8,false,1.000") {
		t.Errorf("CSV:\n%s", csv)
	}
}
