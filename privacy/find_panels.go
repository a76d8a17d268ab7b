package privacy

import (
	"context"
	"strconv"
	"strings"

	"codesign/panels"

	"gorm.io/gorm"
)

// findPanels adds the person's applications and memberships to r, and
// returns the refs messages about them carry.
func (s *Service) findPanels(ctx context.Context, tx *gorm.DB, r *Report, full bool) ([]string, error) {
	apps, err := s.panels.ApplicationsMatching(ctx, tx, r.Subject.contact)
	if err != nil {
		return nil, err
	}
	members, err := s.panels.MembersMatching(ctx, tx, r.Subject.contact)
	if err != nil {
		return nil, err
	}
	name := s.panelNames(ctx, full)
	var refs []string
	for _, a := range apps {
		rec, err := s.applicationRecord(ctx, a, name, full)
		if err != nil {
			return nil, err
		}
		r.Applications = append(r.Applications, rec)
		refs = append(refs, a.Ref())
	}
	var ids []uint
	for _, m := range members {
		rec, err := s.memberRecord(ctx, tx, m, name, full)
		if err != nil {
			return nil, err
		}
		r.Members = append(r.Members, rec)
		refs = append(refs, m.Ref())
		ids = append(ids, m.ID)
	}
	r.Unsettled, err = s.panels.Unsettled(ctx, tx, ids)
	return refs, err
}

func (s *Service) panelNames(ctx context.Context, full bool) func(uint) string {
	seen := map[uint]string{}
	return func(id uint) string {
		if n, ok := seen[id]; ok {
			return n
		}
		n := "panel " + strconv.FormatUint(uint64(id), 10)
		if full {
			if p, err := s.panels.Get(ctx, id); err == nil {
				n = p.Name
			}
		}
		seen[id] = n
		return n
	}
}

func (s *Service) applicationRecord(ctx context.Context, a panels.Application, name func(uint) string, full bool) (ApplicationRecord, error) {
	rec := ApplicationRecord{ID: a.ID, Panel: name(a.PanelID), Status: string(a.Status), Name: a.Name, Email: a.Email, Phone: a.Phone,
		Statement: a.Statement, Availability: a.Availability, AccessNeeds: a.AccessNeeds,
		PaymentPreference: panels.Label(panels.PaymentPreferences, a.PaymentPreference), AgeBand: panels.Label(panels.AgeBands, a.AgeBand),
		Ethnicity: panels.Label(panels.Ethnicities, a.Ethnicity), Locality: panels.Label(panels.Localities, a.Locality),
		ConsentText: a.ConsentText, DeclineReason: a.DeclineReason, AppliedAt: a.CreatedAt}
	for _, k := range a.Areas() {
		rec.LivedExperience = append(rec.LivedExperience, panels.Label(panels.LivedExperienceAreas, k))
	}
	if !full {
		return rec, nil
	}
	notes, err := s.panels.Notes(ctx, a.ID)
	for _, n := range notes {
		rec.StaffNotes = append(rec.StaffNotes, n.Body)
	}
	return rec, err
}

func (s *Service) memberRecord(ctx context.Context, tx *gorm.DB, m panels.Member, name func(uint) string, full bool) (MemberRecord, error) {
	rec := MemberRecord{ID: m.ID, Panel: name(m.PanelID), Status: string(m.Status), Name: m.Name, Email: m.Email, Phone: m.Phone,
		PreferredContact: m.PreferredContact, AccessNeeds: m.AccessNeeds, PaymentPreference: panels.Label(panels.PaymentPreferences, m.PaymentPreference),
		TermStart: m.TermStart, TermEnd: m.TermEnd, LeftAt: m.LeftAt}
	if !full {
		return rec, nil
	}
	pays, err := s.panels.MemberPayments(ctx, m.ID)
	if err != nil {
		return rec, err
	}
	for _, p := range pays {
		rec.Payments = append(rec.Payments, PaymentRecord{Session: p.Session.Title, Date: p.Session.StartsAt, Minutes: p.Minutes,
			FeePence: p.FeePence, ExpensesPence: p.ExpensesPence, TotalPence: p.TotalPence, Status: string(p.Status), ReceiptNote: p.ReceiptNote})
	}
	rec.Comments, err = s.panels.ReviewComments(ctx, tx, m.ID)
	return rec, err
}

// plural writes "1 survey response" or "2 survey responses".
func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// join lists parts as people write them: "a, b and c".
func join(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
