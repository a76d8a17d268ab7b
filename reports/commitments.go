package reports

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// CommitmentStatus is how far a commitment has got.
type CommitmentStatus string

// Statuses of a commitment; NotPossible needs a reason.
const (
	Planned     CommitmentStatus = "planned"
	InProgress  CommitmentStatus = "in_progress"
	Done        CommitmentStatus = "done"
	NotPossible CommitmentStatus = "not_possible"
)

// CommitmentStatuses lists the statuses in the order forms offer them.
var CommitmentStatuses = []CommitmentStatus{Planned, InProgress, Done, NotPossible}

// Valid reports whether s is a known status.
func (s CommitmentStatus) Valid() bool { return slices.Contains(CommitmentStatuses, s) }

// Label is the status in words.
func (s CommitmentStatus) Label() string {
	switch s {
	case Planned:
		return "Planned"
	case InProgress:
		return "In progress"
	case Done:
		return "Done"
	case NotPossible:
		return "Not possible"
	}
	return string(s)
}

// Commitment is one "you said, we did": what residents said, linked to the
// themes and codes that carry the evidence, what the council or a partner
// did or will do, who owns it, and where it has got. Its words are part
// of the draft that is published; its status and updates are live.
type Commitment struct {
	ID        uint
	ReportID  uint
	YouSaid   string
	WeDid     string
	Codes     []string `gorm:"serializer:json"`
	OwnerOrg  string
	OwnerTeam string
	Status    CommitmentStatus
	Reason    string // why it is not possible
	DueOn     time.Time
	// PartnerTokenHash is the hash of the owner's private link; the link
	// itself is shown once and never stored.
	PartnerTokenHash *string `json:"-"`
	Position         int
	CreatedBy        *uint
	CreatedAt        time.Time
	UpdatedAt        time.Time

	Updates []Update `gorm:"-"`
}

// TableName keeps the reports tables together.
func (Commitment) TableName() string { return "report_commitments" }

// Owner names who owns the commitment.
func (c *Commitment) Owner() string { return c.OwnerOrg + ", " + c.OwnerTeam }

// Update is one dated entry in a commitment's log. Entries are never
// changed or removed.
type Update struct {
	ID           uint
	CommitmentID uint
	Status       CommitmentStatus
	Note         string
	ByUserID     *uint
	ByPartner    bool
	CreatedAt    time.Time
}

// TableName keeps the reports tables together.
func (Update) TableName() string { return "report_commitment_updates" }

