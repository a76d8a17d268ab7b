package surveys

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Running counts (survey_answer_counts, migration 130) are what the staff
// summary reads. They change in the transaction that stores or erases
// answers, so they are exactly what is stored: CheckCounts proves it
// against the answers themselves.

const (
	countResponses  int16 = 0 // a survey's responses
	countRespondent int16 = 1 // responses that answered a question
	countValue      int16 = 2 // times a choice question's option was chosen

	// counterShards spreads each count over rows, so that submissions
	// committing at the same moment on PostgreSQL seldom queue on one row.
	counterShards = 8
)

// AnswerCount is one row of survey_answer_counts.
type AnswerCount struct {
	SurveyID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Kind        int16  `gorm:"primaryKey;autoIncrement:false"`
	QuestionKey string `gorm:"primaryKey"`
	Value       string `gorm:"primaryKey"`
	Shard       int16  `gorm:"primaryKey;autoIncrement:false"`
	N           int64
}

// TableName is the table migration 130 made.
func (AnswerCount) TableName() string { return "survey_answer_counts" }

type countKey struct {
	survey   uint
	kind     int16
	question string
	value    string
}

// deltas is a change to the counts, gathered before it is written.
type deltas map[countKey]int64

// addResponse counts one new response and its answer rows. sv says which
// questions are choices, whose values are counted.
func (d deltas) addResponse(sv *Survey, rows []Answer) {
	d[countKey{survey: sv.ID, kind: countResponses}]++
	seen := map[string]bool{}
	for _, a := range rows {
		if !seen[a.QuestionKey] {
			seen[a.QuestionKey] = true
			d[countKey{survey: sv.ID, kind: countRespondent, question: a.QuestionKey}]++
		}
		if a.FreeText || a.Personal {
			continue
		}
		if q, _ := sv.Question(a.QuestionKey); q != nil && q.Type.Choice() {
			d[countKey{survey: sv.ID, kind: countValue, question: a.QuestionKey, value: a.Value}]++
		}
	}
}

// applyCounts adds d to the counts in one statement per 300 keys, on one
// shard picked at random. Keys go in sorted order, so two transactions on
// one shard lock its rows in the same order and cannot deadlock.
func applyCounts(tx *gorm.DB, d deltas) error {
	keys := make([]countKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		switch {
		case a.survey != b.survey:
			return int(a.survey) - int(b.survey)
		case a.kind != b.kind:
			return int(a.kind) - int(b.kind)
		case a.question != b.question:
			return strings.Compare(a.question, b.question)
		}
		return strings.Compare(a.value, b.value)
	})
	shard := int16(rand.IntN(counterShards)) // #nosec G404 G115 -- spreads writes, not a secret; below 8
	const chunk = 300
	for len(keys) > 0 {
		n := min(len(keys), chunk)
		var sb strings.Builder
		sb.WriteString("INSERT INTO survey_answer_counts (survey_id, kind, question_key, value, shard, n) VALUES ")
		args := make([]any, 0, n*6)
		for i, k := range keys[:n] {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?,?,?,?,?)")
			args = append(args, k.survey, k.kind, k.question, k.value, shard, d[k])
		}
		sb.WriteString(" ON CONFLICT (survey_id, kind, question_key, value, shard) DO UPDATE SET n = survey_answer_counts.n + excluded.n")
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("counting answers: %w", err)
		}
		keys = keys[n:]
	}
	return nil
}

// groupRow is one line of a GROUP BY over answers or responses.
type groupRow struct {
	SurveyID    uint
	QuestionKey string
	Value       string
	N           int64
}

