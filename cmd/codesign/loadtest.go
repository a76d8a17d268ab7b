package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"codesign/database"

	"gorm.io/gorm"
)

// loadOptions are the loadtest subcommand's settings.
type loadOptions struct {
	URL           string // a running codesign; empty starts one in this process
	Driver, DSN   string // the database to check (and, in-process, to serve)
	Duration      time.Duration
	Every         time.Duration // how often a progress line is printed
	Clients       int
	Rate          float64 // residents' requests per second in all; 0 is as fast as answers come
	Mix           loadMix
	Staff         int           // staff readers
	StaffPause    time.Duration // between one staff page and the next
	Survey        string
	StaffEmail    string
	StaffPassword string
	Timeout       time.Duration
	MaxErrorRate  float64 // percent of requests
	ReportPath    string
}

// loadReport is what a run measured; --report writes it as JSON.
type loadReport struct {
	Started    time.Time      `json:"started"`
	Seconds    float64        `json:"seconds"`
	Target     string         `json:"target"`
	Database   string         `json:"database"`
	Clients    int            `json:"clients"`
	Rate       float64        `json:"rate_limit_per_second,omitempty"`
	Mix        string         `json:"mix"`
	Staff      int            `json:"staff_readers"`
	Ops        []opReport     `json:"operations"`
	All        opReport       `json:"all"`
	Windows    []windowReport `json:"windows"`
	Check      loadCheck      `json:"check"`
	ErrorRate  float64        `json:"error_rate_percent"`
	Passed     bool           `json:"passed"`
	Conclusion string         `json:"conclusion"`
}

// windowReport is one progress line.
type windowReport struct {
	At     float64 `json:"at_seconds"`
	PerSec float64 `json:"requests_per_second"`
	Errors int64   `json:"errors"`
	HeapMB float64 `json:"heap_in_use_mb,omitempty"`
	// LiveMB is the heap the last garbage collection left: steadier than
	// HeapMB, which also holds garbage not yet collected.
	LiveMB     float64    `json:"heap_live_mb,omitempty"`
	Goroutines int        `json:"goroutines,omitempty"`
	Ops        []opReport `json:"operations"`
}

func (e cliEnv) loadtest(ctx context.Context, args []string) int {
	o, ok := e.loadFlags(args)
	if !ok {
		return 2
	}
	rep, err := runLoadTest(ctx, o, e.stdout)
	if err != nil {
		fmt.Fprintln(e.stderr, "codesign loadtest:", err)
		return 1
	}
	if o.ReportPath != "" {
		data, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(o.ReportPath, append(data, '\n'), 0o600); err != nil {
			fmt.Fprintln(e.stderr, "codesign loadtest: writing the report:", err)
			return 1
		}
	}
	if !rep.Passed {
		return 1
	}
	return 0
}

