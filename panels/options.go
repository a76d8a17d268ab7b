package panels

import (
	"fmt"
	"strconv"
	"strings"
)

// Option is one answer a form offers: a stored key and its label.
type Option struct{ Key, Label string }

// PreferNotToSay is offered by every equality question.
const PreferNotToSay = "prefer_not_to_say"

// The answers the application form offers. Keys are stored; labels shown.
var (
	LivedExperienceAreas = []Option{
		{"own_mental_health", "My own mental health"},
		{"carer", "Caring for someone with mental health problems"},
		{"young_person", "Being a young person (aged 16 to 25)"},
		{"black_minoritised", "Being part of a Black or minoritised community"},
		{"lgbtq", "Being LGBTQ+"},
		{"disability", "Disability or long-term health condition"},
		{"other", "Something else"},
		{PreferNotToSay, "Prefer not to say"},
	}
	AgeBands = []Option{
		{"16-24", "16 to 24"}, {"25-34", "25 to 34"}, {"35-49", "35 to 49"},
		{"50-64", "50 to 64"}, {"65+", "65 or over"}, {PreferNotToSay, "Prefer not to say"},
	}
	Ethnicities = []Option{
		{"asian", "Asian or Asian British"}, {"black", "Black, Black British, Caribbean or African"},
		{"mixed", "Mixed or multiple ethnic groups"}, {"white", "White"},
		{"other", "Another ethnic group"}, {PreferNotToSay, "Prefer not to say"},
	}
	Localities = []Option{
		{"north", "North"}, {"central", "Central"}, {"south", "South"},
		{"outside", "I do not live in Islington"}, {PreferNotToSay, "Prefer not to say"},
	}
	PaymentPreferences = []Option{
		{"bank_transfer", "Bank transfer"}, {"vouchers", "Vouchers"},
		{"not_paid", "I prefer not to be paid"},
	}
	ContactPreferences = []Option{{"email", "Email"}, {"phone", "Phone"}, {"text", "Text message"}}
	Activities         = []Option{
		{"workshop", "Workshop"}, {"reading_group", "Reading group"},
		{"interview_panel", "Interview panel"}, {"review_of_findings", "Review of findings"},
	}
)

// Dimensions are the diversity dimensions a target can name.
var Dimensions = map[string][]Option{
	"age_band":         AgeBands,
	"ethnicity":        Ethnicities,
	"locality":         Localities,
	"lived_experience": LivedExperienceAreas,
}

// DimensionLabels names each dimension for people.
var DimensionLabels = map[string]string{
	"age_band": "Age", "ethnicity": "Ethnic group", "locality": "Locality", "lived_experience": "Lived experience",
}

// BenefitsNote is shown beside "I prefer not to be paid", because payment
// can affect some benefits and people should not lose out by taking part.
const BenefitsNote = "If you receive benefits, payment for your time may affect them. You can choose not to be paid, " +
	"or to be paid in vouchers; we still cover your travel and other expenses. We can put you in touch with free, " +
	"independent benefits advice before you decide."

// Label returns the label for key in opts, or key itself.
func Label(opts []Option, key string) string {
	for _, o := range opts {
		if o.Key == key {
			return o.Label
		}
	}
	return key
}

func validKey(opts []Option, key string) bool {
	for _, o := range opts {
		if o.Key == key {
			return true
		}
	}
	return false
}

// Money formats pence as pounds: 2550 -> "£25.50".
func Money(pence int64) string {
	sign := ""
	if pence < 0 {
		sign, pence = "-", -pence
	}
	pounds := fmt.Sprintf("%d", pence/100)
	// Thousands separators, as finance teams read them.
	var b strings.Builder
	for i, r := range pounds {
		if i > 0 && (len(pounds)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s£%s.%02d", sign, b.String(), pence%100)
}

// ParseMoney reads "25", "25.5" or "£25.50" as pence. It refuses fractions
// of a penny and anything that is not a plain amount.
func ParseMoney(s string) (int64, error) {
	s = strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "£")
	if s == "" {
		return 0, nil
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (len(frac) == 0 || len(frac) > 2)) || len(whole) > 9 {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("not an amount: %q", s)
		}
	}
	// Only digits remain and whole has at most 9 of them, so these parse.
	pence, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an amount: %q", s)
	}
	pence *= 100
	if hasFrac {
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("not an amount: %q", s)
		}
		if len(frac) == 1 {
			f *= 10
		}
		pence += f
	}
	return pence, nil
}
