package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/database/dbtest"
)

// testServer is a real codesign process-in-a-goroutine: the same run() as
// main, listening on a free loopback port over a fresh database.
type testServer struct {
	URL           string
	DSN           string
	AdminEmail    string
	AdminPassword string
	env           map[string]string
	out           *syncBuffer
	stop          context.CancelFunc
	done          chan struct{} // closed when run returns
	code          int
}

const testAdminPassword = "browser test password"

// startServer starts codesign with demo content on SQLite (or on what env
// says), waits until it is healthy, and stops it when the test ends.
func startServer(t testing.TB, env map[string]string) *testServer {
	t.Helper()
	s := launchServer(t, env)
	if err := s.waitHealthy(); err != nil {
		t.Fatal(err)
	}
	return s
}

// launchServer starts codesign without waiting for it to be ready.
func launchServer(t testing.TB, env map[string]string) *testServer {
	t.Helper()
	s := &testServer{env: map[string]string{
		"CODESIGN_LISTEN":         "127.0.0.1:" + freePort(t),
		"CODESIGN_DB_DSN":         filepath.Join(t.TempDir(), "codesign.db"),
		"CODESIGN_DEMO":           "true",
		"CODESIGN_ADMIN_EMAIL":    "admin@example.org",
		"CODESIGN_ADMIN_PASSWORD": testAdminPassword,
		"CODESIGN_RATE_LIMIT":     "0",
		"CODESIGN_LOG_LEVEL":      "warn",
	}, out: &syncBuffer{}, done: make(chan struct{})}
	for k, v := range env {
		s.env[k] = v
	}
	s.URL = "http://" + s.env["CODESIGN_LISTEN"]
	s.DSN = s.env["CODESIGN_DB_DSN"]
	s.AdminEmail, s.AdminPassword = s.env["CODESIGN_ADMIN_EMAIL"], s.env["CODESIGN_ADMIN_PASSWORD"]
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	go func() { s.code = s.run(ctx, "serve"); close(s.done) }()
	t.Cleanup(s.shutdown)
	return s
}

// run runs a subcommand against the same configuration as the server.
func (s *testServer) run(ctx context.Context, args ...string) int {
	return s.runIn(ctx, "", args...)
}

// runIn is run with stdin.
func (s *testServer) runIn(ctx context.Context, stdin string, args ...string) int {
	return run(ctx, args, strings.NewReader(stdin), s.out, s.out, s.getenv)
}

func (s *testServer) getenv(k string) string { return s.env[k] }

// waitHealthy returns an error (rather than failing the test) so that it
// may be called from any goroutine.
func (s *testServer) waitHealthy() error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("server exited with %d:\n%s", s.code, s.out.String())
		default:
		}
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server not healthy after 20s:\n%s", s.out.String())
}

// shutdown stops the server. A browser's pre-opened sockets can hold the
// graceful shutdown for its full timeout; tests need not wait for that.
func (s *testServer) shutdown() {
	s.stop()
	select {
	case <-s.done:
	case <-time.After(2 * time.Second):
	}
}

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// postgresEnv points a server at a fresh schema of the test PostgreSQL, or
// skips when none is configured.
func postgresEnv(t testing.TB) map[string]string {
	t.Helper()
	e := dbtest.Postgres(t)
	return map[string]string{"CODESIGN_DB_DRIVER": "postgres", "CODESIGN_DB_DSN": e.DSN}
}

// syncBuffer collects a server's output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
