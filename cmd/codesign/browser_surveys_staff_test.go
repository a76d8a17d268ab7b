package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The staff pages for building a consultation and reading its responses
// pass axe-core: the list, the survey, a question form, the responses, one
// response, the summary with its charts, entering a paper response, and a
// form with errors.
func TestBrowserStaffSurveyPages(t *testing.T) {
	ctx := newBrowser(t, true)
	srv := startServer(t, nil)
	browserLogin(t, ctx, srv)

	visit(t, ctx, srv.URL+"/staff/surveys")
	checkA11y(t, ctx, "staff surveys")
	clickLink(t, ctx, "Shaping early help")
	surveyURL := location(t, ctx)
	if got := text(t, ctx, "main"); !strings.Contains(got, "You and getting support") {
		t.Fatalf("survey page:\n%s", got)
	}
	checkA11y(t, ctx, "staff survey")

	var questionEdit string
	if err := chromedp.Run(ctx, chromedp.AttributeValue(`main a[href*="/questions/"][href$="/edit"]`, "href", &questionEdit, nil, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	visit(t, ctx, srv.URL+questionEdit)
	checkA11y(t, ctx, "question form")

	for _, page := range []string{"/responses", "/summary", "/responses/new"} {
		visit(t, ctx, surveyURL+page)
		if strings.Contains(text(t, ctx, "h1"), "not found") {
			t.Fatalf("%s is not found", page)
		}
		checkA11y(t, ctx, "staff survey "+strings.TrimPrefix(page, "/"))
	}
	visit(t, ctx, surveyURL+"/responses")
	clickLink(t, ctx, "CS-")
	checkA11y(t, ctx, "one response")

	visit(t, ctx, srv.URL+"/staff/surveys/new")
	submit(t, ctx, nil, "main form button[type=submit]")
	if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "There is a problem") {
		t.Fatalf("error summary = %q", got)
	}
	checkA11y(t, ctx, "new consultation with errors")
}
