package accounts_test

import (
	"context"
	"errors"
	"testing"

	"codesign/accounts"
	"codesign/database/dbtest"
	"codesign/errs"

	"gorm.io/gorm"
)

const goodPassword = "correct horse battery"

func newAdmin(t *testing.T, s *accounts.Store, email string) *accounts.User {
	t.Helper()
	u, err := s.Create(context.Background(), nil, accounts.NewUser{Email: email, Name: "Ada", Role: accounts.Admin, Password: goodPassword})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return u
}

func TestCreateValidates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := accounts.NewStore(db)
		_, err := s.Create(context.Background(), nil, accounts.NewUser{Email: "not an email", Role: "boss", Password: "short"})
		f, ok := errs.AsFields(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		want := map[string]string{
			"email":    "Enter an email address in the correct format, like name@example.org",
			"name":     "Enter a name",
			"role":     "Select a role",
			"password": "Password must be 12 characters or more",
		}
		for k, v := range want {
			if f.Messages[k] != v {
				t.Errorf("%s: got %q, want %q", k, f.Messages[k], v)
			}
		}
		if n, _ := s.Count(context.Background()); n != 0 {
			t.Errorf("an invalid user was stored: count %d", n)
		}
	})
}

func TestDuplicateEmailIsAFieldError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := accounts.NewStore(db)
		newAdmin(t, s, "ada@example.org")
		_, err := s.Create(context.Background(), nil, accounts.NewUser{Email: "ADA@example.org", Name: "B", Role: accounts.Officer, Password: goodPassword})
		f, ok := errs.AsFields(err)
		if !ok || f.Messages["email"] == "" {
			t.Fatalf("want an email field error, got %v", err)
		}
	})
}

func TestAuthenticateAndLockOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := accounts.NewStore(db)
		newAdmin(t, s, "ada@example.org")
		if _, err := s.Authenticate(ctx, " Ada@Example.org ", goodPassword); err != nil {
			t.Fatalf("right password refused: %v", err)
		}
		for i := 1; i < accounts.FreeAttempts; i++ {
			if _, err := s.Authenticate(ctx, "ada@example.org", "wrong password!"); !errors.Is(err, accounts.ErrBadLogin) {
				t.Fatalf("attempt %d: got %v, want ErrBadLogin", i, err)
			}
		}
		if _, err := s.Authenticate(ctx, "ada@example.org", "wrong password!"); !errors.Is(err, accounts.ErrLocked) {
			t.Fatalf("fifth failure: got %v, want ErrLocked", err)
		}
		if _, err := s.Authenticate(ctx, "ada@example.org", goodPassword); !errors.Is(err, accounts.ErrLocked) {
			t.Fatalf("right password while locked: got %v, want ErrLocked", err)
		}
	})
}

func TestUnknownEmailLooksLikeWrongPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := accounts.NewStore(db)
		for i := 1; i < accounts.FreeAttempts; i++ {
			if _, err := s.Authenticate(context.Background(), "nobody@example.org", "whatever it is"); !errors.Is(err, accounts.ErrBadLogin) {
				t.Fatalf("got %v, want ErrBadLogin", err)
			}
		}
		// Unknown emails are locked out too, so lock-out reveals nothing.
		if _, err := s.Authenticate(context.Background(), "nobody@example.org", "whatever it is"); !errors.Is(err, accounts.ErrLocked) {
			t.Fatalf("got %v, want ErrLocked", err)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := accounts.NewStore(db)
		u := newAdmin(t, s, "ada@example.org")
		other := newAdmin(t, s, "bob@example.org")
		cookie, err := s.StartSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.SessionUser(ctx, cookie)
		if err != nil || got.ID != u.ID {
			t.Fatalf("session user: %v %v", got, err)
		}
		if _, err := s.SessionUser(ctx, cookie+"x"); !errors.Is(err, accounts.ErrNoSession) {
			t.Errorf("tampered cookie: got %v", err)
		}
		token, err := s.CreateToken(ctx, "ada@example.org", "cli")
		if err != nil {
			t.Fatal(err)
		}
		if tu, err := s.TokenUser(ctx, token); err != nil || tu.ID != u.ID {
			t.Fatalf("token user: %v %v", tu, err)
		}
		// Disabling ends sessions and revokes tokens at once.
		if err := s.SetDisabled(ctx, &other.ID, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, cookie); !errors.Is(err, accounts.ErrNoSession) {
			t.Errorf("session survived disabling: %v", err)
		}
		if _, err := s.TokenUser(ctx, token); !errors.Is(err, accounts.ErrNoSession) {
			t.Errorf("token survived disabling: %v", err)
		}
	})
}

func TestLastAdminStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := accounts.NewStore(db)
		u := newAdmin(t, s, "ada@example.org")
		err := s.SetRole(context.Background(), &u.ID, u.ID, accounts.Facilitator)
		if !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("demoting the last admin: got %v, want conflict", err)
		}
		if err := s.SetDisabled(context.Background(), &u.ID, u.ID, true); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("disabling the last admin: got %v, want conflict", err)
		}
	})
}

func TestBootstrapGeneratesOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := accounts.NewStore(db)
		u, pw, err := s.Bootstrap(context.Background(), "", "")
		if err != nil || u == nil || len(pw) < 12 {
			t.Fatalf("bootstrap: %v %q %v", u, pw, err)
		}
		if _, err := s.Authenticate(context.Background(), u.Email, pw); err != nil {
			t.Fatalf("generated password does not work: %v", err)
		}
		again, pw2, err := s.Bootstrap(context.Background(), "", "")
		if err != nil || again != nil || pw2 != "" {
			t.Fatalf("second bootstrap must do nothing: %v %q %v", again, pw2, err)
		}
	})
}
