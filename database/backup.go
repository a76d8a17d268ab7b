package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// ErrBackupExists means the backup target is already there.
var ErrBackupExists = errors.New("the backup file already exists; choose a new name")

// Backup writes a consistent copy of a live SQLite database to path with
// VACUUM INTO, which reads one snapshot while the server keeps serving.
func Backup(ctx context.Context, db *gorm.DB, path string) error {
	if !IsSQLite(db) {
		return errors.New("codesign backup is for SQLite; for PostgreSQL use pg_dump --format=custom (see README)")
	}
	if _, err := os.Stat(path); err == nil {
		return ErrBackupExists
	}
	tmp := path + ".partial"
	// SQLite may leave a journal beside a file it failed to finish.
	cleanup := func() {
		for _, f := range []string{tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"} {
			_ = os.Remove(f)
		}
	}
	cleanup()
	quoted := "'" + strings.ReplaceAll(tmp, "'", "''") + "'"
	if err := db.WithContext(ctx).Clauses(dbresolver.Write).Exec("VACUUM INTO " + quoted).Error; err != nil {
		cleanup()
		return fmt.Errorf("writing backup: %w", err)
	}
	if err := CheckIntegrity(tmp); err != nil {
		cleanup()
		return err
	}
	// Only a complete, checked file ever carries the name asked for.
	return os.Rename(tmp, path)
}

// CheckIntegrity runs PRAGMA integrity_check on the SQLite file at path.
func CheckIntegrity(path string) error {
	db, err := Open("sqlite", path)
	if err != nil {
		return err
	}
	defer Close(db)
	var result string
	if err := db.Clauses(dbresolver.Write).Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return err
	}
	if result != "ok" {
		return fmt.Errorf("integrity check failed: %s", result)
	}
	return nil
}

// Restore replaces the SQLite database at target with the backup at src.
// The server must be stopped. The copy is checked first and moved into
// place in one rename, so a failed restore leaves the old database whole.
func Restore(src, target string) error {
	if err := CheckIntegrity(src); err != nil {
		return fmt.Errorf("the backup is not usable: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	tmp := target + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			_ = os.Remove(tmp)
			return err
		}
	}
	return os.Rename(tmp, target)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src) // #nosec G304 -- the operator names the file on the command line
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600) // #nosec G304 -- the operator names the file on the command line
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close() // #nosec G104 -- the copy error is the one to report
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close() // #nosec G104 -- the sync error is the one to report
		return err
	}
	return out.Close()
}
