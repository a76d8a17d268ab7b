package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/workshops"
)

func (f *wsFixture) api(method, path, body string, headers ...string) (int, map[string]any, string) {
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

func TestWorkshopsAPIContract(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("API event", 1, 72*time.Hour, workshops.Published)
	f.event("API draft", 1, 72*time.Hour, workshops.Draft)
	closed := f.event("API closed", 5, 72*time.Hour, workshops.Cancelled)
	id := strings.TrimPrefix(eventURL(e), "/workshops/")

	status, _, raw := f.api("GET", "/api/v1/workshops", "")
	var list []map[string]any
	if err := json.Unmarshal([]byte(raw), &list); status != 200 || err != nil {
		t.Fatalf("list: %d %v", status, err)
	}
	var found map[string]any
	for _, ev := range list {
		if ev["title"] == "API draft" || ev["title"] == "API closed" {
			t.Errorf("list shows %v", ev["title"])
		}
		if ev["title"] == "API event" {
			found = ev
		}
	}
	for _, k := range []string{"id", "title", "locality", "format", "starts_at", "ends_at", "capacity", "places_left", "venue"} {
		if _, ok := found[k]; !ok {
			t.Errorf("event lacks %q: %v", k, found)
		}
	}
	if found["places_left"] != 1.0 || found["venue"].(map[string]any)["step_free"] != true {
		t.Errorf("event %v", found)
	}

	book := `{"name":"Ann","email":"ann@example.org","access_needs":["bsl_interpreter"],"consent_contact":true}`
	status, out, _ := f.api("POST", "/api/v1/workshops/"+id+"/bookings", book)
	token, _ := out["manage_token"].(string)
	if status != 201 || out["status"] != "confirmed" || len(token) < 32 {
		t.Fatalf("book: %d %v", status, out)
	}
	if status, out, _ = f.api("POST", "/api/v1/workshops/"+id+"/bookings", `{"name":"Bob","phone":"07700 900982"}`); status != 201 || out["status"] != "waiting" {
		t.Fatalf("waiting: %d %v", status, out)
	}
	status, out, _ = f.api("POST", "/api/v1/workshops/"+id+"/bookings", `{"name":"","email":"nope","access_needs":["flying"]}`)
	fields, _ := out["fields"].(map[string]any)
	if status != 422 || out["error"] == nil || fields["name"] == nil || fields["email"] == nil || fields["access_needs"] == nil {
		t.Fatalf("invalid: %d %v", status, out)
	}
	if status, out, _ = f.api("POST", strings.Replace(eventURL(closed), "/workshops/", "/api/v1/workshops/", 1)+"/bookings", book); status != 409 || out["error"] == nil {
		t.Fatalf("cancelled event: %d %v", status, out)
	}
	if status, _, _ = f.api("POST", "/api/v1/workshops/999999/bookings", book); status != 404 {
		t.Fatalf("unknown event: %d", status)
	}

	if status, out, _ = f.api("DELETE", "/api/v1/bookings/"+token, ""); status != 200 || out["status"] != "cancelled" {
		t.Fatalf("cancel: %d %v", status, out)
	}
	if status, _, _ = f.api("DELETE", "/api/v1/bookings/"+token, ""); status != 409 {
		t.Fatalf("second cancel: %d", status)
	}
	if status, _, _ = f.api("DELETE", "/api/v1/bookings/"+strings.Repeat("x", 43), ""); status != 404 {
		t.Fatalf("unknown token: %d", status)
	}

	staffPath := "/api/v1/workshops/" + id + "/bookings"
	if status, _, _ = f.api("GET", staffPath, ""); status != 401 {
		t.Fatalf("staff list without a token: %d", status)
	}
	f.user("fac@example.org", accounts.Facilitator)
	tok, err := f.accounts.CreateToken(context.Background(), "fac@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	status, out, _ = f.api("GET", staffPath, "", "Authorization", "Bearer "+tok)
	booked, _ := out["bookings"].([]any)
	waiting, _ := out["waiting_list"].([]any)
	if status != 200 || len(booked) != 1 || len(waiting) != 0 || booked[0].(map[string]any)["name"] != "Bob" {
		t.Fatalf("staff list: %d %v", status, out)
	}
}
