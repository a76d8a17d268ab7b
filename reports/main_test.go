package reports_test

import (
	"log/slog"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// Migrations log at info; tests only want warnings.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}
