package reports

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"Email me at jo.bloggs+mh@example.co.uk please", "Email me at [email removed] please"},
		{"Call 07700 900123 or 020 7527 2000.", "Call [phone number removed] or [phone number removed]."},
		{"ring +44 7700-900-123 any time", "ring [phone number removed] any time"},
		{"I live near N19 5PH and my mum is in EC1V4NB", "I live near [postcode removed] and my mum is in [postcode removed]"},
		{"Our flat at 14 Holloway Road is damp", "Our flat at [address removed] is damp"},
		{"Flat 3, 22b St John Street has mould", "[address removed] has mould"},
		{"Dr Patel at the surgery listened", "[name removed] at the surgery listened"},
		{"Mrs Jo Okafor from the hub was kind", "[name removed] from the hub was kind"},
		{"my name is amina and I waited months", "my name is [name removed] and I waited months"},
		{"a support worker called Dave helped", "a support worker called [name removed] helped"},
		{"I spoke to Sarah at the GP and she was lovely.", "I spoke to [name removed] at the GP and she was lovely."},
		{"Sarah helped me so much.", "[name removed] helped me so much."},
		// Places and services people name are not people.
		{"Finsbury Library and Islington Mind helped me", "Finsbury Library and Islington Mind helped me"},
		{"I called 111 and waited on hold", "I called 111 and waited on hold"},
		{"Waiting 18 months for therapy is too long.", "Waiting 18 months for therapy is too long."},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactLeavesNoDigitsOfAPhoneNumber(t *testing.T) {
	for _, n := range []string{"07700900123", "(020) 7527 2000", "0207 527 2000", "+447700900123"} {
		got := Redact("my number is " + n)
		if strings.ContainsAny(got, "0123456789") {
			t.Errorf("%q left %q", n, got)
		}
	}
}
