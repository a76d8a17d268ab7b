package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codesign/themes"

	"github.com/chromedp/chromedp"
)

// An officer changes the codebook without JavaScript: a code added after
// a refused first try, a code edited, two codes merged through the
// confirmation page, a REFI-QDA file checked for import, and the history.
// Every page passes axe-core.
func TestBrowserCodebookEditing(t *testing.T) {
	srv := startServer(t, nil)
	ctx := newBrowser(t, false)
	browserLogin(t, ctx, srv)
	visit(t, ctx, srv.URL+"/staff/themes/codebook")
	checkA11y(t, ctx, "codebook")

	visit(t, ctx, srv.URL+"/staff/themes/codebook/codes/new?parent=money_debt")
	checkA11y(t, ctx, "add a code")
	submit(t, ctx, map[string]string{"#key": "Fuel Poverty", "#label": "Fuel poverty", "#colour": "#aabbcc", "#terms": "heating\ncold home"}, `main button[type=submit]`)
	if got := text(t, ctx, ".cs-error-summary"); !strings.Contains(got, "lower case letters") {
		t.Fatalf("a bad key: %q", got)
	}
	checkA11y(t, ctx, "add a code, with errors")
	submit(t, ctx, map[string]string{"#key": "fuel_poverty"}, `main button[type=submit]`)
	if got := text(t, ctx, ".cs-notification"); !strings.Contains(got, "Code added: Fuel poverty") {
		t.Fatalf("after adding: %q", got)
	}

	visit(t, ctx, srv.URL+"/staff/themes/codebook/codes/housing/edit")
	checkA11y(t, ctx, "edit a code")
	submit(t, ctx, map[string]string{"#label": "Housing and homes", "#note": "residents' words"}, `main button[type=submit]`)
	if got := text(t, ctx, ".cs-notification"); !strings.Contains(got, "Code changed: Housing and homes") {
		t.Fatalf("after editing: %q", got)
	}

	visit(t, ctx, srv.URL+"/staff/themes/codebook/merge?from=stigma")
	checkA11y(t, ctx, "merge two codes")
	submit(t, ctx, map[string]string{"#into": "not_believed"}, `main button[type=submit]`)
	if got := text(t, ctx, "h1"); !strings.HasPrefix(got, "Merge “Stigma") {
		t.Fatalf("the confirmation page is %q", got)
	}
	checkA11y(t, ctx, "merge confirmation")
	submit(t, ctx, nil, `main button[type=submit]`)
	if got := text(t, ctx, ".cs-notification"); !strings.Contains(got, "Merged Stigma") {
		t.Fatalf("after merging: %q", got)
	}

	cb, err := themes.DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	qdc, err := cb.QDC()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "codebook.qdc")
	if err := os.WriteFile(file, qdc, 0o644); err != nil {
		t.Fatal(err)
	}
	visit(t, ctx, srv.URL+"/staff/themes/codebook/import")
	checkA11y(t, ctx, "import a codebook")
	if err := chromedp.Run(ctx, chromedp.SetUploadFiles("#file", []string{file}, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	submit(t, ctx, nil, `main button[type=submit]`)
	// The default has stigma, merged away, and housing under its old label.
	if got := text(t, ctx, "main"); !strings.Contains(got, "Added (1)") || !strings.Contains(got, "Changed (") {
		t.Fatalf("the import preview: %q", got)
	}
	checkA11y(t, ctx, "import preview")

	visit(t, ctx, srv.URL+"/staff/themes/codebook/versions")
	if got := text(t, ctx, "main"); !strings.Contains(got, "residents' words") || !strings.Contains(got, "Merged Stigma") {
		t.Fatalf("the history: %q", got)
	}
	checkA11y(t, ctx, "codebook history")
}
