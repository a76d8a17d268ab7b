package panels

import (
	"context"
	"strconv"
)

// SmallNumber is how any count under 5 is shown, so that nobody in a
// small group can be picked out.
const SmallNumber = "fewer than 5"

// Count shows n, or "fewer than 5" when n is under 5.
func Count(n int) string {
	if n < 5 {
		return SmallNumber
	}
	return strconv.Itoa(n)
}

// RepRow compares members and applicants with one target.
type RepRow struct {
	Dimension, Value string // labels
	Target           int
	Members          string // already suppressed
	Applicants       string
	Met              bool
}

// Representation compares a panel's current members (active or paused) and
// its open applicants with its diversity targets. Counts come back already
// suppressed, so no page can show a small number by mistake.
func (s *Store) Representation(ctx context.Context, panelID uint) ([]RepRow, error) {
	p, err := s.Get(ctx, panelID)
	if err != nil {
		return nil, err
	}
	var members, applicants []Application
	err = s.db.WithContext(ctx).Select("panel_applications.age_band, panel_applications.ethnicity, panel_applications.locality, panel_applications.lived_experience").
		Joins("JOIN panel_members ON panel_members.application_id = panel_applications.id").
		Where("panel_members.panel_id = ? AND panel_members.status IN ? AND panel_members.erased_at IS NULL", panelID, []MemberStatus{Active, Paused}).
		Find(&members).Error
	if err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Select("age_band, ethnicity, locality, lived_experience").
		Where("panel_id = ? AND status NOT IN ? AND erased_at IS NULL", panelID, []Status{Accepted, Declined}).Find(&applicants).Error
	if err != nil {
		return nil, err
	}
	var out []RepRow
	for _, t := range p.DiversityTargets() {
		m := countWith(members, t)
		out = append(out, RepRow{Dimension: DimensionLabels[t.Dimension], Value: Label(Dimensions[t.Dimension], t.Value),
			Target: t.Min, Members: Count(m), Applicants: Count(countWith(applicants, t)), Met: m >= t.Min})
	}
	return out, nil
}

func countWith(apps []Application, t Target) int {
	n := 0
	for _, a := range apps {
		switch t.Dimension {
		case "age_band":
			n += b2i(a.AgeBand == t.Value)
		case "ethnicity":
			n += b2i(a.Ethnicity == t.Value)
		case "locality":
			n += b2i(a.Locality == t.Value)
		case "lived_experience":
			for _, k := range a.Areas() {
				n += b2i(k == t.Value)
			}
		}
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
