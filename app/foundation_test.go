package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/database"
)

// scenario is one request and what must come back.
type scenario struct {
	name       string
	as         accounts.Role // "" for a resident with no account
	method     string
	url        string
	form       url.Values
	headers    []string
	wantStatus int
	want       []string // substrings the body must contain
	notWant    []string
}

func runScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t)
			if sc.as != "" {
				h.user("staff@example.org", sc.as)
				h.login("staff@example.org")
			} else {
				h.do("GET", "/login", nil) // a page with a form, for the CSRF token
			}
			status, body, _ := h.do(sc.method, sc.url, sc.form, sc.headers...)
			if status != sc.wantStatus {
				t.Errorf("status %d, want %d\n%.600s", status, sc.wantStatus, body)
			}
			for _, w := range sc.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q\n%.800s", w, body)
				}
			}
			for _, w := range sc.notWant {
				if strings.Contains(body, w) {
					t.Errorf("body must not contain %q", w)
				}
			}
		})
	}
}

func TestFoundationScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "home page", method: "GET", url: "/", wantStatus: 200, want: []string{"Early help and prevention", "Finsbury Library", "Samaritans", "Skip to main content"}},
		{name: "consultations list", method: "GET", url: "/consultations", wantStatus: 200, want: []string{"Shaping early help and prevention", "Samaritans"}, notWant: []string{"Crisis support at night", "There are no open consultations"}},
		{name: "panels list", method: "GET", url: "/panels", wantStatus: 200, want: []string{"Lived experience advisory group"}},
		{name: "results list", method: "GET", url: "/results", wantStatus: 200, want: []string{"What you told us about early help", "Track every commitment"}},
		{name: "unknown route", method: "GET", url: "/no/such/page", wantStatus: 404, want: []string{"Page not found"}},
		{name: "unknown api route is json", method: "GET", url: "/api/v1/nothing", wantStatus: 404, want: []string{`"error":`}},
		{name: "health", method: "GET", url: "/healthz", wantStatus: 200, want: []string{`"status":"ok"`, `"database":"ok"`}},
		{name: "staff page needs sign in", method: "GET", url: "/staff", wantStatus: 303},
		{name: "admin page needs sign in", method: "GET", url: "/admin/users", wantStatus: 303},
		{name: "facilitator cannot see admin", as: accounts.Facilitator, method: "GET", url: "/admin/users", wantStatus: 403, want: []string{"You cannot do that"}},
		{name: "officer cannot add users", as: accounts.Officer, method: "POST", url: "/admin/users", form: url.Values{"email": {"x@example.org"}}, wantStatus: 403},
		{name: "admin sees users", as: accounts.Admin, method: "GET", url: "/admin/users", wantStatus: 200, want: []string{"Staff accounts", "staff@example.org"}},
		{name: "api without token", method: "GET", url: "/api/v1/me", wantStatus: 401, want: []string{`"error":`}},
		{name: "api with a bad token", method: "GET", url: "/api/v1/me", headers: []string{"Authorization", "Bearer cds_nonsense"}, wantStatus: 401},
		{name: "public api", method: "GET", url: "/api/v1/programme", wantStatus: 200, want: []string{`"localities":[{"key":"north"`}},
		{name: "post without csrf token", method: "POST", url: "/login", form: url.Values{"_csrf": {""}, "email": {"a@example.org"}, "password": {"x"}}, wantStatus: 403, want: []string{"nothing was changed"}},
		{name: "post with a forged csrf token", method: "POST", url: "/login", form: url.Values{"_csrf": {"forged"}, "email": {"a@example.org"}}, wantStatus: 403},
		{name: "invalid utf-8 form", method: "POST", url: "/login", form: url.Values{"email": {"\xff\xfe"}}, wantStatus: 400, want: []string{"not valid text"}},
		{name: "empty login", method: "POST", url: "/login", form: url.Values{"email": {""}, "password": {""}}, wantStatus: 422, want: []string{"There is a problem", "Enter your email address", "Enter your password", `href="#email"`}},
		{name: "script in login email is escaped", method: "POST", url: "/login", form: url.Values{"email": {"<script>alert(1)</script>"}, "password": {"x"}}, wantStatus: 422, want: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, notWant: []string{"<script>alert(1)"}},
	})
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	_, _, resp := h.do("GET", "/", nil)
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, part := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	h.user("ada@example.org", accounts.Admin)
	h.login("ada@example.org")
	_, _, resp = h.do("GET", "/admin/users", nil)
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("staff page Cache-Control = %q, want no-store", got)
	}
}

func TestSecureCookiesOverHTTPS(t *testing.T) {
	h := newHarness(t)
	_, _, resp := h.do("GET", "/", nil)
	for _, c := range resp.Cookies() {
		if c.Name == "cs_csrf" && (!c.HttpOnly || c.Secure) {
			t.Errorf("plain http: cookie %s HttpOnly=%v Secure=%v", c.Name, c.HttpOnly, c.Secure)
		}
	}
}

func TestWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	h := newHarness(t)
	h.user("ada@example.org", accounts.Admin)
	h.do("GET", "/login", nil)
	s1, b1, _ := h.do("POST", "/login", url.Values{"email": {"ada@example.org"}, "password": {"wrong password"}})
	s2, b2, _ := h.do("POST", "/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password"}})
	if s1 != 422 || s2 != 422 {
		t.Fatalf("statuses %d and %d, want 422", s1, s2)
	}
	msg := "Enter a correct email address and password"
	if !strings.Contains(b1, msg) || !strings.Contains(b2, msg) {
		t.Fatalf("both must say %q", msg)
	}
	if !strings.Contains(b2, `value="nobody@example.org"`) {
		t.Errorf("the email typed was not kept")
	}
}

