package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/app"
	"codesign/database/dbtest"
	"codesign/programmes"

	"gorm.io/gorm"
)

// The demo programme is the first, so its id is 1 on a fresh database.
const programmeFindings = "/staff/programmes/1/findings"

func TestProgrammeFindingsScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "resident is sent to sign in", method: "GET", url: programmeFindings, wantStatus: 303},
		{name: "resident cannot download", method: "GET", url: programmeFindings + ".csv", wantStatus: 303},
		{name: "unknown programme", as: accounts.Facilitator, method: "GET", url: "/staff/programmes/999999/findings", wantStatus: 404},
		{name: "unknown programme's download", as: accounts.Facilitator, method: "GET", url: "/staff/programmes/999999/findings.csv", wantStatus: 404},
		{name: "not a number", as: accounts.Facilitator, method: "GET", url: "/staff/programmes/early-help/findings", wantStatus: 404},
		{name: "the list links to it", as: accounts.Facilitator, method: "GET", url: "/staff/reports", wantStatus: 200,
			want: []string{`href="` + programmeFindings + `"`, "Findings across the whole programme"}},
		{name: "with suggestions", as: accounts.Officer, method: "GET", url: programmeFindings + "?unconfirmed=1", wantStatus: 200,
			want: []string{"counting unconfirmed suggestions", "Count confirmed codes only"}},
	})
}

// The demo programme on both engines: its consultations added up, the
// past workshop's coded notes counted as a workshop, a chart with the
// same numbers in a table, and the CSV.
func TestProgrammeFindingsPageAndExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newHarnessOn(t, db, app.Options{})
		h.user("facilitator@example.org", accounts.Facilitator)
		h.login("facilitator@example.org")
		status, body, _ := h.do("GET", programmeFindings, nil)
		if status != 200 {
			t.Fatalf("page: %d\n%.1500s", status, body)
		}
		for _, w := range []string{"Findings across the programme", "Early help and prevention mental health support in Islington",
			"A person is counted once in each consultation they answered", "Responses to each consultation",
			"Shaping early help and prevention", "Crisis support at night", `<svg class="cs-chart"`, "The same numbers are in the table beside it",
			"Respondents and workshops that mentioned each theme", "Workshops that mentioned it", "Waiting times", "By Locality"} {
			if !strings.Contains(body, w) {
				t.Errorf("page lacks %q", w)
			}
		}
		if !regexp.MustCompile(`Barriers to getting support</th><td class="cs-num">\d+</td><td class="cs-num">\d+%</td><td class="cs-num">1</td>`).MatchString(body) {
			t.Errorf("barriers are not shown as mentioned in the past workshop's notes")
		}
		// The draft consultation has not gone to residents.
		if strings.Contains(body, "Young people") {
			t.Errorf("page counts the draft consultation")
		}
		// The consultation the workshop fed counts its notes too, on the
		// staff page, the published page and the API.
		_, list, _ := h.do("GET", "/staff/reports", nil)
		report := regexp.MustCompile(`href="(/staff/reports/\d+)"`).FindStringSubmatch(list)
		if report == nil {
			t.Fatalf("no report in the list:\n%.2000s", list)
		}
		for path, want := range map[string]string{report[1]: "Coded notes from 1 workshop that fed this consultation count too",
			"/results/early-help-islington": "We coded the notes of 1 workshop", "/api/v1/surveys/early-help-islington/results": `"workshops":1`} {
			if _, body, _ := h.do("GET", path, nil); !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		status, body, resp := h.do("GET", programmeFindings+".csv", nil)
		if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "islington-early-help-programme-findings-") {
			t.Fatalf("download: %d %v", status, resp.Header)
		}
		for _, w := range []string{"table,theme,code,breakdown,category,label,respondents,suppressed,share,workshops\n",
			"participants,,,consultation,early-help-islington,", "participants,,,consultation,crisis-support-at-night,",
			"themes,barriers,waiting_times,,,Waiting times,"} {
			if !strings.Contains(body, w) {
				t.Errorf("CSV lacks %q:\n%.1500s", w, body)
			}
		}
	})
}

// A programme with nothing in it yet says what will fill it.
func TestProgrammeFindingsEmptyState(t *testing.T) {
	db := dbtest.SQLite(t).DB
	// A programme of its own, so the demo does not load.
	err := programmes.NewStore(db).Seed(context.Background(), &programmes.Programme{Slug: "new", Name: "A new programme", Organisation: "Council", Summary: "S"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, db, app.Options{})
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	status, body, _ := h.do("GET", programmeFindings, nil)
	if status != 200 {
		t.Fatalf("page: %d\n%.1500s", status, body)
	}
	for _, w := range []string{"A new programme", "There is nothing to count yet", "no consultation that has gone to residents"} {
		if !strings.Contains(body, w) {
			t.Errorf("empty page lacks %q", w)
		}
	}
	if strings.Contains(body, `<svg class="cs-chart"`) {
		t.Errorf("empty page draws a chart")
	}
	status, body, _ = h.do("GET", programmeFindings+".csv", nil)
	if status != 200 || !strings.HasPrefix(body, "table,theme,code") || !strings.Contains(body, "participants,,,,all,Everyone who took part,,true") {
		t.Errorf("empty download: %d\n%s", status, body)
	}
}
