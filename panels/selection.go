package panels

import (
	"context"
	"errors"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// next lists the decisions open from each state. Accepted and declined are
// final: a declined applicant applies again to a later panel.
var next = map[Status][]Status{
	Received:    {Shortlisted, Invited, Accepted, Waiting, Declined},
	Shortlisted: {Invited, Accepted, Waiting, Declined},
	Invited:     {Accepted, Waiting, Declined},
	Waiting:     {Invited, Accepted, Declined},
}

// CanMove reports whether an application in from may be moved to to.
func CanMove(from, to Status) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next returns the decisions open to staff for an application in s.
func Next(s Status) []Status { return next[s] }

// Decision is a member of staff's decision on an application.
type Decision struct {
	To Status
	// Reason is why an application was declined, for staff only.
	Reason string
	// Message is the kind message sent to the applicant; a default is
	// used when empty, except on decline where it must be written.
	Message string
	// TermStart starts an accepted member's term; zero means today.
	TermStart time.Time
}

func (d *Decision) validate() error {
	f := &errs.Fields{}
	if d.To == Declined {
		if strings.TrimSpace(d.Reason) == "" {
			f.Add("reason", "Enter the reason for declining, for the team's records")
		}
		if strings.TrimSpace(d.Message) == "" {
			f.Add("message", "Write a kind message to the applicant explaining the decision")
		}
	}
	if len(d.Reason) > 2000 || len(d.Message) > 5000 {
		f.Add("message", "The message must be 5,000 characters or fewer")
	}
	return f.Err()
}

// Decided is what Decide did: the member created on acceptance, and their
// private link token (shown once, stored only as a hash).
type Decided struct {
	Application *Application
	Member      *Member
	Token       string
}

// Decide moves an application to d.To, stores the decision, messages the
// applicant and, on acceptance, makes them a member: all in one transaction.
func (s *Store) Decide(ctx context.Context, actor *uint, applicationID uint, d Decision) (*Decided, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	out := &Decided{}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Application
		if err := lockRow(tx, &a, applicationID); err != nil {
			return err
		}
		if a.ErasedAt != nil || !CanMove(a.Status, d.To) {
			return &errs.Conflict{Message: "This application is " + strings.ToLower(a.Status.Label()) + ", so it cannot be moved to " + strings.ToLower(d.To.Label()) + "."}
		}
		var p Panel
		if err := tx.Take(&p, a.PanelID).Error; err != nil {
			return notFound(err)
		}
		now := s.now()
		a.Status, a.DecidedBy, a.DecidedAt = d.To, actor, &now
		if d.To == Declined {
			a.DeclineReason = strings.TrimSpace(d.Reason)
		}
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		out.Application = &a
		if d.To == Accepted {
			if err := s.admit(tx, &a, &p, d.TermStart, out); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_application.decide", Target: ref("application", a.ID), Detail: string(d.To)}); err != nil {
			return err
		}
		if d.To == Shortlisted {
			return nil // an internal step: the applicant hears at the next decision
		}
		return s.enqueue(ctx, tx, a.Email, "panel_decision", ref("application", a.ID), "Your application to "+p.Name, s.decisionBody(&a, &p, d, out.Token))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// admit creates the member for an accepted application.
func (s *Store) admit(tx *gorm.DB, a *Application, p *Panel, start time.Time, out *Decided) error {
	if start.IsZero() {
		start = s.now()
	}
	token := accounts.NewSecret(32)
	hash := accounts.HashSecret(token)
	id := a.ID
	m := &Member{PanelID: p.ID, ApplicationID: &id, Status: Active, Name: a.Name, Email: a.Email, Phone: a.Phone,
		PreferredContact: "email", AccessNeeds: a.AccessNeeds, PaymentPreference: a.PaymentPreference,
		TermStart: start.UTC(), TermEnd: start.UTC().AddDate(0, p.TermMonths, 0), TokenHash: &hash}
	if err := tx.Create(m).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return errAlreadyMember
		}
		return err
	}
	out.Member, out.Token = m, token
	return nil
}

var errAlreadyMember = &errs.Conflict{Message: "This person is already a member of the panel."}

func (s *Store) decisionBody(a *Application, p *Panel, d Decision, token string) string {
	if strings.TrimSpace(d.Message) != "" {
		body := "Dear " + a.Name + ",\n\n" + strings.TrimSpace(d.Message)
		if token != "" {
			body += "\n\nYour private page for sessions and payments: " + s.opts.BaseURL + "/panel-member/" + token
		}
		return body
	}
	switch d.To {
	case Accepted:
		return "Dear " + a.Name + ",\n\nWe are delighted to offer you a place on " + p.Name + ". We will be in touch about your first session.\n\n" +
			"Your private page shows your sessions and payments. Keep this link to yourself:\n" + s.opts.BaseURL + "/panel-member/" + token
	case Invited:
		return "Dear " + a.Name + ",\n\nThank you for applying to " + p.Name + ". We would like to invite you to an informal conversation, " +
			"so you can ask us questions and we can get to know you. We will contact you to find a time that suits you."
	case Waiting:
		return "Dear " + a.Name + ",\n\nThank you for applying to " + p.Name + ". All the places are filled for now, and we have put you " +
			"on the waiting list. We will contact you if a place comes up."
	}
	return "Dear " + a.Name + ",\n\nThank you for applying to " + p.Name + ". We are still reading applications and will be in touch soon."
}
