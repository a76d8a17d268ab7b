package themes_test

import (
	"bytes"
	"strings"
	"testing"

	"codesign/database/dbtest"
	"codesign/themes"

	"gorm.io/gorm"
)

// Exported as REFI-QDA and imported again, the codebook is the same, terms
// and all: codes are matched by guid, and the format has no terms, so
// matched codes keep theirs.
func TestQDCRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		// A stored version with a code of its own, so the guid of a code
		// that is not in the default is matched too.
		if _, err := st.AddCode(ctx, themes.Change{}, themes.Code{Key: "fuel_poverty", Parent: "money_debt", Label: "Fuel poverty", Colour: "#aabbcc", Terms: []string{"heating"}}); err != nil {
			t.Fatal(err)
		}
		cur, v, _ := st.CurrentCodebook(ctx)
		qdc, err := cur.QDC()
		if err != nil {
			t.Fatal(err)
		}
		imp, err := st.PreviewImport(ctx, qdc, "codesign-codebook.qdc")
		if err != nil {
			t.Fatal(err)
		}
		if imp.Format != "REFI-QDA" || imp.Base != v || !imp.Diff.Empty() {
			t.Fatalf("round trip: format %s, base %d, diff %+v", imp.Format, imp.Base, imp.Diff)
		}
		a, _ := cur.YAML()
		b, _ := imp.Book.YAML()
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the codebook:\n%s\n----\n%s", a, b)
		}
		if changed, err := st.ImportCodebook(ctx, themes.Change{Base: v}, b); err != nil || changed {
			t.Fatalf("importing the same codebook: %v %v", changed, err)
		}
		// And as YAML.
		imp, err = st.PreviewImport(ctx, a, "codebook.yaml")
		if err != nil || imp.Format != "YAML" || !imp.Diff.Empty() {
			t.Fatalf("YAML round trip: %v %+v", err, imp)
		}
	})
}

// A codebook from another program: its own codes get keys from their
// names, a code without a colour takes its parent's, #RGB is written out,
// and the preview lists what changes.
func TestQDCImportFromAnotherProgram(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		cur, _ := st.Codebook(ctx)
		qdc, _ := cur.QDC()
		extra := `<Code guid="{0E2A1C7D-1111-4222-8333-944455556666}" name="Café &amp; Food banks" isCodable="true" color="#F0A">
        <Description>Food banks and community cafés.</Description>
        <Code guid="0e2a1c7d-1111-4222-8333-944455556667" name="Café &amp; food banks" isCodable="true"/>
      </Code>
    </Code>`
		// Under money_debt, which closes first in the file.
		i := bytes.Index(qdc, []byte(`name="Money, debt and benefits"`))
		end := i + bytes.Index(qdc[i:], []byte("</Code>"))
		edited := string(qdc[:end]) + extra + string(qdc[end+len("</Code>"):])
		edited = strings.Replace(edited, `name="Housing"`, `name="Housing and homes"`, 1)
		imp, err := st.PreviewImport(ctx, []byte(edited), "from-nvivo.qdc")
		if err != nil {
			t.Fatal(err)
		}
		d := imp.Diff
		if len(d.Added) != 2 || len(d.Changed) != 1 || len(d.Removed) != 0 {
			t.Fatalf("diff %+v", d)
		}
		if a := d.Added[0]; a.Key != "cafe_food_banks" || a.Parent != "money_debt" || a.Colour != "#ff00aa" || a.Description != "Food banks and community cafés." || len(a.Terms) != 0 {
			t.Errorf("added %+v", a)
		}
		if a := d.Added[1]; a.Key != "cafe_food_banks_2" || a.Parent != "cafe_food_banks" || a.Colour != "#ff00aa" {
			t.Errorf("added %+v", a)
		}
		if c := d.Changed[0]; c.New.Key != "housing" || strings.Join(c.What, ",") != "label" || len(c.New.Terms) == 0 {
			t.Errorf("changed %+v", c)
		}
		y, _ := imp.Book.YAML()
		if changed, err := st.ImportCodebook(ctx, themes.Change{Base: imp.Base, UserID: 2}, y); err != nil || !changed {
			t.Fatalf("import: %v %v", changed, err)
		}
		if h := codeOf(t, st, "housing"); h.Label != "Housing and homes" {
			t.Errorf("housing is %q", h.Label)
		}
		// The confirmation sent again changes nothing; a stale one is refused.
		if changed, err := st.ImportCodebook(ctx, themes.Change{Base: imp.Base}, y); err != nil || changed {
			t.Fatalf("second import: %v %v", changed, err)
		}
		vs, _ := st.CodebookVersions(ctx, 5)
		if len(vs) != 1 || vs[0].Kind != themes.KindImport || vs[0].Summary != "Imported a codebook: 2 codes added, 1 code changed" {
			t.Errorf("versions %+v", vs)
		}
	})
}

