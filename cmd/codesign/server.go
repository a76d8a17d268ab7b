package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"codesign/accounts"
	"codesign/app"
	"codesign/audit"
	"codesign/config"
	"codesign/database"
	"codesign/demo"
	"codesign/programmes"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

// server is a built codesign: its database and its HTTP application.
type server struct {
	cfg      config.Config
	db       *gorm.DB
	fiber    *fiber.App
	accounts *accounts.Store
	themes   *themes.Store // one store, so the codebook is compiled once
}

// loadConfig reads the config file and the environment and sets up logging.
func (e cliEnv) loadConfig() (config.Config, error) {
	cfg, err := config.Load(e.configPath, e.explicit, e.getenv)
	if err != nil {
		return cfg, err
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	slog.SetDefault(slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level})))
	return cfg, nil
}

// openDatabase opens and migrates the configured database.
func openDatabase(ctx context.Context, cfg config.Config) (*gorm.DB, error) {
	db, err := database.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return nil, err
	}
	if _, err := database.Migrate(ctx, db); err != nil {
		database.Close(db)
		return nil, err
	}
	return db, nil
}

// build wires the stores into the app: the one constructor that both
// `codesign serve` and the tests use.
func build(ctx context.Context, cfg config.Config) (*server, error) {
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, db: db, accounts: accounts.NewStore(db)}
	if cfg.Demo {
		if err := demo.Load(ctx, db); err != nil {
			database.Close(db)
			return nil, fmt.Errorf("loading demo content: %w", err)
		}
	}
	key := cfg.Server.SessionKey
	if key == "" {
		// Kept in the database so every instance signs with the same key.
		if key, err = database.SharedSecret(ctx, db, "session_key"); err != nil {
			database.Close(db)
			return nil, err
		}
	}
	deps := app.Deps{DB: db, Accounts: s.accounts, Audit: audit.NewStore(db), Programmes: programmes.NewStore(db)}
	deps.Messages, deps.Workshops = workshopStores(db, cfg)
	deps.Surveys = surveys.NewStore(db)
	deps.Themes = themes.NewStore(db)
	deps.Reports = reports.NewStore(db)
	deps.Panels = panelStore(db, deps.Messages, cfg)
	deps.Safeguarding = safeguarding.NewStore(db, deps.Messages)
	// Suggestions use the current codebook, compiled once per version.
	deps.Coding, s.themes = true, deps.Themes
	s.fiber, err = app.New(deps, app.Options{
		BaseURL: cfg.Server.BaseURL, Secure: cfg.Secure(), SessionKey: []byte(key), BodyLimit: cfg.Server.BodyLimit,
		RateLimit: cfg.RateLimit, TrustedProxies: cfg.Server.TrustedProxies, Version: version,
		Signposting: app.Signposting{Heading: cfg.Signposting.Heading, Lines: cfg.Signposting.Lines},
	})
	if err != nil {
		database.Close(db)
		return nil, err
	}
	return s, nil
}

func (s *server) close() {
	if err := s.fiber.ShutdownWithTimeout(10 * time.Second); err != nil {
		slog.Warn("shutting down", "err", err)
	}
	database.Close(s.db)
}

// serve runs the web server until ctx ends.
func (e cliEnv) serve(ctx context.Context) int {
	cfg, err := e.loadConfig()
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign: cannot start:", err)
		return 1
	}
	s, err := build(ctx, cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign: cannot start:", err)
		return 1
	}
	defer s.close()
	if err := s.bootstrapAdmin(ctx, e); err != nil {
		fmt.Fprintln(e.stderr, "codesign: cannot create the first admin:", err)
		return 1
	}
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign: cannot listen:", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "codesign %s is running at %s (database: %s)\n", version, cfg.Server.BaseURL, cfg.Database.Driver)
	go s.housekeeping(ctx)
	go s.jobs(ctx)
	errc := make(chan error, 1)
	go func() { errc <- s.fiber.Listener(ln) }()
	select {
	case <-ctx.Done():
		fmt.Fprintln(e.stdout, "codesign: stopping")
		return 0
	case err := <-errc:
		fmt.Fprintln(e.stderr, "codesign: server stopped:", err)
		return 1
	}
}

// bootstrapAdmin creates the first admin on an empty database and tells the
// person at the console how to sign in. A generated password is shown once
// and never written anywhere else.
func (s *server) bootstrapAdmin(ctx context.Context, e cliEnv) error {
	u, generated, err := s.accounts.Bootstrap(ctx, s.cfg.Admin.Email, s.cfg.Admin.Password)
	if err != nil {
		return err
	}
	login := s.cfg.Server.BaseURL + "/login"
	switch {
	case u != nil && generated != "":
		fmt.Fprintf(e.stdout, "\nCreated the first admin account. Sign in at %s with\n  email:    %s\n  password: %s\nThis password is shown only once. Set CODESIGN_ADMIN_EMAIL and CODESIGN_ADMIN_PASSWORD to choose your own.\n\n", login, u.Email, generated)
	case u != nil:
		fmt.Fprintf(e.stdout, "Created the admin %s from CODESIGN_ADMIN_EMAIL. Sign in at %s\n", u.Email, login)
	default:
		fmt.Fprintf(e.stdout, "Staff sign in at %s\n", login)
	}
	return nil
}

// housekeeping removes expired sessions every hour.
func (s *server) housekeeping(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := s.accounts.PurgeSessions(ctx); err != nil && !errors.Is(err, context.Canceled) {
			slog.Warn("purging sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
