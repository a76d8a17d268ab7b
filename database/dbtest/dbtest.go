// Package dbtest gives tests a real, migrated database: an SQLite file in a
// temporary directory always, and a private PostgreSQL schema as well when
// CODESIGN_TEST_POSTGRES_DSN is set. No mocks.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codesign/database"

	"gorm.io/gorm"
)

// Engine is one database a test runs against.
type Engine struct {
	Name string // "sqlite" or "postgres"
	DB   *gorm.DB
	// DSN reaches the same database, for starting a server on it.
	DSN string
}

// PostgresDSN is the environment's PostgreSQL for tests, or "".
func PostgresDSN() string { return os.Getenv("CODESIGN_TEST_POSTGRES_DSN") }

// Engines opens every engine available, migrated and empty.
func Engines(t testing.TB) []Engine {
	t.Helper()
	engines := []Engine{SQLite(t)}
	if PostgresDSN() != "" {
		engines = append(engines, Postgres(t))
	}
	return engines
}

// Each runs fn once per engine as a subtest.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.DB) })
	}
}

// SQLite opens a migrated SQLite file in t.TempDir().
func SQLite(t testing.TB) Engine {
	t.Helper()
	path := filepath.Join(t.TempDir(), "codesign.db")
	db, err := database.Open("sqlite", path)
	if err != nil {
		t.Fatalf("opening sqlite: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	if _, err := database.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrating sqlite: %v", err)
	}
	return Engine{Name: "sqlite", DB: db, DSN: path}
}

// Postgres creates a schema of its own on the test server, so that tests
// running in parallel never see each other's rows, and drops it afterwards.
func Postgres(t testing.TB) Engine {
	t.Helper()
	base := PostgresDSN()
	if base == "" {
		t.Skip("CODESIGN_TEST_POSTGRES_DSN is not set; PostgreSQL tests skipped")
	}
	admin, err := database.Open("postgres", base)
	if err != nil {
		t.Fatalf("opening postgres: %v", err)
	}
	schema := "t_" + randomHex(8)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	dsn := WithSearchPath(base, schema)
	db, err := database.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("opening postgres schema: %v", err)
	}
	t.Cleanup(func() {
		database.Close(db)
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		database.Close(admin)
	})
	if _, err := database.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrating postgres: %v", err)
	}
	return Engine{Name: "postgres", DB: db, DSN: dsn}
}

// WithSearchPath points a PostgreSQL DSN (URL or key=value) at schema.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + schema
	}
	return dsn + " search_path=" + schema
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
