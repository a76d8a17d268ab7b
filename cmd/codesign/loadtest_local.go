package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"codesign/accounts"
	"codesign/config"
)

// localServer is codesign running inside the load test's process, on the
// demo content with the rate limit off.
type localServer struct {
	url, dsn                  string
	staffEmail, staffPassword string
	s                         *server
	tmp                       string
	stopJobs                  context.CancelFunc
	jobs                      sync.WaitGroup
	once                      sync.Once
}

// startLocal builds the server as codesign serve does, from the default
// settings rather than config.yaml, so a load test can never reach a real
// deployment's database or send mail through its SMTP server.
func startLocal(ctx context.Context, driver, dsn string) (*localServer, error) {
	l := &localServer{dsn: dsn}
	if dsn == "" {
		dir, err := os.MkdirTemp("", "codesign-loadtest-")
		if err != nil {
			return nil, err
		}
		l.tmp, l.dsn = dir, filepath.Join(dir, "codesign.db")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.removeTemp()
		return nil, err
	}
	cfg := config.Default()
	cfg.Database = config.Database{Driver: driver, DSN: l.dsn}
	cfg.Server.Listen, cfg.Server.BaseURL = ln.Addr().String(), "http://"+ln.Addr().String()
	cfg.Demo, cfg.RateLimit, cfg.Log.Level = true, 0, "warn"
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if l.s, err = build(ctx, cfg); err != nil {
		_ = ln.Close()
		l.removeTemp()
		return nil, err
	}
	l.url = cfg.Server.BaseURL
	l.staffEmail, l.staffPassword = fmt.Sprintf("loadtest-%d@example.org", time.Now().UnixNano()), accounts.NewSecret(18)
	_, err = l.s.accounts.Create(ctx, nil, accounts.NewUser{Email: l.staffEmail, Name: "Load test", Role: accounts.Officer, Password: l.staffPassword})
	if err != nil {
		_ = ln.Close()
		l.s.close()
		l.removeTemp()
		return nil, fmt.Errorf("creating the load test's staff account: %w", err)
	}
	jobCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.stopJobs = cancel
	l.jobs.Go(func() { l.s.jobs(jobCtx) })
	l.jobs.Go(func() { l.s.housekeeping(jobCtx) })
	go func() {
		if err := l.s.fiber.Listener(ln); err != nil && !errors.Is(err, net.ErrClosed) {
			slog.Warn("load test server stopped", "err", err)
		}
	}()
	return l, nil
}

// stop ends the background jobs, then the server; it may be called twice.
func (l *localServer) stop() {
	l.once.Do(func() {
		l.stopJobs()
		l.jobs.Wait()
		l.s.close()
	})
}

func (l *localServer) removeTemp() {
	if l.tmp != "" {
		_ = os.RemoveAll(l.tmp)
	}
}
