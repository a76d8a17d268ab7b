package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"codesign/accounts"
	"codesign/database"
	"codesign/errs"

	"gorm.io/gorm"
)

func (e cliEnv) migrate(ctx context.Context) int {
	db, ok := e.openUnmigrated()
	if !ok {
		return 1
	}
	defer database.Close(db)
	n, err := database.Migrate(ctx, db)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign: migration failed:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Applied %d migration(s); the database is up to date (%d steps in all).\n", n, len(database.Steps()))
	return 0
}

// withAccounts opens the database for a CLI command that manages accounts.
func (e cliEnv) withAccounts(ctx context.Context, fn func(*accounts.Store) int) int {
	cfg, err := e.loadConfig()
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return 1
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return 1
	}
	defer database.Close(db)
	return fn(accounts.NewStore(db))
}

func (e cliEnv) user(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(e.stderr, "usage: codesign user add --email E --role admin|officer|facilitator [--name N] [--password-stdin]")
		return 2
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	email := fs.String("email", "", "email address (required)")
	role := fs.String("role", "", "admin, officer or facilitator (required)")
	name := fs.String("name", "", "full name (defaults to the part of the email before @)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(e.stderr, "codesign: no password on standard input")
			return 2
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, generated = accounts.NewSecret(15), true
	}
	return e.withAccounts(ctx, func(s *accounts.Store) int {
		u, err := s.Create(ctx, nil, accounts.NewUser{Email: *email, Name: *name, Role: accounts.Role(*role), Password: password})
		if f, ok := errs.AsFields(err); ok {
			for _, k := range f.Order {
				fmt.Fprintf(e.stderr, "codesign: --%s: %s\n", k, f.Messages[k])
			}
			return 1
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "codesign:", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "Added %s (%s) as %s.\n", u.Name, u.Email, u.Role.Label())
		if generated {
			fmt.Fprintf(e.stdout, "Password (shown once): %s\n", password)
		}
		return 0
	})
}

func (e cliEnv) token(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "usage: codesign token create --email E [--name N]")
		return 2
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	email := fs.String("email", "", "the staff account the token acts as (required)")
	name := fs.String("name", "cli", "a label to recognise the token by")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	return e.withAccounts(ctx, func(s *accounts.Store) int {
		tok, err := s.CreateToken(ctx, *email, *name)
		if err != nil {
			fmt.Fprintln(e.stderr, "codesign: cannot create a token:", err)
			return 1
		}
		fmt.Fprintln(e.stdout, tok)
		return 0
	})
}

// openUnmigrated opens the configured database as it is, for commands that
// must not change its schema first (migrate itself, backup). It reports
// problems on stderr.
func (e cliEnv) openUnmigrated() (*gorm.DB, bool) {
	cfg, err := e.loadConfig()
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return nil, false
	}
	db, err := database.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return nil, false
	}
	return db, true
}
