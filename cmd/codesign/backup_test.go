package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreRoundTrip(t *testing.T) {
	s := startServer(t, nil)
	ctx := context.Background()
	if code := s.runIn(ctx, "password for the backup test\n", "user", "add", "--email", "kept@example.org", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %s", s.out.String())
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code := s.run(ctx, "backup", backup); code != 0 {
		t.Fatalf("backup exited %d: %s", code, s.out.String())
	}
	if code := s.run(ctx, "backup", backup); code == 0 {
		t.Fatal("backup overwrote an existing file")
	}
	s.shutdown()

	// Restore into a fresh location and start a server on it.
	target := filepath.Join(t.TempDir(), "restored", "codesign.db")
	s.env["CODESIGN_DB_DSN"] = target
	if code := s.run(ctx, "restore", backup); code != 0 {
		t.Fatalf("restore exited %d: %s", code, s.out.String())
	}
	again := startServer(t, map[string]string{"CODESIGN_DB_DSN": target})
	if status := httpLogin(t, client(t), again.URL, "kept@example.org", "password for the backup test"); status != 303 {
		t.Fatalf("the account from before the backup cannot sign in: %d", status)
	}
}

func TestRestoreRefusesAGarbageFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte("this is not a database"), 0o600)
	target := filepath.Join(dir, "live.db")
	os.WriteFile(target, []byte("the old database"), 0o600)
	out := &syncBuffer{}
	env := map[string]string{"CODESIGN_DB_DSN": target}
	code := run(context.Background(), []string{"restore", bad}, strings.NewReader(""), out, out, func(k string) string { return env[k] })
	if code == 0 {
		t.Fatal("restore accepted a file that is not a database")
	}
	if b, _ := os.ReadFile(target); string(b) != "the old database" {
		t.Fatal("a failed restore damaged the live database")
	}
}