// subtractAnswers takes away from the counts what the answers picked by
// where (a condition on response_answers) added. Call it in the erasing transaction, before
// the rows go. Value counts are only taken from keys that have one: those
// are the choice questions, the only values ever counted.
func subtractAnswers(tx *gorm.DB, where string, args []any) error {
	d := deltas{}
	var rows []groupRow
	if err := tx.Raw(`SELECT survey_id, question_key, COUNT(DISTINCT response_id) AS n FROM response_answers WHERE `+where+
		` GROUP BY survey_id, question_key`, args...).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		d[countKey{survey: r.SurveyID, kind: countRespondent, question: r.QuestionKey}] -= r.N
	}
	rows = nil
	if err := tx.Raw(`SELECT a.survey_id, a.question_key, a.value, COUNT(*) AS n FROM response_answers a WHERE (`+where+`)
		AND a.free_text = false AND a.personal = false
		AND EXISTS (SELECT 1 FROM survey_answer_counts c WHERE c.survey_id = a.survey_id AND c.kind = 2
			AND c.question_key = a.question_key AND c.value = a.value)
		GROUP BY a.survey_id, a.question_key, a.value`, args...).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		d[countKey{survey: r.SurveyID, kind: countValue, question: r.QuestionKey, value: r.Value}] -= r.N
	}
	return applyCounts(tx, d)
}

// subtractResponses takes the responses with these ids off their surveys'
// response counts.
func subtractResponses(tx *gorm.DB, ids []uint) error {
	var rows []groupRow
	if err := tx.Model(&Response{}).Select("survey_id, COUNT(*) AS n").Where("id IN ?", ids).
		Group("survey_id").Scan(&rows).Error; err != nil {
		return err
	}
	d := deltas{}
	for _, r := range rows {
		d[countKey{survey: r.SurveyID, kind: countResponses}] -= r.N
	}
	return applyCounts(tx, d)
}

// readCounts sums a survey's counts over their shards.
func (s *Store) readCounts(ctx context.Context, surveyID uint) (map[countKey]int64, error) {
	var rows []struct {
		Kind        int16
		QuestionKey string
		Value       string
		N           int64
	}
	if err := s.db.WithContext(ctx).Model(&AnswerCount{}).Select("kind, question_key, value, SUM(n) AS n").
		Where("survey_id = ?", surveyID).Group("kind, question_key, value").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[countKey]int64, len(rows))
	for _, r := range rows {
		if r.N != 0 {
			out[countKey{survey: surveyID, kind: r.Kind, question: r.QuestionKey, value: r.Value}] = r.N
		}
	}
	return out, nil
}

// CheckCounts counts a survey's answers again from the rows themselves and
// lists every running count that differs. The load test's check and the
// tests use it; it reads every answer of the survey, so it is not for a
// page.
func (s *Store) CheckCounts(ctx context.Context, sv *Survey) ([]string, error) {
	got, err := s.readCounts(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	want := map[countKey]int64{}
	db := s.db.WithContext(ctx)
	var n int64
	if err := db.Model(&Response{}).Where("survey_id = ?", sv.ID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n != 0 {
		want[countKey{survey: sv.ID, kind: countResponses}] = n
	}
	var rows []groupRow
	if err := db.Model(&Answer{}).Select("question_key, COUNT(DISTINCT response_id) AS n").
		Where("survey_id = ?", sv.ID).Group("question_key").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		want[countKey{survey: sv.ID, kind: countRespondent, question: r.QuestionKey}] = r.N
	}
	rows = nil
	if err := db.Model(&Answer{}).Select("question_key, value, COUNT(*) AS n").
		Where("survey_id = ? AND free_text = false AND personal = false", sv.ID).Group("question_key, value").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if q, _ := sv.Question(r.QuestionKey); q != nil && q.Type.Choice() {
			want[countKey{survey: sv.ID, kind: countValue, question: r.QuestionKey, value: r.Value}] = r.N
		}
	}
	var diffs []string
	name := func(k countKey) string {
		switch k.kind {
		case countResponses:
			return "responses"
		case countRespondent:
			return fmt.Sprintf("answered %q", k.question)
		}
		return fmt.Sprintf("%q chose %q", k.question, k.value)
	}
	for k, w := range want {
		if got[k] != w {
			diffs = append(diffs, fmt.Sprintf("%s: counted %d, stored %d", name(k), got[k], w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: counted %d, stored 0", name(k), g))
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}
