package themes

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// Topics counts the noun phrases of the latest passages (up to limit, of
// scope or of every scope) that no code was suggested for and nobody has
// coded, and returns those seen at least min times: candidates for new
// codes.
func (s *Store) Topics(ctx context.Context, scope string, limit, min int) ([]Topic, error) {
	q := s.db.WithContext(ctx).Model(&Passage{}).Select("id, text, phrases").
		Where("phrases <> ? AND phrases <> ?", "[]", "null").
		Where("NOT EXISTS (SELECT 1 FROM theme_suggestions s WHERE s.passage_id = theme_passages.id)").
		Where("NOT EXISTS (SELECT 1 FROM theme_codings k WHERE k.passage_id = theme_passages.id AND k.assignment_id = 0 AND k.decision IN ?)", []string{Accepted, Added})
	if scope != "" {
		q = q.Where("scope = ?", scope)
	}
	var ps []Passage
	if err := q.Order("id DESC").Limit(limit).Find(&ps).Error; err != nil {
		return nil, err
	}
	results := make([]Result, len(ps))
	for i, p := range ps {
		results[i].Uncoded = []Uncoded{{Sentence: p.Text, Phrases: p.Phrases}}
	}
	return EmergingTopics(results, min), nil
}

// Confirmed is a code that stands on a passage in the review queue.
type Confirmed struct {
	PassageID  uint
	SourceKind string
	SourceID   string
	Scope      string
	Text       string
	Code       string
	Decision   string // Accepted or Added
	UserID     uint
	DecidedAt  time.Time
}

// exportPage is how many rows are read at a time.
const exportPage = 500

// EachConfirmed calls fn for every code accepted or added in the review
// queue, of one scope or of all when scope is "", in passage order. Rows
// are read a page at a time, so any number can be written out.
func (s *Store) EachConfirmed(ctx context.Context, scope string, fn func(Confirmed) error) error {
	var afterID uint
	afterCode := ""
	for {
		q := s.db.WithContext(ctx).Table("theme_codings AS k").
			Select("k.passage_id, p.source_kind, p.source_id, p.scope, p.text, k.code, k.decision, k.user_id, k.decided_at").
			Joins("JOIN theme_passages p ON p.id = k.passage_id").
			Where("k.assignment_id = 0 AND k.coder_id = 0 AND k.decision IN ?", []string{Accepted, Added}).
			Where("(k.passage_id > ? OR (k.passage_id = ? AND k.code > ?))", afterID, afterID, afterCode)
		if scope != "" {
			q = q.Where("p.scope = ?", scope)
		}
		var rows []Confirmed
		if err := q.Order("k.passage_id, k.code").Limit(exportPage).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < exportPage {
			return nil
		}
		afterID, afterCode = rows[len(rows)-1].PassageID, rows[len(rows)-1].Code
	}
}

// csvHeader names the columns of the coded passages CSV.
var csvHeader = []string{"passage_id", "source", "source_id", "scope", "passage", "code", "code_label", "theme",
	"decision", "confirmed_by", "confirmed_at_utc"}

// WriteCSV writes one row per code confirmed on a passage (of scope, or
// every scope when ""), naming who confirmed it with name. Every cell that
// a spreadsheet would read as a formula is made plain text.
func (s *Store) WriteCSV(ctx context.Context, w io.Writer, scope string, name func(uint) string) error {
	cb, err := s.Codebook(ctx)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for _, c := range cb.Codes {
		labels[c.Key] = c.Label
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	err = s.EachConfirmed(ctx, scope, func(r Confirmed) error {
		row := []string{strconv.FormatUint(uint64(r.PassageID), 10), r.SourceKind, r.SourceID, r.Scope, r.Text, r.Code,
			labels[r.Code], cb.Theme(r.Code), r.Decision, name(r.UserID), r.DecidedAt.UTC().Format(time.RFC3339)}
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell stops a spreadsheet reading a cell as a formula: a value that
// starts with = + - @, a tab or a carriage return gets a leading '.
func SafeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
