package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"codesign/config"
	"codesign/messages"
	"codesign/panels"
	"codesign/privacy"
	"codesign/surveys"
	"codesign/workshops"

	"gorm.io/gorm"
)

// workshopStores builds the outbox and the workshops store from the
// config, for the app and for the background jobs alike.
func workshopStores(db *gorm.DB, cfg config.Config) (*messages.Store, *workshops.Store) {
	msgs := messages.NewStore(db)
	return msgs, workshops.NewStore(db, msgs, workshops.Options{BaseURL: cfg.Server.BaseURL})
}

// panelStore builds the panels store with the deployment's payment rules.
func panelStore(db *gorm.DB, msgs *messages.Store, cfg config.Config) *panels.Store {
	return panels.NewStore(db, msgs, panels.Options{BaseURL: cfg.Server.BaseURL,
		WarnAbovePence: int64(cfg.Panels.BenefitsWarningPounds) * 100, PaymentRetentionYears: cfg.Panels.PaymentRetentionYears})
}

// jobInterval is how often the background jobs run. Every instance runs
// them: leases and unique marks keep the work from being done twice.
const jobInterval = 30 * time.Second

// jobs delivers the outbox, queues workshop reminders and applies the
// retention period until ctx ends.
func (s *server) jobs(ctx context.Context) {
	msgs, ws := workshopStores(s.db, s.cfg)
	sv := surveys.NewStore(s.db)
	pn := panelStore(s.db, msgs, s.cfg)
	sender := messages.NewSMTPSender(messages.SMTPConfig{Host: s.cfg.SMTP.Host, Port: s.cfg.SMTP.Port,
		Username: s.cfg.SMTP.Username, Password: s.cfg.SMTP.Password, From: s.cfg.SMTP.From})
	keep := time.Duration(s.cfg.Workshops.RetentionDays) * 24 * time.Hour
	t := time.NewTicker(jobInterval)
	defer t.Stop()
	for {
		// Risk first, and before delivery, so the duty contact's notice goes
		// out in this same round: a disclosure reaches a person within a
		// minute of being sent.
		if err := s.screenNewText(ctx); err != nil {
			logJobError("screening new text for risk", err)
		}
		// Reminders next, so they go out in this same round too.
		if _, err := ws.SendReminders(ctx, s.cfg.Workshops.Reminders); err != nil {
			logJobError("queueing workshop reminders", err)
		}
		if _, err := msgs.Deliver(ctx, sender, time.Now()); err != nil {
			logJobError("delivering messages", err)
		}
		if _, err := ws.Anonymise(ctx, keep); err != nil {
			logJobError("applying workshop retention", err)
		}
		// The learned model first, so new text is coded with the newest;
		// a retrain runs on its own goroutine.
		if err := s.learnFromDecisions(ctx); err != nil {
			logJobError("keeping the learned model current", err)
		}
		if err := s.codeNewText(ctx); err != nil {
			logJobError("coding new text", err)
		}
		if _, err := pn.AnonymisePayments(ctx); err != nil {
			logJobError("applying panel payment retention", err)
		}
		// Unfinished survey answers are not kept once their survey closes.
		if _, err := sv.PurgeDrafts(ctx); err != nil {
			logJobError("deleting expired survey drafts", err)
		}
		// Retention across every kind of personal data, once a day per
		// deployment (a lease in the settings table), audited by kind.
		if _, err := privacy.New(s.db, privacy.Policy{SurveyContactDays: s.cfg.Retention.SurveyContactDays, WorkshopDays: s.cfg.Workshops.RetentionDays,
			ApplicationDays: s.cfg.Retention.ApplicationDays, MemberDays: s.cfg.Retention.MemberDays, MessageDays: s.cfg.Retention.MessageDays},
			nil).ApplyDaily(ctx); err != nil {
			logJobError("applying retention", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func logJobError(what string, err error) {
	if !errors.Is(err, context.Canceled) {
		slog.Warn(what, "err", err)
	}
}
