package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser tests drive real headless Chromium and run axe-core on every page
// they visit. They need Chromium (CODESIGN_CHROMIUM, else /usr/bin/chromium
// or chromium on PATH) and axe-core (CODESIGN_AXE_PATH, the path of
// axe.min.js). Without them the tests skip, saying so; with
// CODESIGN_REQUIRE_BROWSER=1 (as .ci/run sets) a missing piece fails.

func browserPath() string {
	if p := os.Getenv("CODESIGN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

func loadAxe() (string, error) {
	axeOnce.Do(func() {
		path := os.Getenv("CODESIGN_AXE_PATH")
		if path == "" {
			axeErr = fmt.Errorf("CODESIGN_AXE_PATH is not set")
			return
		}
		b, err := os.ReadFile(path)
		axeSource, axeErr = string(b), err
	})
	return axeSource, axeErr
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	msg := why + ". Browser tests need Debian's chromium and axe-core: `apt-get install chromium` and " +
		"`npm install --prefix /tmp/axe axe-core`, then CODESIGN_AXE_PATH=/tmp/axe/node_modules/axe-core/axe.min.js (see .ci/run)"
	if os.Getenv("CODESIGN_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// newBrowser starts headless Chromium for one test; js false turns page
// scripts off, to prove a journey works without JavaScript.
func newBrowser(t *testing.T, js bool) context.Context {
	t.Helper()
	exe := browserPath()
	if exe == "" {
		skipOrFail(t, "no Chromium found")
	}
	if _, err := loadAxe(); err != nil {
		skipOrFail(t, "axe-core not available: "+err.Error())
	}
	// Not t.TempDir: Chromium's helpers may still be writing when the test
	// ends, and a failed clean-up must not fail the test.
	profile, err := os.MkdirTemp("", "codesign-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile), chromedp.WindowSize(390, 844),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for i := 0; i < 5 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(200 * time.Millisecond)
		}
	})
	// Let axe be injected despite the strict CSP; the page's own policy is
	// unchanged for everything else.
	if err := chromedp.Run(ctx, page.SetBypassCSP(true)); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	if !js {
		if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true)); err != nil {
			t.Fatal(err)
		}
	}
	return context.WithValue(ctx, noJSKey{}, !js)
}

// noJSKey marks a browser context whose page scripts are off.
type noJSKey struct{}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkA11y runs axe-core's WCAG 2.0-2.2 A and AA rules on the current page
// and fails the test on any violation.
func checkA11y(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	screenshot(t, ctx, name)
	violations, err := axeViolations(ctx)
	if err != nil {
		t.Fatalf("%s: running axe: %v", name, err)
	}
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			b, _ := json.Marshal(n.Target)
			where = append(where, string(b)+" "+truncate(n.HTML, 120))
		}
		t.Errorf("%s: axe %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
	}
}

func axeViolations(ctx context.Context) ([]axeViolation, error) {
	src, err := loadAxe()
	if err != nil {
		return nil, err
	}
	var violations []axeViolation
	run := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22a","wcag22aa"]}, resultTypes: ["violations"]}).then(r => r.violations)`
	err = chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(false),
		chromedp.Evaluate(src, nil),
		chromedp.Evaluate(run, &violations, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	// axe needs scripts on; put the no-JavaScript browser back as it was.
	if noJS, _ := ctx.Value(noJSKey{}).(bool); noJS {
		if rerr := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true)); err == nil {
			err = rerr
		}
	}
	return violations, err
}

// screenshot saves the whole page as PNG in $CODESIGN_SCREENSHOTS, when
// set, so a person can look at every page a journey visits.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("CODESIGN_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name() + "-" + name)
	if err := os.WriteFile(filepath.Join(dir, file+".png"), png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// visit opens url and waits for the main landmark.
func visit(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.WaitReady("main", chromedp.ByQuery)); err != nil {
		t.Fatalf("visiting %s: %v", url, err)
	}
}

// text returns the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
		t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// submit fills fields (selector -> value), clicks the button and waits for
// the next page to load.
func submit(t *testing.T, ctx context.Context, fields map[string]string, button string) {
	t.Helper()
	var actions []chromedp.Action
	for sel, v := range fields {
		actions = append(actions, chromedp.SetValue(sel, v, chromedp.ByQuery))
	}
	actions = append(actions, chromedp.Evaluate(`window.__csOld = true`, nil), chromedp.Click(button, chromedp.ByQuery))
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("submitting with %s: %v", button, err)
	}
	waitForNewPage(t, ctx)
}

// waitForNewPage waits until the document marked before a click has been
// replaced by a fully loaded one. Errors while the old page is torn down
// are expected and retried.
func waitForNewPage(t *testing.T, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var ready bool
		err := chromedp.Run(ctx, chromedp.Evaluate(`window.__csOld === undefined && document.readyState === "complete" && !!document.querySelector("main")`, &ready))
		if err == nil && ready {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatal("the next page did not load within 15s")
}

// browserLogin signs in as the server's admin through the form.
func browserLogin(t *testing.T, ctx context.Context, srv *testServer) {
	t.Helper()
	visit(t, ctx, srv.URL+"/login")
	submit(t, ctx, map[string]string{"#email": srv.AdminEmail, "#password": srv.AdminPassword}, "main button[type=submit]")
	var loc string
	if err := chromedp.Run(ctx, chromedp.Location(&loc)); err != nil || !strings.HasSuffix(loc, "/staff") {
		t.Fatalf("after login the browser is at %q (%v)", loc, err)
	}
}
