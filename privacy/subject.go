package privacy

import (
	"regexp"
	"strings"

	"codesign/errs"
)

// SubjectKind is how a person is looked for.
type SubjectKind string

// The ways to find a person: residents give codesign an email address or a
// phone number, and a survey gives them a receipt reference.
const (
	ByEmail   SubjectKind = "email"
	ByPhone   SubjectKind = "phone"
	ByReceipt SubjectKind = "receipt"
)

// Label names the kind for people.
func (k SubjectKind) Label() string {
	switch k {
	case ByEmail:
		return "email address"
	case ByPhone:
		return "phone number"
	}
	return "receipt reference"
}

// Subject is the person a request is about, by one contact detail or a
// receipt. Value is normalised: an email lower-cased, a phone number as its
// digits (a UK number in its national form, 07700900123), a receipt in
// capitals with its dashes (CS-7K3M-Q9PX).
type Subject struct {
	Kind  SubjectKind `json:"kind"`
	Value string      `json:"value"`
}

var (
	receiptRe = regexp.MustCompile(`^CS-?([A-Z0-9]{4})-?([A-Z0-9]{4})$`)
	phoneRe   = regexp.MustCompile(`^\+?[0-9 ()./-]+$`)
)

// ParseSubject reads what an admin typed: an email address, a phone number
// or a receipt reference. Anything else is a field error on "subject".
func ParseSubject(raw string) (Subject, error) {
	v := strings.TrimSpace(raw)
	f := &errs.Fields{}
	compact := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	switch {
	case v == "":
		f.Add("subject", "Enter an email address, a phone number or a receipt reference")
	case strings.Contains(v, "@"):
		if e := normaliseEmail(v); validEmail(e) {
			return Subject{Kind: ByEmail, Value: e}, nil
		}
		f.Add("subject", "Enter an email address in the correct format, like name@example.org")
	case receiptRe.MatchString(compact):
		m := receiptRe.FindStringSubmatch(compact)
		return Subject{Kind: ByReceipt, Value: "CS-" + m[1] + "-" + m[2]}, nil
	case phoneRe.MatchString(v):
		if d := normalisePhone(v); len(d) >= 7 && len(d) <= 15 {
			return Subject{Kind: ByPhone, Value: d}, nil
		}
		f.Add("subject", "Enter a phone number with at least 7 digits, like 07700 900123")
	default:
		f.Add("subject", "Enter an email address, a phone number or a receipt reference like CS-7K3M-Q9PX")
	}
	return Subject{}, f.Err()
}

// Matches reports whether the subject is the same as what was typed:
// the confirmation an erasure asks for.
func (s Subject) Matches(raw string) bool {
	other, err := ParseSubject(raw)
	return err == nil && other == s
}

// contact reports whether a stored contact detail is the subject's. A
// receipt is no contact detail, so it matches none.
func (s Subject) contact(stored string) bool {
	switch s.Kind {
	case ByEmail:
		return normaliseEmail(stored) == s.Value
	case ByPhone:
		if strings.Contains(stored, "@") || !phoneRe.MatchString(strings.TrimSpace(stored)) {
			return false
		}
		return normalisePhone(stored) == s.Value
	}
	return false
}

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(e string) bool {
	at := strings.LastIndexByte(e, '@')
	return len(e) <= 254 && at > 0 && at < len(e)-1 && strings.Count(e, "@") == 1 && !strings.ContainsAny(e, " \t\r\n<>,;")
}

// normalisePhone keeps a number's digits, writing a UK number given with
// its country code (+44 or 0044) the way it is dialled at home.
func normalisePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	d = strings.TrimPrefix(d, "00")
	switch {
	case strings.HasPrefix(d, "440") && len(d) == 13: // +44 (0)7700 900123
		return d[2:]
	case strings.HasPrefix(d, "44") && len(d) == 12:
		return "0" + d[2:]
	}
	return d
}
