package themes

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"codesign/errs"
)

// ThemeKeys are the three top-level themes. Reports count passages by
// them, so a stored codebook always has them, at the top level, under
// these keys, and every other code sits under one of them.
var ThemeKeys = []string{"quality_of_life", "support_organisation", "barriers"}

// IsTheme reports whether key is one of the three themes.
func IsTheme(key string) bool { return slices.Contains(ThemeKeys, key) }

// Limits on one code of a stored codebook.
const (
	MaxLabel       = 100
	MaxDescription = 1000
	MaxTerms       = 300
	MaxTerm        = 100
)

// Code returns the code with key.
func (cb *Codebook) Code(key string) (Code, bool) {
	if i := cb.index(key); i >= 0 {
		return cb.Codes[i], true
	}
	return Code{}, false
}

func (cb *Codebook) index(key string) int {
	return slices.IndexFunc(cb.Codes, func(c Code) bool { return c.Key == key })
}

// Depth is how many parents a code has: 0 for a theme.
func (cb *Codebook) Depth(key string) int {
	parent := map[string]string{}
	for _, c := range cb.Codes {
		parent[c.Key] = c.Parent
	}
	d := 0
	for k := parent[key]; k != "" && d <= len(parent); k = parent[k] {
		d++
	}
	return d
}

func (cb *Codebook) clone() *Codebook {
	out := &Codebook{Codes: make([]Code, len(cb.Codes))}
	for i, c := range cb.Codes {
		c.Terms = slices.Clone(c.Terms)
		out.Codes[i] = c
	}
	return out
}

// tidy puts each code after its parent and the codes before it under the
// same parent, so the list reads as the tree it is and exports the same
// way whichever order the edits came in. Codes caught in a cycle keep
// their place at the end, for the checks to name.
func (cb *Codebook) tidy() {
	children := map[string][]Code{}
	known := map[string]bool{}
	for _, c := range cb.Codes {
		known[c.Key] = true
	}
	for _, c := range cb.Codes {
		p := c.Parent
		if !known[p] {
			p = "" // an unknown parent: kept at the top for the checks to name
		}
		children[p] = append(children[p], c)
	}
	out := make([]Code, 0, len(cb.Codes))
	placed := map[string]bool{}
	var walk func(parent string)
	walk = func(parent string) {
		for _, c := range children[parent] {
			if placed[c.Key] {
				continue
			}
			placed[c.Key] = true
			out = append(out, c)
			walk(c.Key)
		}
	}
	walk("")
	for _, c := range cb.Codes {
		if !placed[c.Key] {
			out = append(out, c)
		}
	}
	cb.Codes = out
}

