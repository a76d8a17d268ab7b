package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A disk that fills up during a backup gives a clear error and leaves no
// file behind, neither under the name asked for nor half-written. The full
// disk is a file-size limit (ulimit -f) on the backup process, which makes
// every write past 64 KiB fail with EFBIG as a full disk fails with ENOSPC.
func TestBackupOnAFullDiskLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "codesign")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building: %v\n%s", err, out)
	}
	dsn := filepath.Join(dir, "live.db")
	env := append(os.Environ(), "CODESIGN_DB_DSN="+dsn, "CODESIGN_DEMO=true", "CODESIGN_ADMIN_EMAIL=admin@example.org",
		"CODESIGN_ADMIN_PASSWORD="+testAdminPassword, "CODESIGN_LOG_LEVEL=warn")
	// Fill it with the demo content: start and stop the server once.
	srv := startServer(t, map[string]string{"CODESIGN_DB_DSN": dsn})
	srv.shutdown()
	if fi, err := os.Stat(dsn); err != nil || fi.Size() < 256<<10 {
		t.Fatalf("the database is too small to overflow 64 KiB: %v %v", fi, err)
	}

	target := filepath.Join(dir, "backup.db")
	cmd := exec.Command("sh", "-c", `ulimit -f 128 && exec "$0" backup "$1"`, bin, target)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("backup on a full disk succeeded:\n%s", out)
	}
	t.Logf("backup on a full disk said: %s", strings.TrimSpace(string(out)))
	if !strings.Contains(string(out), "backup failed") {
		t.Errorf("the error does not say the backup failed:\n%s", out)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "backup.db") {
			t.Errorf("%s was left behind", e.Name())
		}
	}
	// With room, the same command works.
	cmd = exec.Command(bin, "backup", target)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("backup with room: %v\n%s", err, out)
	}
}
