package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserHomeAndLogin(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			srv := startServer(t, nil)

			visit(t, ctx, srv.URL+"/")
			if h1 := text(t, ctx, "h1"); !strings.Contains(h1, "Early help and prevention") {
				t.Errorf("home h1 = %q", h1)
			}
			checkA11y(t, ctx, "home")

			visit(t, ctx, srv.URL+"/login")
			checkA11y(t, ctx, "login")

			submit(t, ctx, map[string]string{"#email": srv.AdminEmail, "#password": "not the password"}, "main button[type=submit]")
			if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "Enter a correct email address and password") {
				t.Errorf("failed login summary = %q", got)
			}
			var kept string
			if err := chromedp.Run(ctx, chromedp.Value("#email", &kept, chromedp.ByQuery)); err != nil || kept != srv.AdminEmail {
				t.Errorf("email not kept after failed login: %q %v", kept, err)
			}
			checkA11y(t, ctx, "failed login")

			browserLogin(t, ctx, srv)
			checkA11y(t, ctx, "staff dashboard")
			visit(t, ctx, srv.URL+"/admin/users")
			if got := text(t, ctx, "table"); !strings.Contains(got, srv.AdminEmail) {
				t.Errorf("admin user list lacks the admin: %q", got)
			}
			checkA11y(t, ctx, "admin user list")

			visit(t, ctx, srv.URL+"/admin/users/new")
			submit(t, ctx, map[string]string{"#email": "nonsense", "#name": "<script>x</script>"}, "main button[type=submit]")
			checkA11y(t, ctx, "add user with errors")

			visit(t, ctx, srv.URL+"/no-such-page")
			checkA11y(t, ctx, "404")
		})
	}
}

// The accessibility check itself must be able to fail: a page with an
// unlabelled input and an image without alt text has violations.
func TestAxeFindsViolations(t *testing.T) {
	ctx := newBrowser(t, true)
	bad := `data:text/html,<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="a.png"><input type="text"></main></body></html>`
	if err := chromedp.Run(ctx, chromedp.Navigate(bad)); err != nil {
		t.Fatal(err)
	}
	v, err := axeViolations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, x := range v {
		ids[x.ID] = true
	}
	if !ids["image-alt"] || !ids["label"] || !ids["html-has-lang"] {
		t.Fatalf("axe missed known violations; found %v", ids)
	}
}
