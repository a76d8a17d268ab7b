package database_test

import (
	"context"
	"testing"

	"codesign/database"
	"codesign/database/dbtest"

	"gorm.io/gorm"
)

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		// dbtest has already migrated once; a second run applies nothing.
		n, err := database.Migrate(context.Background(), db)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d (%v)", n, err)
		}
		pending, err := database.Pending(context.Background(), db)
		if err != nil || len(pending) != 0 {
			t.Fatalf("pending after migrate: %v %v", pending, err)
		}
		var count int64
		db.Table("schema_migrations").Count(&count)
		if int(count) != len(database.Steps()) {
			t.Fatalf("%d steps recorded, %d defined", count, len(database.Steps()))
		}
	})
}

func TestStepsAreOrderedAndUnique(t *testing.T) {
	seen := map[int]bool{}
	prev := 0
	for _, s := range database.Steps() {
		if seen[s.Version] || s.Version <= prev {
			t.Fatalf("version %d repeated or out of order", s.Version)
		}
		seen[s.Version], prev = true, s.Version
	}
}

func TestSQLiteSettings(t *testing.T) {
	db := dbtest.SQLite(t).DB
	var mode string
	db.Raw("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var fk int
	db.Raw("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1 on every connection", fk)
	}
	// A foreign key violation must be refused.
	err := db.Exec("INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) VALUES ('x', 999, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)").Error
	if err == nil {
		t.Error("a session for a missing user was stored: foreign keys are off")
	}
}

func TestSharedSecretIsStable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		a, err := database.SharedSecret(context.Background(), db, "k")
		if err != nil || len(a) < 32 {
			t.Fatalf("%q %v", a, err)
		}
		b, _ := database.SharedSecret(context.Background(), db, "k")
		if a != b {
			t.Fatal("the shared secret changed between calls")
		}
	})
}
