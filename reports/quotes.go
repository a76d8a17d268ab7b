package reports

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"codesign/errs"
	"codesign/surveys"
	"codesign/themes"

	"gorm.io/gorm"
)

// Quote is a passage an officer picked to show what people said, kept as
// the redacted words that will be published.
type Quote struct {
	ID         uint
	ReportID   uint
	PassageID  uint
	AnswerID   uint
	ResponseID uint
	Code       string // the theme or code it illustrates
	Text       string // redacted
	Position   int
	CreatedBy  *uint
	CreatedAt  time.Time
}

// TableName keeps the reports tables together.
func (Quote) TableName() string { return "report_quotes" }

// Why a passage can never be quoted.
var (
	ErrFlagged = &errs.Conflict{Message: "This passage comes from an answer flagged for safeguarding. " +
		"Flagged words are never quoted or published. Pick another passage."}
	ErrNoConsent = &errs.Conflict{Message: "The person who wrote this did not agree to being quoted. Pick another passage."}
)

// Quotes lists a report's quotes in order.
func (s *Store) Quotes(ctx context.Context, reportID uint) ([]Quote, error) {
	return quotesOf(s.db.WithContext(ctx), reportID)
}

func quotesOf(db *gorm.DB, reportID uint) ([]Quote, error) {
	var qs []Quote
	return qs, db.Where("report_id = ?", reportID).Order("position, id").Find(&qs).Error
}

// source is the survey answer a passage came from.
type source struct {
	answer surveys.Answer
	code   string
}

// quotable checks that passage p of the report's survey may be quoted for
// code, and returns the answer it came from. A code of "" takes the first
// code confirmed on the passage.
func (s *Store) quotable(ctx context.Context, r *Report, p *themes.Passage, code string) (*source, error) {
	id, ok := answerID(p.SourceKind, p.SourceID)
	if !ok || !strings.HasPrefix(p.Scope, scopePrefix(r.SurveyID)) {
		return nil, fieldErr("passage", "Pick a passage from this consultation's answers")
	}
	var confirmed []string
	for _, c := range p.Codings {
		if c.Applies() {
			confirmed = append(confirmed, c.Code)
		}
	}
	cb, err := s.themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case code == "" && len(confirmed) > 0:
		code = confirmed[0]
	case !slices.ContainsFunc(confirmed, func(c string) bool { return c == code || cb.Theme(c) == code }):
		return nil, fieldErr("passage", "Pick a passage with a confirmed code: suggestions nobody has checked cannot be quoted")
	}
	var a surveys.Answer
	if err := s.db.WithContext(ctx).Where("survey_id = ?", r.SurveyID).Take(&a, id).Error; err != nil {
		return nil, notFound(err)
	}
	blocked, err := s.blocked(ctx, r, []surveys.Answer{a})
	if err != nil {
		return nil, err
	}
	if why := blocked[a.ID]; why != nil {
		return nil, why
	}
	return &source{answer: a, code: code}, nil
}

// blocked says which answers can never be quoted, and why: those in the
// safeguarding queue, any whose words read as a risk disclosure (so a
// quote is refused even before screening has run), and those from
// respondents who did not agree to being quoted.
func (s *Store) blocked(ctx context.Context, r *Report, answers []surveys.Answer) (map[uint]error, error) {
	out := map[uint]error{}
	if len(answers) == 0 {
		return out, nil
	}
	flagged, err := s.sg.FlaggedAnswerIDs(ctx, r.SurveyID)
	if err != nil {
		return nil, err
	}
	coder, err := defaultCoder()
	if err != nil {
		return nil, err
	}
	agreed := map[uint]bool{}
	if r.ConsentKey != "" {
		resp := make([]uint, len(answers))
		for i, a := range answers {
			resp[i] = a.ResponseID
		}
		var ids []uint
		err := s.db.WithContext(ctx).Model(&surveys.Answer{}).
			Where("survey_id = ? AND question_key = ? AND value = ? AND response_id IN ?", r.SurveyID, r.ConsentKey, r.ConsentValue, resp).
			Pluck("response_id", &ids).Error
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			agreed[id] = true
		}
	}
	for _, a := range answers {
		switch {
		case flagged[a.ID] || coder.Code(a.Value).Safeguarding:
			out[a.ID] = ErrFlagged
		case r.ConsentKey != "" && !agreed[a.ResponseID]:
			out[a.ID] = ErrNoConsent
		}
	}
	return out, nil
}