// london is where due dates are days.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// today is the date in London at now, as midnight UTC, the way due dates
// are stored.
func today(now time.Time) time.Time {
	y, m, d := now.In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validate checks a commitment against the codebook. A due date in the
// past is refused when it is set, never because time has passed since.
func (c *Commitment) validate(known func(string) bool, now time.Time, dueChanged bool) error {
	f := &errs.Fields{}
	c.YouSaid, c.WeDid = strings.TrimSpace(c.YouSaid), strings.TrimSpace(c.WeDid)
	c.OwnerOrg, c.OwnerTeam, c.Reason = strings.TrimSpace(c.OwnerOrg), strings.TrimSpace(c.OwnerTeam), strings.TrimSpace(c.Reason)
	text(f, "you_said", "what people said", c.YouSaid, 1000)
	if len(c.Codes) == 0 {
		f.Add("codes", "Select at least one theme or code this answers")
	}
	for _, code := range c.Codes {
		if !known(code) {
			f.Add("codes", "Select themes and codes from the list")
		}
	}
	text(f, "we_did", "what we did or will do", c.WeDid, 2000)
	text(f, "owner_org", "the organisation that owns this", c.OwnerOrg, 200)
	text(f, "owner_team", "the team that owns this", c.OwnerTeam, 200)
	switch {
	case !c.Status.Valid():
		f.Add("status", "Select a status")
	case c.Status == NotPossible && c.Reason == "":
		f.Add("reason", "Say why this is not possible")
	}
	if len([]rune(c.Reason)) > 2000 {
		f.Add("reason", "The reason must be 2000 characters or fewer")
	}
	switch {
	case c.DueOn.IsZero():
		f.Add("due", "Enter the date this is due, like 2027-03-31")
	case dueChanged && c.DueOn.Before(today(now)):
		f.Add("due", "The due date must be today or in the future")
	}
	return f.Err()
}

func text(f *errs.Fields, field, what, v string, max int) {
	switch n := len([]rune(v)); {
	case n == 0:
		f.Add(field, "Enter "+what)
	case n > max:
		f.Add(field, strings.ToUpper(what[:1])+what[1:]+" must be "+strconv.Itoa(max)+" characters or fewer")
	}
}

// Commitments lists a report's commitments in order, with their updates.
func (s *Store) Commitments(ctx context.Context, reportID uint) ([]Commitment, error) {
	var cs []Commitment
	if err := s.db.WithContext(ctx).Where("report_id = ?", reportID).Order("position, id").Find(&cs).Error; err != nil {
		return nil, err
	}
	return cs, s.withUpdates(s.db.WithContext(ctx), cs)
}

// withUpdates fills in each commitment's log, oldest first.
func (s *Store) withUpdates(db *gorm.DB, cs []Commitment) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]uint, len(cs))
	at := map[uint]int{}
	for i, c := range cs {
		ids[i], at[c.ID] = c.ID, i
	}
	var us []Update
	if err := db.Where("commitment_id IN ?", ids).Order("created_at, id").Find(&us).Error; err != nil {
		return err
	}
	for _, u := range us {
		cs[at[u.CommitmentID]].Updates = append(cs[at[u.CommitmentID]].Updates, u)
	}
	return nil
}

// Commitment returns one commitment of a report with its updates.
func (s *Store) Commitment(ctx context.Context, reportID, id uint) (*Commitment, error) {
	var c Commitment
	if err := s.db.WithContext(ctx).Where("report_id = ?", reportID).Take(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	cs := []Commitment{c}
	return &cs[0], s.withUpdates(s.db.WithContext(ctx), cs)
}

func (s *Store) knownCode(ctx context.Context) (func(string) bool, error) {
	cb, err := s.themes.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	return cb.Has, nil
}

// AddCommitment adds a commitment to the draft, with the first entry of its
// log.
func (s *Store) AddCommitment(ctx context.Context, actor *uint, reportID uint, c *Commitment) error {
	known, err := s.knownCode(ctx)
	if err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = Planned
	}
	if err := c.validate(known, s.now(), true); err != nil {
		return err
	}
	return s.edit(ctx, actor, reportID, "report.commitment_add", func(tx *gorm.DB, r *Report) error {
		var last struct{ N int }
		if err := tx.Model(&Commitment{}).Select("COALESCE(MAX(position), 0) AS n").Where("report_id = ?", r.ID).Scan(&last).Error; err != nil {
			return err
		}
		now := s.now()
		c.ID, c.ReportID, c.Position, c.CreatedBy, c.CreatedAt, c.UpdatedAt = 0, r.ID, last.N+1, actor, now, now
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		u := Update{CommitmentID: c.ID, Status: c.Status, Note: "Commitment made.", ByUserID: actor, CreatedAt: now}
		if c.Status == NotPossible {
			u.Note = c.Reason
		}
		return tx.Create(&u).Error
	})
}

// EditCommitment changes a commitment's words, themes, owner and due date
// in the draft. Its status changes through Record, with a note.
func (s *Store) EditCommitment(ctx context.Context, actor *uint, reportID uint, c *Commitment) error {
	known, err := s.knownCode(ctx)
	if err != nil {
		return err
	}
	old, err := s.Commitment(ctx, reportID, c.ID)
	if err != nil {
		return err
	}
	c.Status, c.Reason = old.Status, old.Reason
	if err := c.validate(known, s.now(), !c.DueOn.Equal(old.DueOn)); err != nil {
		return err
	}
	return s.edit(ctx, actor, reportID, "report.commitment_edit", func(tx *gorm.DB, r *Report) error {
		c.UpdatedAt = s.now()
		return tx.Model(&Commitment{}).Where("id = ? AND report_id = ?", c.ID, r.ID).
			Select("you_said", "we_did", "codes", "owner_org", "owner_team", "due_on", "updated_at").Updates(c).Error
	})
}

