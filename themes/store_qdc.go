package themes

import (
	"bytes"
	"encoding/xml"

	"github.com/google/uuid"
)

// qdcNamespace is the REFI-QDA codebook namespace (QDA-XML codebook 1.0).
const qdcNamespace = "urn:QDA-XML:codebook:1.0"

// guidSpace is the name space codesign's code guids are made in, so that a
// code keeps its guid in every export and NVivo, ATLAS.ti, MAXQDA or
// QualCoder see the same code each time it is imported.
var guidSpace = uuid.UUID{0x6c, 0x0d, 0x35, 0x8e, 0x2b, 0x61, 0x4f, 0x53, 0x9b, 0x07, 0x1a, 0x4e, 0x7d, 0x2c, 0x90, 0x11}

// CodeGUID is a code's stable guid: a name-based (version 5, SHA-1) UUID of
// its key in guidSpace, as RFC 4122 defines it. SHA-1 here names things; it
// protects nothing.
func CodeGUID(key string) string { return uuid.NewSHA1(guidSpace, []byte(key)).String() }

type qdcBook struct {
	XMLName xml.Name  `xml:"CodeBook"`
	XMLNS   string    `xml:"xmlns,attr"`
	Origin  string    `xml:"origin,attr"`
	Codes   []qdcCode `xml:"Codes>Code"`
	// No Sets: the schema needs at least one Set inside <Sets>, and an
	// empty one stops some programs importing the file.
}

type qdcCode struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	IsCodable   bool      `xml:"isCodable,attr"`
	Color       string    `xml:"color,attr,omitempty"`
	Description string    `xml:"Description,omitempty"`
	Codes       []qdcCode `xml:"Code"`
}

// QDC exports the codebook as a REFI-QDA codebook (.qdc), the exchange
// format qualitative analysis programs import: codes nested under their
// parents, in codebook order, with stable guids and #RRGGBB colours.
func (cb *Codebook) QDC() ([]byte, error) {
	children := map[string][]Code{}
	for _, c := range cb.Codes {
		children[c.Parent] = append(children[c.Parent], c)
	}
	var build func(parent string, depth int) []qdcCode
	build = func(parent string, depth int) []qdcCode {
		if depth > len(cb.Codes) {
			return nil // a cycle, which ParseCodebook refuses anyway
		}
		var out []qdcCode
		for _, c := range children[parent] {
			out = append(out, qdcCode{GUID: CodeGUID(c.Key), Name: c.Label, IsCodable: true, Color: c.Colour,
				Description: c.Description, Codes: build(c.Key, depth+1)})
		}
		return out
	}
	book := qdcBook{XMLNS: qdcNamespace, Origin: "codesign", Codes: build("", 0)}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(book); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
