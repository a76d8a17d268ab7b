package main

import (
	"context"
	"os"
	"testing"
	"time"

	"codesign/database/dbtest"
)

// BenchmarkMixedLoad is `codesign loadtest` with its default mix, run as a
// benchmark: 32 resident clients for CODESIGN_LOAD_DURATION (default 60s)
// against the real server in this process with demo content, and one
// member of staff reading reports. It prints progress every minute and
// fails unless the database holds exactly what was acknowledged, with no
// errors. CODESIGN_LOAD_DRIVER=postgres runs it on a fresh schema of
// CODESIGN_TEST_POSTGRES_DSN. It ignores b.N: run it with -benchtime 1x.
//
//	go test -run '^$' -bench BenchmarkMixedLoad -benchtime 1x -timeout 30m ./cmd/codesign
func BenchmarkMixedLoad(b *testing.B) {
	o := loadOptions{Duration: 60 * time.Second, Every: time.Minute, Clients: 32, Mix: defaultMix(), Staff: 1,
		StaffPause: 2 * time.Second, Survey: "early-help-islington", Timeout: 10 * time.Second, Driver: "sqlite"}
	if d, err := time.ParseDuration(os.Getenv("CODESIGN_LOAD_DURATION")); err == nil && d > 0 {
		o.Duration = d
	}
	if os.Getenv("CODESIGN_LOAD_DRIVER") == "postgres" {
		o.Driver, o.DSN = "postgres", dbtest.Postgres(b).DSN
	}
	b.ResetTimer()
	// Straight to stderr: the testing package cuts long benchmark logs.
	rep, err := runLoadTest(context.Background(), o, os.Stderr)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(rep.All.PerSec, "req/s")
	b.ReportMetric(rep.All.P50, "p50_ms")
	b.ReportMetric(rep.All.P95, "p95_ms")
	b.ReportMetric(rep.All.P99, "p99_ms")
	if !rep.Passed {
		b.Error(rep.Conclusion)
	}
}
