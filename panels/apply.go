package panels

import (
	"context"
	"errors"
	"strings"

	"codesign/audit"
	"codesign/errs"
	"codesign/messages"

	"gorm.io/gorm"
)

// ErrClosed means the panel is not taking applications.
var ErrClosed = &errs.Conflict{Message: "This panel is not taking applications at the moment."}

func errDuplicate() error {
	f := &errs.Fields{}
	f.Add("email", "We already have an application from this email address for this panel. We will be in touch about it; you do not need to apply again.")
	return f
}

// Apply stores a resident's application and its acknowledgement message in
// one transaction. One email address applies once per panel: the check is
// for a clear message, the unique index is what guarantees it.
func (s *Store) Apply(ctx context.Context, panelID uint, in Apply) (*Application, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var a *Application
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Panel
		if err := tx.Take(&p, panelID).Error; err != nil {
			return notFound(err)
		}
		if prev, err := byIdempotencyKey(tx, panelID, in.IdempotencyKey); err == nil {
			a = prev
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if !p.Recruiting(s.now()) {
			return ErrClosed
		}
		var n int64
		if err := tx.Model(&Application{}).Where("panel_id = ? AND email = ?", panelID, in.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errDuplicate()
		}
		a = newApplication(panelID, in)
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		return s.enqueue(ctx, tx, a.Email, "panel_application", ref("application", a.ID),
			"We have your application to "+p.Name, acknowledgement(a, &p))
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// The unique index caught a repeat the lookups missed: a double
		// submission of one form returns the first; anything else is a
		// second application from the same address.
		if prev, err := byIdempotencyKey(s.db.WithContext(ctx), panelID, in.IdempotencyKey); err == nil {
			return prev, nil
		}
		return nil, errDuplicate()
	}
	return a, err
}

// byIdempotencyKey finds the application a form with key already made.
func byIdempotencyKey(tx *gorm.DB, panelID uint, key string) (*Application, error) {
	if key == "" {
		return nil, ErrNotFound
	}
	var a Application
	if err := tx.Omit("statement").Where("panel_id = ? AND idempotency_key = ?", panelID, key).Take(&a).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

func newApplication(panelID uint, in Apply) *Application {
	var key *string
	if in.IdempotencyKey != "" {
		k := in.IdempotencyKey
		key = &k
	}
	return &Application{IdempotencyKey: key, ConsentText: in.consentText(), PanelID: panelID, Status: Received, Name: in.Name, Email: in.Email, Phone: strings.TrimSpace(in.Phone),
		LivedExperience: strings.Join(in.LivedExperience, ","), Statement: strings.TrimSpace(in.Statement),
		Availability: strings.TrimSpace(in.Availability), AccessNeeds: strings.TrimSpace(in.AccessNeeds),
		PaymentPreference: in.PaymentPreference, AgeBand: in.AgeBand, Ethnicity: in.Ethnicity, Locality: in.Locality,
		ConsentStore: in.ConsentStore, ConsentAnalysis: in.ConsentAnalysis}
}

func acknowledgement(a *Application, p *Panel) string {
	return "Dear " + a.Name + ",\n\nThank you for applying to join " + p.Name + ". We have your application and a member of the " +
		"team will read it. We will tell you what happens next, whatever the decision, within four weeks.\n\n" +
		"If anything changes, or you need information in another format, reply to this message.\n\n" +
		"If you need help now, call Samaritans free on 116 123, any time."
}

// enqueue stores a message in the outbox inside tx, when there is an outbox.
func (s *Store) enqueue(ctx context.Context, tx *gorm.DB, to, kind, about, subject, body string) error {
	if s.msgs == nil || to == "" {
		return nil
	}
	return s.msgs.Enqueue(ctx, tx, &messages.Message{To: to, Kind: kind, Ref: about, Subject: subject, Body: body})
}

// Applications lists a panel's applications, oldest first, without
// opening any statement (so nothing here is audited).
func (s *Store) Applications(ctx context.Context, panelID uint) ([]Application, error) {
	var out []Application
	err := s.db.WithContext(ctx).Omit("statement").Where("panel_id = ? AND erased_at IS NULL", panelID).
		Order("created_at, id").Find(&out).Error
	return out, err
}

// Application returns one application without its statement, for staff
// who may see that someone applied but not what they wrote.
func (s *Store) Application(ctx context.Context, id uint) (*Application, error) {
	var a Application
	if err := s.db.WithContext(ctx).Omit("statement").Take(&a, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// Notes lists the staff notes on an application, oldest first.
func (s *Store) Notes(ctx context.Context, applicationID uint) ([]Note, error) {
	var out []Note
	err := s.db.WithContext(ctx).Where("application_id = ?", applicationID).Order("created_at, id").Find(&out).Error
	return out, err
}

// ViewApplication returns one application with its statement, and records
// in the audit log that actor read it.
func (s *Store) ViewApplication(ctx context.Context, actor *uint, id uint) (*Application, []Note, error) {
	var a Application
	var notes []Note
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&a, id).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Where("application_id = ?", id).Order("created_at, id").Find(&notes).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "panel_application.view_statement", Target: ref("application", id)})
	})
	if err != nil {
		return nil, nil, err
	}
	return &a, notes, nil
}

// AddNote adds a staff-only note to an application.
func (s *Store) AddNote(ctx context.Context, actor *uint, applicationID uint, body string) error {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 5000 {
		f := &errs.Fields{}
		f.Add("note", "Enter a note of 5,000 characters or fewer")
		return f
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Application
		if err := tx.Take(&a, applicationID).Error; err != nil {
			return notFound(err)
		}
		return tx.Create(&Note{ApplicationID: applicationID, AuthorID: actor, Body: body}).Error
	})
}

// StatementsForAnalysis returns the statements whose applicants consented
// to their use in coding and reports, without names or contact details.
// Nothing else in codesign may read statements for analysis.
func (s *Store) StatementsForAnalysis(ctx context.Context, panelID uint) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Model(&Application{}).
		Where("panel_id = ? AND consent_analysis = ? AND erased_at IS NULL AND statement <> ''", panelID, true).
		Order("id").Pluck("statement", &out).Error
	return out, err
}
