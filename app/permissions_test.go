package app_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/messages"
	"codesign/safeguarding"
)

// paramRe matches a route parameter such as :id<int> or :slug.
var paramRe = regexp.MustCompile(`:[a-z]+(<int>)?`)

// Every staff and admin route, whatever it is, turns away someone who is not
// signed in: pages send them to sign in, and nothing is shown or changed.
func TestEveryStaffRouteNeedsSignIn(t *testing.T) {
	h := newHarness(t)
	h.do("GET", "/login", nil) // a CSRF token, so POSTs reach the role check
	checked := 0
	for _, r := range h.app.GetRoutes(true) {
		if r.Method == "HEAD" || !(strings.HasPrefix(r.Path, "/staff") || strings.HasPrefix(r.Path, "/admin")) {
			continue
		}
		path := paramRe.ReplaceAllStringFunc(r.Path, func(p string) string {
			if strings.HasSuffix(p, "<int>") {
				return "1"
			}
			return "x"
		})
		status, body, resp := h.do(r.Method, path, nil)
		checked++
		if r.Method == "GET" && (status != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login")) {
			t.Errorf("GET %s without signing in: %d (Location %q), want 303 to /login", r.Path, status, resp.Header.Get("Location"))
		}
		if r.Method != "GET" && status != 303 && status != 403 {
			t.Errorf("%s %s without signing in: %d\n%.300s", r.Method, r.Path, status, body)
		}
	}
	if checked < 60 {
		t.Fatalf("only %d staff routes found; the route list is not being read", checked)
	}
}

// Staff API routes need a token; public ones do not.
func TestStaffAPIRoutesNeedAToken(t *testing.T) {
	h := newHarness(t)
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/v1/me"},
		{"GET", "/api/v1/workshops/1/bookings"},
		{"GET", "/api/v1/surveys/early-help-islington/responses"},
		{"GET", "/api/v1/surveys/early-help-islington/responses.csv"},
		{"POST", "/api/v1/surveys"},
		{"PUT", "/api/v1/surveys/early-help-islington"},
		{"GET", "/api/v1/themes/codebook"},
		{"GET", "/api/v1/themes/passages"},
		{"POST", "/api/v1/themes/passages/1/decisions"},
		{"GET", "/api/v1/panels/1/representation"},
	} {
		req := httptest.NewRequest(r.method, r.path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		status, body, _ := h.send(req)
		if status != 401 || !strings.Contains(body, `"error"`) {
			t.Errorf("%s %s without a token: %d %.200s, want 401 JSON", r.method, r.path, status, body)
		}
	}
	for _, path := range []string{"/api/v1/programme", "/api/v1/workshops", "/api/v1/surveys", "/api/v1/surveys/early-help-islington", "/api/v1/panels"} {
		if status, _, _ := h.do("GET", path, nil); status != 200 {
			t.Errorf("public %s: %d", path, status)
		}
	}
}

// The permissions matrix in the README, role by role: a page a role may not
// use answers 403, and one it may use answers 200.
func TestRoleMatrix(t *testing.T) {
	rank := map[accounts.Role]int{accounts.Facilitator: 1, accounts.Officer: 2, accounts.Admin: 3}
	routes := []struct {
		path string
		min  accounts.Role
	}{
		{"/staff", accounts.Facilitator},
		{"/staff/workshops", accounts.Facilitator},
		{"/staff/workshops/new", accounts.Facilitator},
		{"/staff/surveys", accounts.Facilitator},
		{"/staff/surveys/1", accounts.Facilitator},
		{"/staff/surveys/1/responses", accounts.Facilitator},
		{"/staff/surveys/1/summary", accounts.Facilitator},
		{"/staff/surveys/new", accounts.Officer},
		{"/staff/surveys/1/edit", accounts.Officer},
		{"/staff/surveys/1/responses.csv", accounts.Officer},
		{"/staff/themes", accounts.Facilitator},
		{"/staff/themes/codebook", accounts.Facilitator},
		{"/staff/themes/model", accounts.Facilitator},
		{"/staff/themes/double/new", accounts.Officer},
		{"/staff/themes/passages.csv", accounts.Officer},
		{"/staff/panels", accounts.Facilitator},
		{"/staff/panels/1/members", accounts.Facilitator},
		{"/staff/panels/new", accounts.Officer},
		{"/staff/panels/1/payments.csv", accounts.Officer},
		{"/admin/users", accounts.Admin},
		{"/admin/audit", accounts.Admin},
		{"/admin/outbox", accounts.Admin},
		{"/staff/safeguarding/people", accounts.Admin},
		{"/admin/privacy", accounts.Admin},
		{"/admin/privacy/retention", accounts.Admin},
		{"/admin/audit.csv", accounts.Admin},
		{"/staff/reports", accounts.Facilitator},
	}
	for _, role := range []accounts.Role{accounts.Facilitator, accounts.Officer, accounts.Admin} {
		t.Run(string(role), func(t *testing.T) {
			h := newHarness(t)
			h.user(string(role)+"@example.org", role)
			h.login(string(role) + "@example.org")
			for _, r := range routes {
				status, body, _ := h.do("GET", r.path, nil)
				allowed := rank[role] >= rank[r.min]
				if allowed && status != 200 {
					t.Errorf("%s may use %s but got %d\n%.300s", role, r.path, status, body)
				}
				if !allowed && status != 403 {
					t.Errorf("%s may not use %s but got %d", role, r.path, status)
				}
			}
		})
	}
}

