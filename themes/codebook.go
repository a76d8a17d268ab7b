// Package themes codes plain text against a codebook of themes: it splits
// text into sentences, matches each code's terms on word stems with
// negation handled, flags risk language for safeguarding, and explains each
// suggestion with its evidence. It knows nothing of surveys or workshops:
// it codes units of (source, id, text).
package themes

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Code is one entry of the codebook: a top-level theme (no parent) or a
// sub-code under one.
type Code struct {
	Key         string   `yaml:"key"`
	Parent      string   `yaml:"parent,omitempty"`
	Label       string   `yaml:"label"`
	Description string   `yaml:"description"`
	Colour      string   `yaml:"colour"`
	Terms       []string `yaml:"terms,omitempty"`
}

// Codebook is the ordered list of codes.
type Codebook struct {
	Codes []Code `yaml:"codes"`
}

//go:embed codebook.yaml
var defaultCodebook []byte

// DefaultCodebook returns the codebook shipped with codesign.
func DefaultCodebook() (*Codebook, error) { return ParseCodebook(defaultCodebook) }

var colourRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,59}$`)

// ParseCodebook reads YAML and checks it whole: keys unique and well
// formed, parents known, no cycles, colours #RRGGBB, labels present. An
// error names the YAML line and the reason.
func ParseCodebook(data []byte) (*Codebook, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	var cb Codebook
	if err := doc.Decode(&cb); err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	lines := codeLines(&doc)
	if len(cb.Codes) == 0 {
		return nil, fmt.Errorf("codebook: no codes")
	}
	if ps := cb.problems(); len(ps) > 0 {
		p := ps[0]
		reason := p.reason
		if p.first >= 0 {
			reason = fmt.Sprintf("duplicate key (first at line %d)", lineOf(lines, p.first))
		}
		return nil, fmt.Errorf("codebook line %d: code %q: %s", lineOf(lines, p.index), cb.Codes[p.index].Key, reason)
	}
	return &cb, nil
}

// problem is one thing wrong with one code of a codebook.
type problem struct {
	index  int    // the code's place in the list
	field  string // "key", "label", "colour" or "parent"
	reason string
	first  int // for a duplicate key, the place of the first code with it; otherwise -1
}

// problems checks a codebook whole: keys well formed and unique, labels
// present, colours #RRGGBB (at most one of these per code, in that order),
// then parents known and free of cycles. ParseCodebook reports the first;
// the staff pages put each beside the field it concerns.
func (cb *Codebook) problems() []problem {
	var out []problem
	seen := map[string]int{}
	for i, c := range cb.Codes {
		add := func(field, reason string, args ...any) {
			out = append(out, problem{index: i, field: field, reason: fmt.Sprintf(reason, args...), first: -1})
		}
		first, dup := seen[c.Key]
		switch {
		case !keyRe.MatchString(c.Key):
			add("key", "key must be lower case letters, digits and underscores")
		case dup:
			out = append(out, problem{index: i, field: "key", reason: "duplicate key", first: first})
		case strings.TrimSpace(c.Label) == "":
			add("label", "label is empty")
		case !colourRe.MatchString(c.Colour):
			add("colour", "colour %q is not #RRGGBB", c.Colour)
		}
		if !dup {
			seen[c.Key] = i
		}
	}
	for i, c := range cb.Codes {
		if _, ok := seen[c.Parent]; c.Parent != "" && !ok {
			out = append(out, problem{index: i, field: "parent", reason: fmt.Sprintf("unknown parent %q", c.Parent), first: -1})
		} else if cb.hasCycle(c.Key) {
			out = append(out, problem{index: i, field: "parent", reason: "its parents form a cycle", first: -1})
		}
	}
	return out
}

func (cb *Codebook) hasCycle(key string) bool {
	parent := map[string]string{}
	for _, c := range cb.Codes {
		parent[c.Key] = c.Parent
	}
	for steps, k := 0, parent[key]; k != ""; k, steps = parent[k], steps+1 {
		if k == key || steps > len(parent) {
			return true
		}
	}
	return false
}

// codeLines finds the line of each item under "codes".
func codeLines(doc *yaml.Node) []int {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "codes" {
			var out []int
			for _, item := range m.Content[i+1].Content {
				out = append(out, item.Line)
			}
			return out
		}
	}
	return nil
}

func lineOf(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}

// Theme returns the top-level theme a code belongs to.
func (cb *Codebook) Theme(key string) string {
	parent := map[string]string{}
	for _, c := range cb.Codes {
		parent[c.Key] = c.Parent
	}
	for i := 0; parent[key] != "" && i < len(parent); i++ {
		key = parent[key]
	}
	return key
}

// YAML exports the codebook.
func (cb *Codebook) YAML() ([]byte, error) { return yaml.Marshal(cb) }
