package panels

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"codesign/errs"
)

// Status is where an application is in selection.
type Status string

// The selection states. Accepted makes the applicant a member.
const (
	Received    Status = "received"
	Shortlisted Status = "shortlisted"
	Invited     Status = "invited" // to a conversation
	Accepted    Status = "accepted"
	Waiting     Status = "waiting" // the waiting list
	Declined    Status = "declined"
)

// Label names a status for staff.
func (s Status) Label() string {
	switch s {
	case Received:
		return "New"
	case Shortlisted:
		return "Shortlisted"
	case Invited:
		return "Invited to a conversation"
	case Accepted:
		return "Accepted"
	case Waiting:
		return "Waiting list"
	case Declined:
		return "Declined"
	}
	return string(s)
}

// Application is one resident's application to join a panel. Statement and
// LivedExperience are special-category data: only officers and admins see
// them, every view is audited, and they are never exported in bulk.
type Application struct {
	ID                uint
	PanelID           uint
	Status            Status
	Name              string
	Email             string
	Phone             string
	LivedExperience   string // comma-separated keys of LivedExperienceAreas
	Statement         string // "tell us a bit about why"
	Availability      string
	AccessNeeds       string
	PaymentPreference string
	AgeBand           string
	Ethnicity         string
	Locality          string
	ConsentStore      bool
	// ConsentAnalysis allows the statement, without a name, to be used in
	// coding and reports. Without it the statement is never used there.
	ConsentAnalysis bool
	// ConsentText is the wording of every consent the applicant ticked,
	// as the form showed it when they applied.
	ConsentText    string
	IdempotencyKey *string `json:"-"`
	DeclineReason  string  // staff only
	DecidedBy      *uint
	DecidedAt      *time.Time
	ErasedAt       *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName keeps the table name stable.
func (Application) TableName() string { return "panel_applications" }

// Areas returns the lived-experience keys as a list.
func (a *Application) Areas() []string { return splitKeys(a.LivedExperience) }

// Note is a staff note on an application, never shown to the applicant.
type Note struct {
	ID            uint
	ApplicationID uint
	AuthorID      *uint
	Body          string
	CreatedAt     time.Time
}

// TableName keeps the table name stable.
func (Note) TableName() string { return "panel_application_notes" }

// Apply is what a resident sends with the application form.
type Apply struct {
	Name              string
	Email             string
	Phone             string
	LivedExperience   []string
	Statement         string
	Availability      string
	AccessNeeds       string
	PaymentPreference string
	AgeBand           string
	Ethnicity         string
	Locality          string
	ConsentStore      bool
	ConsentAnalysis   bool
	// IdempotencyKey comes from a hidden form field: a second submission
	// of the same form returns the first application instead of an error.
	IdempotencyKey string
}

// The consents the application form asks for. The words of those ticked
// are stored with the application.
const (
	ConsentStoreText = "I agree that the council can keep my application, including what I say about my lived experience, " +
		"to consider it for this panel, and delete it when the panel's recruitment is over if I do not become a member."
	ConsentAnalysisText = "I agree that what I wrote about why I want to join can be used, without my name, when the council " +
		"analyses what people have told it."
)

// consentText joins the wording of the consents given.
func (in *Apply) consentText() string {
	var parts []string
	if in.ConsentStore {
		parts = append(parts, ConsentStoreText)
	}
	if in.ConsentAnalysis {
		parts = append(parts, ConsentAnalysisText)
	}
	return strings.Join(parts, "\n")
}

// Validate checks every answer and returns messages for all of them.
func (in *Apply) Validate() error {
	f := &errs.Fields{}
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.ToLower(strings.TrimSpace(in.Email))
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		f.Add("name", "Enter your name")
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		f.Add("email", "Enter your email address in the correct format, like name@example.com")
	}
	if len(in.Phone) > 40 {
		f.Add("phone", "Phone number must be 40 characters or fewer")
	}
	if len(in.LivedExperience) == 0 {
		f.Add("lived_experience", "Select at least one area, or \"Prefer not to say\"")
	}
	for _, k := range in.LivedExperience {
		if !validKey(LivedExperienceAreas, k) {
			f.Add("lived_experience", "Select areas from the list")
		}
	}
	if utf8.RuneCountInString(in.Statement) > 3000 {
		f.Add("statement", "Tell us in 3,000 characters or fewer")
	}
	if utf8.RuneCountInString(in.Availability) > 500 {
		f.Add("availability", "Availability must be 500 characters or fewer")
	}
	if utf8.RuneCountInString(in.AccessNeeds) > 2000 {
		f.Add("access_needs", "Access needs must be 2,000 characters or fewer")
	}
	choose := func(field string, opts []Option, v, msg string) {
		if !validKey(opts, v) {
			f.Add(field, msg)
		}
	}
	choose("payment_preference", PaymentPreferences, in.PaymentPreference, "Select how you would like to be paid")
	choose("age_band", AgeBands, in.AgeBand, "Select your age group, or \"Prefer not to say\"")
	choose("ethnicity", Ethnicities, in.Ethnicity, "Select your ethnic group, or \"Prefer not to say\"")
	choose("locality", Localities, in.Locality, "Select where you live, or \"Prefer not to say\"")
	if !in.ConsentStore {
		f.Add("consent_store", "Tick the box to say we can keep your application to consider it")
	}
	if len(in.IdempotencyKey) > 100 {
		f.Add("idempotency_key", "The form key is too long: reload the page and try again")
	}
	return f.Err()
}

func splitKeys(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