// Safeguarding is a separate permission, not a role: even an admin needs
// it to read the queue, and a facilitator with it may.
func TestSafeguardingNeedsTheGrant(t *testing.T) {
	h := newHarness(t)
	admin := h.user("admin@example.org", accounts.Admin)
	h.login("admin@example.org")
	for _, path := range []string{"/staff/safeguarding", "/staff/safeguarding/1", "/staff/safeguarding/1/contact"} {
		if status, _, _ := h.do("GET", path, nil); status != 403 {
			t.Errorf("admin without the permission: %s %d, want 403", path, status)
		}
	}
	fac := h.user("fac@example.org", accounts.Facilitator)
	sg := safeguarding.NewStore(h.db, messages.NewStore(h.db))
	if err := sg.SetGrant(context.Background(), &admin.ID, fac.ID, true); err != nil {
		t.Fatal(err)
	}
	h2 := newHarnessShared(t, h)
	h2.login("fac@example.org")
	if status, body, _ := h2.do("GET", "/staff/safeguarding", nil); status != 200 {
		t.Fatalf("facilitator with the permission: %d\n%.300s", status, body)
	}
	if status, _, _ := h2.do("GET", "/staff/safeguarding/people", nil); status != 403 {
		t.Errorf("only admins grant the permission: %d", status)
	}
}

// A success message shows once: the page that shows it expires the cookie
// on the path it was set on, so the browser really drops it.
func TestFlashIsClearedOnItsPath(t *testing.T) {
	h := newHarness(t)
	h.user("admin@example.org", accounts.Admin)
	h.login("admin@example.org")
	h.do("GET", "/admin/users/new", nil)
	status, _, _ := h.do("POST", "/admin/users", url.Values{"email": {"new@example.org"}, "name": {"New"}, "role": {"facilitator"}, "password": {testPassword}})
	if status != 303 || h.cookies["cs_flash"] == "" {
		t.Fatalf("creating a user: %d, flash cookie %q", status, h.cookies["cs_flash"])
	}
	_, body, resp := h.do("GET", "/admin/users", nil)
	if !strings.Contains(body, "Success") {
		t.Fatal("the message was not shown")
	}
	cleared := false
	for _, c := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "cs_flash=;") && strings.Contains(strings.ToLower(c), "path=/") {
			cleared = true
		}
	}
	if !cleared {
		t.Fatalf("flash cookie not expired on path /: %v", resp.Header.Values("Set-Cookie"))
	}
}

// A facilitator opening an export URL is refused and the refusal is
// audited, with the route pattern rather than the address.
func TestRefusalsAreAudited(t *testing.T) {
	h := newHarness(t)
	h.user("fac@example.org", accounts.Facilitator)
	h.login("fac@example.org")
	if status, _, _ := h.do("GET", "/staff/surveys/1/responses.csv?from=2026-01-01", nil); status != 403 {
		t.Fatalf("facilitator export: %d, want 403", status)
	}
	var ev struct{ Target, Detail string }
	if err := h.db.Table("audit_events").Where("action = ?", "access.refused").Order("id DESC").Take(&ev).Error; err != nil {
		t.Fatalf("no audit entry for the refusal: %v", err)
	}
	if ev.Target != "GET /staff/surveys/:id<int>/responses.csv" || ev.Detail != "needs officer" {
		t.Fatalf("audit entry %+v", ev)
	}
}
