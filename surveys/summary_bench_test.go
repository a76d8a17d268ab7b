package surveys_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"codesign/database"
	"codesign/database/dbtest"
	"codesign/surveys"
)

// BenchmarkSummary100k reads the staff summary of a survey with 100,000
// responses of 20 answers, on SQLite and (with CODESIGN_TEST_POSTGRES_DSN)
// PostgreSQL: from the running counts, and by counting the answers again
// as the summary did before migration 130 (CheckCounts does that count).
// The answers are written straight into the tables, then migration 130
// fills the counts from them as it would on an existing deployment.
//
//	go test ./surveys -run '^$' -bench Summary100k -benchtime 20x
func BenchmarkSummary100k(b *testing.B) {
	const n = 100_000
	for _, e := range dbtest.Engines(b) {
		b.Run(e.Name, func(b *testing.B) {
			ctx := context.Background()
			s := surveys.NewStore(e.DB)
			sv := exportSurvey()
			if err := s.Create(ctx, nil, sv); err != nil {
				b.Fatal(err)
			}
			seedExport(b, e.DB, sv, n)
			refillCounts(b, e)
			if e.Name == "postgres" {
				if err := e.DB.Exec("VACUUM ANALYZE").Error; err != nil {
					b.Fatal(err)
				}
			}
			b.Run("running-counts", func(b *testing.B) {
				var took []time.Duration
				for b.Loop() {
					start := time.Now()
					sum, err := s.Summarise(ctx, sv)
					took = append(took, time.Since(start))
					if err != nil || sum.Responses != n {
						b.Fatalf("%v responses: %v", sum, err)
					}
				}
				reportMedian(b, took)
			})
			b.Run("recount-answers", func(b *testing.B) {
				var took []time.Duration
				for b.Loop() {
					start := time.Now()
					diffs, err := s.CheckCounts(ctx, sv)
					took = append(took, time.Since(start))
					if err != nil || len(diffs) > 0 {
						b.Fatalf("%v %v", diffs, err)
					}
				}
				reportMedian(b, took)
			})
		})
	}
}

// reportMedian adds the median and the slowest of the timed calls.
func reportMedian(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}

// refillCounts runs migration 130 again over rows written around the store.
func refillCounts(tb testing.TB, e dbtest.Engine) {
	tb.Helper()
	for _, m := range database.Steps() {
		if m.Version != 130 {
			continue
		}
		if err := e.DB.Migrator().DropTable("survey_answer_counts"); err != nil {
			tb.Fatal(err)
		}
		if err := e.DB.Transaction(m.Up); err != nil {
			tb.Fatal(fmt.Errorf("migration 130: %w", err))
		}
		return
	}
	tb.Fatal("no migration 130")
}
