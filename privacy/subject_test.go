package privacy_test

import (
	"testing"

	"codesign/errs"
	"codesign/privacy"
)

func TestParseSubject(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind privacy.SubjectKind
		want string
	}{
		{" Sam.Green@Example.ORG ", privacy.ByEmail, "sam.green@example.org"},
		{"07700 900123", privacy.ByPhone, "07700900123"},
		{"+44 7700 900123", privacy.ByPhone, "07700900123"},
		{"+44 (0)7700 900-123", privacy.ByPhone, "07700900123"},
		{"0044 7700 900123", privacy.ByPhone, "07700900123"},
		{"020 7527 2000", privacy.ByPhone, "02075272000"},
		{"+33 1 23 45 67 89", privacy.ByPhone, "33123456789"},
		{"cs-7k3m-q9px", privacy.ByReceipt, "CS-7K3M-Q9PX"},
		{"CS7K3MQ9PX", privacy.ByReceipt, "CS-7K3M-Q9PX"},
		{"cs 7k3m q9px", privacy.ByReceipt, "CS-7K3M-Q9PX"},
	} {
		got, err := privacy.ParseSubject(c.in)
		if err != nil || got.Kind != c.kind || got.Value != c.want {
			t.Errorf("%q: %+v %v, want %s %s", c.in, got, err, c.kind, c.want)
		}
	}
	for _, bad := range []string{"", "   ", "sam@", "@example.org", "a@b@c.org", "sam green@example.org", "12345", "Sam Green",
		"<script>alert(1)</script>", "CS-7K3M", "0770090012345678901"} {
		_, err := privacy.ParseSubject(bad)
		if f, ok := errs.AsFields(err); !ok || f.Messages["subject"] == "" {
			t.Errorf("%q: %v, want a message for subject", bad, err)
		}
	}
}

func TestSubjectMatchesWhatIsTypedAgain(t *testing.T) {
	phone, _ := privacy.ParseSubject("07700 900123")
	email, _ := privacy.ParseSubject("sam@example.org")
	for _, c := range []struct {
		subj  privacy.Subject
		typed string
		want  bool
	}{
		{phone, "+44 7700 900123", true},
		{phone, "07700900124", false},
		{email, "SAM@example.org ", true},
		{email, "sam@example.com", false},
		{email, "", false},
	} {
		if got := c.subj.Matches(c.typed); got != c.want {
			t.Errorf("%+v typed %q: %v", c.subj, c.typed, got)
		}
	}
}
