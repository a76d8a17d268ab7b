package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codesign/accounts"
	"codesign/audit"
	"codesign/errs"
	"codesign/messages"
	"codesign/surveys"

	"gorm.io/gorm"
)

// Publication is one published version of a report: exactly what
// residents read, already suppressed and redacted. A correction is a new
// version; old ones stay for staff.
type Publication struct {
	ID          uint
	ReportID    uint
	Version     int
	Revision    int  // the draft it was made from
	Reviewed    bool // the panel had been sent this draft
	Note        string
	Snapshot    Snapshot `gorm:"serializer:json"`
	PublishedBy *uint
	ByName      string
	PublishedAt time.Time
}

// TableName keeps the reports tables together.
func (Publication) TableName() string { return "report_publications" }

// Snapshot is what a version publishes. Commitments' words are as
// published; their status and updates are read live.
type Snapshot struct {
	Survey      SurveyInfo
	Title       string
	Intro       string
	Findings    Findings
	Quotes      []PublishedQuote
	Commitments []PublishedCommitment
}

// SurveyInfo is what we asked.
type SurveyInfo struct {
	Slug, Title, Summary string
	Questions            []string // the questions asked, leaving out contact and equality questions
	OpensAt, ClosesAt    *time.Time
}

// PublishedQuote is a redacted quote with the theme it illustrates.
type PublishedQuote struct {
	Text, Code, Theme string
}

// PublishedCommitment is a commitment's words as published, with the
// evidence behind it.
type PublishedCommitment struct {
	ID                 uint
	YouSaid, WeDid     string
	Codes              []string
	OwnerOrg           string
	OwnerTeam          string
	DueOn              time.Time
	Evidence           Cell // distinct respondents behind its codes
	Status             CommitmentStatus
	Reason             string
	CodeLabels, Themes []string
}

// Publishing cannot go ahead.
var (
	ErrNoFindings = &errs.Conflict{Message: "There are no findings to publish yet: no passage of this consultation has a confirmed code. " +
		"Review the coded passages first, then publish."}
	ErrNothingNew = &errs.Conflict{Message: "Nothing has changed since the last version was published, so there is nothing new to publish."}
)

// ErrChanged says the draft changed after the officer checked it.
func ErrChanged(checked, now int) error {
	return &errs.Conflict{Message: fmt.Sprintf("The draft changed after you checked it (you checked revision %d; it is now revision %d). "+
		"Nothing was published. Check the changes and publish again.", checked, now)}
}

// PublishInput is an officer's decision to publish one revision.
type PublishInput struct {
	Revision  int // the revision the officer checked
	Note      string
	Actor     *uint
	ActorName string
	// Link is the public page's address, sent to residents who asked to
	// hear what happened.
	Link string
}

// Publish publishes the draft as a new version, if it is still exactly
// the revision the officer checked: an edit in between is refused, never
// published unseen. The first version tells everyone who left an email
// address to hear back, through the outbox, in the same transaction. It
// returns the version and how many people are being told.
func (s *Store) Publish(ctx context.Context, reportID uint, in PublishInput) (*Publication, int, error) {
	r, err := s.Get(ctx, reportID)
	if err != nil {
		return nil, 0, err
	}
	sv, err := s.surveys.Get(ctx, r.SurveyID)
	if err != nil {
		return nil, 0, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > 500 {
		return nil, 0, fieldErr("note", "What changed must be 500 characters or fewer")
	}
	// Counting reads a lot; it happens before the transaction so that the
	// writer is never held for it.
	f, err := s.Findings(ctx, sv, false)
	if err != nil {
		return nil, 0, err
	}
	if f.Tagged == 0 {
		return nil, 0, ErrNoFindings
	}
	var pub Publication
	told := 0
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur Report
		if err := lockRow(tx, &cur, reportID); err != nil {
			return err
		}
		if cur.Revision != in.Revision {
			return ErrChanged(in.Revision, cur.Revision)
		}
		snap, err := s.snapshot(ctx, tx, &cur, sv, f)
		if err != nil {
			return err
		}
		var last Publication
		err = tx.Where("report_id = ?", cur.ID).Order("version DESC").Limit(1).Find(&last).Error
		if err != nil {
			return err
		}
		if last.ID != 0 && last.Revision == cur.Revision && sameSnapshot(last.Snapshot, snap) {
			return ErrNothingNew
		}
		if last.ID != 0 && in.Note == "" {
			return fieldErr("note", "Say what this correction changes")
		}
		pub = Publication{ReportID: cur.ID, Version: last.Version + 1, Revision: cur.Revision, Reviewed: cur.Reviewed(),
			Note: in.Note, Snapshot: snap, PublishedBy: in.Actor, ByName: in.ActorName, PublishedAt: s.now()}
		if err := tx.Create(&pub).Error; err != nil {
			return err
		}
		if pub.Version == 1 {
			if told, err = s.tellResidents(ctx, tx, sv, &cur, in.Link); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: in.Actor, Action: "report.publish", Target: ref("report", cur.ID),
			Detail: "version " + strconv.Itoa(pub.Version)})
	})
	if err != nil {
		return nil, 0, err
	}
	return &pub, told, nil
}

