package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// demoSurvey is the demo consultation residents answer.
const demoSurvey = "/consultations/early-help-islington"

// answerRequired answers every question on the page that is not marked
// optional, as a resident would: the first choice of each required group
// and a few words in each required text box. Text boxes that already hold
// words are left alone. It reports how many it answered.
func answerRequired(t *testing.T, ctx context.Context, words string) int {
	t.Helper()
	var n int
	js := `(() => {
	  let n = 0;
	  document.querySelectorAll('main form fieldset').forEach(fs => {
	    const legend = fs.querySelector('legend');
	    if (!legend || legend.textContent.includes('(optional)') || fs.querySelector('input:checked')) return;
	    const first = fs.querySelector('input[type=radio], input[type=checkbox]');
	    if (first) { first.click(); n++; }
	  });
	  document.querySelectorAll('main form .cs-form-group > label.cs-label').forEach(l => {
	    if (l.textContent.includes('(optional)')) return;
	    const el = document.getElementById(l.htmlFor);
	    if (!el || el.type === 'radio' || el.type === 'checkbox' || el.value !== '') return;
	    el.value = el.type === 'email' ? 'resident@example.org' : (el.inputMode === 'decimal' ? '30' : (el.type === 'date' ? '2026-01-02' : ` + "`" + `%WORDS%` + "`" + `));
	    n++;
	  });
	  return n;
	})()`
	js = strings.Replace(js, "%WORDS%", strings.ReplaceAll(words, "`", ""), 1)
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &n)); err != nil {
		t.Fatal(err)
	}
	return n
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	var loc string
	if err := chromedp.Run(ctx, chromedp.Location(&loc)); err != nil {
		t.Fatal(err)
	}
	return loc
}

// A resident answers the demo consultation from start to confirmation,
// with and without JavaScript: a mistake first, then every page, check
// their answers, change one, and send. Every page passes axe-core.
func TestBrowserResidentAnswersTheDemoConsultation(t *testing.T) {
	for _, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := newBrowser(t, js)
			srv := startServer(t, nil)

			visit(t, ctx, srv.URL+"/consultations")
			checkA11y(t, ctx, "consultations")
			clickLink(t, ctx, "Shaping early help")
			if got := text(t, ctx, "main"); !strings.Contains(got, "Samaritans") || !strings.Contains(got, "How we use your answers") {
				t.Fatalf("start page:\n%s", got)
			}
			checkA11y(t, ctx, "start page")
			clickLink(t, ctx, "Start now")

			// Continue with nothing answered: the summary says what to fix,
			// unless this page asks nothing that is required.
			submit(t, ctx, nil, `main form button[value=continue]`)
			if strings.Contains(location(t, ctx), "/pages/1") {
				if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "There is a problem") {
					t.Fatalf("error summary = %q", got)
				}
				checkA11y(t, ctx, "page 1 with errors")
			}

			words := `The peer group at the community centre <script>alert("x")</script> helped most`
			for i := 0; i < 12 && strings.Contains(location(t, ctx), "/pages/"); i++ {
				checkA11y(t, ctx, "question page "+strings.TrimPrefix(location(t, ctx), srv.URL+demoSurvey+"/"))
				if js {
					// The counter counts as the resident types.
					var hasCounter bool
					_ = chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector('textarea[data-maxlength]')`, &hasCounter))
					if hasCounter {
						if err := chromedp.Run(ctx, chromedp.SendKeys(`textarea[data-maxlength]`, "abc"+kb.Backspace, chromedp.ByQuery)); err != nil {
							t.Fatal(err)
						}
						if got := text(t, ctx, ".cs-counter"); !strings.Contains(got, "characters remaining") {
							t.Errorf("live counter says %q", got)
						}
						if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('textarea[data-maxlength]').value = ''`, nil)); err != nil {
							t.Fatal(err)
						}
					}
				}
				answerRequired(t, ctx, words)
				// Free text that is optional is answered too, so the words travel.
				_ = chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('main textarea').forEach(t => { if (t.value === '') t.value = `+"`"+words+"`"+`; })`, nil))
				before := location(t, ctx)
				submit(t, ctx, nil, `main form button[value=continue]`)
				if location(t, ctx) == before {
					// A question revealed by an answer, or a problem to fix.
					answerRequired(t, ctx, words)
					submit(t, ctx, nil, `main form button[value=continue]`)
				}
			}
			if !strings.HasSuffix(location(t, ctx), "/check") {
				t.Fatalf("after the pages the browser is at %s:\n%s", location(t, ctx), text(t, ctx, "main"))
			}
			got := text(t, ctx, "main")
			if !strings.Contains(got, `<script>alert("x")</script>`) || !strings.Contains(got, "Change") {
				t.Fatalf("check page does not show the words as typed:\n%s", got)
			}
			checkA11y(t, ctx, "check your answers")

			// Change one answer and come back to the check page.
			if err := chromedp.Run(ctx, chromedp.Evaluate(`window.__csOld = true`, nil),
				chromedp.Click(`//main//a[contains(@href, "change=1")]`, chromedp.BySearch)); err != nil {
				t.Fatal(err)
			}
			waitForNewPage(t, ctx)
			submit(t, ctx, nil, `main form button[value=continue]`)
			if !strings.HasSuffix(location(t, ctx), "/check") {
				t.Fatalf("after changing an answer the browser is at %s", location(t, ctx))
			}

			submit(t, ctx, nil, `main form button[type=submit]`)
			if h1 := text(t, ctx, "h1"); !strings.Contains(h1, "we have your answers") {
				t.Fatalf("confirmation h1 = %q\n%s", h1, text(t, ctx, "main"))
			}
			if got := text(t, ctx, "main"); !strings.Contains(got, "CS-") || !strings.Contains(got, "Samaritans") {
				t.Fatalf("confirmation page:\n%s", got)
			}
			checkA11y(t, ctx, "confirmation")
		})
	}
}

// A resident saves part way, leaves, and comes back with the private link
// in a browser that has never seen the survey.
func TestBrowserSaveAndComeBackLater(t *testing.T) {
	srv := startServer(t, nil)
	ctx := newBrowser(t, false)
	visit(t, ctx, srv.URL+demoSurvey+"/pages/1")
	answerRequired(t, ctx, "saved words")
	var checked []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('main input:checked')].map(e => e.id)`, &checked)); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, nil, `main form button[value=save]`)
	if h1 := text(t, ctx, "h1"); h1 != "Your answers are saved" {
		t.Fatalf("h1 = %q", h1)
	}
	checkA11y(t, ctx, "saved")
	var link string
	if err := chromedp.Run(ctx, chromedp.Value("#resume-link", &link, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(link, "/resume/") {
		t.Fatalf("link = %q", link)
	}

	other := newBrowser(t, true)
	visit(t, other, link)
	if got := text(t, other, "main"); !strings.Contains(got, "Welcome back") {
		t.Fatalf("after the link:\n%s", got)
	}
	for _, id := range checked {
		var on bool
		if err := chromedp.Run(other, chromedp.Evaluate(`document.getElementById(`+"`"+id+"`"+`).checked`, &on)); err != nil || !on {
			t.Errorf("answer %s was not restored (%v)", id, err)
		}
	}
	checkA11y(t, other, "restored page")

	// A tampered link shows a plain "not found".
	visit(t, other, link[:len(link)-3]+"abc")
	if h1 := text(t, other, "h1"); h1 != "Page not found" {
		t.Errorf("tampered link h1 = %q", h1)
	}
}
