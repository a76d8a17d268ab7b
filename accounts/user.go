// Package accounts owns staff accounts: users and their roles, password
// checks with login throttling, database-backed sessions (so several
// instances share them) and hashed API tokens. Residents never have one.
package accounts

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"codesign/errs"
)

// Role decides what a member of staff may do.
type Role string

// The roles. Admin can do everything an officer can, and an officer
// everything a facilitator can.
const (
	Admin       Role = "admin"
	Officer     Role = "officer"
	Facilitator Role = "facilitator"
)

// Roles lists the roles in order of power, for forms.
var Roles = []Role{Facilitator, Officer, Admin}

var rank = map[Role]int{Facilitator: 1, Officer: 2, Admin: 3}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return rank[r] > 0 }

// AtLeast reports whether r has the power of min or more.
func (r Role) AtLeast(min Role) bool { return rank[r] >= rank[min] && rank[min] > 0 }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Admin"
	case Officer:
		return "Commissioning officer"
	case Facilitator:
		return "Facilitator"
	}
	return string(r)
}

// ErrNotFound means no such user.
var ErrNotFound = fmt.Errorf("user %w", errs.ErrNotFound)

// User is a member of staff.
type User struct {
	ID           uint
	Email        string
	Name         string
	Role         Role
	PasswordHash string `json:"-"`
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Disabled reports whether the account may no longer sign in.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// NewUser is what an admin enters to add a member of staff.
type NewUser struct {
	Email    string `form:"email" json:"email" label:"an email address"`
	Name     string `form:"name" json:"name" label:"a name"`
	Role     Role   `form:"role" json:"role"`
	Password string `form:"password" json:"password"`
}

// Validate checks every field and returns messages for all of them at once.
func (n *NewUser) Validate() error {
	f := &errs.Fields{}
	n.Email = strings.TrimSpace(strings.ToLower(n.Email))
	n.Name = strings.TrimSpace(n.Name)
	if n.Email == "" {
		f.Add("email", "Enter an email address")
	} else if !ValidEmail(n.Email) {
		f.Add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if n.Name == "" {
		f.Add("name", "Enter a name")
	} else if !utf8.ValidString(n.Name) || utf8.RuneCountInString(n.Name) > 200 {
		f.Add("name", "Name must be 200 characters or fewer")
	}
	if !n.Role.Valid() {
		f.Add("role", "Select a role")
	}
	if msg := PasswordProblem(n.Password); msg != "" {
		f.Add("password", msg)
	}
	return f.Err()
}

// ValidEmail accepts a plain address (no display name) of sensible length.
func ValidEmail(s string) bool {
	if len(s) > 254 || !utf8.ValidString(s) {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// PasswordProblem explains what is wrong with a new password, or "".
// bcrypt reads at most 72 bytes, so longer passwords are refused rather
// than silently cut.
func PasswordProblem(p string) string {
	switch {
	case p == "":
		return "Enter a password"
	case utf8.RuneCountInString(p) < 12:
		return "Password must be 12 characters or more"
	case len(p) > 72:
		return "Password must be 72 bytes or fewer"
	case !utf8.ValidString(p):
		return "Password must be ordinary text"
	}
	return ""
}
