package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"

	"codesign/messages"
	"codesign/safeguarding"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"
)

// Screening reads new text in pages, up to screenPages a run.
const (
	screenPage  = 500
	screenPages = 20
)

// On PostgreSQL ids are handed out before commit, so two instances
// submitting at once can commit id 11 after id 12 has been read. Each run
// therefore reads this far behind its cursor again; what is already queued
// is not queued twice. SQLite has one writer, so ids commit in order.
const (
	answerOverlap = 2000
	noteOverlap   = 100
)

// The cursors screening keeps in the safeguarding store.
const (
	answersCursor = "survey_answers"
	notesCursor   = "workshop_notes"
)

// riskCoder is the one coder screening uses: compiling the codebook's
// patterns is the expensive part, so it is done once. Risk phrases are
// not part of the codebook staff edit, so the shipped codebook serves.
var riskCoder = sync.OnceValues(func() (*themes.Coder, error) {
	cb, err := themes.DefaultCodebook()
	if err != nil {
		return nil, err
	}
	return themes.NewCoder(cb), nil
})

// screenNewText screens free text that arrived since the last run for risk
// language and queues what it flags for the safeguarding team: survey
// answers and workshop notes, each with its own cursor. The duty contact
// is told once per run, so within a minute of a resident submitting.
func (s *server) screenNewText(ctx context.Context) error {
	coder, err := riskCoder()
	if err != nil {
		return err
	}
	sg := safeguarding.NewStore(s.db, messages.NewStore(s.db))
	answers, err := s.answerBatch(ctx, sg)
	if err != nil {
		return fmt.Errorf("reading survey answers: %w", err)
	}
	notes, err := s.noteBatch(ctx, sg)
	if err != nil {
		return fmt.Errorf("reading workshop notes: %w", err)
	}
	n, err := sg.Screen(ctx, coder, safeguarding.Notice{To: s.cfg.Safeguarding.DutyEmail, BaseURL: s.cfg.Server.BaseURL}, answers, notes)
	if n > 0 {
		slog.Info("queued free text for safeguarding", "items", n)
	}
	return err
}

// overlap is how far behind its cursor a run reads again.
func (s *server) overlap(n uint) uint {
	if s.db.Dialector.Name() == "postgres" {
		return n
	}
	return 0
}

func behind(cursor, by uint) uint {
	if cursor < by {
		return 0
	}
	return cursor - by
}

// answerBatch reads the free-text answers since the answers cursor.
func (s *server) answerBatch(ctx context.Context, sg *safeguarding.Store) (safeguarding.Batch, error) {
	b := safeguarding.Batch{Cursor: answersCursor}
	from, err := sg.Cursor(ctx, answersCursor)
	if err != nil {
		return b, err
	}
	b.From, b.To = from, from
	sv := surveys.NewStore(s.db)
	after := behind(from, s.overlap(answerOverlap))
	for range screenPages {
		units, err := sv.FreeTextSince(ctx, after, screenPage)
		if err != nil {
			return b, err
		}
		for _, u := range units {
			b.Texts = append(b.Texts, safeguarding.Text{Kind: safeguarding.SurveyAnswer, Ref: "answer:" + strconv.FormatUint(uint64(u.AnswerID), 10),
				SurveyID: u.SurveyID, ResponseID: u.ResponseID, AnswerID: u.AnswerID, QuestionKey: u.QuestionKey, Text: u.Text})
			after = u.AnswerID
		}
		b.To = max(b.To, after)
		if len(units) < screenPage {
			break
		}
	}
	return b, nil
}

// noteBatch reads the passages of workshop notes added since the notes
// cursor. The workshops store has no "notes since" query, so the notes
// are read here by id, and split into passages the way NoteUnits does.
func (s *server) noteBatch(ctx context.Context, sg *safeguarding.Store) (safeguarding.Batch, error) {
	b := safeguarding.Batch{Cursor: notesCursor}
	from, err := sg.Cursor(ctx, notesCursor)
	if err != nil {
		return b, err
	}
	b.From, b.To = from, from
	var notes []workshops.Note
	err = s.db.WithContext(ctx).Where("id > ?", behind(from, s.overlap(noteOverlap))).Order("id").Limit(screenPage).Find(&notes).Error
	if err != nil {
		return b, err
	}
	for _, n := range notes {
		for i, p := range workshops.Passages(n.Body) {
			b.Texts = append(b.Texts, safeguarding.Text{Kind: safeguarding.WorkshopNote, Ref: fmt.Sprintf("note:%d:%d", n.ID, i+1),
				EventID: n.EventID, NoteID: n.ID, Text: p})
		}
		b.To = max(b.To, n.ID)
	}
	return b, nil
}