// Every file the import refuses, and why.
func TestImportRefusesBadFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st := themes.NewStore(db)
		tagPassages(t, st)
		cur, _ := st.Codebook(ctx)
		qdc, _ := cur.QDC()
		yml, _ := cur.YAML()
		code := func(key, parent string) string {
			return "  - key: " + key + "\n    parent: " + parent + "\n    label: L\n    colour: \"#123456\"\n"
		}
		themesYAML := "codes:\n" + code("quality_of_life", "") + code("support_organisation", "") + code("barriers", "")
		// A codebook without money_debt, which has tags.
		var noMoney []string
		for _, c := range cur.Codes {
			if c.Key != "money_debt" {
				noMoney = append(noMoney, code(c.Key, c.Parent))
			}
		}
		for _, tc := range []struct {
			name, file, text, want string
		}{
			{"bad XML", "a.qdc", `<?xml version="1.0"?>` + "\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n<Code guid=\"x\"</Codes>", "line 4: the XML is not well formed"},
			{"not a codebook", "a.qdc", `<Project xmlns="urn:QDA-XML:project:1.0"></Project>`, "not a REFI-QDA codebook"},
			{"bad guid", "a.qdc", strings.Replace(string(qdc), themes.CodeGUID("housing"), "not-a-guid", 1), "is not a GUID"},
			{"duplicate guid", "a.qdc", strings.Replace(string(qdc), themes.CodeGUID("housing"), themes.CodeGUID("money_debt"), 1), "the same guid as the code on line"},
			{"bad colour", "a.qdc", strings.Replace(string(qdc), `color="#5694ca"`, `color="red"`, 1), `colour "red" is not #RRGGBB`},
			{"empty name", "a.qdc", strings.Replace(string(qdc), `name="Housing"`, `name=" "`, 1), "label is empty"},
			{"bad YAML", "a.yaml", "codes:\n  - key: [\n", "yaml: line"},
			{"duplicate key", "a.yaml", themesYAML + code("housing", "barriers") + code("housing", "barriers"), `line 18: code "housing": duplicate key (first at line 14)`},
			{"unknown parent", "a.yaml", themesYAML + code("housing", "nowhere"), `unknown parent "nowhere"`},
			{"cycle", "a.yaml", themesYAML + code("a", "b") + code("b", "a"), "parents form a cycle"},
			{"a theme removed", "a.yaml", "codes:\n" + code("quality_of_life", "") + code("barriers", ""), `the theme "support_organisation" is missing`},
			{"a theme moved", "a.yaml", "codes:\n" + code("quality_of_life", "barriers") + code("support_organisation", "") + code("barriers", ""), `the theme "quality_of_life" must stay at the top level`},
			{"a new top level", "a.yaml", themesYAML + code("extra", ""), "sits under"},
			{"a code with tags removed", "a.yaml", "codes:\n" + strings.Join(noMoney, ""), "Money, debt and benefits (money_debt, 2 tags)"},
			{"too large", "a.yaml", string(yml) + "#" + strings.Repeat("x", themes.MaxCodebookFile), "larger than 1 MB"},
			{"not UTF-8", "a.yaml", string(yml) + "# \xff\xfe\n", "not UTF-8"},
			{"empty", "a.yaml", " \n", "empty"},
		} {
			_, err := st.PreviewImport(ctx, []byte(tc.text), tc.file)
			wantFields(t, tc.name, err, map[string]string{"file": tc.want})
		}
		if v := version(t, st); v != 0 {
			t.Errorf("a refused file stored version %d", v)
		}
		// Merged first, the code can go.
		if _, err := st.MergeCodes(ctx, themes.Change{}, "money_debt", "housing"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PreviewImport(ctx, []byte("codes:\n"+strings.Join(noMoney, "")), "a.yaml"); err != nil {
			t.Errorf("after the merge: %v", err)
		}
	})
}

func FuzzParseQDC(f *testing.F) {
	cb, err := themes.DefaultCodebook()
	if err != nil {
		f.Fatal(err)
	}
	qdc, _ := cb.QDC()
	f.Add(qdc)
	f.Add([]byte(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{0E2A1C7D-1111-4222-8333-944455556666}" name="x" isCodable="true"/></Codes></CodeBook>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := themes.ParseQDC(b, cb)
		if err == nil {
			if _, err := out.QDC(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