func TestLockOutAfterRepeatedFailures(t *testing.T) {
	h := newHarness(t)
	h.user("ada@example.org", accounts.Admin)
	h.do("GET", "/login", nil)
	var body string
	for i := 0; i < accounts.FreeAttempts; i++ {
		_, body, _ = h.do("POST", "/login", url.Values{"email": {"ada@example.org"}, "password": {"wrong password"}})
	}
	if !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("no lock-out message after %d failures", accounts.FreeAttempts)
	}
	status, body, _ := h.do("POST", "/login", url.Values{"email": {"ada@example.org"}, "password": {testPassword}})
	if status != 422 || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("right password while locked: %d", status)
	}
}

func TestLoginStartsAFreshSession(t *testing.T) {
	h := newHarness(t)
	h.user("ada@example.org", accounts.Admin)
	h.cookies["cs_session"] = "planted-by-an-attacker"
	h.login("ada@example.org")
	if h.cookies["cs_session"] == "planted-by-an-attacker" || h.cookies["cs_session"] == "" {
		t.Fatalf("session cookie not regenerated: %q", h.cookies["cs_session"])
	}
	if status, _, _ := h.do("GET", "/staff", nil); status != 200 {
		t.Fatalf("staff page after login: %d", status)
	}
	h.do("POST", "/logout", url.Values{})
	if status, _, _ := h.do("GET", "/staff", nil); status != 303 {
		t.Fatalf("staff page after logout: %d, want 303", status)
	}
}

func TestCSRFFailureChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.user("ada@example.org", accounts.Admin)
	h.login("ada@example.org")
	status, _, _ := h.do("POST", "/admin/users", url.Values{"_csrf": {"wrong"}, "email": {"new@example.org"}, "name": {"New"}, "role": {"officer"}, "password": {testPassword}})
	if status != 403 {
		t.Fatalf("status %d, want 403", status)
	}
	if _, err := h.accounts.ByEmail(context.Background(), "new@example.org"); err == nil {
		t.Fatal("a user was created without a valid CSRF token")
	}
}

func TestAdminManagesUsers(t *testing.T) {
	h := newHarness(t)
	h.user("ada@example.org", accounts.Admin)
	h.login("ada@example.org")
	status, body, _ := h.do("POST", "/admin/users", url.Values{"email": {"not-an-email"}, "name": {"Bo <b>"}, "role": {""}, "password": {"short"}})
	if status != 422 {
		t.Fatalf("invalid user: status %d", status)
	}
	for _, w := range []string{"Enter an email address in the correct format", "Select a role", "Password must be 12 characters or more", `value="not-an-email"`, `value="Bo &lt;b&gt;"`} {
		if !strings.Contains(body, w) {
			t.Errorf("invalid user page lacks %q", w)
		}
	}
	status, _, _ = h.do("POST", "/admin/users", url.Values{"email": {"bo@example.org"}, "name": {"Bo"}, "role": {"facilitator"}, "password": {testPassword}})
	if status != 303 {
		t.Fatalf("valid user: status %d", status)
	}
	bo, err := h.accounts.ByEmail(context.Background(), "bo@example.org")
	if err != nil {
		t.Fatal(err)
	}
	h.do("POST", "/admin/users/"+itoa(bo.ID)+"/role", url.Values{"role": {"officer"}})
	h.do("POST", "/admin/users/"+itoa(bo.ID)+"/disable", url.Values{})
	bo, _ = h.accounts.ByEmail(context.Background(), "bo@example.org")
	if bo.Role != accounts.Officer || !bo.Disabled() {
		t.Fatalf("role %s disabled %v, want officer and disabled", bo.Role, bo.Disabled())
	}
	status, body, _ = h.do("GET", "/admin/audit", nil)
	if status != 200 {
		t.Fatalf("audit page: %d %.500s", status, body)
	}
	for _, w := range []string{"user.created", "user.role_changed", "user.disabled", "login.succeeded"} {
		if !strings.Contains(body, w) {
			t.Errorf("audit log lacks %s", w)
		}
	}
}

func TestBearerTokenOnAPI(t *testing.T) {
	h := newHarness(t)
	h.user("ada@example.org", accounts.Officer)
	token, err := h.accounts.CreateToken(context.Background(), "ada@example.org", "test")
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := h.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+token)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var me struct{ Email, Role string }
	if err := json.Unmarshal([]byte(body), &me); err != nil || me.Email != "ada@example.org" || me.Role != "officer" {
		t.Fatalf("me = %+v (%v)", me, err)
	}
}

func TestMalformedAPIBodyAndMethod(t *testing.T) {
	h := newHarness(t)
	req := httptest.NewRequest("POST", "/api/v1/programme", strings.NewReader("{not json"))
	req.Header.Set("Content-Type", "application/json")
	status, body, _ := h.send(req)
	if status != 404 && status != 405 {
		t.Fatalf("status %d", status)
	}
	if !strings.HasPrefix(body, "{") {
		t.Errorf("api error is not JSON: %s", body)
	}
}

func TestHealthWhenDatabaseIsGone(t *testing.T) {
	h := newHarness(t)
	database.Close(h.db)
	status, body, _ := h.do("GET", "/healthz", nil)
	if status != 503 || !strings.Contains(body, "unreachable") {
		t.Fatalf("status %d body %s, want 503", status, body)
	}
	status, body, _ = h.do("GET", "/", nil)
	if status != 503 || !strings.Contains(body, "Your answers are kept in this page") || strings.Contains(body, "sql:") {
		t.Fatalf("home with no database: %d %.300s", status, body)
	}
}

func itoa(n uint) string {
	b, _ := json.Marshal(n)
	return string(b)
}
