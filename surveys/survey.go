// Package surveys owns consultations: a survey's definition (pages,
// questions, options and the conditions that show them), the validation of
// answers, the server-side logic that decides what a resident sees, the
// responses and their answers, save-and-return drafts, summaries and the
// CSV and JSON exports. It knows nothing of HTTP.
package surveys

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"codesign/errs"
)

// ErrNotFound is returned for a survey, response or draft that does not
// exist (or that the caller may not know exists).
var ErrNotFound = fmt.Errorf("survey %w", errs.ErrNotFound)

// Status is where a survey is in its life.
type Status string

// Survey statuses: only an open survey between its dates takes answers.
const (
	Draft    Status = "draft"
	Open     Status = "open"
	Closed   Status = "closed"
	Archived Status = "archived"
)

// Statuses in the order staff move through them.
var Statuses = []Status{Draft, Open, Closed, Archived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Label is the status as staff read it.
func (s Status) Label() string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// next lists the statuses each status may move to.
var next = map[Status][]Status{
	Draft:    {Open, Archived},
	Open:     {Closed},
	Closed:   {Open, Archived},
	Archived: {Draft},
}

// CanMoveTo reports whether a survey may go from s to to.
func (s Status) CanMoveTo(to Status) bool {
	for _, v := range next[s] {
		if v == to {
			return true
		}
	}
	return false
}

// Next lists the statuses s may move to, for the staff page's buttons.
func (s Status) Next() []Status { return next[s] }

// Survey is one consultation.
type Survey struct {
	ID            uint `gorm:"primaryKey"`
	Slug          string
	Title         string
	Summary       string
	Introduction  string
	WhoIsAsking   string
	PrivacyNotice string
	Minutes       int
	OpensAt       *time.Time // nil: open as soon as the status is open
	ClosesAt      *time.Time // nil: open until staff close it
	Status        Status
	Pages         []Page   `gorm:"serializer:json"`
	RetiredKeys   []string `gorm:"serializer:json"` // keys of removed questions, never reused
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName keeps the table name stable.
func (Survey) TableName() string { return "surveys" }

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks the details and the whole definition, returning every
// problem at once with messages a member of staff can act on.
func (s *Survey) Validate() error {
	f := &errs.Fields{}
	switch {
	case strings.TrimSpace(s.Title) == "":
		f.Add("title", "Enter a title")
	case len([]rune(s.Title)) > 200:
		f.Add("title", "The title must be 200 characters or fewer")
	}
	if s.Slug == "" {
		f.Add("slug", "Enter the web address name, like have-your-say")
	} else if len(s.Slug) > 80 {
		f.Add("slug", "The web address name must be 80 characters or fewer")
	}
	if s.Slug != "" && !slugRe.MatchString(s.Slug) {
		f.Add("slug", "The web address name must only include lower-case letters a to z, numbers and single hyphens, like have-your-say")
	}
	checkLen(f, "summary", "The summary", s.Summary, 1000)
	checkLen(f, "introduction", "The introduction", s.Introduction, 10000)
	checkLen(f, "who_is_asking", "Who is asking and why", s.WhoIsAsking, 5000)
	checkLen(f, "privacy_notice", "The privacy notice", s.PrivacyNotice, 10000)
	if s.Minutes < 0 || s.Minutes > 600 {
		f.Add("minutes", "Enter how many minutes it takes, from 0 to 600")
	}
	if !s.Status.Valid() {
		f.Add("status", "Select a status from the list")
	}
	if s.OpensAt != nil && s.ClosesAt != nil && !s.ClosesAt.After(*s.OpensAt) {
		f.Add("closes_date", "The closing date must be after the opening date")
	}
	validatePages(f, s.Pages, s.RetiredKeys)
	return f.Err()
}

func checkLen(f *errs.Fields, field, label, v string, max int) {
	if n := len([]rune(v)); n > max {
		f.Add(field, fmt.Sprintf("%s must be %d characters or fewer", label, max))
	}
}

// AcceptsAt reports whether the survey takes answers at t.
func (s *Survey) AcceptsAt(t time.Time) bool {
	return s.Status == Open && (s.OpensAt == nil || !t.Before(*s.OpensAt)) && (s.ClosesAt == nil || t.Before(*s.ClosesAt))
}

// NotYetOpen reports whether an open survey's opening date is still ahead.
func (s *Survey) NotYetOpen(t time.Time) bool {
	return s.Status == Open && s.OpensAt != nil && t.Before(*s.OpensAt)
}

// Public reports whether residents may see the survey's pages at all.
func (s *Survey) Public() bool { return s.Status == Open || s.Status == Closed }

// closedConflict explains why a survey does not take answers at t.
func (s *Survey) closedConflict(t time.Time) error {
	if s.NotYetOpen(t) {
		return &errs.Conflict{Message: "This consultation has not opened yet, so it cannot take answers."}
	}
	return &errs.Conflict{Message: "This consultation has closed, so it is no longer taking answers. Nothing has been saved."}
}

// Questions lists every question in page order.
func (s *Survey) Questions() []*Question {
	var out []*Question
	for i := range s.Pages {
		for j := range s.Pages[i].Questions {
			out = append(out, &s.Pages[i].Questions[j])
		}
	}
	return out
}

// Question finds a question by key.
func (s *Survey) Question(key string) (*Question, int) {
	for i := range s.Pages {
		for j := range s.Pages[i].Questions {
			if s.Pages[i].Questions[j].Key == key {
				return &s.Pages[i].Questions[j], i
			}
		}
	}
	return nil, -1
}

// ContainsPersonalData reports whether any question asks for contact
// details, so data-protection work can find the surveys that hold them.
func (s *Survey) ContainsPersonalData() bool {
	for _, q := range s.Questions() {
		if q.Personal {
			return true
		}
	}
	return false
}