// ParseTerms reads terms written one to a line: spaces trimmed, blank lines
// and repeats (in any case) left out.
func ParseTerms(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		t := strings.Join(strings.Fields(line), " ")
		if t != "" && !slices.ContainsFunc(out, func(s string) bool { return strings.EqualFold(s, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// cleanCode trims what a person typed.
func cleanCode(c Code) Code {
	c.Key = strings.TrimSpace(c.Key)
	c.Parent = strings.TrimSpace(c.Parent)
	c.Label = strings.Join(strings.Fields(c.Label), " ")
	c.Description = strings.TrimSpace(c.Description)
	c.Colour = strings.ToLower(strings.TrimSpace(c.Colour))
	c.Terms = ParseTerms(strings.Join(c.Terms, "\n"))
	return c
}

func sameCode(a, b Code) bool {
	return a.Key == b.Key && a.Parent == b.Parent && a.Label == b.Label && a.Description == b.Description &&
		a.Colour == b.Colour && slices.Equal(a.Terms, b.Terms)
}

// Friendly words for each check, beside the field on the staff pages.
var fieldMessages = map[string]string{
	"key":    "Enter a key of lower case letters, digits and underscores, starting with a letter (at most 60), like money_debt",
	"label":  "Enter a label",
	"colour": "Enter a colour as # and six hexadecimal digits, like #1d70b8",
	"parent": "Choose where this code sits from the list",
}

// checkCode checks the code at place i of a whole codebook, as the form
// that edits or adds it shows: one plain-English message per field.
func (cb *Codebook) checkCode(i int) error { return cb.codeFields(i, cb.problems()).Err() }

// codeFields puts the problems ps found with the code at place i, and the
// rules for a stored code, beside the form's fields.
func (cb *Codebook) codeFields(i int, ps []problem) *errs.Fields {
	f := &errs.Fields{}
	c := cb.Codes[i]
	switch {
	case IsTheme(c.Key) && c.Parent != "":
		f.Add("parent", "A theme stays at the top level: leave the parent empty")
	case !IsTheme(c.Key) && c.Parent == "":
		f.Add("parent", "Choose the theme or code this code sits under")
	}
	for _, p := range ps {
		if p.index != i {
			continue
		}
		switch {
		case p.first >= 0:
			f.Add("key", fmt.Sprintf("There is already a code with the key %s: choose another", c.Key))
		case p.reason == "its parents form a cycle":
			f.Add("parent", "Choose a parent that is not this code or one of the codes under it")
		default:
			f.Add(p.field, fieldMessages[p.field])
		}
	}
	if utf8.RuneCountInString(c.Label) > MaxLabel {
		f.Add("label", fmt.Sprintf("Enter a label of at most %d characters", MaxLabel))
	}
	if utf8.RuneCountInString(c.Description) > MaxDescription {
		f.Add("description", fmt.Sprintf("Enter a description of at most %d characters", MaxDescription))
	}
	if len(c.Terms) > MaxTerms {
		f.Add("terms", fmt.Sprintf("Enter at most %d words and phrases", MaxTerms))
	}
	for _, t := range c.Terms {
		if utf8.RuneCountInString(t) > MaxTerm {
			f.Add("terms", fmt.Sprintf("Each word or phrase must be at most %d characters: %.40s... is longer", MaxTerm, t))
		}
	}
	return f
}

// checkStored checks a whole codebook before it is stored: what
// ParseCodebook checks, the three themes in place, every other code under
// one of them and the limits on each code. The error names the code.
func (cb *Codebook) checkStored() error {
	if len(cb.Codes) == 0 {
		return fmt.Errorf("the codebook has no codes")
	}
	if ps := cb.problems(); len(ps) > 0 {
		return fmt.Errorf("code %q: %s", cb.Codes[ps[0].index].Key, ps[0].reason)
	}
	for _, k := range ThemeKeys {
		if c, ok := cb.Code(k); !ok {
			return fmt.Errorf("the theme %q is missing: the three themes cannot be removed or re-keyed", k)
		} else if c.Parent != "" {
			return fmt.Errorf("the theme %q must stay at the top level", k)
		}
	}
	for i, c := range cb.Codes {
		if f := cb.codeFields(i, nil); f.Has() {
			return fmt.Errorf("code %q: %s", c.Key, f.Messages[f.Order[0]])
		}
	}
	return nil
}

// mergeInto returns the codebook with code from merged into code into:
// from's words join into's, the codes under from move under into, and
// from is gone.
func (cb *Codebook) mergeInto(from, into string) (*Codebook, error) {
	f := &errs.Fields{}
	switch {
	case cb.index(from) < 0:
		f.Add("from", "Choose the code to merge from the codebook")
	case IsTheme(from):
		f.Add("from", "A theme cannot be merged away: choose a code under a theme")
	}
	switch {
	case cb.index(into) < 0:
		f.Add("into", "Choose the code to merge it into from the codebook")
	case into == from:
		f.Add("into", "Choose a different code to merge it into")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	out := cb.clone()
	gone, _ := out.Code(from)
	for i := range out.Codes {
		c := &out.Codes[i]
		switch {
		case c.Key == into:
			c.Terms = ParseTerms(strings.Join(append(c.Terms, gone.Terms...), "\n"))
			if c.Parent == from {
				c.Parent = gone.Parent
			}
		case c.Parent == from:
			c.Parent = into
		}
	}
	out.Codes = slices.Delete(out.Codes, out.index(from), out.index(from)+1)
	out.tidy()
	return out, nil
}

// CodeChange is a code an import changes, before and after.
type CodeChange struct {
	Old, New Code
	What     []string // "label", "description", "colour", "parent", "terms"
}

// CodebookDiff is what an import would change.
type CodebookDiff struct {
	Added   []Code
	Changed []CodeChange
	Removed []Code
}

// Empty reports whether there is nothing to change.
func (d CodebookDiff) Empty() bool { return len(d.Added)+len(d.Changed)+len(d.Removed) == 0 }

// Diff compares two codebooks code by code, by key. A change of order
// alone is not a change.
func Diff(old, next *Codebook) CodebookDiff {
	var d CodebookDiff
	for _, n := range next.Codes {
		o, ok := old.Code(n.Key)
		if !ok {
			d.Added = append(d.Added, n)
			continue
		}
		var what []string
		for _, f := range []struct {
			name string
			same bool
		}{{"label", o.Label == n.Label}, {"description", o.Description == n.Description}, {"colour", strings.EqualFold(o.Colour, n.Colour)},
			{"parent", o.Parent == n.Parent}, {"terms", slices.Equal(o.Terms, n.Terms)}} {
			if !f.same {
				what = append(what, f.name)
			}
		}
		if len(what) > 0 {
			d.Changed = append(d.Changed, CodeChange{Old: o, New: n, What: what})
		}
	}
	for _, o := range old.Codes {
		if next.index(o.Key) < 0 {
			d.Removed = append(d.Removed, o)
		}
	}
	return d
}

// Summary says in a line what the diff changes.
func (d CodebookDiff) Summary() string {
	var parts []string
	for _, p := range []struct {
		n    int
		verb string
	}{{len(d.Added), "added"}, {len(d.Changed), "changed"}, {len(d.Removed), "removed"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s %s", p.n, plural(p.n, "code", "codes"), p.verb))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
