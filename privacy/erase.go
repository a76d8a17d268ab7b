package privacy

import (
	"context"
	"encoding/json"
	"io"

	"codesign/audit"
	"codesign/reports"

	"gorm.io/gorm"
)

// What erasure means for each kind, and what stays right afterwards:
//
//   - A survey response is the person's own data: it is deleted whole, with
//     every answer, the safeguarding items and actions about it, the
//     passages coded from it and any quote of it (from the draft report and
//     from published versions). Response counts drop by one; everyone
//     else's responses and the counts published in reports stay as they
//     were.
//   - A workshop booking of a workshop still to come is deleted and its
//     place goes to the first person waiting. One of a workshop that has
//     ended keeps only its status and access-need keys, as retention
//     leaves it, so attendance counts and access-need totals stay correct.
//   - A panel application and membership are deleted with staff notes,
//     review links and comments; payments stay as amounts linked to nobody,
//     so the panel's totals and finance records stay correct.
//   - Messages to the person, or about their bookings and panel records,
//     are deleted.
//
// The audit log records counts, never who.

// Erasure says what Erase removed.
type Erasure struct {
	Subject Subject
	// Found is false when nothing was held: then nothing changed.
	Found bool
	// Related are other contact details the erased records held, for the
	// admin to search in turn (see Report.Related).
	Related             []Subject
	Responses           int64
	Drafts              int64
	SafeguardingItems   int64
	SafeguardingActions int64
	Passages            int64
	Quotes              int64
	PublishedQuotes     int
	BookingsDeleted     int
	BookingsAnonymised  int
	Applications        int64
	Members             int64
	Comments            int64
	PaymentsKept        int64
	Messages            int64
}

// Summary says in words what was erased, naming no one.
func (e *Erasure) Summary() string {
	if !e.Found {
		return "nothing found"
	}
	var parts []string
	add := func(n int64, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(e.Responses, "survey response", "survey responses")
	add(e.Drafts, "survey draft", "survey drafts")
	add(e.SafeguardingItems, "safeguarding item", "safeguarding items")
	add(e.SafeguardingActions, "safeguarding action", "safeguarding actions")
	add(e.Passages, "coded passage", "coded passages")
	add(e.Quotes, "quote in a draft report", "quotes in draft reports")
	add(int64(e.PublishedQuotes), "quote in published results", "quotes in published results")
	add(int64(e.BookingsDeleted), "workshop booking deleted", "workshop bookings deleted")
	add(int64(e.BookingsAnonymised), "past workshop booking kept as an anonymous count", "past workshop bookings kept as anonymous counts")
	add(e.Applications, "panel application", "panel applications")
	add(e.Members, "panel membership", "panel memberships")
	add(e.Comments, "review comment", "review comments")
	add(e.PaymentsKept, "payment kept without a name", "payments kept without a name")
	add(e.Messages, "message", "messages")
	return join(parts)
}

// Erase deletes everything held about subj in one transaction, so that an
// interruption leaves all of it or none of it, and records the counts in
// the audit log as actor. An unknown person is an Erasure with Found false,
// also audited.
func (s *Service) Erase(ctx context.Context, actor *uint, subj Subject) (*Erasure, error) {
	out := &Erasure{Subject: subj}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := secureDelete(tx); err != nil {
			return err
		}
		r, err := s.find(ctx, tx, subj, false)
		if err != nil {
			return err
		}
		out.Found, out.Related = !r.Empty(), r.Related
		if out.Found {
			if err := s.erase(ctx, tx, r, out); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "privacy.erase", Target: "subject:" + string(subj.Kind),
			Detail: "erasure: " + out.Summary()})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) erase(ctx context.Context, tx *gorm.DB, r *Report, out *Erasure) error {
	var err error
	if out.Messages, err = s.messages.Erase(ctx, tx, ids(r.Messages, func(m MessageRecord) uint { return m.ID })); err != nil {
		return err
	}
	items := ids(r.Safeguarding, func(it SafeguardingRecord) uint { return it.ID })
	if out.SafeguardingItems, out.SafeguardingActions, err = s.safeguarding.EraseItems(ctx, tx, items); err != nil {
		return err
	}
	if out.Passages, err = s.themes.ErasePassages(ctx, tx, ids(r.Passages, func(p PassageRecord) uint { return p.ID })); err != nil {
		return err
	}
	quotes := make([]reports.Quote, len(r.Quotes))
	for i, x := range r.Quotes {
		quotes[i] = reports.Quote{ID: x.ID, ReportID: x.ReportID, Text: x.Text}
	}
	q, err := s.reports.EraseQuotes(ctx, tx, quotes)
	if err != nil {
		return err
	}
	out.Quotes, out.PublishedQuotes = q.Quotes, q.Published
	if out.Responses, err = s.surveys.EraseResponses(ctx, tx, ids(r.Responses, func(x ResponseRecord) uint { return x.ID })); err != nil {
		return err
	}
	if out.Drafts, err = s.surveys.EraseDrafts(ctx, tx, ids(r.Drafts, func(d DraftRecord) uint { return d.ID })); err != nil {
		return err
	}
	b, err := s.workshops.EraseBookings(ctx, tx, ids(r.Bookings, func(b BookingRecord) uint { return b.ID }))
	if err != nil {
		return err
	}
	out.BookingsDeleted, out.BookingsAnonymised = b.Deleted, b.Anonymised
	p, err := s.panels.ErasePeople(ctx, tx, ids(r.Applications, func(a ApplicationRecord) uint { return a.ID }),
		ids(r.Members, func(m MemberRecord) uint { return m.ID }))
	out.Applications, out.Members, out.Comments, out.PaymentsKept = p.Applications, p.Members, p.Comments, p.Payments
	return err
}

func ids[T any](list []T, id func(T) uint) []uint {
	out := make([]uint, len(list))
	for i, x := range list {
		out[i] = id(x)
	}
	return out
}

// Search is Find for an admin: the look is recorded in the audit log with
// counts, since the admin then sees the person's data.
func (s *Service) Search(ctx context.Context, actor *uint, subj Subject) (*Report, error) {
	r, err := s.Find(ctx, subj)
	if err != nil {
		return nil, err
	}
	return r, audit.Record(ctx, s.db, audit.Event{ActorUserID: actor, Action: "privacy.search", Target: "subject:" + string(subj.Kind),
		Detail: "found: " + r.Summary()})
}

// Access writes everything held about subj to w as indented JSON, for an
// access request, and records the download in the audit log. Without
// safeguarding (the downloader lacks the permission) flagged words and the
// notes about them are withheld, as in every other download.
func (s *Service) Access(ctx context.Context, actor *uint, subj Subject, safeguarding bool, w io.Writer) (*Report, error) {
	r, err := s.Find(ctx, subj)
	if err != nil {
		return nil, err
	}
	detail := "access request: " + r.Summary()
	if !safeguarding && len(r.Safeguarding) > 0 {
		r.WithholdSafeguarding()
		detail += " (flagged words withheld)"
	}
	if err := audit.Record(ctx, s.db, audit.Event{ActorUserID: actor, Action: "privacy.access", Target: "subject:" + string(subj.Kind),
		Detail: detail}); err != nil {
		return nil, err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return r, enc.Encode(r)
}
