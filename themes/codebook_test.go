package themes

import (
	"strings"
	"testing"
)

func TestDefaultCodebook(t *testing.T) {
	cb, err := DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	top := map[string]bool{}
	for _, c := range cb.Codes {
		if c.Parent == "" {
			top[c.Key] = true
		}
	}
	for _, k := range []string{"quality_of_life", "support_organisation", "barriers"} {
		if !top[k] {
			t.Errorf("missing theme %s", k)
		}
	}
	if len(top) != 3 || len(cb.Codes) < 25 {
		t.Errorf("%d themes, %d codes", len(top), len(cb.Codes))
	}
	if cb.Theme("waiting_times") != "barriers" {
		t.Error("waiting_times is not under barriers")
	}
}

func TestBadCodebooks(t *testing.T) {
	code := func(key, parent string) string {
		return "  - key: " + key + "\n    parent: " + parent + "\n    label: L\n    colour: \"#123456\"\n"
	}
	cases := map[string]struct{ yaml, want string }{
		"duplicate":      {"codes:\n" + code("a", "") + code("a", ""), "line 6: code \"a\": duplicate key (first at line 2)"},
		"unknown parent": {"codes:\n" + code("a", "") + code("b", "zzz"), "line 6: code \"b\": unknown parent \"zzz\""},
		"cycle":          {"codes:\n" + code("a", "b") + code("b", "a"), "parents form a cycle"},
		"bad colour":     {"codes:\n  - key: a\n    label: L\n    colour: red\n", "colour \"red\" is not #RRGGBB"},
		"no label":       {"codes:\n  - key: a\n    colour: \"#123456\"\n", "label is empty"},
		"not yaml":       {"codes: [", "codebook"},
		"empty":          {"", "no codes"},
	}
	for name, tc := range cases {
		_, err := ParseCodebook([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
}

func FuzzParseCodebook(f *testing.F) {
	f.Add([]byte("codes:\n  - key: a\n    label: L\n    colour: \"#123456\"\n"))
	f.Add([]byte("codes: [{key: a, parent: a, label: x, colour: '#000000'}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cb, err := ParseCodebook(b)
		if err == nil {
			NewCoder(cb).Code("waiting list")
		}
	})
}
