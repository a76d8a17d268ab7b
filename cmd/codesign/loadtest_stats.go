package main

import (
	"math/bits"
	"slices"
	"sort"
	"sync"
	"time"
)

// histogram counts latencies in log-linear buckets: exact below 64 µs,
// then 32 buckets per doubling, so a percentile read from it is within
// about 3% of the true value. It has a fixed size, so a soak of any length
// costs the load generator no more memory than a short run.
type histogram struct {
	counts [histBuckets]uint64
	n      uint64
	max    time.Duration
}

const histBuckets = 64 + 32*30

func bucketOf(d time.Duration) int {
	v := uint64(max(d, 0) / time.Microsecond)
	if v < 64 {
		return int(v)
	}
	e := bits.Len64(v) - 6 // v>>e is in [32, 64)
	return min(64+(e-1)*32+int((v>>e)&31), histBuckets-1)
}

// bucketValue is the middle of bucket i.
func bucketValue(i int) time.Duration {
	if i < 64 {
		return time.Duration(i) * time.Microsecond
	}
	e := (i-64)/32 + 1
	low := uint64((i-64)%32+32) << e                              // #nosec G115 -- i is a bucket index >= 64, so the value is 32 to 63
	return time.Duration(low+(uint64(1)<<e)/2) * time.Microsecond // #nosec G115 -- bucket bounds are below 2^40 microseconds
}

func (h *histogram) add(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.n++
	h.max = max(h.max, d)
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// percentile returns the latency below which a fraction p of requests fell.
func (h *histogram) percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(p*float64(h.n-1)) + 1
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			return min(bucketValue(i), h.max)
		}
	}
	return h.max
}

// opStats is what happened to one kind of request.
type opStats struct {
	lat     histogram
	ok      int64
	refused int64 // an answer the server may rightly give, like "the waiting list is full"
	errors  int64
	why     map[string]int64 // errors by kind ("status 500", "transport")
}

func (s *opStats) add(o *opStats) {
	s.lat.merge(&o.lat)
	s.ok += o.ok
	s.refused += o.refused
	s.errors += o.errors
	for k, v := range o.why {
		if s.why == nil {
			s.why = map[string]int64{}
		}
		s.why[k] += v
	}
}

// outcome is how one request ended.
type outcome int

const (
	outcomeOK outcome = iota
	outcomeRefused
	outcomeError
)

// recorder collects results from every client: a window that progress
// lines empty, and the whole run.
type recorder struct {
	mu     sync.Mutex
	window map[string]*opStats
	total  map[string]*opStats
}

func newRecorder() *recorder {
	return &recorder{window: map[string]*opStats{}, total: map[string]*opStats{}}
}

func (r *recorder) record(op string, d time.Duration, o outcome, why string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range []map[string]*opStats{r.window, r.total} {
		s := m[op]
		if s == nil {
			s = &opStats{}
			m[op] = s
		}
		s.lat.add(d)
		switch o {
		case outcomeOK:
			s.ok++
		case outcomeRefused:
			s.refused++
		default:
			s.errors++
			if s.why == nil {
				s.why = map[string]int64{}
			}
			s.why[why]++
		}
	}
}

// takeWindow returns the window's results and starts a new window.
func (r *recorder) takeWindow() map[string]*opStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.window
	r.window = map[string]*opStats{}
	return w
}

func (r *recorder) totals() map[string]*opStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]*opStats, len(r.total))
	for k, v := range r.total {
		c := &opStats{}
		c.add(v)
		out[k] = c
	}
	return out
}

// opReport is one kind of request in the report.
type opReport struct {
	Name     string           `json:"name"`
	Requests int64            `json:"requests"`
	PerSec   float64          `json:"per_second"`
	OK       int64            `json:"ok"`
	Refused  int64            `json:"refused"`
	Errors   int64            `json:"errors"`
	ErrorsBy map[string]int64 `json:"errors_by_kind,omitempty"`
	P50      float64          `json:"p50_ms"`
	P95      float64          `json:"p95_ms"`
	P99      float64          `json:"p99_ms"`
	Max      float64          `json:"max_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// summarise turns stats over secs seconds into report rows, in order,
// and a row for everything together.
func summarise(stats map[string]*opStats, order []string, secs float64) (rows []opReport, all opReport) {
	names := make([]string, 0, len(stats))
	for k := range stats {
		names = append(names, k)
	}
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	sort.Slice(names, func(i, j int) bool {
		return rank(names[i]) < rank(names[j]) || (rank(names[i]) == rank(names[j]) && names[i] < names[j])
	})
	var sum opStats
	for _, k := range names {
		sum.add(stats[k])
		rows = append(rows, row(k, stats[k], secs))
	}
	return rows, row("all", &sum, secs)
}

func row(name string, s *opStats, secs float64) opReport {
	n := int64(s.lat.n) // #nosec G115 -- a count of requests in one run, far below 2^63
	return opReport{Name: name, Requests: n, PerSec: float64(n) / secs, OK: s.ok, Refused: s.refused, Errors: s.errors, ErrorsBy: s.why,
		P50: ms(s.lat.percentile(.50)), P95: ms(s.lat.percentile(.95)), P99: ms(s.lat.percentile(.99)), Max: ms(s.lat.max)}
}
