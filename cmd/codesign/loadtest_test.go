package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/demo"
	"codesign/surveys"
)

// runLoadtest runs `codesign loadtest args...` and returns its exit code,
// its output and the JSON report.
func runLoadtest(t *testing.T, env map[string]string, args ...string) (int, string, loadReport) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.json")
	var out syncBuffer
	code := run(context.Background(), append([]string{"loadtest", "--report", path}, args...), strings.NewReader(""), &out, &out,
		func(k string) string { return env[k] })
	var rep loadReport
	if data, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatalf("report: %v", err)
		}
	}
	return code, out.String(), rep
}

// checkSane fails unless every kind of request ran without errors, with
// percentiles in order, and the database held exactly what was acknowledged.
func checkSane(t *testing.T, out string, rep loadReport, kinds []string) {
	t.Helper()
	if !rep.Passed || !rep.Check.Checked || !rep.Check.Passed {
		t.Fatalf("run did not pass: %s\n%s", rep.Conclusion, out)
	}
	if !rep.Check.CountsExact {
		t.Errorf("the summary's running counts were not checked or differ\n%s", out)
	}
	if rep.All.Requests == 0 || rep.All.Errors != 0 || rep.All.PerSec <= 0 {
		t.Errorf("requests %d, errors %d, %.0f/s", rep.All.Requests, rep.All.Errors, rep.All.PerSec)
	}
	for _, k := range kinds {
		i := slices.IndexFunc(rep.Ops, func(r opReport) bool { return r.Name == k })
		if i < 0 {
			t.Errorf("no %q in the report", k)
			continue
		}
		if r := rep.Ops[i]; r.Requests == 0 || r.P50 <= 0 || r.P50 > r.P95 || r.P95 > r.P99 || r.P99 > r.Max {
			t.Errorf("%s: %d requests, p50 %.1f p95 %.1f p99 %.1f max %.1f", k, r.Requests, r.P50, r.P95, r.P99, r.Max)
		}
	}
	c := rep.Check
	if c.Responses.Acknowledged == 0 || c.Responses.Found != c.Responses.Acknowledged || c.Bookings.Acknowledged == 0 ||
		c.Bookings.Found != c.Bookings.Acknowledged || c.Cancellations.Found != c.Cancellations.Acknowledged {
		t.Errorf("check: %+v", c)
	}
	if !strings.Contains(out, "Database check") || !strings.Contains(out, "p99") {
		t.Errorf("no summary printed:\n%s", out)
	}
}

// TestLoadtestCommand runs the subcommand for a few seconds against an
// in-process server, on SQLite and on PostgreSQL when it is configured.
func TestLoadtestCommand(t *testing.T) {
	kinds := []string{"read consultation page", "submit response", "book workshop", "cancel booking", "list workshops", "staff: survey summary"}
	args := []string{"--duration", "3s", "--every", "1s", "--clients", "8", "--staff-pause", "100ms"}
	t.Run("sqlite", func(t *testing.T) {
		code, out, rep := runLoadtest(t, nil, args...)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		checkSane(t, out, rep, kinds)
		if len(rep.Windows) < 2 || rep.Windows[0].HeapMB <= 0 || rep.Windows[0].LiveMB <= 0 || rep.Windows[0].Goroutines == 0 {
			t.Errorf("progress windows: %+v", rep.Windows)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		pg := dbtest.Postgres(t)
		code, out, rep := runLoadtest(t, nil, append(args, "--database", pg.DSN)...)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		checkSane(t, out, rep, kinds)
		if rep.Database != "postgres" {
			t.Errorf("database %q", rep.Database)
		}
	})
}

// TestLoadtestAgainstURL loads a server started apart, signing in as its
// admin, and checks its database only when told where it is.
func TestLoadtestAgainstURL(t *testing.T) {
	srv := startServer(t, nil)
	env := map[string]string{"CODESIGN_LOADTEST_STAFF_EMAIL": srv.AdminEmail, "CODESIGN_LOADTEST_STAFF_PASSWORD": srv.AdminPassword}
	args := []string{"--url", srv.URL, "--duration", "2s", "--every", "1s", "--clients", "4", "--staff-pause", "100ms"}
	code, out, rep := runLoadtest(t, env, append(args, "--database", srv.DSN)...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	checkSane(t, out, rep, []string{"submit response", "staff: survey summary"})

	code, out, rep = runLoadtest(t, env, args...)
	if code != 0 || rep.Check.Checked || !strings.Contains(out, "the database cannot be checked") {
		t.Fatalf("without --database: exit %d, checked %v:\n%s", code, rep.Check.Checked, out)
	}
	code, out, _ = runLoadtest(t, nil, args...)
	if code != 1 || !strings.Contains(out, "CODESIGN_LOADTEST_STAFF_PASSWORD") {
		t.Fatalf("without staff credentials: exit %d:\n%s", code, out)
	}
}

// TestLoadCheckFindsMismatches: a response stored but never acknowledged,
// and an acknowledged receipt that is not stored, each fail the check.
func TestLoadCheckFindsMismatches(t *testing.T) {
	ctx := context.Background()
	db := dbtest.SQLite(t).DB
	if err := demo.Load(ctx, db); err != nil {
		t.Fatal(err)
	}
	marks, err := takeMarks(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	store := surveys.NewStore(db)
	sv, err := store.BySlug(ctx, "early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	a, err := makeAnswers(sv, 1)
	if err != nil {
		t.Fatal(err)
	}
	answers := surveys.Answers{}
	for k, v := range a {
		if s, ok := v.(string); ok {
			answers[k] = []string{s}
		} else {
			answers[k] = v.([]string)
		}
	}
	r, _, err := store.Submit(ctx, sv, surveys.Submission{Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	check := func(acks ...string) loadCheck {
		t.Helper()
		log, err := newAckLog(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer log.remove()
		for _, ref := range acks {
			log.add(ackResponse, ref)
		}
		c, err := checkDatabase(ctx, db, sv.Slug, nil, marks, log)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := check(); c.Passed || c.Responses.Extra != 1 {
		t.Errorf("an unacknowledged response passed: %+v", c)
	}
	if c := check(r.Receipt); !c.Passed {
		t.Errorf("the acknowledged response failed: %+v", c)
	}
	if c := check(r.Receipt, "NOT-A-RECEIPT"); c.Passed || c.Responses.Missing != 1 {
		t.Errorf("a missing response passed: %+v", c)
	}
}

func TestHistogramPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h histogram
	var all []time.Duration
	for range 100000 {
		d := time.Duration(rng.ExpFloat64() * float64(20*time.Millisecond))
		h.add(d)
		all = append(all, d)
	}
	slices.Sort(all)
	for _, p := range []float64{.5, .95, .99} {
		want := all[int(p*float64(len(all)-1))]
		if got := h.percentile(p); got < want*96/100 || got > want*104/100 {
			t.Errorf("p%.0f: %s, want %s within 4%%", p*100, got, want)
		}
	}
	if h.percentile(1) != all[len(all)-1] {
		t.Errorf("max %s, want %s", h.percentile(1), all[len(all)-1])
	}
}

func TestParseMix(t *testing.T) {
	m, err := parseMix("submit=3, read=1")
	if err != nil || m["submit"] != 3 || m["read"] != 1 || m["book"] != 0 || m.String() != "read=1,submit=3" {
		t.Fatalf("%v %v", m, err)
	}
	for _, bad := range []string{"submit", "submit=x", "shout=1", "read=0", "read=-1"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
