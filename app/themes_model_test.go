package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/themes"
)

// The learning page: anyone on the staff sees what has been learned;
// only officers retrain, and the retrain runs after the request answers.
func TestModelPageAndRetrainNow(t *testing.T) {
	h := newThemeHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	h.user("officer@example.org", accounts.Officer)
	h.login("fac@example.org")
	status, body, _ := h.do("GET", "/staff/themes/model", nil)
	if status != 200 || !strings.Contains(body, "No model yet") || !strings.Contains(body, "Waiting times") || strings.Contains(body, "Retrain now") {
		t.Fatalf("facilitator's page: %d\n%.2000s", status, body)
	}
	if status, _, _ := h.do("POST", "/staff/themes/model/retrain", url.Values{}); status != 403 {
		t.Fatalf("a facilitator retrained: %d", status)
	}
	// Decisions to learn from: too few for any classifier.
	if status, _, _ := h.decide("wait", "waiting_times", "accept"); status != 303 {
		t.Fatalf("decide: %d", status)
	}

	h.login("officer@example.org")
	if _, body, _ := h.do("GET", "/staff/themes/model", nil); !strings.Contains(body, "Retrain now") {
		t.Fatalf("officer's page has no Retrain now:\n%.2000s", body)
	}
	status, _, resp := h.do("POST", "/staff/themes/model/retrain", url.Values{})
	if status != 303 || resp.Header.Get("Location") != "/staff/themes/model" {
		t.Fatalf("retrain: %d to %q", status, resp.Header.Get("Location"))
	}
	run := waitForRun(t, h.st)
	if run.Status != themes.RunDone || run.Version != 1 || run.StartedBy == 0 {
		t.Fatalf("run %+v", run)
	}
	status, body, _ = h.do("GET", "/staff/themes/model", nil)
	for _, want := range []string{"Finished</strong> Version 1 learned from", "Words only", "Needs ", "more applied"} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("after retraining the page lacks %q: %d\n%s", want, status, body[strings.Index(body, "<main"):])
		}
	}
	// The flash message and the status page link to each other; the themes
	// home links here.
	if _, body, _ := h.do("GET", "/staff/themes", nil); !strings.Contains(body, `href="/staff/themes/model"`) {
		t.Error("the thematic coding page does not link to what codesign has learned")
	}
}

// A page that says a retrain is running offers to refresh, and updates
// itself only when asked.
func TestModelPageWhileRetraining(t *testing.T) {
	h := newThemeHarness(t)
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	run, started, err := h.st.StartRetrain(context.Background(), 1)
	if err != nil || !started {
		t.Fatalf("start: %v %v", started, err)
	}
	status, body, resp := h.do("GET", "/staff/themes/model", nil)
	if status != 200 || !strings.Contains(body, "Running") || !strings.Contains(body, "Refresh status") || strings.Contains(body, "Retrain now") ||
		resp.Header.Get("Refresh") != "" {
		t.Fatalf("while running: %d refresh %q\n%.2000s", status, resp.Header.Get("Refresh"), body)
	}
	if _, _, resp := h.do("GET", "/staff/themes/model?auto=1", nil); resp.Header.Get("Refresh") != "5" {
		t.Errorf("auto=1 did not ask the browser to refresh: %q", resp.Header.Get("Refresh"))
	}
	// Retrain now while one runs shows that one and starts nothing.
	if status, _, _ := h.do("POST", "/staff/themes/model/retrain", url.Values{}); status != 303 {
		t.Fatalf("second retrain: %d", status)
	}
	if again, _ := h.st.LatestRun(context.Background()); again.ID != run.ID {
		t.Errorf("a second retrain started: %+v", again)
	}
}

func waitForRun(t *testing.T, st *themes.Store) *themes.ModelRun {
	t.Helper()
	for range 400 {
		if r, err := st.LatestRun(context.Background()); err == nil && r.Status != themes.RunRunning {
			return r
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("the retrain did not finish in 10 seconds")
	return nil
}
