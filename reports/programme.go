package reports

import (
	"context"
	"errors"

	"codesign/programmes"
	"codesign/surveys"
	"codesign/workshops"
)

// A programme's findings add up its consultations and workshops. Nothing
// links a consultation or a workshop to a programme: a deployment runs one
// programme (programmes.Store.Current), and everything in it belongs to
// that programme. So its findings span every consultation that has gone
// to residents (not drafts) and every workshop not cancelled, and another
// programme's findings are not found.

// Programme returns the programme with id if it is the one this
// deployment runs, and ErrNotFound otherwise.
func (s *Store) Programme(ctx context.Context, id uint) (*programmes.Programme, error) {
	p, err := programmes.NewStore(s.db).Current(ctx)
	if errors.Is(err, programmes.ErrNotFound) || (err == nil && p.ID != id) {
		return nil, ErrNotFound
	}
	return p, err
}

// ProgrammeFindings counts p's consultations and workshops together. A
// response is one respondent, so distinct respondents are counted per
// consultation and added up: a person who answered two consultations
// counts twice. Coded workshop notes count by workshop, apart from people.
// Suppression is the same as for one consultation, and Consultations says
// how many answered each.
func (s *Store) ProgrammeFindings(ctx context.Context, p *programmes.Programme, unconfirmed bool) (*Findings, error) {
	cb, err := s.themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	svs, err := s.surveys.List(ctx, surveys.ListQuery{})
	if err != nil {
		return nil, err
	}
	var counted []surveys.Survey
	var parts []Counts
	for i := range svs {
		if svs[i].Status == surveys.Draft {
			continue
		}
		in, err := s.surveyCounts(ctx, &svs[i], unconfirmed)
		if err != nil {
			return nil, err
		}
		counted, parts = append(counted, svs[i]), append(parts, in)
	}
	in := addUp(counted, parts)
	events, err := s.workshopsWhere(ctx, func(workshops.Event) bool { return true })
	if err != nil {
		return nil, err
	}
	if err := s.addWorkshops(ctx, &in, events, unconfirmed); err != nil {
		return nil, err
	}
	return Tally(cb, in), nil
}

// addUp adds up the counts of several consultations as one. Response ids
// are unique across consultations, so tags and answers keep them. The
// breakdowns keep every question any of them asked, in the usual order,
// with the columns of each; people in a consultation that did not ask a
// question count as not answering it.
func addUp(svs []surveys.Survey, parts []Counts) Counts {
	out := Counts{Consultations: make([]Consultation, 0, len(parts)), Answers: map[uint][]string{}, Base: map[string]map[string]int{}}
	channel := map[string]int{}
	dims := map[string]*Dimension{}
	for i, in := range parts {
		out.Participants += in.Participants
		out.Consultations = append(out.Consultations, Consultation{Slug: svs[i].Slug, Title: svs[i].Title, N: in.Participants})
		for _, ch := range in.Channels {
			if at, ok := channel[ch.Key]; ok {
				out.Channels[at].N += ch.N
			} else {
				channel[ch.Key] = len(out.Channels)
				out.Channels = append(out.Channels, ch)
			}
		}
		out.Tags = append(out.Tags, in.Tags...)
		for _, d := range in.Dimensions {
			dims[d.Key] = withColumns(dims[d.Key], d)
		}
	}
	at := map[string]int{}
	for _, key := range dimensionKeys {
		if d, ok := dims[key]; ok {
			at[key] = len(out.Dimensions)
			out.Dimensions = append(out.Dimensions, *d)
			out.Base[key] = map[string]int{}
		}
	}
	for _, in := range parts {
		for key, cols := range in.Base {
			for col, n := range cols {
				out.Base[key][col] += n
			}
		}
		same := sameOrder(in.Dimensions, out.Dimensions)
		for resp, ans := range in.Answers {
			if same {
				out.Answers[resp] = ans // usually: every consultation asks the same questions
				continue
			}
			moved := make([]string, len(out.Dimensions))
			for d, col := range ans {
				moved[at[in.Dimensions[d].Key]] = col
			}
			out.Answers[resp] = moved
		}
	}
	return out
}

// sameOrder reports whether a and b are the same questions in the same order.
func sameOrder(a, b []Dimension) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key {
			return false
		}
	}
	return true
}

// withColumns adds to sum (nil at first) the columns of d it lacks, in
// order, and returns it.
func withColumns(sum *Dimension, d Dimension) *Dimension {
	if sum == nil {
		return &Dimension{Key: d.Key, Label: d.Label, Columns: append([]Column(nil), d.Columns...)}
	}
	have := map[string]bool{}
	for _, c := range sum.Columns {
		have[c.Key] = true
	}
	for _, c := range d.Columns {
		if !have[c.Key] {
			sum.Columns = append(sum.Columns, c)
		}
	}
	return sum
}
