package app_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"codesign/accounts"
	"codesign/app"
	"codesign/database/dbtest"
	"codesign/themes"
)

func TestCodebookPagesNeedTheRightRole(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "facilitator reads the codebook", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook", wantStatus: 200,
			want:    []string{"Money, debt and benefits", "#2b8cc4", "words and phrases:", "See every version", "shipped with codesign"},
			notWant: []string{"Add a code", "Merge two codes", "/edit"}},
		{name: "officer sees how to change it", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook", wantStatus: 200,
			want: []string{"Add a code", "Merge two codes", "Import a codebook", `href="/staff/themes/codebook/codes/housing/edit"`, `href="/staff/themes/codebook/merge?from=housing"`}},
		{name: "facilitator reads the history", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook/versions", wantStatus: 200, want: []string{"Shipped with codesign"}},
		{name: "facilitator downloads version 0", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook/versions/0/codebook.yaml", wantStatus: 200, want: []string{"key: quality_of_life"}},
		{name: "a version that does not exist", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook/versions/9/codebook.yaml", wantStatus: 404},
		{name: "facilitator cannot add", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook/codes/new", wantStatus: 403},
		{name: "facilitator cannot post a code", as: accounts.Facilitator, method: "POST", url: "/staff/themes/codebook/codes", form: url.Values{"key": {"x_y"}, "label": {"X"}, "colour": {"#000000"}, "parent": {"barriers"}}, wantStatus: 403},
		{name: "facilitator cannot edit", as: accounts.Facilitator, method: "POST", url: "/staff/themes/codebook/codes/housing", form: url.Values{"label": {"X"}}, wantStatus: 403},
		{name: "facilitator cannot merge", as: accounts.Facilitator, method: "POST", url: "/staff/themes/codebook/merge", form: url.Values{"from": {"housing"}, "into": {"caring"}}, wantStatus: 403},
		{name: "facilitator cannot import", as: accounts.Facilitator, method: "GET", url: "/staff/themes/codebook/import", wantStatus: 403},
		{name: "facilitator cannot confirm an import", as: accounts.Facilitator, method: "POST", url: "/staff/themes/codebook/import/confirm", form: url.Values{"codebook": {"codes: []"}}, wantStatus: 403},
		{name: "resident is sent to sign in", method: "GET", url: "/staff/themes/codebook/codes/new", wantStatus: 303},
		{name: "officer adds", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/codes/new?parent=barriers", wantStatus: 200,
			want: []string{`name="key"`, `<option value="barriers" selected>`, `– Waiting times`}},
		{name: "officer edits", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/codes/housing/edit", wantStatus: 200,
			want: []string{`value="Housing"`, "overcrowded\novercrowding", `<option value="quality_of_life" selected>`, `name="version" value="0"`}, notWant: []string{`name="key"`}},
		{name: "a theme has no parent to choose", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/codes/barriers/edit", wantStatus: 200,
			want: []string{"one of the three themes", `<input type="hidden" name="parent" value="">`}, notWant: []string{`<select class="cs-select" id="parent"`}},
		{name: "no such code", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/codes/nothing/edit", wantStatus: 404},
		{name: "officer chooses what to merge", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/merge?from=money_debt", wantStatus: 200,
			want: []string{`<option value="money_debt" selected>`}, notWant: []string{`<option value="barriers" selected>`}},
		{name: "a theme cannot be merged away", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/merge?check=1&from=barriers&into=housing", wantStatus: 422,
			want: []string{"There is a problem", `href="#from"`, "A theme cannot be merged away", `<option value="housing" selected>`}},
		{name: "nothing chosen", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/merge?check=1", wantStatus: 422,
			want: []string{`href="#from"`, `href="#into"`}},
		{name: "a code into itself", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/merge?check=1&from=housing&into=housing", wantStatus: 422,
			want: []string{"Choose a different code"}},
		{name: "the merge is confirmed first", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/merge?check=1&from=money_debt&into=housing", wantStatus: 200,
			want: []string{"Merge “Money, debt and benefits” into “Housing”?", "Tags that move", `name="from" value="money_debt"`, "Merge the codes"}},
		{name: "officer sees the import form", as: accounts.Officer, method: "GET", url: "/staff/themes/codebook/import", wantStatus: 200, want: []string{`enctype="multipart/form-data"`, `name="file"`}},
	})
}

// officerOn signs an officer in on a fresh app.
func officerOn(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	return h
}

// Each bad input comes back as the form with an error summary, the
// message beside the field and what was typed kept; nothing is saved.
func TestCodeFormRefusesBadInput(t *testing.T) {
	h := officerOn(t)
	h.do("GET", "/staff/themes/codebook/codes/new", nil)
	good := url.Values{"key": {"fuel_poverty"}, "label": {"Fuel poverty"}, "description": {"Cold homes."}, "colour": {"#aabbcc"},
		"parent": {"money_debt"}, "terms": {"heating\ncold home"}, "version": {"0"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = append([]string(nil), vs...)
		}
		f.Set(k, v)
		return f
	}
	for _, tc := range []struct {
		name, path string
		form       url.Values
		field      string
		want, kept string
	}{
		{"key with spaces", "/staff/themes/codebook/codes", with("key", "Fuel Poverty"), "key", "lower case letters", `value="Fuel Poverty"`},
		{"duplicate key", "/staff/themes/codebook/codes", with("key", "housing"), "key", "already a code with the key housing", "heating\ncold home"},
		{"no label", "/staff/themes/codebook/codes", with("label", " "), "label", "Enter a label", `value="#aabbcc"`},
		{"bad colour", "/staff/themes/codebook/codes", with("colour", "#12345"), "colour", "six hexadecimal digits", `value="#12345"`},
		{"unknown parent", "/staff/themes/codebook/codes", with("parent", "nowhere"), "parent", "Choose where this code sits", `value="Fuel poverty"`},
		{"no parent", "/staff/themes/codebook/codes", with("parent", ""), "parent", "Choose the theme or code", `value="Fuel poverty"`},
		{"long note", "/staff/themes/codebook/codes", with("note", strings.Repeat("n", 501)), "note", "at most 500", `value="Fuel poverty"`},
		{"edit: a cycle", "/staff/themes/codebook/codes/money_debt", with("parent", "money_debt"), "parent", "not this code or one of the codes under it", "heating\ncold home"},
		{"edit: empty label", "/staff/themes/codebook/codes/housing", with("label", ""), "label", "Enter a label", `value="#aabbcc"`},
	} {
		status, body, _ := h.do("POST", tc.path, tc.form)
		if status != 422 {
			t.Errorf("%s: %d, want 422", tc.name, status)
			continue
		}
		wantIn(t, tc.name, body, "There is a problem", `href="#`+tc.field+`"`, `id="`+tc.field+`-error"`, tc.want, tc.kept)
	}
	if vs, _ := themes.NewStore(h.db).CodebookVersions(context.Background(), 5); len(vs) != 0 {
		t.Fatalf("refused forms saved %d versions", len(vs))
	}
	// A theme has no parent to choose: one sent anyway is ignored.
	if status, _, _ := h.do("POST", "/staff/themes/codebook/codes/barriers", with("parent", "housing")); status != 303 {
		t.Fatalf("a theme with a parent: %d", status)
	}
	if cb, _ := themes.NewStore(h.db).Codebook(context.Background()); cb.Theme("barriers") != "barriers" {
		t.Fatal("a theme was put under a code")
	}
}

func TestAddAndEditCodes(t *testing.T) {
	h := officerOn(t)
	h.do("GET", "/staff/themes/codebook/codes/new", nil)
	form := url.Values{"key": {"fuel_poverty"}, "label": {"Fuel poverty"}, "description": {"Cold homes."}, "colour": {"#AABBCC"},
		"parent": {"money_debt"}, "terms": {"heating\r\n  cold home \r\n\r\nHeating"}, "note": {"asked for at the October workshop"}, "version": {"0"}}
	status, _, resp := h.do("POST", "/staff/themes/codebook/codes", form)
	if status != 303 || resp.Header.Get("Location") != "/staff/themes/codebook" {
		t.Fatalf("add: %d %s", status, resp.Header.Get("Location"))
	}
	_, body, _ := h.do("GET", "/staff/themes/codebook", nil)
	wantIn(t, "the list after adding", body, "Code added: Fuel poverty", "Fuel poverty", "fuel_poverty &middot; #aabbcc &middot; under Money, debt and benefits",
		"2 words and phrases:</strong> heating, cold home", "Version 1")
	// The same form again adds nothing more.
	if status, _, _ := h.do("POST", "/staff/themes/codebook/codes", form); status != 303 {
		t.Fatalf("add again: %d", status)
	}
	_, body, _ = h.do("GET", "/staff/themes/codebook", nil)
	wantIn(t, "the list after adding twice", body, "That code was added already")

	h.do("GET", "/staff/themes/codebook/codes/fuel_poverty/edit", nil)
	edit := url.Values{"label": {"Fuel and energy"}, "description": {"Cold homes."}, "colour": {"#aabbcc"}, "parent": {"barriers"},
		"terms": {"heating\nenergy bills"}, "version": {"1"}}
	if status, _, resp := h.do("POST", "/staff/themes/codebook/codes/fuel_poverty", edit); status != 303 || resp.Header.Get("Location") != "/staff/themes/codebook#fuel_poverty" {
		t.Fatalf("edit: %d", status)
	}
	cb, _ := themes.NewStore(h.db).Codebook(context.Background())
	if c, _ := cb.Code("fuel_poverty"); c.Label != "Fuel and energy" || cb.Theme("fuel_poverty") != "barriers" || strings.Join(c.Terms, "|") != "heating|energy bills" {
		t.Fatalf("after the edit: %+v", c)
	}
	// Sent twice: nothing more. Sent from a page opened before a change: 409.
	if status, _, _ := h.do("POST", "/staff/themes/codebook/codes/fuel_poverty", edit); status != 303 {
		t.Fatalf("edit again: %d", status)
	}
	edit.Set("label", "Something else")
	if status, body, _ := h.do("POST", "/staff/themes/codebook/codes/fuel_poverty", edit); status != 409 || !strings.Contains(body, "Someone else changed the codebook") {
		t.Fatalf("stale edit: %d\n%.500s", status, body)
	}
	_, body, _ = h.do("GET", "/staff/themes/codebook/versions", nil)
	wantIn(t, "the history", body, "Added Fuel poverty (fuel_poverty)", "asked for at the October workshop", "Changed Fuel and energy (fuel_poverty)", "by officer")
	// A form without its CSRF token changes nothing.
	edit.Set("_csrf", "forged")
	if status, _, _ := h.do("POST", "/staff/themes/codebook/codes/fuel_poverty", edit); status != 403 {
		t.Fatalf("no CSRF token: %d", status)
	}
	if vs, _ := themes.NewStore(h.db).CodebookVersions(context.Background(), 5); len(vs) != 2 {
		t.Fatalf("%d versions, want 2", len(vs))
	}
}

// The confirmation says how many tags move; sending it twice merges once.
func TestMergeThroughTheApp(t *testing.T) {
	h := officerOn(t)
	var tags, suggestions int64
	h.db.Table("theme_codings").Where("code = ? AND decision IN ?", "waiting_times", []string{"accepted", "added"}).Count(&tags)
	h.db.Table("theme_suggestions").Where("code = ?", "waiting_times").Count(&suggestions)
	if tags == 0 || suggestions == 0 {
		t.Fatalf("the demo has %d tags and %d suggestions of waiting_times", tags, suggestions)
	}
	_, body, _ := h.do("GET", "/staff/themes/codebook/merge?check=1&from=waiting_times&into=thresholds", nil)
	wantIn(t, "the confirmation", body, `<strong id="tags-moving">`+strconv.FormatInt(tags, 10)+`</strong>`, strconv.FormatInt(suggestions, 10)+" of codesign's suggestions")
	form := url.Values{"from": {"waiting_times"}, "into": {"thresholds"}, "note": {"one barrier"}}
	for i, want := range []string{"Merged Waiting times into", "already been merged"} {
		status, _, resp := h.do("POST", "/staff/themes/codebook/merge", form)
		if status != 303 || resp.Header.Get("Location") != "/staff/themes/codebook" {
			t.Fatalf("merge %d: %d", i+1, status)
		}
		_, body, _ := h.do("GET", "/staff/themes/codebook", nil)
		wantIn(t, "after the merge", body, want)
	}
	var left int64
	h.db.Table("theme_codings").Where("code = ?", "waiting_times").Count(&left)
	if left != 0 {
		t.Errorf("%d codings still waiting_times", left)
	}
	if vs, _ := themes.NewStore(h.db).CodebookVersions(context.Background(), 5); len(vs) != 1 || vs[0].Note != "one barrier" {
		t.Fatalf("versions %+v", vs)
	}
	// A note too long comes back on the confirmation page.
	form = url.Values{"from": {"stigma"}, "into": {"thresholds"}, "note": {strings.Repeat("n", 501)}}
	if status, body, _ := h.do("POST", "/staff/themes/codebook/merge", form); status != 422 || !strings.Contains(body, `href="#note"`) || !strings.Contains(body, "Merge the codes") {
		t.Fatalf("long note: %d\n%.500s", status, body)
	}
}

// uploadCodebook posts the import form with a file, as a browser does.
func uploadCodebook(t *testing.T, h *harness, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", h.csrf)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/staff/themes/codebook/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, _ := h.send(req)
	return status, body
}

func TestCodebookImportThroughTheApp(t *testing.T) {
	h := newHarnessOn(t, dbtest.SQLite(t).DB, app.Options{BodyLimit: 3 << 20})
	h.user("officer@example.org", accounts.Officer)
	h.login("officer@example.org")
	h.do("GET", "/staff/themes/codebook/import", nil)
	cb, _ := themes.NewStore(h.db).Codebook(context.Background())
	qdc, _ := cb.QDC()
	yml, _ := cb.YAML()

	status, body := uploadCodebook(t, h, "codesign-codebook.qdc", qdc)
	if status != 200 {
		t.Fatalf("the same codebook: %d\n%.500s", status, body)
	}
	wantIn(t, "the same codebook", body, fmt.Sprintf("REFI-QDA file has %d codes", len(cb.Codes)), "importing it changes nothing")

	changed := bytes.Replace(qdc, []byte(`name="Housing"`), []byte(`name="Housing and homes"`), 1)
	status, body = uploadCodebook(t, h, "from-nvivo.qdc", changed)
	if status != 200 {
		t.Fatalf("a changed codebook: %d\n%.500s", status, body)
	}
	wantIn(t, "the preview", body, "Changed (1)", "Housing and homes", "Added (0)", "Removed (0)", `name="codebook" value="codes:`, "Import the codebook")
	confirm := url.Values{"codebook": {hiddenValue(t, body, "codebook")}, "version": {"0"}, "note": {"from NVivo"}}
	for i, want := range []string{"Codebook imported", "Nothing was changed"} {
		if status, _, _ := h.do("POST", "/staff/themes/codebook/import/confirm", confirm); status != 303 {
			t.Fatalf("confirm %d: %d", i+1, status)
		}
		_, body, _ := h.do("GET", "/staff/themes/codebook", nil)
		wantIn(t, "after the import", body, want, "Housing and homes")
	}
	// A codebook changed in the page is checked again.
	confirm.Set("codebook", "codes:\n  - key: barriers\n    label: B\n    colour: \"#000000\"\n")
	if status, body, _ := h.do("POST", "/staff/themes/codebook/import/confirm", confirm); status != 422 || !strings.Contains(body, "is missing") {
		t.Fatalf("a forged codebook: %d\n%.500s", status, body)
	}

	noHousing := strings.Replace(string(yml), "- key: housing\n", "- key: housing_gone\n", 1)
	with := func(extra ...themes.Code) []byte {
		b, _ := (&themes.Codebook{Codes: append(slices.Clone(cb.Codes), extra...)}).YAML()
		return b
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"no file", "", nil, "Choose a codebook file"},
		{"bad XML", "a.qdc", []byte("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n<Code"), "line 3: the XML is not well formed"},
		{"bad YAML", "a.yaml", []byte("codes:\n  - key: [\n"), "yaml: line"},
		{"duplicate key", "a.yaml", with(themes.Code{Key: "housing", Parent: "barriers", Label: "H", Colour: "#000000"}), `code &#34;housing&#34;: duplicate key (first at line`},
		{"unknown parent", "a.yaml", with(themes.Code{Key: "extra", Parent: "nowhere", Label: "H", Colour: "#000000"}), `unknown parent &#34;nowhere&#34;`},
		{"cycle", "a.yaml", with(themes.Code{Key: "a_a", Parent: "b_b", Label: "H", Colour: "#000000"}, themes.Code{Key: "b_b", Parent: "a_a", Label: "H", Colour: "#000000"}), "parents form a cycle"},
		{"not UTF-8", "a.yaml", append(append([]byte{}, yml...), 0xff, 0xfe), "not UTF-8"},
		{"over 1 MB", "a.yaml", append(append([]byte{}, yml...), bytes.Repeat([]byte("#"), 1<<20)...), "1 MB or smaller"},
		{"a code with tags left out", "a.yaml", []byte(noHousing), "Merge each into another code first"},
	} {
		status, body := uploadCodebook(t, h, tc.file, tc.data)
		if status != 422 {
			t.Errorf("%s: %d, want 422", tc.name, status)
			continue
		}
		wantIn(t, tc.name, body, "There is a problem", `href="#file"`, tc.want)
	}
	if vs, _ := themes.NewStore(h.db).CodebookVersions(context.Background(), 5); len(vs) != 1 {
		t.Fatalf("%d versions, want the one import", len(vs))
	}
}

// hiddenValue reads a hidden field's value out of a page, unescaped.
func hiddenValue(t *testing.T, body, name string) string {
	t.Helper()
	start := strings.Index(body, `name="`+name+`" value="`)
	if start < 0 {
		t.Fatalf("no field %s", name)
	}
	rest := body[start+len(`name="`+name+`" value="`):]
	return html.UnescapeString(rest[:strings.IndexByte(rest, '"')])
}
