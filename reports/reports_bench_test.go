package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/app"
	"codesign/audit"
	"codesign/database"
	"codesign/messages"
	"codesign/panels"
	"codesign/programmes"
	"codesign/reports"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

// The results benchmark: 100,000 responses with 1,005,000 answers on
// SQLite (three free-text answers, seven equality and locality answers,
// and an email address from every twentieth person), every free-text
// answer a coded passage (300,000) with one or two confirmed codes
// (400,000). Run it with
//
//	go test ./reports -run '^$' -bench Results100k -benchtime 20x -timeout 30m
//
// Building the data takes about a minute; it is written with plain SQL
// because a million Submit calls would take far longer and measure
// nothing about results.

const (
	benchResponses = 100_000
	benchSlug      = "results-bench"
)

func benchSurvey() *surveys.Survey {
	loc := []surveys.Option{{Value: "north", Label: "North"}, {Value: "central", Label: "Central"}, {Value: "south", Label: "South"}}
	return &surveys.Survey{Slug: benchSlug, Title: "Results benchmark", Status: surveys.Open, Summary: "A large consultation.",
		Pages: []surveys.Page{{Title: "Your views", Questions: []surveys.Question{
			{Key: "barriers", Type: surveys.Textarea, MaxLength: 1500, Label: "What gets in the way?"},
			{Key: "together", Type: surveys.Textarea, MaxLength: 1500, Label: "How could services work together?"},
			{Key: "what_helps", Type: surveys.Textarea, MaxLength: 1500, Label: "What helps?"},
			{Key: "email", Type: surveys.Email, Personal: true, Label: "Your email address", Hint: "Only to hear what happened."},
		}}, surveys.EqualityPage(loc)}}
}

