package app_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPanelsAPIContract(t *testing.T) {
	f := newPanelHarness(t)
	open := f.panel("api-open", true)
	closed := f.panel("api-closed", false)

	status, _, raw := f.api("GET", "/api/v1/panels", "")
	var list []map[string]any
	if err := json.Unmarshal([]byte(raw), &list); status != 200 || err != nil {
		t.Fatalf("list: %d %v", status, err)
	}
	var found map[string]any
	for _, p := range list {
		if p["slug"] == closed.Slug {
			t.Error("the list shows a closed panel")
		}
		if p["slug"] == open.Slug {
			found = p
		}
	}
	for _, k := range []string{"id", "name", "purpose", "members_do", "time_commitment", "term_months", "rate_kind", "rate_pence", "rate",
		"payment_methods", "expenses_covered", "support", "recruit_until", "url"} {
		if _, ok := found[k]; !ok {
			t.Errorf("panel lacks %q: %v", k, found)
		}
	}
	if found["rate_pence"] != 2000.0 || found["url"] != "http://example.test/panels/api-open" {
		t.Errorf("panel %v", found)
	}

	path := "/api/v1/panels/" + itoa(open.ID) + "/applications"
	good := `{"name":"Ann","email":"ann@example.org","lived_experience":["carer"],"payment_preference":"not_paid",
		"age_band":"prefer_not_to_say","ethnicity":"prefer_not_to_say","locality":"prefer_not_to_say","consent_store":true,"idempotency_key":"api-key-1"}`
	status, out, _ := f.api("POST", path, good)
	if status != 201 || out["status"] != "received" {
		t.Fatalf("apply: %d %v", status, out)
	}
	if status, out, _ = f.api("POST", path, good); status != 201 {
		t.Errorf("the same request again: %d %v", status, out)
	}
	dupe := strings.Replace(good, "api-key-1", "api-key-2", 1)
	status, out, _ = f.api("POST", path, dupe)
	if fields, _ := out["fields"].(map[string]any); status != 422 || !strings.Contains(fields["email"].(string), "already have an application") {
		t.Errorf("duplicate: %d %v", status, out)
	}
	status, out, _ = f.api("POST", path, `{"name":"","email":"nope"}`)
	fields, _ := out["fields"].(map[string]any)
	if status != 422 || fields["email"] == nil || fields["consent_store"] == nil || fields["lived_experience"] == nil {
		t.Errorf("invalid: %d %v", status, out)
	}
	if status, out, _ = f.api("POST", "/api/v1/panels/"+itoa(closed.ID)+"/applications", good); status != 409 || !strings.Contains(out["error"].(string), "not taking applications") {
		t.Errorf("closed: %d %v", status, out)
	}
	if status, out, _ = f.api("POST", "/api/v1/panels/999999/applications", good); status != 404 || out["error"] == nil {
		t.Errorf("unknown panel: %d %v", status, out)
	}
	if status, _, _ = f.api("POST", path, `{"name":`); status != 400 {
		t.Errorf("broken JSON: %d", status)
	}
	if status, _, _ = f.api("POST", path, "{\"name\":\"\xff\"}"); status != 400 {
		t.Errorf("invalid UTF-8: %d", status)
	}
	if got := f.outbox("panel_application", "ann@example.org"); len(got) != 1 {
		t.Errorf("%d acknowledgements", len(got))
	}
}
