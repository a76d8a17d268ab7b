package themes

import (
	"context"

	"gorm.io/gorm"
)

// Statuses a review queue can be filtered by, besides Accepted and Rejected.
const (
	// StatusPending is a passage with a suggestion nobody has decided on; in
	// double coding, a passage the coder has not coded.
	StatusPending = "pending"
	// StatusUncoded is a passage with no suggestion and no decision.
	StatusUncoded = "uncoded"
)

// Statuses lists the statuses a queue can be filtered by, in the order
// they are offered.
var Statuses = []string{StatusPending, Accepted, Rejected, StatusUncoded}

// Filter picks the passages of one scope to review.
type Filter struct {
	Scope  string
	Status string // "" for every passage, or one of Statuses
	// Codes keeps passages where one of these codes is suggested or decided;
	// nil keeps every passage. A theme is given as all its codes.
	Codes []string
	// MinConfidence keeps passages with a suggestion at least this
	// confident (0 to 1).
	MinConfidence float64
	Assignment    uint // a double-coding sample, or 0 for the review queue
	Coder         uint // whose decisions count, in double coding
	Limit, Offset int
}

// Passages returns a page of the passages f picks, oldest first, with their
// suggestions (most confident first) and the decisions that stand on them,
// and how many passages f picks in all.
func (s *Store) Passages(ctx context.Context, f Filter) ([]Passage, int64, error) {
	db := s.db.WithContext(ctx)
	q := filtered(db, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ps []Passage
	q = filtered(db, f).Order("theme_passages.id")
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Offset(f.Offset)
	}
	if err := q.Find(&ps).Error; err != nil {
		return nil, 0, err
	}
	return ps, total, s.load(db, ps, f.Assignment, f.Coder)
}

// Passage returns one passage with its suggestions and the decisions that
// stand in the review queue, or in double coding for coder.
func (s *Store) Passage(ctx context.Context, id, assignment, coder uint) (*Passage, error) {
	db := s.db.WithContext(ctx)
	var p Passage
	if err := db.Take(&p, id).Error; err != nil {
		return nil, notFound(err)
	}
	ps := []Passage{p}
	if err := s.load(db, ps, assignment, coder); err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// load fills in the suggestions and codings of ps.
func (s *Store) load(db *gorm.DB, ps []Passage, assignment, coder uint) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]uint, len(ps))
	at := map[uint]int{}
	for i, p := range ps {
		ids[i], at[p.ID] = p.ID, i
	}
	var sugg []Suggested
	if err := db.Where("passage_id IN ?", ids).Order("confidence DESC, code").Find(&sugg).Error; err != nil {
		return err
	}
	for _, sg := range sugg {
		ps[at[sg.PassageID]].Suggestions = append(ps[at[sg.PassageID]].Suggestions, sg)
	}
	var codings []Coding
	if err := db.Where("passage_id IN ? AND assignment_id = ? AND coder_id = ?", ids, assignment, coder).
		Order("decided_at, code").Find(&codings).Error; err != nil {
		return err
	}
	for _, c := range codings {
		ps[at[c.PassageID]].Codings = append(ps[at[c.PassageID]].Codings, c)
	}
	return nil
}

