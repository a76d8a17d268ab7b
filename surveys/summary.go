package surveys

import (
	"context"
)

// Summary counts a survey's answers question by question.
type Summary struct {
	Responses int64
	Questions []QuestionSummary
}

// QuestionSummary is one question's counts. Answered is how many
// responses answered it; percentages are of those.
type QuestionSummary struct {
	Question *Question
	Answered int64
	Options  []OptionCount // choice questions
	Texts    int64         // free-text questions: how many answers
}

// OptionCount is how often one option was chosen.
type OptionCount struct {
	Option  Option
	Count   int64
	Percent float64
}

type valueCount struct {
	QuestionKey string
	Value       string
	N           int64
}

// Summarise counts answers with two GROUP BY queries, whatever the number
// of responses. Both are answered from indexes (migration 120); the literal
// "free_text = false AND personal = false" lets SQLite use the partial one,
// which it cannot prove from bound parameters.
func (s *Store) Summarise(ctx context.Context, sv *Survey) (*Summary, error) {
	sum := &Summary{}
	if err := s.db.WithContext(ctx).Model(&Response{}).Where("survey_id = ?", sv.ID).Count(&sum.Responses).Error; err != nil {
		return nil, err
	}
	var answered []valueCount
	if err := s.db.WithContext(ctx).Model(&Answer{}).Select("question_key, COUNT(DISTINCT response_id) AS n").
		Where("survey_id = ?", sv.ID).Group("question_key").Scan(&answered).Error; err != nil {
		return nil, err
	}
	var values []valueCount
	if err := s.db.WithContext(ctx).Model(&Answer{}).Select("question_key, value, COUNT(*) AS n").
		Where("survey_id = ? AND free_text = false AND personal = false", sv.ID).Group("question_key, value").Scan(&values).Error; err != nil {
		return nil, err
	}
	per := map[string]int64{}
	for _, a := range answered {
		per[a.QuestionKey] = a.N
	}
	counts := map[string]map[string]int64{}
	for _, v := range values {
		if counts[v.QuestionKey] == nil {
			counts[v.QuestionKey] = map[string]int64{}
		}
		counts[v.QuestionKey][v.Value] = v.N
	}
	for _, q := range sv.Questions() {
		qs := QuestionSummary{Question: q, Answered: per[q.Key]}
		if q.Type.FreeText() {
			qs.Texts = per[q.Key]
		}
		for _, o := range q.Options {
			oc := OptionCount{Option: o, Count: counts[q.Key][o.Value]}
			if qs.Answered > 0 {
				oc.Percent = float64(oc.Count) * 100 / float64(qs.Answered)
			}
			qs.Options = append(qs.Options, oc)
		}
		sum.Questions = append(sum.Questions, qs)
	}
	return sum, nil
}
