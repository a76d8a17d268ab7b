package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// printWindow prints one progress line and a line per kind of request.
func printWindow(out io.Writer, w windowReport) {
	at := time.Duration(w.At * float64(time.Second)).Round(time.Second)
	line := fmt.Sprintf("%8s  %6.0f req/s  errors %d", clock(at), w.PerSec, w.Errors)
	if w.Goroutines > 0 {
		line += fmt.Sprintf("  heap live %.1f MB, in use %.1f MB  goroutines %d", w.LiveMB, w.HeapMB, w.Goroutines)
	}
	fmt.Fprintln(out, line)
	for _, r := range w.Ops {
		fmt.Fprintf(out, "          %-24s %6.0f/s  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms%s\n",
			r.Name, r.PerSec, r.P50, r.P95, r.P99, errorNote(r))
	}
}

func clock(d time.Duration) string {
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func errorNote(r opReport) string {
	var parts []string
	if r.Refused > 0 {
		parts = append(parts, fmt.Sprintf("%d refused", r.Refused))
	}
	if r.Errors > 0 {
		var kinds []string
		for k, n := range r.ErrorsBy {
			kinds = append(kinds, fmt.Sprintf("%s x%d", k, n))
		}
		sort.Strings(kinds)
		parts = append(parts, fmt.Sprintf("%d errors (%s)", r.Errors, strings.Join(kinds, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, ", ")
}

// printSummary prints the whole run as a table.
func printSummary(out io.Writer, rep *loadReport) {
	fmt.Fprintf(out, "\nWhole run: %.1f s, %d requests, %.0f requests/s, %d errors (%.3f%%)\n",
		rep.Seconds, rep.All.Requests, rep.All.PerSec, rep.All.Errors, rep.ErrorRate)
	fmt.Fprintf(out, "%-24s %9s %8s %9s %8s %8s %8s %8s %8s\n", "operation", "requests", "per s", "refused", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
	for _, r := range append(rep.Ops, rep.All) {
		fmt.Fprintf(out, "%-24s %9d %8.0f %9d %8d %8.1f %8.1f %8.1f %8.1f\n", r.Name, r.Requests, r.PerSec, r.Refused, r.Errors, r.P50, r.P95, r.P99, r.Max)
	}
	if rep.All.ErrorsBy["status 429"] > 0 {
		fmt.Fprintln(out, "Some requests met the rate limit (429): run the server under test with CODESIGN_RATE_LIMIT=0.")
	}
}

// printCheck prints the database check and the verdict.
func printCheck(out io.Writer, rep *loadReport) {
	c := rep.Check
	if !c.Checked {
		fmt.Fprintf(out, "\nDatabase check: not done: %s.\n", c.Reason)
	} else {
		fmt.Fprintf(out, "\nDatabase check (%s):\n", rep.Database)
		for _, k := range []struct {
			what string
			n    ackCount
		}{{"responses", c.Responses}, {"bookings", c.Bookings}, {"cancellations", c.Cancellations}} {
			fmt.Fprintf(out, "  %-14s %d acknowledged, %d found, %d missing, %d stored but not acknowledged (%d requests had no clear answer)\n",
				k.what, k.n.Acknowledged, k.n.Found, k.n.Missing, k.n.Extra, k.n.Unclear)
		}
		if c.CountsExact {
			fmt.Fprintln(out, "  summary counts equal a fresh count of the survey's stored answers")
		}
		for _, p := range c.Problems {
			fmt.Fprintln(out, "  problem:", p)
		}
	}
	fmt.Fprintln(out, "Result:", rep.Conclusion)
}
