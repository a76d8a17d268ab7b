package workshops

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"codesign/errs"
)

// MaxUploadBytes is the largest notes file accepted.
const MaxUploadBytes = 5 << 20

// TextFromUpload returns the text of an uploaded notes file: .txt and .md
// as they are (UTF-8 only), .docx from word/document.xml. Only the text is
// kept, never the file, so nothing executable is stored.
func TextFromUpload(name string, data []byte) (string, error) {
	bad := func(msg string) error {
		f := &errs.Fields{}
		f.Add("file", msg)
		return f
	}
	if len(data) == 0 {
		return "", bad("The selected file is empty")
	}
	if len(data) > MaxUploadBytes {
		return "", bad("The selected file must be smaller than 5 MB")
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md":
		if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
			return "", bad("The selected file must be plain text saved as UTF-8")
		}
		return string(data), nil
	case ".docx":
		text, err := docxText(data)
		if err != nil {
			return "", bad("The selected file could not be read as a Word document (.docx)")
		}
		return text, nil
	}
	return "", bad("The selected file must be a .txt, .md or .docx file")
}

// docxText reads the paragraphs of a Word document's body. The size of
// document.xml is capped, so a zip bomb cannot fill memory.
func docxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		return paragraphs(io.LimitReader(rc, 20<<20))
	}
	return "", io.ErrUnexpectedEOF
}

// paragraphs joins w:t runs, ending a paragraph at each w:p and keeping
// tabs and line breaks as spaces and new lines.
func paragraphs(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var out strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return strings.TrimSpace(out.String()), nil
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				out.WriteString(" ")
			case "br":
				out.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				out.WriteString("\n\n")
			}
		case xml.CharData:
			if inText {
				out.Write(t)
			}
		}
	}
}
