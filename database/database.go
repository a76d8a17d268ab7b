// Package database opens codesign's database (SQLite or PostgreSQL) with the
// settings each engine needs, and owns the versioned migrations. It knows
// nothing of HTTP or of the domain packages' rules.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// Open connects to driver ("sqlite" or "postgres") at dsn. For SQLite the dsn
// is a file path; its directory is created.
func Open(driver, dsn string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		NowFunc: func() time.Time { return time.Now().UTC() },
		Logger:  logger.Discard,
		// Each store opens its own transactions where a write must be atomic.
		SkipDefaultTransaction: true,
		TranslateError:         true,
	}
	switch driver {
	case "sqlite":
		return openSQLite(dsn, cfg)
	case "postgres":
		db, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("opening postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	default:
		return nil, fmt.Errorf("unknown database driver %q", driver)
	}
}

// openSQLite opens one writer connection (transactions begin IMMEDIATE, so a
// read-then-write never fails half-way on a lock upgrade) and a small pool of
// read-only connections that WAL lets run beside the writer.
func openSQLite(path string, cfg *gorm.Config) (*gorm.DB, error) {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("creating database directory: %w", err)
		}
	}
	common := "_foreign_keys=on&_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL"
	writer := "file:" + url.PathEscape(path) + "?" + common + "&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(writer), cfg)
	if err != nil {
		return nil, fmt.Errorf("opening sqlite: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetConnMaxIdleTime(0)
	// Make the WAL file exist before the read-only pool opens.
	if err := sqlDB.Ping(); err != nil {
		return nil, fmt.Errorf("opening sqlite: %w", err)
	}
	reader := "file:" + url.PathEscape(path) + "?" + common + "&mode=ro"
	readPool, err := sql.Open(sqlite.DriverName, reader)
	if err != nil {
		return nil, fmt.Errorf("opening sqlite readers: %w", err)
	}
	readPool.SetMaxOpenConns(4)
	readPool.SetMaxIdleConns(4)
	err = db.Use(dbresolver.Register(dbresolver.Config{
		Replicas: []gorm.Dialector{&sqlite.Dialector{DriverName: sqlite.DriverName, DSN: reader, Conn: readPool}},
	}))
	if err != nil {
		return nil, fmt.Errorf("opening sqlite readers: %w", err)
	}
	extraPools.Store(db, readPool)
	return db, nil
}

// Ping checks that the database answers, for the health check.
func Ping(ctx context.Context, db *gorm.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	if err := db.WithContext(ctx).Clauses(dbresolver.Write).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return err
	}
	if one != 1 {
		return errors.New("database answered SELECT 1 wrongly")
	}
	return nil
}

// extraPools remembers the read-only pool behind each SQLite *gorm.DB, which
// gorm's DB() does not return, so Close can close it too.
var extraPools sync.Map

// Close closes every pool behind db.
func Close(db *gorm.DB) {
	if p, ok := extraPools.LoadAndDelete(db); ok {
		_ = p.(*sql.DB).Close()
	}
	if sqlDB, err := db.DB(); err == nil {
		if err := sqlDB.Close(); err != nil {
			slog.Warn("closing database", "err", err)
		}
	}
}

// IsSQLite reports whether db is an SQLite database.
func IsSQLite(db *gorm.DB) bool { return db.Dialector.Name() == "sqlite" }
