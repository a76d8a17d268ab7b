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

// Summarise reads the running counts (counts.go): a few rows per question
// whatever the number of responses. Before migration 130 it counted the
// answers themselves, which took 8.5 s at 310,000 responses on PostgreSQL.
func (s *Store) Summarise(ctx context.Context, sv *Survey) (*Summary, error) {
	counts, err := s.readCounts(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Responses: counts[countKey{survey: sv.ID, kind: countResponses}]}
	per := func(key string) int64 { return counts[countKey{survey: sv.ID, kind: countRespondent, question: key}] }
	chosen := func(key, value string) int64 {
		return counts[countKey{survey: sv.ID, kind: countValue, question: key, value: value}]
	}
	for _, q := range sv.Questions() {
		qs := QuestionSummary{Question: q, Answered: per(q.Key)}
		if q.Type.FreeText() {
			qs.Texts = per(q.Key)
		}
		for _, o := range q.Options {
			oc := OptionCount{Option: o, Count: chosen(q.Key, o.Value)}
			if qs.Answered > 0 {
				oc.Percent = float64(oc.Count) * 100 / float64(qs.Answered)
			}
			qs.Options = append(qs.Options, oc)
		}
		sum.Questions = append(sum.Questions, qs)
	}
	return sum, nil
}
