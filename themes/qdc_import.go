package themes

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Bounds on a codebook file: NVivo and MAXQDA codebooks run to hundreds of
// codes, rarely more than a few levels deep.
const (
	MaxCodebookFile = 1 << 20
	maxImportCodes  = 2000
	maxImportDepth  = 12
)

// qdcItem is one <Code> of a REFI-QDA codebook, in the order met.
type qdcItem struct {
	guid, name, colour, description string
	parent                          int // place of the parent item, or -1
	line                            int
}

// ParseQDC reads a REFI-QDA codebook (urn:QDA-XML:codebook:1.0) into a
// codebook. A code whose guid is one codesign gave a code of current
// keeps that code's key and terms (the format has no terms); a new code
// gets a key made from its name, and no terms. A code with no colour takes
// its parent's. Errors name the line and the reason.
func ParseQDC(data []byte, current *Codebook) (*Codebook, error) {
	items, err := readQDC(data)
	if err != nil {
		return nil, err
	}
	byGUID := map[string]Code{}
	for _, c := range current.Codes {
		byGUID[CodeGUID(c.Key)] = c
	}
	used := map[string]bool{}
	for _, it := range items {
		if c, ok := byGUID[it.guid]; ok {
			used[c.Key] = true
		}
	}
	cb := &Codebook{}
	lineOfGUID := map[string]int{}
	for _, it := range items {
		if first, dup := lineOfGUID[it.guid]; dup {
			return nil, fmt.Errorf("line %d: code %q: the same guid as the code on line %d", it.line, it.name, first)
		}
		lineOfGUID[it.guid] = it.line
		c := Code{Label: strings.Join(strings.Fields(it.name), " "), Description: strings.TrimSpace(it.description), Colour: strings.ToLower(longColour(it.colour))}
		if old, ok := byGUID[it.guid]; ok {
			c.Key, c.Terms = old.Key, old.Terms
		} else {
			c.Key = keyFromName(it.name, used)
			used[c.Key] = true
		}
		if it.parent >= 0 {
			p := cb.Codes[it.parent]
			c.Parent = p.Key
			if c.Colour == "" {
				c.Colour = p.Colour
			}
		}
		if c.Colour == "" {
			c.Colour = "#505a5f"
		}
		cb.Codes = append(cb.Codes, c)
	}
	if len(cb.Codes) == 0 {
		return nil, errors.New("the codebook has no codes")
	}
	if ps := cb.problems(); len(ps) > 0 {
		p := ps[0]
		return nil, fmt.Errorf("line %d: code %q: %s", items[p.index].line, items[p.index].name, p.reason)
	}
	return cb, nil
}

// readQDC walks the XML, keeping each <Code>'s line and parent.
func readQDC(data []byte) ([]qdcItem, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var items []qdcItem
	var open []int // the <Code> elements open, innermost last
	root := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(d, err)
		}
		line, _ := d.InputPos()
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !root:
				if t.Name.Local != "CodeBook" || t.Name.Space != qdcNamespace {
					return nil, fmt.Errorf("line %d: this is not a REFI-QDA codebook: it starts with <%s>, not <CodeBook xmlns=%q>", line, t.Name.Local, qdcNamespace)
				}
				root = true
			case t.Name.Local == "Code":
				if len(open) >= maxImportDepth {
					return nil, fmt.Errorf("line %d: codes are nested more than %d deep", line, maxImportDepth)
				}
				if len(items) >= maxImportCodes {
					return nil, fmt.Errorf("line %d: the codebook has more than %d codes", line, maxImportCodes)
				}
				it := qdcItem{parent: -1, line: line}
				if len(open) > 0 {
					it.parent = open[len(open)-1]
				}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "guid":
						it.guid = strings.ToLower(strings.Trim(strings.TrimSpace(a.Value), "{}"))
					case "name":
						it.name = a.Value
					case "color":
						it.colour = strings.TrimSpace(a.Value)
					}
				}
				if !guidRe.MatchString(it.guid) {
					return nil, fmt.Errorf("line %d: code %q: the guid %q is not a GUID", line, it.name, it.guid)
				}
				open = append(open, len(items))
				items = append(items, it)
			case t.Name.Local == "Description" && len(open) > 0:
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return nil, xmlError(d, err)
				}
				items[open[len(open)-1]].description = s
			case t.Name.Local == "Sets":
				if err := d.Skip(); err != nil {
					return nil, xmlError(d, err)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "Code" && len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	if !root {
		return nil, errors.New("the file is empty: it has no <CodeBook>")
	}
	return items, nil
}

var guidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// xmlError words an XML error with its line.
func xmlError(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: the XML is not well formed: %s", se.Line, se.Msg)
	}
	line, _ := d.InputPos()
	return fmt.Errorf("line %d: the XML could not be read: %v", line, err)
}

var shortColourRe = regexp.MustCompile(`^#[0-9a-fA-F]{3}$`)

// longColour writes #RGB, which the schema allows, as #RRGGBB.
func longColour(c string) string {
	if !shortColourRe.MatchString(c) {
		return c
	}
	return "#" + strings.Repeat(c[1:2], 2) + strings.Repeat(c[2:3], 2) + strings.Repeat(c[3:4], 2)
}

// keyFromName makes a lower snake case key from a code's name, unique
// among used: "Money & Debt" becomes money_debt, a second one money_debt_2.
func keyFromName(name string, used map[string]bool) string {
	var b strings.Builder
	gap := false
	for _, r := range norm.NFKD.String(strings.ToLower(name)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
		case unicode.Is(unicode.Mn, r):
			// an accent taken off its letter
		default:
			gap = true
		}
	}
	key := b.String()
	if key == "" || key[0] < 'a' || key[0] > 'z' {
		key = "code_" + key
	}
	key = strings.TrimSuffix(key[:min(len(key), 50)], "_")
	out := key
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s_%d", key, n)
	}
	return out
}