func sameSnapshot(a, b Snapshot) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// snapshot gathers what a version publishes, reading the draft inside the
// publishing transaction so it is exactly the revision checked. A quote
// whose answer has been flagged since it was picked stops the publish.
func (s *Store) snapshot(ctx context.Context, tx *gorm.DB, r *Report, sv *surveys.Survey, f *Findings) (Snapshot, error) {
	snap := Snapshot{Survey: surveyInfo(sv), Title: r.Title, Intro: r.Intro, Findings: *f}
	quotes, err := quotesOf(tx, r.ID)
	if err != nil {
		return snap, err
	}
	flagged, err := s.sg.FlaggedAnswerIDs(ctx, r.SurveyID)
	if err != nil {
		return snap, err
	}
	for i, q := range quotes {
		if flagged[q.AnswerID] {
			return snap, &errs.Conflict{Message: fmt.Sprintf("Quote %d comes from an answer flagged for safeguarding since it was picked. "+
				"Remove it, then publish.", i+1)}
		}
		snap.Quotes = append(snap.Quotes, PublishedQuote{Text: q.Text, Code: q.Code, Theme: f.cb.Theme(q.Code)})
	}
	var cs []Commitment
	if err := tx.Where("report_id = ?", r.ID).Order("position, id").Find(&cs).Error; err != nil {
		return snap, err
	}
	for _, c := range cs {
		pc := PublishedCommitment{ID: c.ID, YouSaid: c.YouSaid, WeDid: c.WeDid, Codes: c.Codes, OwnerOrg: c.OwnerOrg,
			OwnerTeam: c.OwnerTeam, DueOn: c.DueOn, Evidence: f.Evidence(c.Codes), Status: c.Status, Reason: c.Reason}
		for _, code := range c.Codes {
			pc.CodeLabels = append(pc.CodeLabels, f.Label(code))
			pc.Themes = appendNew(pc.Themes, f.cb.Theme(code))
		}
		snap.Commitments = append(snap.Commitments, pc)
	}
	return snap, nil
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// surveyInfo says what we asked: the questions, without those asking for
// contact details or equality monitoring.
func surveyInfo(sv *surveys.Survey) SurveyInfo {
	info := SurveyInfo{Slug: sv.Slug, Title: sv.Title, Summary: sv.Summary, OpensAt: sv.OpensAt, ClosesAt: sv.ClosesAt}
	skip := map[string]bool{}
	for _, k := range dimensionKeys {
		skip[k] = true
	}
	for _, q := range sv.Questions() {
		if !q.Personal && !skip[q.Key] {
			info.Questions = append(info.Questions, q.Label)
		}
	}
	return info
}

// tellResidents queues a message with the link for every distinct email
// address left in answer to one of the survey's contact questions.
func (s *Store) tellResidents(ctx context.Context, tx *gorm.DB, sv *surveys.Survey, r *Report, link string) (int, error) {
	var keys []string
	for _, q := range sv.Questions() {
		if q.Personal && q.Type == surveys.Email {
			keys = append(keys, q.Key)
		}
	}
	if len(keys) == 0 || link == "" {
		return 0, nil
	}
	var emails []string
	err := tx.Model(&surveys.Answer{}).Distinct("value").
		Where("survey_id = ? AND personal = ? AND question_key IN ?", sv.ID, true, keys).Pluck("value", &emails).Error
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	n := 0
	for _, e := range emails {
		e = strings.TrimSpace(e)
		// An address the outbox would refuse must not stop the publish.
		if !accounts.ValidEmail(e) || seen[strings.ToLower(e)] {
			continue
		}
		seen[strings.ToLower(e)] = true
		m := &messages.Message{To: e, Subject: "What we heard and what we are doing: " + sv.Title, Kind: "results_published",
			Ref: ref("report", r.ID), Body: hearBack(sv.Title, link)}
		if err := s.outbox.Enqueue(ctx, tx, m); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

func hearBack(title, link string) string {
	return "Thank you for taking part in \"" + title + "\". You asked us to tell you what happened.\n\n" +
		"We have published what we heard and what we are doing about it:\n" + link + "\n\n" +
		"We keep that page up to date as each commitment moves on, and in a year we will ask whether things have changed.\n\n" +
		"You are getting this message because you gave your email address in the consultation. " +
		"We use it for nothing else, and we delete it when the project ends."
}

// Versions lists a report's published versions, newest first.
func (s *Store) Versions(ctx context.Context, reportID uint) ([]Publication, error) {
	var ps []Publication
	return ps, s.db.WithContext(ctx).Where("report_id = ?", reportID).Order("version DESC").Find(&ps).Error
}

// Version returns one published version.
func (s *Store) Version(ctx context.Context, reportID uint, version int) (*Publication, error) {
	var p Publication
	if err := s.db.WithContext(ctx).Where("report_id = ? AND version = ?", reportID, version).Take(&p).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// ReviewText is one item of the draft for the panel to read.
type ReviewText struct{ Ref, Text string }

// Draft is the draft as the panel reads it, and the revision it is.
type Draft struct {
	Revision int
	Items    []ReviewText
}

// ReviewDraft lists the draft's findings, quotes and commitments in the
// words residents would read, for a panel review.
func (s *Store) ReviewDraft(ctx context.Context, reportID uint) (*Draft, error) {
	r, err := s.Get(ctx, reportID)
	if err != nil {
		return nil, err
	}
	sv, err := s.surveys.Get(ctx, r.SurveyID)
	if err != nil {
		return nil, err
	}
	f, err := s.Findings(ctx, sv, false)
	if err != nil {
		return nil, err
	}
	d := &Draft{}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur Report
		if err := tx.Take(&cur, reportID).Error; err != nil {
			return notFound(err)
		}
		d.Revision = cur.Revision
		d.Items = append(d.Items, ReviewText{Ref: ref("report", cur.ID), Text: cur.Title + "\n\n" + cur.Intro})
		for _, t := range f.Themes {
			text := fmt.Sprintf("%s: %s people said something about this", t.Label, t.Respondents)
			for _, c := range t.Codes {
				text += fmt.Sprintf("\n- %s: %s people", c.Label, c.Respondents)
			}
			d.Items = append(d.Items, ReviewText{Ref: "theme:" + t.Key, Text: text})
		}
		quotes, err := quotesOf(tx, cur.ID)
		if err != nil {
			return err
		}
		for _, q := range quotes {
			d.Items = append(d.Items, ReviewText{Ref: ref("quote", q.ID), Text: "Quote (" + f.Label(q.Code) + "): \"" + q.Text + "\""})
		}
		var cs []Commitment
		if err := tx.Where("report_id = ?", cur.ID).Order("position, id").Find(&cs).Error; err != nil {
			return err
		}
		for _, c := range cs {
			d.Items = append(d.Items, ReviewText{Ref: ref("commitment", c.ID), Text: "You said: " + c.YouSaid + "\nWe will: " + c.WeDid +
				"\nOwned by " + c.Owner() + ", due " + c.DueOn.Format("2 January 2006") + "."})
		}
		return nil
	})
	return d, err
}

// SentForReview records that the panel review reviewID was sent revision
// of the draft. If the draft has changed since it was read, the review
// is recorded against the revision it was made from, so the publish page
// shows the panel has not seen the latest words.
func (s *Store) SentForReview(ctx context.Context, actor *uint, reportID, reviewID uint, revision int) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Report
		if err := lockRow(tx, &r, reportID); err != nil {
			return err
		}
		if err := tx.Model(&r).Updates(map[string]any{"review_id": reviewID, "review_revision": revision}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "report.review", Target: ref("report", r.ID),
			Detail: "revision " + strconv.Itoa(revision)})
	})
}
