package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"codesign/database"
)

// migrateData copies a whole SQLite deployment into the configured
// PostgreSQL database, which must be empty: every table, in one
// transaction, with row counts checked.
func (e cliEnv) migrateData(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("migrate-data", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	from := fs.String("from", "", "the SQLite database file to copy from")
	if err := fs.Parse(args); err != nil || *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "usage: codesign migrate-data --from PATH   (PATH is the SQLite file; the target is the configured PostgreSQL database)")
		return 2
	}
	if _, err := os.Stat(*from); err != nil {
		fmt.Fprintln(e.stderr, "codesign: migrate-data:", err)
		return 1
	}
	cfg, err := e.loadConfig()
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return 1
	}
	if cfg.Database.Driver != "postgres" {
		fmt.Fprintln(e.stderr, "codesign: migrate-data copies into PostgreSQL: set CODESIGN_DB_DRIVER=postgres and CODESIGN_DB_DSN to the new database")
		return 1
	}
	src, err := database.Open("sqlite", *from)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign: opening", *from+":", err)
		return 1
	}
	defer database.Close(src)
	dst, err := database.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign:", err)
		return 1
	}
	defer database.Close(dst)
	// Both to the current version, so their tables match.
	if _, err := database.Migrate(ctx, src); err != nil {
		fmt.Fprintln(e.stderr, "codesign: migrating the SQLite database:", err)
		return 1
	}
	if _, err := database.Migrate(ctx, dst); err != nil {
		fmt.Fprintln(e.stderr, "codesign: migrating the PostgreSQL database:", err)
		return 1
	}
	report, err := database.CopySQLiteToPostgres(ctx, src, dst, func(table string, rows int64) {
		fmt.Fprintf(e.stdout, "  %-32s %8d rows\n", table, rows)
	})
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign: migrate-data failed, nothing was copied:", err)
		return 1
	}
	var total int64
	for _, t := range report.Tables {
		total += t.Rows
	}
	fmt.Fprintf(e.stdout, "Copied %d rows in %d tables. Start codesign on PostgreSQL; keep the SQLite file as a backup.\n", total, len(report.Tables))
	return 0
}
