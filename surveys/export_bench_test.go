package surveys_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/surveys"

	"gorm.io/gorm"
)

// The export benchmarks show that writing every response of a large
// survey runs in the same memory whatever the number of responses: the
// peak heap for 100,000 responses is about that for 10,000. Run them with
//
//	go test ./surveys -run '^$' -bench Export -benchtime 3x
//
// Seeding 100,000 responses of 20 answers (2 million answer rows) takes a
// while, so plain `go test` runs only the small check that the fixture and
// the export agree.

// exportSurvey has 20 questions of the kinds a consultation mixes:
// choices, agree-or-disagree, multiple choice, free text, a number and
// contact details.
func exportSurvey() *surveys.Survey {
	yesNo := []surveys.Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}, surveys.PreferNotToSay}
	where := []surveys.Option{{Value: "gp", Label: "My GP"}, {Value: "friends", Label: "Friends"}, {Value: "online", Label: "Online"},
		{Value: "other", Label: "Somewhere else", Other: true}}
	var qs []surveys.Question
	add := func(n int, q surveys.Question) {
		for i := range n {
			q.Key = fmt.Sprintf("%s_%d", q.Type, i+1)
			q.Label = fmt.Sprintf("Question about %s %d", q.Type, i+1)
			qs = append(qs, q)
		}
	}
	add(5, surveys.Question{Type: surveys.Radio, Options: yesNo})
	add(5, surveys.Question{Type: surveys.Likert, Options: surveys.LikertOptions})
	add(3, surveys.Question{Type: surveys.Checkbox, Options: where})
	add(5, surveys.Question{Type: surveys.Textarea, MaxLength: 2000})
	add(1, surveys.Question{Type: surveys.Number})
	add(1, surveys.Question{Type: surveys.Email, Personal: true, Hint: "Only if you want to hear what happened next."})
	return &surveys.Survey{Slug: "export-bench", Title: "Export benchmark", Status: surveys.Open, Pages: []surveys.Page{{Title: "All", Questions: qs}}}
}

// answerFor is response r's answer to question q: one row each, so every
// response has exactly 20 answers.
func answerFor(q *surveys.Question, r int) string {
	switch {
	case q.Type == surveys.Number:
		return fmt.Sprint(16 + r%70)
	case q.Type == surveys.Email:
		return fmt.Sprintf("resident%d@example.org", r)
	case q.Type.FreeText():
		return fmt.Sprintf("Response %d: it took months to be seen, and the letters went to the wrong address. =SUM(A1) \"quoted\", with a comma.", r)
	default:
		return q.Options[r%len(q.Options)].Value
	}
}

// seedExport stores n responses to sv with multi-row inserts in one
// transaction, which is far quicker than n calls to Submit.
func seedExport(tb testing.TB, db *gorm.DB, sv *surveys.Survey, n int) {
	tb.Helper()
	const perInsert = 500 // 8 columns a row keeps each statement well inside SQLite's limit on parameters
	qs := sv.Questions()
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	err := db.Transaction(func(tx *gorm.DB) error {
		var sql strings.Builder
		var args []any
		flush := func(head string) error {
			if len(args) == 0 {
				return nil
			}
			err := tx.Exec(head+strings.TrimSuffix(sql.String(), ","), args...).Error
			sql.Reset()
			args = args[:0]
			return err
		}
		respHead := "INSERT INTO survey_responses (id, survey_id, receipt, channel, completion, submitted_at) VALUES "
		for r := 1; r <= n; r++ {
			sql.WriteString("(?,?,?,?,?,?),")
			args = append(args, r, sv.ID, fmt.Sprintf("CS-%08d", r), "online", surveys.Complete, start.Add(time.Duration(r)*time.Minute))
			if r%perInsert == 0 || r == n {
				if err := flush(respHead); err != nil {
					return err
				}
			}
		}
		ansHead := "INSERT INTO response_answers (response_id, survey_id, question_key, value, position, free_text, personal) VALUES "
		rows := 0
		for r := 1; r <= n; r++ {
			for _, q := range qs {
				sql.WriteString("(?,?,?,?,?,?,?),")
				args = append(args, r, sv.ID, q.Key, answerFor(q, r), 0, q.Type.FreeText(), q.Personal)
				if rows++; rows%perInsert == 0 {
					if err := flush(ansHead); err != nil {
						return err
					}
				}
			}
		}
		return flush(ansHead)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// exportFixture is a migrated SQLite file holding n responses.
func exportFixture(tb testing.TB, n int) (*surveys.Store, *surveys.Survey) {
	tb.Helper()
	db := dbtest.SQLite(tb).DB
	s := surveys.NewStore(db)
	sv := exportSurvey()
	if err := s.Create(context.Background(), nil, sv); err != nil {
		tb.Fatal(err)
	}
	seedExport(tb, db, sv, n)
	return s, sv
}

func TestExportFixtureMatchesCSV(t *testing.T) {
	const n = 1201 // more than two of the export's batches
	s, sv := exportFixture(t, n)
	var buf bytes.Buffer
	if err := s.WriteCSV(context.Background(), &buf, sv, surveys.ResponseQuery{}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// 5 fixed columns, 17 questions with one column, 3 multiple-choice
	// questions with 4 options and an "other" column each.
	if len(rows) != n+1 || len(rows[0]) != 5+17+3*5 {
		t.Fatalf("%d rows of %d columns", len(rows), len(rows[0]))
	}
	if last := rows[n]; last[1] != fmt.Sprintf("CS-%08d", n) || last[len(last)-1] != fmt.Sprintf("resident%d@example.org", n) {
		t.Fatalf("last row %q", last)
	}
}

// peakHeap samples HeapInuse while fn runs and returns the highest seen,
// and what was in use when it started (after a collection).
func peakHeap(fn func() error) (peak, base uint64, err error) {
	var high atomic.Uint64
	sample := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > high.Load() {
			high.Store(m.HeapInuse)
		}
		return m.HeapInuse
	}
	runtime.GC()
	base = sample()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	err = fn()
	close(done)
	wg.Wait()
	sample()
	return high.Load(), base, err
}

// countingWriter counts the bytes written and keeps none of them, like
// io.Discard.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func BenchmarkExport(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			s, sv := exportFixture(b, n)
			for _, format := range []string{"csv", "json"} {
				write := s.WriteCSV
				if format == "json" {
					write = s.WriteJSON
				}
				b.Run(format, func(b *testing.B) {
					var peak, base uint64
					var written int64
					for b.Loop() {
						w := &countingWriter{}
						p, bs, err := peakHeap(func() error { return write(context.Background(), w, sv, surveys.ResponseQuery{}) })
						if err != nil {
							b.Fatal(err)
						}
						peak, base, written = max(peak, p), max(base, bs), w.n
					}
					b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
					b.ReportMetric(float64(base)/(1<<20), "heap-before-MB")
					b.ReportMetric(float64(written)/(1<<20), "output-MB")
					b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
				})
			}
		})
	}
}