// AddQuote picks passage as a quote for code (a theme or code confirmed on
// it). Its words are redacted before they are stored. A flagged passage,
// or one from a respondent who did not agree to being quoted, is refused.
func (s *Store) AddQuote(ctx context.Context, actor *uint, reportID, passageID uint, code string) (*Quote, error) {
	r, err := s.Get(ctx, reportID)
	if err != nil {
		return nil, err
	}
	p, err := s.themes.Passage(ctx, passageID, 0, 0)
	if errors.Is(err, themes.ErrNotFound) {
		return nil, fieldErr("passage", "Pick a passage from the list")
	} else if err != nil {
		return nil, err
	}
	src, err := s.quotable(ctx, r, p, code)
	if err != nil {
		return nil, err
	}
	q := &Quote{ReportID: r.ID, PassageID: p.ID, AnswerID: src.answer.ID, ResponseID: src.answer.ResponseID, Code: src.code,
		Text: Redact(p.Text), CreatedBy: actor, CreatedAt: s.now()}
	err = s.edit(ctx, actor, r.ID, "report.quote_add", func(tx *gorm.DB, _ *Report) error {
		var n int64
		if err := tx.Model(&Quote{}).Where("report_id = ? AND passage_id = ?", r.ID, p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &errs.Conflict{Message: "This passage is already one of the quotes."}
		}
		if err := tx.Model(&Quote{}).Where("report_id = ? AND text = ?", r.ID, q.Text).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &errs.Conflict{Message: "A quote with exactly these words is already in the draft."}
		}
		var last struct{ N int }
		if err := tx.Model(&Quote{}).Select("COALESCE(MAX(position), 0) AS n").Where("report_id = ?", r.ID).Scan(&last).Error; err != nil {
			return err
		}
		q.Position = last.N + 1
		return tx.Create(q).Error
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// RemoveQuote takes a quote out of the draft.
func (s *Store) RemoveQuote(ctx context.Context, actor *uint, reportID, quoteID uint) error {
	return s.edit(ctx, actor, reportID, "report.quote_remove", func(tx *gorm.DB, _ *Report) error {
		res := tx.Where("report_id = ?", reportID).Delete(&Quote{}, quoteID)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
}

// Candidate is a passage an officer might quote, as it would be published.
type Candidate struct {
	PassageID uint
	Codes     []string
	Text      string // redacted
	Picked    bool
	Blocked   string // why it can never be quoted, or ""
}

// Candidates lists up to limit passages of the report's survey with code
// (a theme or code) confirmed, redacted as they would be published, saying
// which can never be quoted.
func (s *Store) Candidates(ctx context.Context, r *Report, code string, limit int) ([]Candidate, error) {
	cb, err := s.themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	codes := []string{code}
	for _, c := range cb.Codes {
		if c.Parent == code {
			codes = append(codes, c.Key)
		}
	}
	sv, err := s.surveys.Get(ctx, r.SurveyID)
	if err != nil {
		return nil, err
	}
	scopes := surveyScopes(sv)
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	// EachConfirmed reads a page at a time in passage order, so stopping
	// once there are enough reads little.
	var ps []themes.Passage
	at := map[uint]int{}
	for _, scope := range scopes {
		err := s.themes.EachConfirmed(ctx, scope, func(c themes.Confirmed) error {
			if !want[c.Code] {
				return nil
			}
			if i, ok := at[c.PassageID]; ok {
				ps[i].Codings = append(ps[i].Codings, themes.Coding{PassageID: c.PassageID, Code: c.Code, Decision: c.Decision})
				return nil
			}
			if len(ps) == limit {
				return errEnough
			}
			at[c.PassageID] = len(ps)
			ps = append(ps, themes.Passage{ID: c.PassageID, SourceKind: c.SourceKind, SourceID: c.SourceID, Scope: c.Scope, Text: c.Text,
				Codings: []themes.Coding{{PassageID: c.PassageID, Code: c.Code, Decision: c.Decision}}})
			return nil
		})
		if errors.Is(err, errEnough) {
			break
		} else if err != nil {
			return nil, err
		}
	}
	return s.candidates(ctx, r, ps, codes)
}

// errEnough stops reading once enough has been read.
var errEnough = errors.New("enough")

func (s *Store) candidates(ctx context.Context, r *Report, ps []themes.Passage, codes []string) ([]Candidate, error) {
	ids := make([]uint, 0, len(ps))
	for _, p := range ps {
		if id, ok := answerID(p.SourceKind, p.SourceID); ok {
			ids = append(ids, id)
		}
	}
	var answers []surveys.Answer
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Where("survey_id = ? AND id IN ?", r.SurveyID, ids).Find(&answers).Error; err != nil {
			return nil, err
		}
	}
	blocked, err := s.blocked(ctx, r, answers)
	if err != nil {
		return nil, err
	}
	quotes, err := s.Quotes(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	picked := map[uint]bool{}
	for _, q := range quotes {
		picked[q.PassageID] = true
	}
	out := make([]Candidate, 0, len(ps))
	for _, p := range ps {
		c := Candidate{PassageID: p.ID, Text: Redact(p.Text), Picked: picked[p.ID]}
		for _, k := range p.Codings {
			if k.Applies() && slices.Contains(codes, k.Code) {
				c.Codes = append(c.Codes, k.Code)
			}
		}
		id, _ := answerID(p.SourceKind, p.SourceID)
		if why := blocked[id]; why != nil {
			var conflict *errs.Conflict
			if errors.As(why, &conflict) {
				c.Blocked = conflict.Message
			}
		}
		out = append(out, c)
	}
	return out, nil
}
