package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"
)

// Coding reads new text a page at a time, up to codePages pages of
// answers a run; workshop notes can be long, so they come fewer at a time.
const (
	codePage     = 500
	codePages    = 20
	codeNotePage = 50
)

// The cursors coding keeps in the themes store (apart from screening's,
// so that neither waits for the other).
const (
	codedAnswersCursor = "survey_answers"
	codedNotesCursor   = "workshop_notes"
)

// codeNewText codes free text that arrived since the last run (survey
// answers and workshop notes) and stores the suggestions for review. It
// runs in the background job, never on a request: a resident's submission
// only stores the answer. It uses the current codebook's coder, compiled
// once per version. Two instances may run it at once: passages already
// stored are not stored again, and each cursor only moves forward.
func (s *server) codeNewText(ctx context.Context) error {
	st := s.themes
	if st == nil {
		st = themes.NewStore(s.db) // a server built by hand in a test
	}
	coder, err := st.Coder(ctx)
	if err != nil {
		return err
	}
	answers, err := s.codeAnswers(ctx, st, coder)
	if err != nil {
		return fmt.Errorf("coding survey answers: %w", err)
	}
	notes, err := s.codeNotes(ctx, st, coder)
	if err != nil {
		return fmt.Errorf("coding workshop notes: %w", err)
	}
	if answers+notes > 0 {
		slog.Info("coded new free text", "passages", answers+notes)
	}
	return nil
}

// codeAnswers codes the free-text answers after the cursor. On PostgreSQL
// it reads a little behind the cursor too (see answerOverlap); what is
// already coded there is skipped rather than tagged again.
func (s *server) codeAnswers(ctx context.Context, st *themes.Store, coder *themes.Coder) (int, error) {
	from, err := st.Cursor(ctx, codedAnswersCursor)
	if err != nil {
		return 0, err
	}
	sv := surveys.NewStore(s.db)
	after, added := behind(from, s.overlap(answerOverlap)), 0
	for range codePages {
		page, err := sv.FreeTextSince(ctx, after, codePage)
		if err != nil || len(page) == 0 {
			return added, err
		}
		units := make([]themes.Unit, len(page))
		for i, u := range page {
			units[i] = answerUnit(u)
		}
		if after < from {
			if units, err = st.NotCoded(ctx, units); err != nil {
				return added, err
			}
		}
		after = page[len(page)-1].AnswerID
		n, err := st.Add(ctx, coder, units, &themes.Cursor{Name: codedAnswersCursor, LastID: after})
		added += n
		if err != nil || len(page) < codePage {
			return added, err
		}
	}
	return added, nil
}

// answerUnit is a survey answer as the themes store codes it: reviewed
// with the other answers to the same question.
func answerUnit(u surveys.TextUnit) themes.Unit {
	return themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(u.AnswerID), 10),
		Scope: fmt.Sprintf("survey:%d:%s", u.SurveyID, u.QuestionKey), Text: u.Text}
}

// codeNotes codes the passages of workshop notes added since the cursor.
// The workshops store has no "notes since" query, so the notes are read
// here by id and split into passages as NoteUnits does, with the same ids,
// so that coding a workshop's notes on demand finds them already stored.
func (s *server) codeNotes(ctx context.Context, st *themes.Store, coder *themes.Coder) (int, error) {
	from, err := st.Cursor(ctx, codedNotesCursor)
	if err != nil {
		return 0, err
	}
	after, added := behind(from, s.overlap(noteOverlap)), 0
	for range codePages {
		var notes []workshops.Note
		if err := s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(codeNotePage).Find(&notes).Error; err != nil || len(notes) == 0 {
			return added, err
		}
		var units []themes.Unit
		for _, n := range notes {
			for i, p := range workshops.Passages(n.Body) {
				units = append(units, themes.Unit{Kind: themes.WorkshopNote, SourceID: fmt.Sprintf("note:%d:%d", n.ID, i+1),
					Scope: fmt.Sprintf("workshop:%d", n.EventID), Text: p})
			}
		}
		if after < from {
			if units, err = st.NotCoded(ctx, units); err != nil {
				return added, err
			}
		}
		after = notes[len(notes)-1].ID
		n, err := st.Add(ctx, coder, units, &themes.Cursor{Name: codedNotesCursor, LastID: after})
		added += n
		if err != nil || len(notes) < codeNotePage {
			return added, err
		}
	}
	return added, nil
}
