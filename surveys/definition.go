package surveys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"codesign/errs"
)

// Definition is a survey as JSON: what the API serves, what staff export
// and import, and what a council shares with another or keeps in version
// control. Answers are never part of it.
type Definition struct {
	Slug          string     `json:"slug"`
	Title         string     `json:"title"`
	Status        Status     `json:"status"`
	Summary       string     `json:"summary,omitempty"`
	Introduction  string     `json:"introduction,omitempty"`
	WhoIsAsking   string     `json:"who_is_asking,omitempty"`
	PrivacyNotice string     `json:"privacy_notice,omitempty"`
	Minutes       int        `json:"minutes,omitempty"`
	OpensAt       *time.Time `json:"opens_at"`
	ClosesAt      *time.Time `json:"closes_at"`
	Pages         []Page     `json:"pages"`
}

// Definition returns the survey as its JSON definition.
func (s *Survey) Definition() Definition {
	pages := s.Pages
	if pages == nil {
		pages = []Page{}
	}
	return Definition{Slug: s.Slug, Title: s.Title, Status: s.Status, Summary: s.Summary, Introduction: s.Introduction,
		WhoIsAsking: s.WhoIsAsking, PrivacyNotice: s.PrivacyNotice, Minutes: s.Minutes, OpensAt: s.OpensAt, ClosesAt: s.ClosesAt, Pages: pages}
}

// Apply copies a definition onto the survey, keeping its id, history and
// retired keys.
func (s *Survey) Apply(d Definition) {
	s.Slug, s.Title, s.Summary, s.Introduction = d.Slug, d.Title, d.Summary, d.Introduction
	s.WhoIsAsking, s.PrivacyNotice, s.Minutes, s.OpensAt, s.ClosesAt = d.WhoIsAsking, d.PrivacyNotice, d.Minutes, d.OpensAt, d.ClosesAt
	s.Pages = d.Pages
	if d.Status != "" {
		s.Status = d.Status
	}
}

// ParseDefinition reads a definition strictly: unknown fields are
// refused, so a misspelt "requried" is reported rather than ignored. The
// survey it returns is validated whole; a definition with any problem is
// refused with all of them listed.
func ParseDefinition(r io.Reader) (*Survey, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		f := &errs.Fields{}
		f.Add("definition", jsonProblem(err))
		return nil, f
	}
	if dec.More() {
		f := &errs.Fields{}
		f.Add("definition", "The definition must be one JSON object, with nothing after it")
		return nil, f
	}
	sv := &Survey{Status: Draft}
	sv.Apply(d)
	normaliseTimes(sv)
	if err := sv.Validate(); err != nil {
		return nil, err
	}
	return sv, nil
}

// jsonProblem explains a decoding error without Go's wording.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("The definition is not valid JSON: check near character %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("In the definition, %q has the wrong kind of value (it should be %s)", typ.Field, kindName(typ.Type.Kind().String()))
	case errors.Is(err, io.EOF):
		return "The definition is empty"
	}
	if msg := err.Error(); bytes.Contains([]byte(msg), []byte("unknown field")) {
		return "The definition has a field codesign does not know: " + msg[bytes.Index([]byte(msg), []byte("unknown field"))+len("unknown field "):]
	}
	return "The definition could not be read as JSON"
}

func kindName(k string) string {
	switch k {
	case "string":
		return "text"
	case "slice":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// MarshalIndented is the definition as people read it in version control.
func (d Definition) MarshalIndented() ([]byte, error) {
	return json.MarshalIndent(d, "", "  ")
}
