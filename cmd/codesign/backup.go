package main

import (
	"context"
	"fmt"

	"codesign/database"
)

// backup writes a consistent copy of the running SQLite database.
func (e cliEnv) backup(ctx context.Context, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(e.stderr, "usage: codesign backup PATH")
		return 2
	}
	db, ok := e.openUnmigrated()
	if !ok {
		return 1
	}
	defer database.Close(db)
	if err := database.Backup(ctx, db, args[0]); err != nil {
		fmt.Fprintln(e.stderr, "codesign: backup failed:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Backed up to %s (integrity check ok).\n", args[0])
	return 0
}

// restore puts a backup in place of the configured SQLite database.
func (e cliEnv) restore(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(e.stderr, "usage: codesign restore PATH   (stop the server first)")
		return 2
	}
	cfg, err := e.loadConfig()
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return 1
	}
	if cfg.Database.Driver != "sqlite" {
		fmt.Fprintln(e.stderr, "codesign: restore is for SQLite; for PostgreSQL use pg_restore (see README)")
		return 1
	}
	if err := database.Restore(args[0], cfg.Database.DSN); err != nil {
		fmt.Fprintln(e.stderr, "codesign: restore failed:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "Restored %s from %s. Start the server again.\n", cfg.Database.DSN, args[0])
	return 0
}
