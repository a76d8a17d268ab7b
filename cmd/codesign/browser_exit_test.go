package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// "Exit this page" leaves codesign at once: the button works without
// JavaScript, and with it pressing Shift three times does the same.
func TestBrowserExitThisPage(t *testing.T) {
	srv := startServer(t, nil)
	for _, js := range []bool{false, true} {
		name := map[bool]string{true: "Shift three times", false: "the button without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			visit(t, ctx, srv.URL+demoSurvey+"/pages/1")
			var href string
			if err := chromedp.Run(ctx, chromedp.AttributeValue(`[data-exit-this-page]`, "href", &href, nil, chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(href, srv.URL) || !strings.HasPrefix(href, "https://") {
				t.Fatalf("exit link %q does not leave the site", href)
			}
			var action chromedp.Action = chromedp.Click(`[data-exit-this-page]`, chromedp.ByQuery)
			if js {
				action = chromedp.Evaluate(`for (let i = 0; i < 3; i++) document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Shift'}))`, nil)
			}
			if err := chromedp.Run(ctx, action); err != nil {
				t.Fatal(err)
			}
			// The neutral site may not load here (no internet in tests): what
			// matters is that the browser has left codesign.
			deadline := time.Now().Add(10 * time.Second)
			for {
				var loc string
				_ = chromedp.Run(ctx, chromedp.Location(&loc))
				if loc != "" && !strings.HasPrefix(loc, srv.URL) {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("still on %s after exiting", loc)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}
