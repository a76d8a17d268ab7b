package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/app"
	"codesign/audit"
	"codesign/database/dbtest"
	"codesign/demo"
	"codesign/messages"
	"codesign/panels"
	"codesign/programmes"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

const testPassword = "a long test password"

// harness drives the real app over a real SQLite file, keeping cookies the
// way a browser would.
type harness struct {
	t        *testing.T
	app      *fiber.App
	db       *gorm.DB
	accounts *accounts.Store
	cookies  map[string]string
	csrf     string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, dbtest.SQLite(t).DB, app.Options{})
}

func newHarnessOn(t *testing.T, db *gorm.DB, opts app.Options) *harness {
	t.Helper()
	if err := demo.Load(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if opts.SessionKey == nil {
		opts.SessionKey = []byte("test key that is long enough for hmac use")
	}
	if opts.BodyLimit == 0 {
		opts.BodyLimit = 64 << 10
	}
	opts.BaseURL = "http://example.test"
	opts.Signposting = app.Signposting{Heading: "If you need help now", Lines: []string{"Call Samaritans free on 116 123."}}
	store := accounts.NewStore(db)
	f, err := app.New(app.Deps{DB: db, Accounts: store, Audit: audit.NewStore(db), Programmes: programmes.NewStore(db),
		Messages: messages.NewStore(db), Workshops: workshops.NewStore(db, messages.NewStore(db), workshops.Options{BaseURL: opts.BaseURL}), Coding: true, Surveys: surveys.NewStore(db),
		Themes: themes.NewStore(db), Reports: reports.NewStore(db), Panels: panels.NewStore(db, messages.NewStore(db), panels.Options{BaseURL: opts.BaseURL}),
		Safeguarding: safeguarding.NewStore(db, messages.NewStore(db))}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, app: f, db: db, accounts: store, cookies: map[string]string{}}
}

// user adds a member of staff with role.
func (h *harness) user(email string, role accounts.Role) *accounts.User {
	h.t.Helper()
	u, err := h.accounts.Create(context.Background(), nil, accounts.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, Password: testPassword})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends one request with the harness's cookies and returns the status
// and body. A form body gets the current CSRF token unless it has one.
func (h *harness) do(method, path string, form url.Values, headers ...string) (int, string, *http.Response) {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		if _, ok := form["_csrf"]; !ok && h.csrf != "" {
			form.Set("_csrf", h.csrf)
		}
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return h.send(req)
}

func (h *harness) send(req *http.Request) (int, string, *http.Response) {
	h.t.Helper()
	for k, v := range h.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := h.app.Test(req, 10_000)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(h.cookies, c.Name)
		} else {
			h.cookies[c.Name] = c.Value
		}
	}
	if m := csrfRe.FindSubmatch(b); m != nil {
		h.csrf = string(m[1])
	}
	return resp.StatusCode, string(b), resp
}

// login signs in through the real form.
func (h *harness) login(email string) {
	h.t.Helper()
	h.do("GET", "/login", nil)
	status, body, _ := h.do("POST", "/login", url.Values{"email": {email}, "password": {testPassword}})
	if status != http.StatusSeeOther {
		h.t.Fatalf("login as %s: status %d\n%s", email, status, body)
	}
	h.do("GET", "/staff", nil) // pick up the new CSRF token
}

func testCoder(t *testing.T) *themes.Coder {
	t.Helper()
	cb, err := themes.DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	return themes.NewCoder(cb)
}