func (e cliEnv) loadFlags(args []string) (loadOptions, bool) {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var o loadOptions
	mix := defaultMix().String()
	fs.StringVar(&o.URL, "url", "", "a running codesign to load (default: start one in this process)")
	fs.StringVar(&o.DSN, "database", "", "database to check afterwards, and in-process to serve from (default: a new SQLite file)")
	fs.StringVar(&o.Driver, "driver", "", "sqlite or postgres (default: postgres for a postgres:// DSN)")
	fs.DurationVar(&o.Duration, "duration", time.Minute, "how long to send requests")
	fs.DurationVar(&o.Every, "every", 30*time.Second, "how often to print progress")
	fs.IntVar(&o.Clients, "clients", 32, "concurrent clients, each with its own kept-alive connection")
	fs.Float64Var(&o.Rate, "rate", 0, "residents' requests per second in all (default: as fast as the server answers)")
	fs.StringVar(&mix, "mix", mix, "residents' kinds of request and their weights")
	fs.IntVar(&o.Staff, "staff", 1, "staff reading the consultation's summary and responses, each pausing between pages")
	fs.DurationVar(&o.StaffPause, "staff-pause", 2*time.Second, "how long a member of staff pauses between pages")
	fs.StringVar(&o.Survey, "survey", "early-help-islington", "the consultation to read and answer")
	fs.StringVar(&o.StaffEmail, "staff-email", e.getenv("CODESIGN_LOADTEST_STAFF_EMAIL"), "staff account for the staff readers with --url (password from CODESIGN_LOADTEST_STAFF_PASSWORD)")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, "how long one request may take")
	fs.Float64Var(&o.MaxErrorRate, "max-error-rate", 0, "percent of requests that may fail before the run fails")
	fs.StringVar(&o.ReportPath, "report", "", "write the results to this file as JSON")
	if err := fs.Parse(args); err != nil {
		return o, false
	}
	o.StaffPassword = e.getenv("CODESIGN_LOADTEST_STAFF_PASSWORD")
	var err error
	if o.Mix, err = parseMix(mix); err != nil {
		fmt.Fprintln(e.stderr, err)
		return o, false
	}
	if o.Driver == "" {
		o.Driver = "sqlite"
		if strings.HasPrefix(o.DSN, "postgres://") || strings.HasPrefix(o.DSN, "postgresql://") || strings.Contains(o.DSN, "host=") {
			o.Driver = "postgres"
		}
	}
	if o.Duration <= 0 || o.Clients < 1 || o.Every <= 0 || o.Staff < 0 || o.Rate < 0 {
		fmt.Fprintln(e.stderr, "--duration, --every and --clients must be more than zero; --staff and --rate cannot be negative")
		return o, false
	}
	return o, true
}

// runLoadTest sends the mix for the duration, printing progress to out,
// then checks the database and says whether the run passed.
func runLoadTest(ctx context.Context, o loadOptions, out io.Writer) (*loadReport, error) {
	rep := &loadReport{Target: o.URL, Clients: o.Clients, Rate: o.Rate, Mix: o.Mix.String(), Staff: o.Staff}
	var local *localServer
	if o.URL == "" {
		var err error
		if local, err = startLocal(ctx, o.Driver, o.DSN); err != nil {
			return nil, err
		}
		defer local.removeTemp() // last, once the database is closed
		defer local.stop()
		o.URL, o.DSN, rep.Target = local.url, local.dsn, "in-process "+local.url
		o.StaffEmail, o.StaffPassword = local.staffEmail, local.staffPassword
	}
	var db *gorm.DB
	var marks loadMarks
	if o.DSN != "" {
		var err error
		if db, err = database.Open(o.Driver, o.DSN); err != nil {
			return nil, err
		}
		defer database.Close(db)
		if marks, err = takeMarks(ctx, db); err != nil {
			return nil, fmt.Errorf("reading the database before the run: %w", err)
		}
		rep.Database = o.Driver
	}
	tr := &http.Transport{MaxIdleConns: o.Clients * 2, MaxIdleConnsPerHost: o.Clients * 2}
	defer tr.CloseIdleConnections()
	plain := &http.Client{Transport: tr, Timeout: o.Timeout}
	target, err := findTarget(o.URL, o.Survey, o.Mix, o.Staff, plain, o.StaffEmail, o.StaffPassword)
	if err != nil {
		return nil, err
	}
	if target.staff != nil {
		target.staff.Timeout = o.Timeout
	}
	acks, err := newAckLog("")
	if err != nil {
		return nil, err
	}
	defer acks.remove()
	run := &loadRun{t: target, mix: o.Mix, plain: plain, rec: newRecorder(), acks: acks}
	pace := "as fast as answered"
	if o.Rate > 0 {
		pace = fmt.Sprintf("at most %g requests/s", o.Rate)
	}
	fmt.Fprintf(out, "codesign loadtest: %d resident clients (%s, mix %s) and %d staff for %s against %s (database: %s)\n",
		o.Clients, pace, rep.Mix, o.Staff, o.Duration, rep.Target, orNone(rep.Database))
	rep.Started = time.Now().UTC()
	rep.Seconds = sendLoad(ctx, o, run, out, rep, local != nil)
	rep.Ops, rep.All = summarise(run.rec.totals(), o.Mix.names(), rep.Seconds)
	if rep.All.Requests > 0 {
		rep.ErrorRate = float64(rep.All.Errors) * 100 / float64(rep.All.Requests)
	}
	printSummary(out, rep)

	// Afterwards, with every request answered and the in-process server
	// stopped, the database must hold exactly what was acknowledged.
	tr.CloseIdleConnections() // or the server's shutdown waits for them
	if local != nil {
		local.stop()
	}
	if db == nil {
		rep.Check.Reason = "no --database given for the server at --url, so the database cannot be checked"
	} else if rep.Check, err = checkDatabase(ctx, db, o.Survey, target.events, marks, acks); err != nil {
		return nil, fmt.Errorf("checking the database: %w", err)
	}
	verdict(rep, o.MaxErrorRate)
	printCheck(out, rep)
	return rep, nil
}