// seedBench fills db with the benchmark's consultation, answers and codes.
func seedBench(b *testing.B, db *gorm.DB) *surveys.Survey {
	b.Helper()
	ctx := context.Background()
	sv := benchSurvey()
	if err := surveys.NewStore(db).Create(ctx, nil, sv); err != nil {
		b.Fatal(err)
	}
	cb, err := themes.DefaultCodebook()
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, c := range cb.Codes {
		if c.Parent != "" {
			codes = append(codes, c.Key)
		}
	}
	caseOf := func(expr string, values []string) string {
		s := "CASE " + expr
		for i, v := range values {
			s += fmt.Sprintf(" WHEN %d THEN '%s'", i, v)
		}
		return s + " END"
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05")
	steps := []string{
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < %d)
			INSERT INTO survey_responses (survey_id, receipt, channel, completion, submitted_at)
			SELECT %d, 'B-' || i, %s, 'complete', '%s' FROM n`, benchResponses, sv.ID,
			caseOf("i % 10", []string{"paper", "phone", "workshop", "assisted", "online", "online", "online", "online", "online", "online"}), now),
	}
	answer := func(key, value string, free, personal bool, where string) string {
		return fmt.Sprintf(`INSERT INTO response_answers (response_id, survey_id, question_key, value, position, free_text, personal)
			SELECT id, survey_id, '%s', %s, 0, %t, %t FROM survey_responses WHERE survey_id = %d %s`, key, value, free, personal, sv.ID, where)
	}
	for _, key := range []string{"barriers", "together", "what_helps"} {
		steps = append(steps, answer(key, "'I waited ' || (id % 40) || ' weeks and nobody called me back about ' || '"+key+"' || '.'", true, false, ""))
	}
	for key, values := range map[string][]string{
		"locality": {"north", "central", "south", "outside", "prefer_not_to_say", "north", "central"},
		"age_band": {"age_18_24", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65_74", "age_75_plus", "under_18"},
		"ethnicity": {"white_british", "african", "caribbean", "bangladeshi", "indian", "other_white", "white_asian", "arab",
			"gypsy_traveller", "prefer_not_to_say"},
		"sex":        {"female", "male", "female", "prefer_not_to_say"},
		"disability": {"yes", "no", "no", "prefer_not_to_say"},
		"carer":      {"no", "no", "no", "yes_under_20", "yes_20_49", "yes_50_plus"},
		"religion":   {"none", "christian", "muslim", "jewish", "hindu", "sikh", "buddhist", "other", "prefer_not_to_say"},
	} {
		steps = append(steps, answer(key, caseOf(fmt.Sprintf("(id * 7 + %d) %% %d", len(key), len(values)), values), false, false, ""))
	}
	steps = append(steps, answer("email", "'resident' || id || '@example.org'", false, true, "AND id % 20 = 0"),
		fmt.Sprintf(`INSERT INTO theme_passages (source_kind, source_id, start_offset, end_offset, scope, text, phrases, created_at)
			SELECT 'survey_answer', CAST(id AS TEXT), 0, length(value), 'survey:%d:' || question_key, value, '[]', '%s'
			FROM response_answers WHERE survey_id = %d AND free_text`, sv.ID, now, sv.ID),
		fmt.Sprintf(`INSERT INTO theme_codings (passage_id, code, assignment_id, coder_id, decision, user_id, decided_at)
			SELECT id, %s, 0, 0, 'accepted', 1, '%s' FROM theme_passages`, caseOf(fmt.Sprintf("id %% %d", len(codes)), codes), now),
		fmt.Sprintf(`INSERT INTO theme_codings (passage_id, code, assignment_id, coder_id, decision, user_id, decided_at)
			SELECT id, %s, 0, 0, 'added', 1, '%s' FROM theme_passages WHERE id %% 3 = 0`,
			caseOf(fmt.Sprintf("(id + 7) %% %d", len(codes)), codes), now))
	for _, sql := range steps {
		if err := db.Exec(sql).Error; err != nil {
			b.Fatalf("%v\n%s", err, sql)
		}
	}
	return sv
}

// timed runs fn b.N times and reports the median and slowest run.
func timed(b *testing.B, fn func() error) {
	b.Helper()
	var runs []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		runs = append(runs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(runs)
	b.ReportMetric(float64(runs[len(runs)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(runs[len(runs)-1].Microseconds())/1000, "max-ms")
}

func BenchmarkResults100k(b *testing.B) {
	dir, err := os.MkdirTemp("", "codesign-results-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := database.Open("sqlite", dir+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	defer database.Close(db)
	ctx := context.Background()
	if _, err := database.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	sv := seedBench(b, db)
	var answers int64
	db.Model(&surveys.Answer{}).Count(&answers)
	b.Logf("seeded %d responses, %d answers in %v", benchResponses, answers, time.Since(start))

	rs := reports.NewStore(db)
	r, err := rs.Start(ctx, nil, sv.ID)
	if err != nil {
		b.Fatal(err)
	}
	c := &reports.Commitment{YouSaid: "Waiting lists are too long.", WeDid: "Two more therapists.", Codes: []string{"waiting_times"},
		OwnerOrg: "Islington Council", OwnerTeam: "Live Well Commissioning", DueOn: time.Now().UTC().AddDate(1, 0, 0)}
	if err := rs.AddCommitment(ctx, nil, r.ID, c); err != nil {
		b.Fatal(err)
	}

	b.Run("findings export (live, CSV)", func(b *testing.B) {
		timed(b, func() error {
			f, err := rs.Findings(ctx, sv, false)
			if err != nil {
				return err
			}
			return f.WriteCSV(io.Discard)
		})
	})
	b.Run("programme findings export (live, CSV)", func(b *testing.B) {
		timed(b, func() error {
			f, err := rs.ProgrammeFindings(ctx, &programmes.Programme{}, false)
			if err != nil {
				return err
			}
			return f.WriteCSV(io.Discard)
		})
	})
	b.Run("publish (findings and snapshot; the first run also queues 5,000 messages)", func(b *testing.B) {
		timed(b, func() error {
			// Each run changes the draft so that there is something new.
			c.WeDid = "Two more therapists, run " + time.Now().String()
			if err := rs.EditCommitment(ctx, nil, r.ID, c); err != nil {
				return err
			}
			cur, err := rs.Get(ctx, r.ID)
			if err != nil {
				return err
			}
			_, _, err = rs.Publish(ctx, r.ID, reports.PublishInput{Revision: cur.Revision, Note: "Benchmark run.", Link: "http://x.test/results/" + benchSlug})
			return err
		})
	})
	f := benchApp(b, db)
	b.Run("public results page (GET /results/slug)", func(b *testing.B) {
		timed(b, func() error { return get(f, "/results/"+benchSlug) })
	})
	b.Run("open data CSV (published)", func(b *testing.B) {
		timed(b, func() error { return get(f, "/results/"+benchSlug+"/data.csv") })
	})
	b.Run("results API", func(b *testing.B) {
		timed(b, func() error { return get(f, "/api/v1/surveys/"+benchSlug+"/results") })
	})
}

func get(f *fiber.App, path string) error {
	resp, err := f.Test(httptest.NewRequest("GET", path, nil), 30_000)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d\n%.500s", path, resp.StatusCode, buf.String())
	}
	return nil
}

// benchApp builds the real app over db, as main does.
func benchApp(b *testing.B, db *gorm.DB) *fiber.App {
	b.Helper()
	msgs := messages.NewStore(db)
	f, err := app.New(app.Deps{DB: db, Accounts: accounts.NewStore(db), Audit: audit.NewStore(db), Programmes: programmes.NewStore(db),
		Messages: msgs, Workshops: workshops.NewStore(db, msgs, workshops.Options{}), Surveys: surveys.NewStore(db), Themes: themes.NewStore(db),
		Reports: reports.NewStore(db), Panels: panels.NewStore(db, msgs, panels.Options{}), Safeguarding: safeguarding.NewStore(db, msgs)},
		app.Options{SessionKey: []byte("benchmark key that is long enough for hmac"), BodyLimit: 64 << 10, BaseURL: "http://x.test"})
	if err != nil {
		b.Fatal(err)
	}
	return f
}
