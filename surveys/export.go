package surveys

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// exportBatch is how many responses are read at a time: memory stays the
// same whether a survey has a hundred responses or a hundred thousand.
const exportBatch = 500

// eachBatch calls fn with responses (and their answers) in id order, a
// batch at a time, using keyset pagination so each query is cheap.
func (s *Store) eachBatch(ctx context.Context, surveyID uint, q ResponseQuery, fn func([]Response) error) error {
	var after uint
	for {
		var batch []Response
		err := q.apply(s.db.WithContext(ctx), surveyID).Where("id > ?", after).Order("id").Limit(exportBatch).Find(&batch).Error
		if err != nil || len(batch) == 0 {
			return err
		}
		if err := s.attachAnswers(ctx, batch); err != nil {
			return err
		}
		if len(q.Withheld) > 0 {
			for i := range batch {
				for j := range batch[i].Answers {
					if q.Withheld[batch[i].Answers[j].ID] {
						batch[i].Answers[j].Value = WithheldText
					}
				}
			}
		}
		if err := fn(batch); err != nil {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

func (s *Store) attachAnswers(ctx context.Context, batch []Response) error {
	ids := make([]uint, len(batch))
	at := map[uint]int{}
	for i, r := range batch {
		ids[i], at[r.ID] = r.ID, i
	}
	var answers []Answer
	if err := s.db.WithContext(ctx).Where("response_id IN ?", ids).Order("id").Find(&answers).Error; err != nil {
		return err
	}
	for _, a := range answers {
		i := at[a.ResponseID]
		batch[i].Answers = append(batch[i].Answers, a)
	}
	return nil
}

// column is one CSV column after the fixed ones.
type column struct {
	header string
	value  func(Answers) string
}

// csvColumns gives one column per question, and for multiple choice one
// column per option holding 1 or 0, plus a column for "other" words.
func csvColumns(sv *Survey) []column {
	var cols []column
	for _, q := range sv.Questions() {
		q := q
		if q.Type == Checkbox {
			for _, o := range q.Options {
				o := o
				cols = append(cols, column{q.Key + ":" + o.Value, func(a Answers) string { return chosen(a[q.Key], o.Value) }})
			}
		} else {
			cols = append(cols, column{q.Key, func(a Answers) string { return safeCell(a.Get(q.Key), q.Type) }})
		}
		if q.HasOther() {
			cols = append(cols, column{OtherKey(q.Key), func(a Answers) string { return safeCell(a.Get(OtherKey(q.Key)), Text) }})
		}
	}
	return cols
}

func chosen(vals []string, v string) string {
	for _, x := range vals {
		if x == v {
			return "1"
		}
	}
	return "0"
}

// safeCell stops a spreadsheet reading typed words as a formula: text
// that starts with = + - @ or a control character gets a leading
// apostrophe. Numbers and dates are left alone: they are already checked.
func safeCell(v string, t Type) string {
	if v == "" || t == Number || t == Date || t.Choice() {
		return v
	}
	if strings.ContainsRune("=+-@\t\r\n", rune(v[0])) {
		return "'" + v
	}
	return v
}

// WriteCSV streams responses as CSV: one row per response, written as
// each batch is read.
func (s *Store) WriteCSV(ctx context.Context, w io.Writer, sv *Survey, q ResponseQuery) error {
	cw := csv.NewWriter(w)
	cols := csvColumns(sv)
	header := []string{"response_id", "receipt", "channel", "submitted_at", "completion"}
	for _, c := range cols {
		header = append(header, c.header)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	err := s.eachBatch(ctx, sv.ID, q, func(batch []Response) error {
		for i := range batch {
			r := &batch[i]
			a := r.Values()
			row[0], row[1], row[2] = strconv.FormatUint(uint64(r.ID), 10), r.Receipt, string(r.Channel)
			row[3], row[4] = r.SubmittedAt.UTC().Format(time.RFC3339), r.Completion
			for j, c := range cols {
				row[5+j] = c.value(a)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ExportedResponse is one response in the JSON export and the API.
type ExportedResponse struct {
	ID          uint           `json:"id"`
	Receipt     string         `json:"receipt"`
	Channel     Channel        `json:"channel"`
	Completion  string         `json:"completion"`
	SubmittedAt time.Time      `json:"submitted_at"`
	Answers     map[string]any `json:"answers"`
}

// Export shapes a response for JSON: a list for multiple choice, a number
// for number questions, text otherwise.
func (sv *Survey) Export(r *Response) ExportedResponse {
	out := ExportedResponse{ID: r.ID, Receipt: r.Receipt, Channel: r.Channel, Completion: r.Completion, SubmittedAt: r.SubmittedAt.UTC(), Answers: map[string]any{}}
	for k, vals := range r.Values() {
		q, _ := sv.Question(k)
		switch {
		case q != nil && q.Type == Checkbox:
			out.Answers[k] = vals
		case q != nil && q.Type == Number:
			out.Answers[k] = json.Number(vals[0])
		default:
			out.Answers[k] = vals[0]
		}
	}
	return out
}

// WriteJSON streams responses as a JSON array, one element at a time.
func (s *Store) WriteJSON(ctx context.Context, w io.Writer, sv *Survey, q ResponseQuery) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if _, err := bw.WriteString("["); err != nil {
		return err
	}
	first := true
	err := s.eachBatch(ctx, sv.ID, q, func(batch []Response) error {
		for i := range batch {
			if !first {
				bw.WriteString(",") // #nosec G104 -- a bufio.Writer keeps its first error and Flush returns it
			}
			first = false
			if err := enc.Encode(sv.Export(&batch[i])); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	bw.WriteString("]\n") // #nosec G104 -- a bufio.Writer keeps its first error and Flush returns it
	return bw.Flush()
}
