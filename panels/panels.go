// Package panels owns experts-by-experience panels: people with lived
// experience who are recruited, paid for their time and shape the work as
// equals. It keeps each panel's terms, the applications and their
// selection, members and their private links, sessions with attendance,
// payments (in pence, due -> approved -> paid), reviews of draft findings,
// and the erasure and retention of members' personal data.
package panels

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"codesign/errs"
)

// ErrNotFound means no such panel, application, member, session, payment
// or review, or a private link that does not match.
var ErrNotFound = fmt.Errorf("panel record %w", errs.ErrNotFound)

// RateKind says what a member is paid for.
type RateKind string

// The rates: by the hour, or a fixed amount per session attended.
const (
	Hourly     RateKind = "hourly"
	PerSession RateKind = "session"
)

// Panel is one group of experts by experience and the terms it offers.
type Panel struct {
	ID             uint
	Slug           string
	Name           string
	Purpose        string // purpose and remit
	MembersDo      string
	TimeCommitment string
	TermMonths     int
	RateKind       RateKind
	RatePence      int64
	// PaymentMethods lists how members can be paid: "bank_transfer", "vouchers".
	PaymentMethods  string
	ExpensesCovered bool
	Support         string // how people are supported
	RecruitOpen     bool
	RecruitFrom     *time.Time
	RecruitUntil    *time.Time
	TargetSize      int
	// Targets is JSON, read with DiversityTargets.
	Targets   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Target is a diversity target: at least Min members with Value in Dimension.
type Target struct {
	Dimension string `json:"dimension"` // age_band, ethnicity, locality, lived_experience
	Value     string `json:"value"`
	Min       int    `json:"min"`
}

// DiversityTargets decodes the panel's targets; a panel without any has none.
func (p *Panel) DiversityTargets() []Target {
	var out []Target
	if p.Targets != "" {
		_ = json.Unmarshal([]byte(p.Targets), &out) // written only by SetTargets
	}
	return out
}

// SetTargets stores ts on the panel.
func (p *Panel) SetTargets(ts []Target) {
	b, _ := json.Marshal(ts)
	p.Targets = string(b)
}

// Recruiting reports whether the panel takes applications at now.
func (p *Panel) Recruiting(now time.Time) bool {
	if !p.RecruitOpen {
		return false
	}
	if p.RecruitFrom != nil && now.Before(*p.RecruitFrom) {
		return false
	}
	return p.RecruitUntil == nil || now.Before(*p.RecruitUntil)
}

// Methods returns the payment methods as a list.
func (p *Panel) Methods() []string {
	if p.PaymentMethods == "" {
		return nil
	}
	return strings.Split(p.PaymentMethods, ",")
}

// RateLabel describes the rate for people: "£25.00 an hour".
func (p *Panel) RateLabel() string {
	if p.RateKind == PerSession {
		return Money(p.RatePence) + " a session"
	}
	return Money(p.RatePence) + " an hour"
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxRatePence stops a slip of the keyboard (£2,500 an hour) reaching finance.
const maxRatePence = 50_000

// Validate checks a panel before it is stored.
func (p *Panel) Validate() error {
	f := &errs.Fields{}
	p.Name, p.Slug = strings.TrimSpace(p.Name), strings.TrimSpace(p.Slug)
	if p.Name == "" || len(p.Name) > 200 {
		f.Add("name", "Enter a name of 200 characters or fewer")
	}
	if !slugRe.MatchString(p.Slug) || len(p.Slug) > 80 {
		f.Add("slug", "Web address must only include letters a to z, numbers and hyphens")
	}
	if strings.TrimSpace(p.Purpose) == "" {
		f.Add("purpose", "Enter the panel's purpose and remit")
	}
	if strings.TrimSpace(p.MembersDo) == "" {
		f.Add("members_do", "Enter what members do")
	}
	if p.TermMonths < 1 || p.TermMonths > 60 {
		f.Add("term_months", "Term length must be between 1 and 60 months")
	}
	if p.RateKind != Hourly && p.RateKind != PerSession {
		f.Add("rate_kind", "Select how members are paid")
	}
	if p.RatePence < 0 || p.RatePence > maxRatePence {
		f.Add("rate", "Rate must be between £0 and £500")
	}
	for _, m := range p.Methods() {
		if m != "bank_transfer" && m != "vouchers" {
			f.Add("payment_methods", "Select payment methods from the list")
		}
	}
	if p.TargetSize < 0 || p.TargetSize > 500 {
		f.Add("target_size", "Target size must be between 0 and 500")
	}
	if p.RecruitFrom != nil && p.RecruitUntil != nil && !p.RecruitUntil.After(*p.RecruitFrom) {
		f.Add("recruit_until", "Recruitment must close after it opens")
	}
	for _, t := range p.DiversityTargets() {
		// A value outside the dimension's answers would never match anyone.
		if !validKey(Dimensions[t.Dimension], t.Value) || t.Value == PreferNotToSay || t.Min < 0 || t.Min > 500 {
			f.Add("targets", "Write each target as dimension:value:number, like age_band:16-24:2")
		}
	}
	return f.Err()
}

// TableName keeps the table name stable.
func (Panel) TableName() string { return "panels" }
