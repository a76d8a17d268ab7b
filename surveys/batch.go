package surveys

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Group commit. When many residents submit at once, their responses are
// written in one transaction instead of one each: the first submitter to
// find no write in progress leads, takes everything queued (up to
// maxBatch), commits it, and hands the lead to the next one waiting. A
// lone submitter commits alone at once, so nobody waits for a timer. If a
// batch fails as a whole (an idempotency key or receipt clash), each of
// its responses is retried on its own, so one bad row never fails others.

const maxBatch = 128

type batchResult struct {
	r        *Response
	replayed bool
	err      error
}

type batchJob struct {
	sv    *Survey
	clean Answers
	in    Submission
	hash  *string
	now   time.Time
	done  chan batchResult
	lead  chan struct{}
}

type batcher struct {
	mu      sync.Mutex
	queue   []*batchJob
	leading bool
}

// insertGrouped stores one response, sharing a transaction with any
// others being submitted at the same moment.
func (s *Store) insertGrouped(ctx context.Context, sv *Survey, clean Answers, in Submission, hash *string, now time.Time) (*Response, bool, error) {
	j := &batchJob{sv: sv, clean: clean, in: in, hash: hash, now: now, done: make(chan batchResult, 1), lead: make(chan struct{}, 1)}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, j)
	if !b.leading {
		b.leading = true
		b.mu.Unlock()
		s.leadBatch(ctx)
	} else {
		b.mu.Unlock()
	}
	select {
	case res := <-j.done:
		return res.r, res.replayed, res.err
	case <-j.lead:
		s.leadBatch(ctx)
		res := <-j.done
		return res.r, res.replayed, res.err
	}
}

// leadBatch commits what is queued and passes the lead on.
func (s *Store) leadBatch(ctx context.Context) {
	b := &s.batch
	b.mu.Lock()
	n := min(len(b.queue), maxBatch)
	jobs := append([]*batchJob(nil), b.queue[:n]...)
	b.queue = b.queue[n:]
	b.mu.Unlock()

	// Others' responses ride on this request: its cancellation must not
	// cancel theirs.
	s.commitBatch(context.WithoutCancel(ctx), jobs)

	b.mu.Lock()
	if len(b.queue) > 0 {
		b.queue[0].lead <- struct{}{}
	} else {
		b.leading = false
	}
	b.mu.Unlock()
}

func (s *Store) commitBatch(ctx context.Context, jobs []*batchJob) {
	if len(jobs) == 1 {
		j := jobs[0]
		r, replayed, err := s.insert(ctx, j.sv, j.clean, j.in, j.hash, j.now)
		j.done <- batchResult{r, replayed, err}
		return
	}
	results := make([]batchResult, len(jobs))
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var fresh []*Response
		var freshJobs []*batchJob
		for i, j := range jobs {
			if j.hash != nil {
				var first Response
				err := tx.Where("survey_id = ? AND idempotency_hash = ?", j.sv.ID, *j.hash).Take(&first).Error
				if err == nil {
					results[i] = batchResult{r: &first, replayed: true}
					continue
				}
				if !errors.Is(err, gorm.ErrRecordNotFound) {
					return err
				}
			}
			r := &Response{SurveyID: j.sv.ID, Receipt: NewReceipt(), Channel: j.in.Channel, Completion: completion(j.sv, j.clean),
				SubmittedAt: j.now, IdempotencyHash: j.hash, EnteredBy: j.in.EnteredBy, NoticeHash: noticeHash(j.sv)}
			results[i] = batchResult{r: r}
			fresh = append(fresh, r)
			freshJobs = append(freshJobs, j)
		}
		if len(fresh) == 0 {
			return nil
		}
		kept := map[uint]bool{}
		for _, j := range freshJobs {
			if !kept[j.sv.ID] {
				kept[j.sv.ID] = true
				if err := keepNotice(tx, j.sv, j.now); err != nil {
					return err
				}
			}
		}
		if err := tx.Omit("Answers").Create(&fresh).Error; err != nil {
			return err
		}
		var rows []Answer
		d := deltas{}
		for k, r := range fresh {
			mine := answerRows(freshJobs[k].sv, r.ID, freshJobs[k].clean)
			d.addResponse(freshJobs[k].sv, mine)
			rows = append(rows, mine...)
		}
		if err := insertAnswers(tx, rows); err != nil {
			return err
		}
		return applyCounts(tx, d)
	})
	if err != nil {
		// Retry each alone: a clash in one row must not fail the others.
		for _, j := range jobs {
			r, replayed, err := s.insert(ctx, j.sv, j.clean, j.in, j.hash, j.now)
			j.done <- batchResult{r, replayed, err}
		}
		return
	}
	for i, j := range jobs {
		j.done <- results[i]
	}
}

// insertAnswers writes answer rows with plain multi-row INSERTs: their ids
// are never read back, so none are asked for.
func insertAnswers(tx *gorm.DB, rows []Answer) error {
	const cols = 7
	const chunk = 500
	for len(rows) > 0 {
		n := min(len(rows), chunk)
		var sb strings.Builder
		sb.WriteString("INSERT INTO response_answers (response_id, survey_id, question_key, value, position, free_text, personal) VALUES ")
		args := make([]any, 0, n*cols)
		for i, a := range rows[:n] {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?,?,?,?,?,?)")
			args = append(args, a.ResponseID, a.SurveyID, a.QuestionKey, a.Value, a.Position, a.FreeText, a.Personal)
		}
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("storing answers: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}
