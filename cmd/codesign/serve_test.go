package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// client is a cookie-keeping HTTP client that does not follow redirects.
func client(t testing.TB) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t testing.TB, c *http.Client, u string, headers ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// httpLogin signs in through the real form and returns the final status.
func httpLogin(t testing.TB, c *http.Client, base, email, password string) int {
	t.Helper()
	_, page := get(t, c, base+"/login")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("login page has no CSRF field")
	}
	resp, err := c.PostForm(base+"/login", url.Values{"_csrf": {m[1]}, "email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// checkServe is the "done when": health, admin sign-in, a CLI
// token that the API accepts.
func checkServe(t *testing.T, s *testServer) {
	c := client(t)
	if status, body := get(t, c, s.URL+"/healthz"); status != 200 || !strings.Contains(body, `"database":"ok"`) {
		t.Fatalf("healthz: %d %s", status, body)
	}
	if status := httpLogin(t, c, s.URL, s.AdminEmail, s.AdminPassword); status != 303 {
		t.Fatalf("admin login: status %d", status)
	}
	if status, body := get(t, c, s.URL+"/admin/users"); status != 200 || !strings.Contains(body, s.AdminEmail) {
		t.Fatalf("admin users after login: %d", status)
	}
	before := len(s.out.String())
	if code := s.run(context.Background(), "token", "create", "--email", s.AdminEmail); code != 0 {
		t.Fatalf("token create exited %d: %s", code, s.out.String())
	}
	token := strings.TrimSpace(s.out.String()[before:])
	if !strings.HasPrefix(token, "cds_") {
		t.Fatalf("token create printed %q", token)
	}
	status, body := get(t, client(t), s.URL+"/api/v1/me", "Authorization", "Bearer "+token)
	if status != 200 || !strings.Contains(body, s.AdminEmail) {
		t.Fatalf("api with CLI token: %d %s", status, body)
	}
}

func TestServeOnSQLite(t *testing.T) {
	checkServe(t, startServer(t, nil))
}

func TestServeOnPostgres(t *testing.T) {
	checkServe(t, startServer(t, postgresEnv(t)))
}

func TestFirstStartPrintsAGeneratedPassword(t *testing.T) {
	s := startServer(t, map[string]string{"CODESIGN_ADMIN_EMAIL": "", "CODESIGN_ADMIN_PASSWORD": ""})
	m := regexp.MustCompile(`email:\s+(\S+)\n\s+password:\s+(\S+)`).FindStringSubmatch(s.out.String())
	if m == nil {
		t.Fatalf("no login printed:\n%s", s.out.String())
	}
	if status := httpLogin(t, client(t), s.URL, m[1], m[2]); status != 303 {
		t.Fatalf("generated login refused: %d", status)
	}
}

func TestOversizedBodyIs413(t *testing.T) {
	s := startServer(t, nil)
	for _, tc := range []struct{ path, ctype, want string }{
		{"/login", "application/x-www-form-urlencoded", "too large"},
		{"/api/v1/programme", "application/json", `{"error":`},
		{"/api/v1/surveys/early-help-islington/responses", "application/json", `{"error":`},
		{"/consultations/early-help-islington/pages/1", "application/x-www-form-urlencoded", "too large"},
	} {
		status, body := rawPost(t, s.URL, tc.path, tc.ctype, 5<<20)
		if status != 413 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: status %d body %.300s", tc.path, status, body)
		}
	}
}

// rawPost announces a body of size bytes and sends only its first 64 KiB:
// the server must refuse on the announced length without reading it all,
// and the client must not be writing when the server closes.
func rawPost(t *testing.T, base, path, ctype string, size int) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", path, ctype, size)
	conn.Write([]byte(strings.Repeat("x", 64<<10)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestUserAddFromTheCommandLine(t *testing.T) {
	s := startServer(t, nil)
	if code := s.runIn(context.Background(), "a password from stdin\n", "user", "add", "--email", "fac@example.org", "--role", "facilitator", "--password-stdin"); code != 0 {
		t.Fatalf("user add exited %d: %s", code, s.out.String())
	}
	if status := httpLogin(t, client(t), s.URL, "fac@example.org", "a password from stdin"); status != 303 {
		t.Fatalf("new facilitator cannot sign in: %d", status)
	}
	if code := s.runIn(context.Background(), "", "user", "add", "--email", "bad", "--role", "boss"); code == 0 {
		t.Fatal("user add accepted a bad email and role")
	}
	if !strings.Contains(s.out.String(), "--role: Select a role") {
		t.Errorf("no plain message for the bad role:\n%s", s.out.String())
	}
}

func TestInvalidConfigRefusesToStart(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown key", "server:\n  lisen: 127.0.0.1:1\n", "field lisen not found"},
		{"wrong type", "rate_limit: lots\n", "rate_limit"},
		{"bad driver", "database:\n  driver: mysql\n", "database.driver"},
		{"bad listen", "server:\n  listen: nowhere\n", "server.listen"},
		{"bad log level", "log:\n  level: loud\n", "log.level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			out := &syncBuffer{}
			code := run(context.Background(), []string{"--config", path, "serve"}, strings.NewReader(""), out, out, func(string) string { return "" })
			if code == 0 {
				t.Fatal("server started with an invalid config")
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("output does not name %q:\n%s", tc.want, out.String())
			}
		})
	}
}

func TestMissingExplicitConfigFile(t *testing.T) {
	out := &syncBuffer{}
	code := run(context.Background(), []string{"--config", "/no/such/codesign.yaml", "migrate"}, strings.NewReader(""), out, out, func(string) string { return "" })
	if code == 0 || !strings.Contains(out.String(), "no such file") {
		t.Fatalf("code %d output %s", code, out.String())
	}
}
