package reports

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"
)

// Breakdown questions: the locality first, then the standard equality
// section in the order residents answer it.
var dimensionKeys = []string{"locality", "age_band", "ethnicity", "disability", "sex", "gender_identity", "sexual_orientation",
	"religion", "carer"}

// dimensionLabels are short names for the breakdown tables; a survey's
// own question text is a sentence.
var dimensionLabels = map[string]string{"locality": "Locality", "age_band": "Age", "ethnicity": "Ethnic group",
	"disability": "Long-term condition or disability", "sex": "Sex", "gender_identity": "Gender same as registered at birth",
	"sexual_orientation": "Sexual orientation", "religion": "Religion", "carer": "Unpaid carer"}

// dimension is a breakdown question with how its answers map to columns.
type dimension struct {
	Dimension
	column map[string]string // answer value -> column key
}

// dimensionsOf lists the single-choice breakdown questions sv asks.
// Options in groups (the census ethnic groups) are counted by group, so
// that fewer cells are too small to publish.
func dimensionsOf(sv *surveys.Survey) []dimension {
	var out []dimension
	for _, key := range dimensionKeys {
		q, _ := sv.Question(key)
		if q == nil || q.Type != surveys.Radio || len(q.Options) == 0 {
			continue
		}
		d := dimension{Dimension: Dimension{Key: key, Label: dimensionLabels[key]}, column: map[string]string{}}
		seen := map[string]bool{}
		for _, o := range q.Options {
			// "North (Archway, Tufnell Park...)" heads its column as "North".
			label, _, _ := strings.Cut(o.Label, " (")
			col := Column{Key: o.Value, Label: label}
			if o.Group != "" {
				col = Column{Key: groupKey(o.Group), Label: o.Group}
			}
			d.column[o.Value] = col.Key
			if !seen[col.Key] {
				seen[col.Key] = true
				d.Columns = append(d.Columns, col)
			}
		}
		out = append(out, d)
	}
	return out
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// groupKey makes a column key of a group heading: "Black, Black British,
// ..." is "black".
func groupKey(group string) string {
	first, _, _ := strings.Cut(strings.ToLower(group), ",")
	return strings.Trim(nonWord.ReplaceAllString(first, "_"), "_")
}

// scopePrefix is how the themes store names where a survey's answers are
// reviewed: "survey:12:question_key".
func scopePrefix(surveyID uint) string { return fmt.Sprintf("survey:%d:", surveyID) }

// surveyScopes lists the review scopes that can hold a survey's answers:
// one per free-text question (and per "other" box), as the background
// coder names them, including questions since removed.
func surveyScopes(sv *surveys.Survey) []string {
	var out []string
	for _, q := range sv.Questions() {
		if q.Type.FreeText() {
			out = append(out, scopePrefix(sv.ID)+q.Key)
		}
		if q.HasOther() {
			out = append(out, scopePrefix(sv.ID)+surveys.OtherKey(q.Key))
		}
	}
	for _, k := range sv.RetiredKeys {
		out = append(out, scopePrefix(sv.ID)+k, scopePrefix(sv.ID)+surveys.OtherKey(k))
	}
	return out
}

// Findings counts a survey's confirmed codes, and those on the notes of
// the workshops that fed it. With unconfirmed, the suggestions nobody has
// decided on yet are counted as well: staff see those labelled as such,
// and they are never published.
func (s *Store) Findings(ctx context.Context, sv *surveys.Survey, unconfirmed bool) (*Findings, error) {
	cb, err := s.themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	in, err := s.surveyCounts(ctx, sv, unconfirmed)
	if err != nil {
		return nil, err
	}
	events, err := s.workshopsWhere(ctx, func(e workshops.Event) bool { return e.SurveySlug == sv.Slug })
	if err != nil {
		return nil, err
	}
	if err := s.addWorkshops(ctx, &in, events, unconfirmed); err != nil {
		return nil, err
	}
	return Tally(cb, in), nil
}

// surveyCounts gathers what Tally needs from one survey's responses: who
// answered and how, the codes on their answers and their answers to the
// breakdown questions.
func (s *Store) surveyCounts(ctx context.Context, sv *surveys.Survey, unconfirmed bool) (Counts, error) {
	in, err := s.participation(ctx, sv)
	if err != nil {
		return Counts{}, err
	}
	scopes := surveyScopes(sv)
	if in.Tags, err = s.confirmedTags(ctx, sv.ID, scopes); err != nil {
		return Counts{}, err
	}
	if unconfirmed {
		byAnswer := map[uint][]Tag{} // answer id -> tags, Respondent not yet known
		for _, scope := range scopes {
			err := s.suggested(ctx, scope, func(p themes.Passage, code string) {
				if id, ok := answerID(p.SourceKind, p.SourceID); ok {
					byAnswer[id] = append(byAnswer[id], Tag{Passage: p.ID, Code: code})
				}
			})
			if err != nil {
				return Counts{}, err
			}
		}
		more, err := s.respondents(ctx, sv.ID, byAnswer)
		if err != nil {
			return Counts{}, err
		}
		in.Tags = append(in.Tags, more...)
	}
	if err := s.dimensionAnswers(ctx, sv.ID, dimensionsOf(sv), &in); err != nil {
		return Counts{}, err
	}
	return in, nil
}

// confirmedTags reads every code confirmed on a passage of the survey's
// answers, with the response it came from, in one streamed query. It reads
// the themes tables as themes.Store.EachConfirmed does (the review queue's
// accepted and added codes) and joins the answers there, because paging
// through EachConfirmed and then looking up every answer is far slower on
// a large consultation.
func (s *Store) confirmedTags(ctx context.Context, surveyID uint, scopes []string) ([]Tag, error) {
	if len(scopes) == 0 {
		return nil, nil
	}
	rows, err := s.db.WithContext(ctx).Table("theme_codings AS k").
		Select("k.passage_id, k.code, a.response_id").
		Joins("JOIN theme_passages p ON p.id = k.passage_id").
		Joins("JOIN response_answers a ON a.id = CAST(p.source_id AS BIGINT)").
		Where("k.assignment_id = 0 AND k.coder_id = 0 AND k.decision IN ?", []string{themes.Accepted, themes.Added}).
		Where("p.source_kind = ? AND p.scope IN ? AND a.survey_id = ?", themes.SurveyAnswer, scopes, surveyID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Tag
	codes := map[string]string{} // one string per code, not one per row
	for rows.Next() {
		var t Tag
		var code string
		if err := rows.Scan(&t.Passage, &code, &t.Respondent); err != nil {
			return nil, err
		}
		if t.Code = codes[code]; t.Code == "" {
			codes[code], t.Code = code, code
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// answerID reads a survey answer's id from a passage's source.
func answerID(kind, source string) (uint, bool) {
	if kind != themes.SurveyAnswer {
		return 0, false
	}
	id, err := strconv.ParseUint(source, 10, 64)
	return uint(id), err == nil
}

// suggested calls add with each code suggested on a passage in scope that
// nobody has decided on.
func (s *Store) suggested(ctx context.Context, scope string, add func(p themes.Passage, code string)) error {
	const page = 500
	for offset := 0; ; offset += page {
		ps, _, err := s.themes.Passages(ctx, themes.Filter{Scope: scope, Status: themes.StatusPending, Limit: page, Offset: offset})
		if err != nil {
			return err
		}
		for _, p := range ps {
			decided := map[string]bool{}
			for _, c := range p.Codings {
				decided[c.Code] = true
			}
			for _, sg := range p.Suggestions {
				if !decided[sg.Code] {
					add(p, sg.Code)
				}
			}
		}
		if len(ps) < page {
			return nil
		}
	}
}

// participation counts who answered the survey and how.
func (s *Store) participation(ctx context.Context, sv *surveys.Survey) (Counts, error) {
	var rows []struct {
		Channel string
		N       int
	}
	err := s.db.WithContext(ctx).Model(&surveys.Response{}).Select("channel, COUNT(*) AS n").
		Where("survey_id = ?", sv.ID).Group("channel").Scan(&rows).Error
	if err != nil {
		return Counts{}, err
	}
	by := map[string]int{}
	in := Counts{}
	for _, r := range rows {
		by[r.Channel] += r.N
		in.Participants += r.N
	}
	for _, ch := range surveys.Channels {
		in.Channels = append(in.Channels, Channel{Key: string(ch), Label: channelLabels[ch], N: by[string(ch)]})
	}
	return in, nil
}

// workshopsWhere lists the workshops that took or will take place (not
// cancelled) for which keep is true.
func (s *Store) workshopsWhere(ctx context.Context, keep func(workshops.Event) bool) ([]workshops.Event, error) {
	events, err := s.events.List(ctx, workshops.Query{})
	if err != nil {
		return nil, err
	}
	out := events[:0]
	for _, e := range events {
		if e.Status != workshops.Cancelled && keep(e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// workshopScope is how the themes store names where a workshop's notes
// are reviewed, as the background coder stores them.
func workshopScope(eventID uint) string { return fmt.Sprintf("workshop:%d", eventID) }

// addWorkshops adds the people who came to events, and the codes on the
// passages of their notes: confirmed in the review queue, and with
// unconfirmed the suggestions nobody has decided on. A note has no
// respondent, so its tags name the workshop instead.
func (s *Store) addWorkshops(ctx context.Context, in *Counts, events []workshops.Event, unconfirmed bool) error {
	for _, e := range events {
		a, err := s.events.AttendanceCounts(ctx, e.ID)
		if err != nil {
			return err
		}
		if a.Attended > 0 {
			in.Workshops++
			in.WorkshopPeople += a.Attended
		}
		err = s.themes.EachConfirmed(ctx, workshopScope(e.ID), func(c themes.Confirmed) error {
			if c.SourceKind == themes.WorkshopNote {
				in.Tags = append(in.Tags, Tag{Passage: c.PassageID, Workshop: e.ID, Code: c.Code})
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !unconfirmed {
			continue
		}
		err = s.suggested(ctx, workshopScope(e.ID), func(p themes.Passage, code string) {
			if p.SourceKind == themes.WorkshopNote {
				in.Tags = append(in.Tags, Tag{Passage: p.ID, Workshop: e.ID, Code: code})
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

var channelLabels = map[surveys.Channel]string{surveys.ChannelOnline: "Online", surveys.ChannelPaper: "On paper",
	surveys.ChannelPhone: "By phone", surveys.ChannelWorkshop: "At a workshop", surveys.ChannelAssisted: "With someone's help"}

// answerChunk keeps IN lists well under every database's limit.
const answerChunk = 900

// respondents finds the response each tagged answer belongs to.
func (s *Store) respondents(ctx context.Context, surveyID uint, byAnswer map[uint][]Tag) ([]Tag, error) {
	ids := make([]uint, 0, len(byAnswer))
	n := 0
	for id, ts := range byAnswer {
		ids = append(ids, id)
		n += len(ts)
	}
	out := make([]Tag, 0, n)
	for start := 0; start < len(ids); start += answerChunk {
		chunk := ids[start:min(start+answerChunk, len(ids))]
		// By id alone, so the primary key is used; the survey is checked here.
		rows, err := s.db.WithContext(ctx).Model(&surveys.Answer{}).Select("id, response_id, survey_id").
			Where("id IN ?", chunk).Rows()
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, resp, sid uint
			if err := rows.Scan(&id, &resp, &sid); err != nil {
				_ = rows.Close() // the scan error is the one to report
				return nil, err
			}
			if sid != surveyID {
				continue
			}
			for _, t := range byAnswer[id] {
				t.Respondent = resp
				out = append(out, t)
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// dimensionAnswers reads everyone's answers to the breakdown questions:
// the base counts of every column, and each tagged respondent's column.
func (s *Store) dimensionAnswers(ctx context.Context, surveyID uint, dims []dimension, in *Counts) error {
	in.Answers, in.Base = map[uint][]string{}, map[string]map[string]int{}
	if len(dims) == 0 {
		return nil
	}
	tagged := map[uint]bool{}
	for _, t := range in.Tags {
		tagged[t.Respondent] = true
	}
	keys := make([]string, len(dims))
	at := map[string]int{}
	for i, d := range dims {
		keys[i], at[d.Key] = d.Key, i
		in.Dimensions = append(in.Dimensions, d.Dimension)
		in.Base[d.Key] = map[string]int{}
	}
	rows, err := s.db.WithContext(ctx).Model(&surveys.Answer{}).Select("response_id, question_key, value").
		Where("survey_id = ? AND question_key IN ?", surveyID, keys).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	// Raw bytes, looked up without copying: this reads a row per person per
	// question, hundreds of thousands on a large consultation.
	var resp uint
	var key, value sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&resp, &key, &value); err != nil {
			return err
		}
		d := at[string(key)]
		col, ok := dims[d].column[string(value)]
		if !ok {
			continue
		}
		in.Base[dims[d].Key][col]++
		if tagged[resp] {
			ans := in.Answers[resp]
			if ans == nil {
				ans = make([]string, len(dims))
				in.Answers[resp] = ans
			}
			ans[d] = col
		}
	}
	return rows.Err()
}
