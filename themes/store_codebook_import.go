package themes

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// CodebookImport is a codebook read from a file, checked, and what storing
// it would change.
type CodebookImport struct {
	Book   *Codebook
	Base   uint   // the version it was compared with
	Format string // "YAML" or "REFI-QDA"
	Diff   CodebookDiff
}

// ReadCodebookFile reads an uploaded codebook: REFI-QDA when the name ends
// .qdc or .xml or the text starts with "<", YAML otherwise. current gives
// codes from a REFI-QDA file their keys and terms (see ParseQDC).
func ReadCodebookFile(data []byte, name string, current *Codebook) (*Codebook, string, error) {
	switch {
	case len(data) > MaxCodebookFile:
		return nil, "", fmt.Errorf("the file is larger than 1 MB")
	case !utf8.Valid(data):
		return nil, "", fmt.Errorf("the file is not UTF-8 text: save it as UTF-8 and try again")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "", fmt.Errorf("the file is empty")
	}
	ext := strings.ToLower(path.Ext(name))
	if ext == ".qdc" || ext == ".xml" || bytes.HasPrefix(bytes.TrimSpace(data), []byte("<")) {
		cb, err := ParseQDC(data, current)
		return cb, "REFI-QDA", err
	}
	cb, err := ParseCodebook(data)
	if err != nil {
		return nil, "YAML", fmt.Errorf("%s", strings.TrimPrefix(strings.TrimPrefix(err.Error(), "codebook "), "codebook: "))
	}
	return cb, "YAML", nil
}

// PreviewImport reads a codebook file and checks it against the one
// stored, without storing anything: what it would add, change and remove.
// It refuses, as errs.Fields on "file", a file that cannot be read, a
// codebook that breaks a rule (see checkStored), and one that removes a
// code with tags on passages, which must be merged into another first.
func (s *Store) PreviewImport(ctx context.Context, data []byte, name string) (*CodebookImport, error) {
	cur, version, err := s.CurrentCodebook(ctx)
	if err != nil {
		return nil, err
	}
	cb, format, err := ReadCodebookFile(data, name, cur)
	if err != nil {
		return nil, fieldErr("file", "The file could not be used: "+err.Error())
	}
	imp := &CodebookImport{Book: cb, Base: version, Format: format}
	if imp.Diff, err = s.checkImport(s.db.WithContext(ctx), cur, cb); err != nil {
		return nil, err
	}
	return imp, nil
}

// checkImport checks an imported codebook whole and against the current.
func (s *Store) checkImport(db *gorm.DB, cur, cb *Codebook) (CodebookDiff, error) {
	cb.tidy()
	if err := cb.checkStored(); err != nil {
		return CodebookDiff{}, fieldErr("file", "The codebook could not be used: "+err.Error())
	}
	d := Diff(cur, cb)
	var keys []string
	for _, c := range d.Removed {
		keys = append(keys, c.Key)
	}
	n, err := tagged(db, keys)
	if err != nil {
		return d, err
	}
	var held []string
	for _, c := range d.Removed {
		if n[c.Key] > 0 {
			held = append(held, fmt.Sprintf("%s (%s, %d %s)", c.Label, c.Key, n[c.Key], plural(int(n[c.Key]), "tag", "tags")))
		}
	}
	if len(held) > 0 {
		return d, fieldErr("file", "The file leaves out codes that have tags on passages: "+strings.Join(held, "; ")+
			". Merge each into another code first, so no tag is lost, then import the file again.")
	}
	return d, nil
}

// ImportCodebook stores an imported codebook (the YAML of a
// CodebookImport's Book) as a new version, checking it again. Importing
// what is stored already saves nothing and returns false, so the
// confirmation sent twice makes one version; a change made by someone
// else since ch.Base is a conflict.
func (s *Store) ImportCodebook(ctx context.Context, ch Change, data []byte) (bool, error) {
	if err := ch.validate(); err != nil {
		return false, err
	}
	cb, err := ParseCodebook(data)
	if err != nil {
		return false, fieldErr("file", "The codebook could not be used: "+err.Error())
	}
	var v CodebookVersion
	saved := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, version, err := currentIn(tx)
		if err != nil {
			return err
		}
		d, err := s.checkImport(tx, cur, cb)
		switch {
		case err != nil:
			return err
		case d.Empty():
			return nil
		case version != ch.Base:
			return errChanged
		}
		v = CodebookVersion{Kind: KindImport, Summary: "Imported a codebook: " + d.Summary(), Note: ch.Note, UserID: ch.UserID}
		saved = true
		return s.saveVersion(ctx, tx, version, cb, &v)
	})
	if err != nil || !saved {
		return false, err
	}
	s.saved(&v, cb)
	return true, nil
}
