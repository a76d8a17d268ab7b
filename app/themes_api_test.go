package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
)

func TestThemeAPI(t *testing.T) {
	h := newThemeHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	token, err := h.accounts.CreateToken(context.Background(), "fac@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		status, out, _ := h.send(req)
		return status, out
	}
	status, body := call("GET", "/api/v1/themes/codebook", "")
	var cb struct {
		Codes []struct{ Key, Theme, Colour string }
	}
	if status != 200 || json.Unmarshal([]byte(body), &cb) != nil || len(cb.Codes) < 20 || cb.Codes[1].Theme != "quality_of_life" {
		t.Fatalf("codebook: %d %s", status, body)
	}
	list := "/api/v1/themes/passages?" + url.Values{"scope": {h.scope}, "status": {"all"}}.Encode()
	status, body = call("GET", list, "")
	var page struct {
		Total    int
		Passages []struct {
			ID          uint
			Text        string
			Suggestions []struct{ Code string }
		}
	}
	if status != 200 || json.Unmarshal([]byte(body), &page) != nil || page.Total != 5 || len(page.Passages) != 5 {
		t.Fatalf("passages: %d %s", status, body)
	}
	if !strings.Contains(body, `alert(1)\u003c/script\u003e`) {
		t.Error("passage text is not escaped in JSON")
	}
	decide := "/api/v1/themes/passages/" + h.id("wait") + "/decisions"
	if status, body = call("POST", decide, `{"code":"waiting_times","decision":"accept"}`); status != 201 || !strings.Contains(body, `"changed":true`) || !strings.Contains(body, `"decision":"accepted"`) {
		t.Errorf("decide: %d %s", status, body)
	}
	if status, body = call("POST", decide, `{"code":"waiting_times","decision":"accept"}`); status != 200 || !strings.Contains(body, `"changed":false`) {
		t.Errorf("decide again: %d %s", status, body)
	}
	if h.decisions() != 1 {
		t.Errorf("%d decisions stored", h.decisions())
	}
	for _, tc := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", decide, `{"code":"nope","decision":"accept"}`, 422, `"code":"Choose a code from the codebook"`},
		{"POST", decide, `{"code":"housing","decision":"maybe"}`, 422, `"decision":`},
		{"POST", decide, `{not json`, 400, `"error":`},
		{"POST", "/api/v1/themes/passages/999999/decisions", `{"code":"housing","decision":"accept"}`, 404, `"error":`},
		{"GET", "/api/v1/themes/passages", "", 422, `"scope":`},
		{"GET", "/api/v1/themes/passages?scope=survey:99999:x", "", 404, `"error":`},
		{"GET", list + "&min=200", "", 422, `"min":`},
		{"GET", "/api/v1/themes/passages?" + url.Values{"scope": {h.scope}, "status": {"accepted"}}.Encode(), "", 200, `"total":1`},
	} {
		if status, body := call(tc.method, tc.path, tc.body); status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s %s: %d %s", tc.method, tc.path, tc.body, status, body)
		}
	}
}

// "Code every answer now" codes the demo consultation off the request:
// the progress page reports it, and the review list then has counts.
func TestThemeBatchCodesAWholeSurvey(t *testing.T) {
	h := newThemeHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	status, _, resp := h.do("POST", "/staff/themes/batches", url.Values{"kind": {"survey"}, "id": {strconv.FormatUint(uint64(h.survey.ID), 10)}})
	progress := resp.Header.Get("Location")
	if status != 303 || !strings.HasPrefix(progress, "/staff/themes/batches/") {
		t.Fatalf("start: %d %q", status, progress)
	}
	var body string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_, body, resp = h.do("GET", progress+"?auto=1", nil)
		if strings.Contains(body, "Finished") {
			break
		}
		if resp.Header.Get("Refresh") != "5" {
			t.Fatal("a running batch asked to update did not set Refresh")
		}
	}
	if !strings.Contains(body, "Finished") || !strings.Contains(body, "answers coded") || resp.Header.Get("Refresh") != "" {
		t.Fatalf("batch did not finish:\n%s", body)
	}
	var passages int64
	h.db.Table("theme_passages").Count(&passages)
	if passages < 100 {
		t.Errorf("only %d passages after coding the demo consultation", passages)
	}
	if status, body, _ = h.do("GET", "/staff/themes", nil); status != 200 || !strings.Contains(body, "Last coded on demand") {
		t.Errorf("scopes after the batch: %d", status)
	}
	if status, _, _ = h.do("POST", "/staff/themes/batches", url.Values{"kind": {"survey"}, "id": {"999999"}}); status != 404 {
		t.Errorf("unknown survey: %d", status)
	}
	if status, body, _ = h.do("GET", "/staff/themes/topics?"+url.Values{"scope": {h.scope}}.Encode(), nil); status != 200 || !strings.Contains(body, "Emerging topics") {
		t.Errorf("topics for a scope: %d", status)
	}
}
