package reports

import (
	"context"
	"errors"
	"slices"
	"strings"

	"codesign/surveys"

	"gorm.io/gorm"
)

// Results is a published version as residents read it: the version's
// findings, quotes and commitments, with each commitment's status and
// updates as they are now.
type Results struct {
	ReportID    uint
	Publication Publication
	Commitments []LiveCommitment
}

// LiveCommitment is a published commitment with its current status and
// its log.
type LiveCommitment struct {
	PublishedCommitment
	Updates []Update
}

// Published returns the latest published version of a survey's results.
// Before the first publish it is ErrNotFound.
func (s *Store) Published(ctx context.Context, slug string) (*Results, error) {
	sv, err := s.surveys.BySlug(ctx, slug)
	if errors.Is(err, surveys.ErrNotFound) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	var p Publication
	err = s.db.WithContext(ctx).Joins("JOIN report_reports r ON r.id = report_publications.report_id").
		Where("r.survey_id = ?", sv.ID).Order("report_publications.version DESC").Limit(1).Take(&p).Error
	if err != nil {
		return nil, notFound(err)
	}
	return s.results(ctx, p, true)
}

// AsPublished returns one version of a report as it was published, with
// the statuses of that day, for staff reading old versions.
func (s *Store) AsPublished(ctx context.Context, reportID uint, version int) (*Results, error) {
	p, err := s.Version(ctx, reportID, version)
	if err != nil {
		return nil, err
	}
	return s.results(ctx, *p, false)
}

func (s *Store) results(ctx context.Context, p Publication, live bool) (*Results, error) {
	res := &Results{ReportID: p.ReportID, Publication: p}
	for _, c := range p.Snapshot.Commitments {
		res.Commitments = append(res.Commitments, LiveCommitment{PublishedCommitment: c})
	}
	if !live {
		return res, nil
	}
	if err := s.liven(s.db.WithContext(ctx), res.Commitments); err != nil {
		return nil, err
	}
	return res, nil
}

// liven fills in each commitment's current status, reason and updates.
func (s *Store) liven(db *gorm.DB, lcs []LiveCommitment) error {
	if len(lcs) == 0 {
		return nil
	}
	ids := make([]uint, len(lcs))
	for i, c := range lcs {
		ids[i] = c.ID
	}
	var cs []Commitment
	if err := db.Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return err
	}
	if err := s.withUpdates(db, cs); err != nil {
		return err
	}
	byID := map[uint]Commitment{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	for i := range lcs {
		if c, ok := byID[lcs[i].ID]; ok {
			lcs[i].Status, lcs[i].Reason, lcs[i].Updates = c.Status, c.Reason, c.Updates
		}
	}
	return nil
}

// latest returns the newest version of every published report.
func (s *Store) latest(ctx context.Context) ([]Publication, error) {
	var ps []Publication
	err := s.db.WithContext(ctx).
		Where("version = (SELECT MAX(q.version) FROM report_publications q WHERE q.report_id = report_publications.report_id)").
		Order("published_at DESC").Find(&ps).Error
	return ps, err
}

// LatestVersions returns the newest published version of each report, by
// report id.
func (s *Store) LatestVersions(ctx context.Context) (map[uint]Publication, error) {
	ps, err := s.latest(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint]Publication, len(ps))
	for _, p := range ps {
		out[p.ReportID] = p
	}
	return out, nil
}

// Listed is one published report in the list residents see.
type Listed struct {
	Slug, Title, Summary string
	Publication          Publication
	Commitments          int
}

// PublishedList lists every published report, most recently published
// first.
func (s *Store) PublishedList(ctx context.Context) ([]Listed, error) {
	ps, err := s.latest(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Listed, len(ps))
	for i, p := range ps {
		out[i] = Listed{Slug: p.Snapshot.Survey.Slug, Title: p.Snapshot.Title, Summary: p.Snapshot.Survey.Summary, Publication: p,
			Commitments: len(p.Snapshot.Commitments)}
	}
	return out, nil
}

// TrackerFilter narrows the tracker of commitments.
type TrackerFilter struct {
	Theme  string // a theme or code key
	Owner  string // an organisation
	Status CommitmentStatus
}

// Tracked is a published commitment with the results it belongs to.
type Tracked struct {
	LiveCommitment
	Slug, Title string
}

// Tracker is every published commitment across consultations that
// matches the filter, with the owners there are to filter by.
type Tracker struct {
	Commitments []Tracked
	Owners      []string
	Themes      []string // theme keys in use
	Total       int      // before filtering
}

// Track lists the published commitments of every report, with their live
// status, filtered by theme, owner and status.
func (s *Store) Track(ctx context.Context, f TrackerFilter) (*Tracker, error) {
	ps, err := s.latest(ctx)
	if err != nil {
		return nil, err
	}
	var all []Tracked
	for _, p := range ps {
		for _, c := range p.Snapshot.Commitments {
			all = append(all, Tracked{LiveCommitment: LiveCommitment{PublishedCommitment: c}, Slug: p.Snapshot.Survey.Slug, Title: p.Snapshot.Title})
		}
	}
	lcs := make([]LiveCommitment, len(all))
	for i := range all {
		lcs[i] = all[i].LiveCommitment
	}
	if err := s.liven(s.db.WithContext(ctx), lcs); err != nil {
		return nil, err
	}
	t := &Tracker{Total: len(all)}
	for i := range all {
		all[i].LiveCommitment = lcs[i]
		c := all[i]
		t.Owners = appendNew(t.Owners, c.OwnerOrg)
		for _, th := range c.Themes {
			t.Themes = appendNew(t.Themes, th)
		}
		if f.Owner != "" && !strings.EqualFold(c.OwnerOrg, f.Owner) || f.Status != "" && c.Status != f.Status ||
			f.Theme != "" && !slices.Contains(c.Themes, f.Theme) && !slices.Contains(c.Codes, f.Theme) {
			continue
		}
		t.Commitments = append(t.Commitments, c)
	}
	slices.Sort(t.Owners)
	return t, nil
}
