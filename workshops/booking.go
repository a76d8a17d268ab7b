package workshops

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"codesign/errs"
)

// BookingStatus is where a booking stands.
type BookingStatus string

// The booking statuses. Attended and no-show replace confirmed after the
// event.
const (
	Confirmed        BookingStatus = "confirmed"
	Waiting          BookingStatus = "waiting"
	BookingCancelled BookingStatus = "cancelled"
	Attended         BookingStatus = "attended"
	NoShow           BookingStatus = "no_show"
)

// holdsPlace lists the statuses that use one of the event's places.
var holdsPlace = []BookingStatus{Confirmed, Attended, NoShow}

// Need is an access need, stored by its key.
type Need string

// The access needs residents can tick.
const (
	BSL         Need = "bsl_interpreter"
	Interpreter Need = "language_interpreter"
	StepFree    Need = "step_free"
	HearingLoop Need = "hearing_loop"
	LargePrint  Need = "large_print"
	QuietSpace  Need = "quiet_space"
	Companion   Need = "companion"
	Childcare   Need = "childcare"
	TravelCosts Need = "travel_costs"
	OtherNeed   Need = "other"
)

// Needs lists the access needs in form order.
var Needs = []Need{BSL, Interpreter, StepFree, HearingLoop, LargePrint, QuietSpace, Companion, Childcare, TravelCosts, OtherNeed}

var needLabels = map[Need]string{
	BSL: "BSL interpreter", Interpreter: "Interpreter for another language", StepFree: "Step-free access",
	HearingLoop: "Hearing loop", LargePrint: "Large print", QuietSpace: "Quiet space",
	Companion: "Companion or carer", Childcare: "Childcare", TravelCosts: "Travel costs", OtherNeed: "Something else",
}

// Label is the need's name for people.
func (n Need) Label() string {
	if l, ok := needLabels[n]; ok {
		return l
	}
	return string(n)
}

// ConsentText is the wording of the sign-up form's consent box. The form
// shows exactly this, and a booking that ticks it keeps it.
const ConsentText = "You can contact me about future workshops and what happened next"

// Booking is one resident's place, or place in the queue, at an event.
type Booking struct {
	ID                  uint
	EventID             uint
	Event               *Event `gorm:"-"`
	Status              BookingStatus
	Name                string
	Email               string
	Phone               string
	AccessNeeds         string // comma-separated Need keys
	InterpreterLanguage string
	AccessNotes         string
	Dietary             string
	ConsentContact      bool
	// ConsentText is the wording the resident agreed to when they ticked
	// the consent box, kept with the booking (when is CreatedAt).
	ConsentText     string
	ManageTokenHash *string `json:"-"`
	IdempotencyKey  *string `json:"-"`
	PromotedAt      *time.Time
	CancelledAt     *time.Time
	AnonymisedAt    *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName keeps workshop tables together.
func (Booking) TableName() string { return "workshop_bookings" }

// Needs returns the booking's access needs.
func (b *Booking) Needs() []Need { return parseNeeds(b.AccessNeeds) }

// Has reports whether the booking asked for need n (for templates).
func (b *Booking) Has(n string) bool { return slices.Contains(b.Needs(), Need(n)) }

// Active reports whether the booking can still be cancelled.
func (b *Booking) Active() bool { return b.Status == Confirmed || b.Status == Waiting }

func parseNeeds(s string) []Need {
	var out []Need
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, Need(k))
		}
	}
	return out
}

func joinNeeds(ns []Need) string {
	keys := make([]string, 0, len(ns))
	for _, n := range Needs { // form order, no duplicates
		if slices.Contains(ns, n) {
			keys = append(keys, string(n))
		}
	}
	return strings.Join(keys, ",")
}

// Signup is what a resident enters to book.
type Signup struct {
	Name                string
	Email               string
	Phone               string
	AccessNeeds         []Need
	InterpreterLanguage string
	AccessNotes         string
	Dietary             string
	ConsentContact      bool
	// IdempotencyKey comes from a hidden form field: a second submission
	// of the same form returns the first booking.
	IdempotencyKey string
	// ManageToken is the private link's secret. The caller chooses it (so
	// a repeated submission can show the same link); only its hash is kept.
	ManageToken string
}

var phoneRe = regexp.MustCompile(`^\+?[0-9 ()-]{7,20}$`)

// Validate checks a sign-up and tidies its fields.
func (s *Signup) Validate() error {
	f := &errs.Fields{}
	s.Name, s.Email, s.Phone = strings.TrimSpace(s.Name), strings.TrimSpace(s.Email), strings.TrimSpace(s.Phone)
	switch {
	case s.Name == "":
		f.Add("name", "Enter your name")
	case len(s.Name) > 200:
		f.Add("name", "Name must be 200 characters or fewer")
	}
	if s.Email == "" && s.Phone == "" {
		f.Add("email", "Enter an email address or a phone number, so we can tell you about changes")
	}
	if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email || !strings.Contains(s.Email, ".") || len(s.Email) > 254 {
			f.Add("email", "Enter an email address in the correct format, like name@example.com")
		}
	}
	if s.Phone != "" && (!phoneRe.MatchString(s.Phone) || countDigits(s.Phone) < 7) {
		f.Add("phone", "Enter a phone number, like 07700 900 982 or +44 20 7527 2000")
	}
	s.validateNeeds(f)
	if len(s.Dietary) > 500 {
		f.Add("dietary", "Dietary needs must be 500 characters or fewer")
	}
	if len(s.IdempotencyKey) > 100 {
		f.Add("idempotency_key", "The form key is too long: reload the page")
	}
	return f.Err()
}

func (s *Signup) validateNeeds(f *errs.Fields) {
	for _, n := range s.AccessNeeds {
		if !slices.Contains(Needs, n) {
			f.Add("access_needs", "Select access needs from the list")
		}
	}
	if slices.Contains(s.AccessNeeds, Interpreter) && strings.TrimSpace(s.InterpreterLanguage) == "" {
		f.Add("interpreter_language", "Enter which language you need an interpreter for")
	}
	if slices.Contains(s.AccessNeeds, OtherNeed) && strings.TrimSpace(s.AccessNotes) == "" {
		f.Add("access_notes", "Tell us what else you need")
	}
	if len(s.InterpreterLanguage) > 100 {
		f.Add("interpreter_language", "Language must be 100 characters or fewer")
	}
	if len(s.AccessNotes) > 2000 {
		f.Add("access_notes", "Other needs must be 2000 characters or fewer")
	}
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}