// Progress is a new entry for a commitment's log.
type Progress struct {
	Status CommitmentStatus
	Note   string
	Reason string // needed when the status is NotPossible
}

func (p *Progress) validate() error {
	f := &errs.Fields{}
	p.Note, p.Reason = strings.TrimSpace(p.Note), strings.TrimSpace(p.Reason)
	if !p.Status.Valid() {
		f.Add("status", "Select a status")
	}
	if p.Status == NotPossible && p.Reason == "" {
		f.Add("reason", "Say why this is not possible")
	}
	switch n := len([]rune(p.Note)); {
	case n == 0 && p.Status != NotPossible:
		f.Add("note", "Say what has happened")
	case n > 2000:
		f.Add("note", "The update must be 2000 characters or fewer")
	}
	if len([]rune(p.Reason)) > 2000 {
		f.Add("reason", "The reason must be 2000 characters or fewer")
	}
	return f.Err()
}

// Record adds a dated update to a commitment and sets its status. Updates
// show on the public page at once: they do not wait for a new version.
func (s *Store) Record(ctx context.Context, actor *uint, reportID, id uint, p Progress) error {
	if err := p.validate(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Commitment
		if err := tx.Where("report_id = ?", reportID).Take(&c, id).Error; err != nil {
			return notFound(err)
		}
		return s.record(ctx, tx, &c, p, actor, false)
	})
}

func (s *Store) record(ctx context.Context, tx *gorm.DB, c *Commitment, p Progress, actor *uint, partner bool) error {
	now := s.now()
	reason := ""
	if p.Status == NotPossible {
		reason = p.Reason
	}
	if err := tx.Model(c).Updates(map[string]any{"status": p.Status, "reason": reason, "updated_at": now}).Error; err != nil {
		return err
	}
	note := p.Note
	if p.Status == NotPossible {
		note = strings.TrimSpace(strings.Join([]string{p.Note, "Why it is not possible: " + p.Reason}, "\n\n"))
	}
	u := Update{CommitmentID: c.ID, Status: p.Status, Note: note, ByUserID: actor, ByPartner: partner, CreatedAt: now}
	if err := tx.Create(&u).Error; err != nil {
		return err
	}
	action := "report.commitment_update"
	if partner {
		action = "report.commitment_partner_update"
	}
	return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: action, Target: ref("commitment", c.ID)})
}

// PartnerLink makes a new private link for the owner of a commitment to
// post updates, and returns its token (shown once). Any earlier link stops
// working.
func (s *Store) PartnerLink(ctx context.Context, actor *uint, reportID, id uint) (string, error) {
	token := accounts.NewSecret(24)
	hash := accounts.HashSecret(token)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Commitment{}).Where("id = ? AND report_id = ?", id, reportID).Update("partner_token_hash", hash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "report.partner_link", Target: ref("commitment", id)})
	})
	return token, err
}

// ByPartnerToken returns the commitment a private link is for. A wrong or
// replaced token is ErrNotFound, with no hint which.
func (s *Store) ByPartnerToken(ctx context.Context, token string) (*Commitment, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNotFound
	}
	var c Commitment
	if err := s.db.WithContext(ctx).Where("partner_token_hash = ?", accounts.HashSecret(token)).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	cs := []Commitment{c}
	return &cs[0], s.withUpdates(s.db.WithContext(ctx), cs)
}

// PartnerRecord adds an update through a partner's private link.
func (s *Store) PartnerRecord(ctx context.Context, token string, p Progress) (*Commitment, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var c Commitment
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if token == "" || len(token) > 100 {
			return ErrNotFound
		}
		if err := tx.Where("partner_token_hash = ?", accounts.HashSecret(token)).Take(&c).Error; err != nil {
			return notFound(err)
		}
		return s.record(ctx, tx, &c, p, nil, true)
	})
	return &c, err
}