// sendLoad runs the clients for the duration (or until ctx ends), with a
// progress line every o.Every, and returns the seconds it ran.
func sendLoad(ctx context.Context, o loadOptions, run *loadRun, out io.Writer, rep *loadReport, inProcess bool) float64 {
	runCtx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	var interval time.Duration
	if o.Rate > 0 {
		interval = time.Duration(float64(o.Clients) / o.Rate * float64(time.Second))
	}
	for c := range o.Clients {
		wg.Go(func() { run.client(runCtx, uint64(c), interval) /* #nosec G115 -- c counts up from 0 */ })
	}
	for range o.Staff {
		wg.Go(func() { run.staffReader(runCtx, o.StaffPause) })
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(o.Every)
	defer tick.Stop()
	last := start
	progress := func(now time.Time) {
		w := windowReport{At: now.Sub(start).Seconds()}
		var all opReport
		w.Ops, all = summarise(run.rec.takeWindow(), o.Mix.names(), now.Sub(last).Seconds())
		w.PerSec, w.Errors, last = all.PerSec, all.Errors, now
		if inProcess {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			w.HeapMB, w.Goroutines = float64(ms.HeapInuse)/(1<<20), runtime.NumGoroutine()
			live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			if metrics.Read(live); live[0].Value.Kind() == metrics.KindUint64 {
				w.LiveMB = float64(live[0].Value.Uint64()) / (1 << 20)
			}
		}
		rep.Windows = append(rep.Windows, w)
		printWindow(out, w)
	}
	for {
		select {
		case now := <-tick.C:
			progress(now)
		case <-done:
			now := time.Now()
			if now.Sub(last) >= time.Second {
				progress(now) // the last part-window
			}
			return now.Sub(start).Seconds()
		}
	}
}

// verdict fails a run with too many errors or a failed check.
func verdict(rep *loadReport, maxErrorRate float64) {
	var why []string
	if rep.ErrorRate > maxErrorRate {
		why = append(why, fmt.Sprintf("%.3f%% of requests failed (allowed: %g%%)", rep.ErrorRate, maxErrorRate))
	}
	if rep.Check.Checked && !rep.Check.Passed {
		why = append(why, "the database does not hold exactly what was acknowledged")
	}
	rep.Passed = len(why) == 0
	switch {
	case !rep.Passed:
		rep.Conclusion = "FAILED: " + strings.Join(why, "; ")
	case rep.Check.Checked:
		rep.Conclusion = "passed: errors within the limit, and the database holds exactly what was acknowledged"
	default:
		rep.Conclusion = "passed on errors; the database was not checked"
	}
}

func orNone(s string) string {
	if s == "" {
		return "not checked"
	}
	return s
}
