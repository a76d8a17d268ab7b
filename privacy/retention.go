package privacy

import (
	"context"
	"fmt"
	"time"

	"codesign/audit"

	"gorm.io/gorm"
)

// KindReport is what retention would remove, or removed, of one kind of
// personal data.
type KindReport struct {
	Kind  string `json:"kind"`
	Label string `json:"label"` // "Contact details given in survey answers"
	Rule  string `json:"rule"`  // when it goes, in words
	Unit  string `json:"unit"`  // what Count counts: "answers"
	Count int64  `json:"count"`
}

// Amount is the count with its unit: "1 answer", "3 answers".
func (k KindReport) Amount() string { return plural(k.Count, singular(k.Unit), k.Unit) }

// RetentionReport is a dry run (what would be removed now) or the result
// of Apply (what was), kind by kind.
type RetentionReport struct {
	At      time.Time    `json:"at"`
	Policy  Policy       `json:"policy"`
	Applied bool         `json:"applied"`
	Kinds   []KindReport `json:"kinds"`
}

// Total is how many records the report counts in all.
func (r *RetentionReport) Total() int64 {
	var n int64
	for _, k := range r.Kinds {
		n += k.Count
	}
	return n
}

// kind is one retention rule: how to count what is due, and how to remove
// it inside a transaction.
type kind struct {
	KindReport
	count  func(ctx context.Context) (int64, error)
	remove func(ctx context.Context, tx *gorm.DB) (int64, error)
}

func (s *Service) days(n int) time.Time { return s.now().AddDate(0, 0, -n) }

// kinds lists the rules in the order they are shown and applied.
func (s *Service) kinds() []kind {
	p := s.policy
	return []kind{
		{KindReport{Kind: "survey_contacts", Label: "Contact details given in survey answers", Unit: "answers",
			Rule: fmt.Sprintf("Deleted %d days after the survey closes; the rest of each response stays, linked to nobody.", p.SurveyContactDays)},
			func(ctx context.Context) (int64, error) {
				return s.surveys.ContactAnswersClosedBefore(ctx, nil, s.days(p.SurveyContactDays))
			},
			func(ctx context.Context, tx *gorm.DB) (int64, error) {
				return s.surveys.DeleteContactAnswersClosedBefore(ctx, tx, s.days(p.SurveyContactDays))
			}},
		{KindReport{Kind: "survey_drafts", Label: "Unfinished survey answers (drafts)", Unit: "drafts",
			Rule: "Deleted when their survey closes or their link expires."},
			func(ctx context.Context) (int64, error) { return s.surveys.ExpiredDrafts(ctx, nil) },
			func(ctx context.Context, tx *gorm.DB) (int64, error) { return s.surveys.DeleteExpiredDrafts(ctx, tx) }},
		{KindReport{Kind: "workshop_attendees", Label: "Workshop attendees' names, contact details and notes", Unit: "bookings",
			Rule: fmt.Sprintf("Removed %d days after the workshop ends; statuses and access needs stay, so counts still add up.", p.WorkshopDays)},
			func(ctx context.Context) (int64, error) {
				_, n, err := s.workshops.AnonymiseDue(ctx, nil, days(p.WorkshopDays))
				return n, err
			},
			func(ctx context.Context, tx *gorm.DB) (int64, error) {
				_, n, err := s.workshops.AnonymiseEnded(ctx, tx, days(p.WorkshopDays))
				return n, err
			}},
		{KindReport{Kind: "panel_applications", Label: "Panel applications not taken forward", Unit: "applications",
			Rule: fmt.Sprintf("Deleted %d days after the panel's recruitment closes.", p.ApplicationDays)},
			func(ctx context.Context) (int64, error) {
				ids, err := s.panels.ApplicationsNotTakenForward(ctx, nil, s.days(p.ApplicationDays))
				return int64(len(ids)), err
			},
			func(ctx context.Context, tx *gorm.DB) (int64, error) {
				ids, err := s.panels.ApplicationsNotTakenForward(ctx, tx, s.days(p.ApplicationDays))
				if err != nil {
					return 0, err
				}
				did, err := s.panels.ErasePeople(ctx, tx, ids, nil)
				return did.Applications, err
			}},
		{KindReport{Kind: "panel_members", Label: "Panel members who have left", Unit: "members",
			Rule: fmt.Sprintf("Deleted %d days after they leave, once every payment to them is made; payments stay as amounts.", p.MemberDays)},
			func(ctx context.Context) (int64, error) {
				ids, err := s.panels.MembersLeftBefore(ctx, nil, s.days(p.MemberDays))
				return int64(len(ids)), err
			},
			func(ctx context.Context, tx *gorm.DB) (int64, error) {
				ids, err := s.panels.MembersLeftBefore(ctx, tx, s.days(p.MemberDays))
				if err != nil {
					return 0, err
				}
				did, err := s.panels.ErasePeople(ctx, tx, nil, ids)
				return did.Members, err
			}},
		{KindReport{Kind: "messages", Label: "Messages sent from the outbox", Unit: "messages",
			Rule: fmt.Sprintf("Deleted %d days after they are sent or passed on by staff; messages still waiting stay.", p.MessageDays)},
			func(ctx context.Context) (int64, error) {
				return s.messages.DoneBefore(ctx, nil, s.days(p.MessageDays))
			},
			func(ctx context.Context, tx *gorm.DB) (int64, error) {
				return s.messages.DeleteDoneBefore(ctx, tx, s.days(p.MessageDays))
			}},
	}
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Retention is the dry run: what Apply would remove now, kind by kind.
// It changes nothing.
func (s *Service) Retention(ctx context.Context) (*RetentionReport, error) {
	out := &RetentionReport{At: s.now(), Policy: s.policy}
	for _, k := range s.kinds() {
		n, err := k.count(ctx)
		if err != nil {
			return nil, fmt.Errorf("counting %s: %w", k.Kind, err)
		}
		k.KindReport.Count = n
		out.Kinds = append(out.Kinds, k.KindReport)
	}
	return out, nil
}

// Apply removes what retention says has been kept long enough. Each kind
// goes in a transaction of its own with its audit entry, so a run that is
// cut short leaves every kind either done or untouched, never half done,
// and the next run finishes the rest. It returns what it removed, up to any
// failure.
func (s *Service) Apply(ctx context.Context, actor *uint) (*RetentionReport, error) {
	out := &RetentionReport{At: s.now(), Policy: s.policy, Applied: true}
	for _, k := range s.kinds() {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var n int64
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := secureDelete(tx); err != nil {
				return err
			}
			var err error
			if n, err = k.remove(ctx, tx); err != nil || n == 0 {
				return err
			}
			return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "retention.apply", Target: "retention:" + k.Kind,
				Detail: fmt.Sprintf("retention: %s removed (%s). %s", plural(n, singular(k.Unit), k.Unit), k.Label, k.Rule)})
		})
		if err != nil {
			return out, fmt.Errorf("applying retention to %s: %w", k.Kind, err)
		}
		k.KindReport.Count = n
		out.Kinds = append(out.Kinds, k.KindReport)
	}
	return out, nil
}

// singular turns a unit ("answers") into its singular ("answer").
func singular(unit string) string {
	if len(unit) > 1 && unit[len(unit)-1] == 's' {
		return unit[:len(unit)-1]
	}
	return unit
}
