package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codesign/database"
	"codesign/surveys"
)

// loadDefinition is a survey of 20 questions of every kind, for the load
// test: each response answers all 20.
func loadDefinition() string {
	var qs []string
	opts := `[{"value":"a","label":"A"},{"value":"b","label":"B"},{"value":"c","label":"C"},{"value":"d","label":"D"}]`
	for i := 1; i <= 20; i++ {
		var q string
		switch i % 5 {
		case 0:
			q = fmt.Sprintf(`{"key":"q%d","type":"radio","label":"Question %d","required":true,"options":%s}`, i, i, opts)
		case 1:
			q = fmt.Sprintf(`{"key":"q%d","type":"checkbox","label":"Question %d","options":%s}`, i, i, opts)
		case 2:
			q = fmt.Sprintf(`{"key":"q%d","type":"likert","label":"Question %d"}`, i, i)
		case 3:
			q = fmt.Sprintf(`{"key":"q%d","type":"textarea","label":"Question %d","max_length":2000}`, i, i)
		case 4:
			q = fmt.Sprintf(`{"key":"q%d","type":"scale","label":"Question %d"}`, i, i)
		}
		qs = append(qs, q)
	}
	return `{"slug":"load","title":"Load test","status":"open","opens_at":null,"closes_at":null,"pages":[` +
		`{"title":"One","questions":[` + strings.Join(qs[:10], ",") + `]},` +
		`{"title":"Two","questions":[` + strings.Join(qs[10:], ",") + `]}]}`
}

// loadAnswers is one response answering all 20 questions.
func loadAnswers(n int) map[string]any {
	a := map[string]any{}
	letters := []string{"a", "b", "c", "d"}
	for i := 1; i <= 20; i++ {
		k := fmt.Sprintf("q%d", i)
		switch i % 5 {
		case 0:
			a[k] = letters[(n+i)%4]
		case 1:
			a[k] = []string{letters[n%4], letters[(n+1)%4]}
		case 2:
			a[k] = surveys.LikertOptions[(n+i)%5].Value
		case 3:
			a[k] = fmt.Sprintf("Response %d: the waiting list was long and nobody called back, but the peer group helped.", n)
		case 4:
			a[k] = fmt.Sprint((n + i) % 11)
		}
	}
	return a
}

// seedLoadSurvey creates the load survey in a migrated database file before
// the server starts, and returns it.
func seedLoadSurvey(b *testing.B, dsn string) {
	b.Helper()
	db, err := database.Open("sqlite", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer database.Close(db)
	if _, err := database.Migrate(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	sv, err := surveys.ParseDefinition(strings.NewReader(loadDefinition()))
	if err != nil {
		b.Fatal(err)
	}
	if err := surveys.NewStore(db).Import(context.Background(), nil, sv); err != nil {
		b.Fatal(err)
	}
}

func loadDuration() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("CODESIGN_LOAD_DURATION")); err == nil && d > 0 {
		return d
	}
	return 30 * time.Second
}

// BenchmarkSurveyLoad is the load test from docs/PERFORMANCE.md: 64
// concurrent clients post responses of 20 answers to the real server on
// SQLite for CODESIGN_LOAD_DURATION (default 30s), then the same rows are
// inserted straight through the store for the same time, for the ceiling.
// It ignores b.N: run it with -benchtime 1x.
//
//	go test -run '^$' -bench BenchmarkSurveyLoad -benchtime 1x ./cmd/codesign
func BenchmarkSurveyLoad(b *testing.B) {
	const clients = 64
	dur := loadDuration()
	dsn := filepath.Join(b.TempDir(), "load.db")
	seedLoadSurvey(b, dsn)
	srv := startServer(b, map[string]string{"CODESIGN_DB_DSN": dsn, "CODESIGN_DEMO": "false", "CODESIGN_RATE_LIMIT": "0"})

	bodies := make([][]byte, 1024)
	for i := range bodies {
		bodies[i], _ = json.Marshal(map[string]any{"answers": loadAnswers(i), "channel": "online"})
	}
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer tr.CloseIdleConnections()

	var created, rejected, serverErrors, transportErrors atomic.Int64
	latencies := make([][]time.Duration, clients)
	deadline := time.Now().Add(dur)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for n := c; time.Now().Before(deadline); n += clients {
				t0 := time.Now()
				resp, err := client.Post(srv.URL+"/api/v1/surveys/load/responses", "application/json", bytes.NewReader(bodies[n%len(bodies)]))
				if err != nil {
					transportErrors.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				latencies[c] = append(latencies[c], time.Since(t0))
				switch {
				case resp.StatusCode == http.StatusCreated:
					created.Add(1)
				case resp.StatusCode >= 500:
					serverErrors.Add(1)
				default:
					rejected.Add(1)
				}
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[int(float64(len(all)-1)*p)]
	}

	// Every 201 is a row, and nothing else is.
	db, err := database.Open("sqlite", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer database.Close(db)
	store := surveys.NewStore(db)
	sv, err := store.BySlug(context.Background(), "load")
	if err != nil {
		b.Fatal(err)
	}
	stored, err := store.CountResponses(context.Background(), sv.ID)
	if err != nil {
		b.Fatal(err)
	}
	if stored != created.Load() {
		b.Errorf("database holds %d responses but %d were acknowledged with 201", stored, created.Load())
	}
	if serverErrors.Load() > 0 || transportErrors.Load() > 0 || rejected.Load() > 0 {
		b.Errorf("%d 5xx, %d transport errors, %d other refusals", serverErrors.Load(), transportErrors.Load(), rejected.Load())
	}
	srv.shutdown()

	// The ceiling: the same responses through the store, same concurrency.
	rows := make([]surveys.Answers, len(bodies))
	for i := range rows {
		var in struct {
			Answers map[string]json.RawMessage `json:"answers"`
		}
		if err := json.Unmarshal(bodies[i], &in); err != nil {
			b.Fatal(err)
		}
		a, f := surveys.AnswersFromJSON(in.Answers)
		if f != nil && f.Has() {
			b.Fatal(f)
		}
		rows[i] = a
	}
	var direct atomic.Int64
	ceilingDur := dur / 3
	deadline = time.Now().Add(ceilingDur)
	dstart := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for n := c; time.Now().Before(deadline); n += clients {
				if _, _, err := store.Submit(context.Background(), sv, surveys.Submission{Answers: rows[n%len(rows)], Channel: surveys.ChannelOnline}); err != nil {
					b.Error(err)
					return
				}
				direct.Add(1)
			}
		}(c)
	}
	wg.Wait()
	ceiling := float64(direct.Load()) / time.Since(dstart).Seconds()
	rate := float64(created.Load()) / elapsed.Seconds()

	b.ReportMetric(rate, "responses/s")
	b.ReportMetric(float64(pct(0.50).Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(pct(0.99).Microseconds())/1000, "p99_ms")
	b.ReportMetric(ceiling, "store_responses/s")
	b.ReportMetric(rate/ceiling, "ratio")
	b.Logf("%d clients for %s: %d accepted (%.0f/s), p50 %s, p99 %s, max %s; 5xx %d; store ceiling %.0f/s over %s; ratio %.2f",
		clients, elapsed.Round(time.Millisecond), created.Load(), rate, pct(0.5), pct(0.99), pct(1), serverErrors.Load(), ceiling, ceilingDur, rate/ceiling)
}