// filtered builds the query for f. The code and confidence conditions go
// inside the status condition when it looks at suggestions or decisions,
// so "pending, money and debt" means a money-and-debt suggestion still
// waiting, not any waiting passage that mentions money.
func filtered(db *gorm.DB, f Filter) *gorm.DB {
	q := db.Model(&Passage{}).Where("theme_passages.scope = ?", f.Scope)
	if f.Assignment != 0 {
		q = q.Where("theme_passages.id IN (SELECT passage_id FROM theme_assignment_passages WHERE assignment_id = ?)", f.Assignment)
	}
	mine := "k.passage_id = theme_passages.id AND k.assignment_id = ? AND k.coder_id = ?"
	round := []any{f.Assignment, f.Coder}
	sCode, kCode, codeArgs := "", "", []any{}
	if f.Codes != nil {
		sCode, kCode, codeArgs = " AND s.code IN ?", " AND k.code IN ?", []any{f.Codes}
	}
	confAt, confArgs := "", []any{}
	if f.MinConfidence > 0 {
		confAt, confArgs = " AND s.confidence >= ?", []any{f.MinConfidence}
	}
	codesDone, confDone := false, false
	switch {
	case f.Status == StatusPending && f.Assignment != 0:
		q = q.Where("NOT EXISTS (SELECT 1 FROM theme_codings k WHERE "+mine+")", round...)
	case f.Status == StatusPending:
		q = q.Where("EXISTS (SELECT 1 FROM theme_suggestions s WHERE s.passage_id = theme_passages.id"+sCode+confAt+
			" AND NOT EXISTS (SELECT 1 FROM theme_codings k WHERE "+mine+" AND k.code = s.code))",
			join(codeArgs, confArgs, round)...)
		codesDone, confDone = true, true
	case f.Status == Accepted:
		q = q.Where("EXISTS (SELECT 1 FROM theme_codings k WHERE "+mine+" AND k.decision IN ?"+kCode+")",
			join(round, []any{[]string{Accepted, Added}}, codeArgs)...)
		codesDone = true
	case f.Status == Rejected:
		q = q.Where("EXISTS (SELECT 1 FROM theme_codings k WHERE "+mine+" AND k.decision = ?"+kCode+")",
			join(round, []any{Rejected}, codeArgs)...)
		codesDone = true
	case f.Status == StatusUncoded:
		q = q.Where("NOT EXISTS (SELECT 1 FROM theme_suggestions s WHERE s.passage_id = theme_passages.id)").
			Where("NOT EXISTS (SELECT 1 FROM theme_codings k WHERE "+mine+" AND k.code <> '')", round...)
	}
	if f.Codes != nil && !codesDone {
		q = q.Where("(EXISTS (SELECT 1 FROM theme_suggestions s WHERE s.passage_id = theme_passages.id"+sCode+
			") OR EXISTS (SELECT 1 FROM theme_codings k WHERE "+mine+kCode+"))", join(codeArgs, round, codeArgs)...)
	}
	if f.MinConfidence > 0 && !confDone {
		q = q.Where("EXISTS (SELECT 1 FROM theme_suggestions s WHERE s.passage_id = theme_passages.id"+sCode+confAt+")",
			join(codeArgs, confArgs)...)
	}
	return q
}

func join(lists ...[]any) []any {
	var out []any
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// ScopeCount is how far the review of one scope has gone. Pending counts
// suggestions nobody has decided on; Accepted and Rejected count the
// decisions that stand (a code added by hand counts as accepted).
type ScopeCount struct {
	Scope                       string
	Passages                    int
	Pending, Accepted, Rejected int
}

// Scopes counts every scope with passages, in the review queue.
func (s *Store) Scopes(ctx context.Context) ([]ScopeCount, error) {
	db := s.db.WithContext(ctx)
	var rows []ScopeCount
	if err := db.Model(&Passage{}).Select("scope, COUNT(*) AS passages").Group("scope").Order("scope").Scan(&rows).Error; err != nil {
		return nil, err
	}
	at := map[string]*ScopeCount{}
	for i := range rows {
		at[rows[i].Scope] = &rows[i]
	}
	var pending []struct {
		Scope string
		N     int
	}
	if err := db.Raw(`SELECT p.scope, COUNT(*) AS n FROM theme_suggestions s JOIN theme_passages p ON p.id = s.passage_id
		WHERE NOT EXISTS (SELECT 1 FROM theme_codings k WHERE k.passage_id = s.passage_id AND k.code = s.code
		AND k.assignment_id = 0 AND k.coder_id = 0) GROUP BY p.scope`).Scan(&pending).Error; err != nil {
		return nil, err
	}
	// A scope coded since the first query is left for the next look.
	for _, r := range pending {
		if sc := at[r.Scope]; sc != nil {
			sc.Pending = r.N
		}
	}
	var decided []struct {
		Scope, Decision string
		N               int
	}
	if err := db.Raw(`SELECT p.scope, k.decision, COUNT(*) AS n FROM theme_codings k JOIN theme_passages p ON p.id = k.passage_id
		WHERE k.assignment_id = 0 AND k.coder_id = 0 GROUP BY p.scope, k.decision`).Scan(&decided).Error; err != nil {
		return nil, err
	}
	for _, r := range decided {
		sc := at[r.Scope]
		switch {
		case sc == nil:
		case r.Decision == Accepted || r.Decision == Added:
			sc.Accepted += r.N
		case r.Decision == Rejected:
			sc.Rejected += r.N
		}
	}
	return rows, nil
}
