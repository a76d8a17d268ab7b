package privacy

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"codesign/panels"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
)

// Report is everything codesign holds about one person: what an admin sees
// when searching, and the data itself for an access request. Each list is
// one kind of record.
type Report struct {
	Subject      Subject              `json:"subject"`
	GeneratedAt  time.Time            `json:"generated_at"`
	Responses    []ResponseRecord     `json:"survey_responses"`
	Drafts       []DraftRecord        `json:"survey_drafts"`
	Safeguarding []SafeguardingRecord `json:"safeguarding_items"`
	Passages     []PassageRecord      `json:"coded_passages"`
	Quotes       []QuoteRecord        `json:"report_quotes"`
	Bookings     []BookingRecord      `json:"workshop_bookings"`
	Applications []ApplicationRecord  `json:"panel_applications"`
	Members      []MemberRecord       `json:"panel_members"`
	Messages     []MessageRecord      `json:"messages"`
	// Unsettled counts payments still to be made to the person as a panel
	// member: after an erasure nobody can say who they are for.
	Unsettled int64 `json:"unsettled_payments"`
	// Related are the person's other contact details found in these
	// records. They are not searched for automatically, since a phone
	// number may be shared by a household: an admin decides.
	Related []Subject `json:"other_contact_details"`
}

// ResponseRecord is one survey response with every answer.
type ResponseRecord struct {
	ID          uint           `json:"id"`
	SurveyID    uint           `json:"survey_id"`
	Survey      string         `json:"survey"`
	Receipt     string         `json:"receipt"`
	Channel     string         `json:"channel"`
	Completion  string         `json:"completion"`
	SubmittedAt time.Time      `json:"submitted_at"`
	Answers     []AnswerRecord `json:"answers"`
}

// AnswerRecord is one stored answer; Personal marks a contact detail.
type AnswerRecord struct {
	ID       uint   `json:"id"`
	Key      string `json:"question_key"`
	Question string `json:"question"`
	Value    string `json:"value"`
	Personal bool   `json:"contact_detail"`
}

// DraftRecord is an unfinished set of answers kept for "come back later".
type DraftRecord struct {
	ID        uint                `json:"id"`
	Survey    string              `json:"survey"`
	Answers   map[string][]string `json:"answers"`
	ExpiresAt time.Time           `json:"expires_at"`
	SavedAt   time.Time           `json:"saved_at"`
}

// SafeguardingRecord is a flagged answer in the safeguarding queue and what
// staff recorded about it.
type SafeguardingRecord struct {
	ID         uint           `json:"id"`
	ResponseID uint           `json:"response_id"`
	AnswerID   uint           `json:"answer_id"`
	Question   string         `json:"question_key"`
	Text       string         `json:"text"`
	Status     string         `json:"status"`
	QueuedAt   time.Time      `json:"queued_at"`
	Actions    []ActionRecord `json:"actions"`
}

// ActionRecord is one thing staff did about a flagged answer.
type ActionRecord struct {
	Action string    `json:"action"`
	Notes  string    `json:"notes"`
	At     time.Time `json:"at"`
}

// PassageRecord is a sentence of an answer stored for thematic coding.
type PassageRecord struct {
	ID       uint   `json:"id"`
	AnswerID uint   `json:"answer_id"`
	Text     string `json:"text"`
}

// QuoteRecord is an answer's words picked as a quote for a report.
type QuoteRecord struct {
	ID       uint   `json:"id"`
	ReportID uint   `json:"report_id"`
	Text     string `json:"text"`
}

// BookingRecord is a workshop booking.
type BookingRecord struct {
	ID                  uint      `json:"id"`
	Event               string    `json:"workshop"`
	StartsAt            time.Time `json:"starts_at"`
	Ended               bool      `json:"workshop_ended"`
	Status              string    `json:"status"`
	Name                string    `json:"name"`
	Email               string    `json:"email"`
	Phone               string    `json:"phone"`
	AccessNeeds         []string  `json:"access_needs"`
	InterpreterLanguage string    `json:"interpreter_language"`
	AccessNotes         string    `json:"access_notes"`
	Dietary             string    `json:"dietary_needs"`
	ConsentContact      bool      `json:"consent_to_contact"`
	BookedAt            time.Time `json:"booked_at"`
}

// ApplicationRecord is an application to a panel, with staff notes on it.
type ApplicationRecord struct {
	ID                uint      `json:"id"`
	Panel             string    `json:"panel"`
	Status            string    `json:"status"`
	Name              string    `json:"name"`
	Email             string    `json:"email"`
	Phone             string    `json:"phone"`
	LivedExperience   []string  `json:"lived_experience"`
	Statement         string    `json:"statement"`
	Availability      string    `json:"availability"`
	AccessNeeds       string    `json:"access_needs"`
	PaymentPreference string    `json:"payment_preference"`
	AgeBand           string    `json:"age_band"`
	Ethnicity         string    `json:"ethnicity"`
	Locality          string    `json:"locality"`
	ConsentText       string    `json:"consent_text"`
	DeclineReason     string    `json:"decline_reason"`
	StaffNotes        []string  `json:"staff_notes"`
	AppliedAt         time.Time `json:"applied_at"`
}

// MemberRecord is a panel membership with its payments and review comments.
type MemberRecord struct {
	ID                uint                   `json:"id"`
	Panel             string                 `json:"panel"`
	Status            string                 `json:"status"`
	Name              string                 `json:"name"`
	Email             string                 `json:"email"`
	Phone             string                 `json:"phone"`
	PreferredContact  string                 `json:"preferred_contact"`
	AccessNeeds       string                 `json:"access_needs"`
	PaymentPreference string                 `json:"payment_preference"`
	TermStart         time.Time              `json:"term_start"`
	TermEnd           time.Time              `json:"term_end"`
	LeftAt            *time.Time             `json:"left_at"`
	Payments          []PaymentRecord        `json:"payments"`
	Comments          []panels.ReviewComment `json:"review_comments"`
}

// PaymentRecord is one payment for attending a panel session.
type PaymentRecord struct {
	Session       string    `json:"session"`
	Date          time.Time `json:"date"`
	Minutes       int       `json:"minutes"`
	FeePence      int64     `json:"fee_pence"`
	ExpensesPence int64     `json:"expenses_pence"`
	TotalPence    int64     `json:"total_pence"`
	Status        string    `json:"status"`
	ReceiptNote   string    `json:"receipt_note"`
}

// MessageRecord is a message codesign sent or holds for the person.
type MessageRecord struct {
	ID        uint       `json:"id"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// WithholdSafeguarding replaces the words of flagged answers, and the notes
// staff recorded about them, with surveys.WithheldText: for staff without
// the safeguarding permission, who may not read them.
func (r *Report) WithholdSafeguarding() {
	flagged := map[uint]bool{}
	for i := range r.Safeguarding {
		it := &r.Safeguarding[i]
		flagged[it.AnswerID] = true
		it.Text = surveys.WithheldText
		for j := range it.Actions {
			it.Actions[j].Notes = surveys.WithheldText
		}
	}
	for i := range r.Responses {
		for j := range r.Responses[i].Answers {
			if a := &r.Responses[i].Answers[j]; flagged[a.ID] {
				a.Value = surveys.WithheldText
			}
		}
	}
}

// Empty reports whether nothing at all is held about the person.
func (r *Report) Empty() bool {
	for _, c := range r.Counts() {
		if c.N > 0 {
			return false
		}
	}
	return true
}

// Count is how many records of one kind a report holds.
type Count struct {
	Kind  string
	Label string // plural, for people: "survey responses"
	One   string // singular: "survey response"
	N     int
}

// Counts lists each kind with how many records of it the report holds, in
// the order the report shows them.
func (r *Report) Counts() []Count {
	return []Count{
		{"survey_responses", "survey responses", "survey response", len(r.Responses)},
		{"survey_drafts", "unfinished survey drafts", "unfinished survey draft", len(r.Drafts)},
		{"safeguarding_items", "safeguarding queue items", "safeguarding queue item", len(r.Safeguarding)},
		{"coded_passages", "coded passages", "coded passage", len(r.Passages)},
		{"report_quotes", "quotes in reports", "quote in a report", len(r.Quotes)},
		{"workshop_bookings", "workshop bookings", "workshop booking", len(r.Bookings)},
		{"panel_applications", "panel applications", "panel application", len(r.Applications)},
		{"panel_members", "panel memberships", "panel membership", len(r.Members)},
		{"messages", "messages", "message", len(r.Messages)},
	}
}

// Summary says in words how much a report holds, naming no one: it goes
// into the audit log. "1 survey response, 2 workshop bookings".
func (r *Report) Summary() string {
	var parts []string
	for _, c := range r.Counts() {
		if c.N > 0 {
			parts = append(parts, plural(int64(c.N), c.One, c.Label))
		}
	}
	if len(parts) == 0 {
		return "nothing found"
	}
	return join(parts)
}

// Find gathers everything held about subj. An unknown person is a report
// that is Empty, not an error.
func (s *Service) Find(ctx context.Context, subj Subject) (*Report, error) {
	return s.find(ctx, nil, subj, true)
}

// find reads within tx (nil: outside a transaction). With full false it
// reads only what an erasure needs to know: which records, not what they
// say.
func (s *Service) find(ctx context.Context, tx *gorm.DB, subj Subject, full bool) (*Report, error) {
	r := &Report{Subject: subj, GeneratedAt: s.now()}
	match := subj.contact
	if err := s.findSurveys(ctx, tx, r, full); err != nil {
		return nil, err
	}
	if subj.Kind == ByReceipt {
		r.relate()
		return r, nil
	}
	bookings, err := s.workshops.BookingsMatching(ctx, tx, match)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, b := range bookings {
		r.Bookings = append(r.Bookings, bookingRecord(b, s.now()))
		refs = append(refs, b.Ref())
	}
	more, err := s.findPanels(ctx, tx, r, full)
	if err != nil {
		return nil, err
	}
	msgs, err := s.messages.Matching(ctx, tx, match, append(refs, more...))
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		r.Messages = append(r.Messages, MessageRecord{ID: m.ID, To: m.To, Subject: m.Subject, Body: m.Body, Kind: m.Kind,
			Status: string(m.Status), CreatedAt: m.CreatedAt, SentAt: m.SentAt})
	}
	r.relate()
	return r, nil
}

// relate lists the contact details in the report's records other than the
// subject, each once.
func (r *Report) relate() {
	seen := map[Subject]bool{r.Subject: true}
	add := func(values ...string) {
		for _, v := range values {
			if strings.TrimSpace(v) == "" {
				continue
			}
			if subj, err := ParseSubject(v); err == nil && subj.Kind != ByReceipt && !seen[subj] {
				seen[subj] = true
				r.Related = append(r.Related, subj)
			}
		}
	}
	for _, resp := range r.Responses {
		for _, a := range resp.Answers {
			if a.Personal {
				add(a.Value)
			}
		}
	}
	for _, b := range r.Bookings {
		add(b.Email, b.Phone)
	}
	for _, a := range r.Applications {
		add(a.Email, a.Phone)
	}
	for _, m := range r.Members {
		add(m.Email, m.Phone)
	}
}

// findSurveys finds the responses (by receipt, or by a contact answer), the
// drafts, and what other packages keep of those answers.
func (s *Service) findSurveys(ctx context.Context, tx *gorm.DB, r *Report, full bool) error {
	var ids []uint
	if r.Subject.Kind == ByReceipt {
		resp, err := s.surveys.ResponseByReceipt(ctx, tx, r.Subject.Value)
		if err != nil && !errors.Is(err, surveys.ErrNotFound) {
			return err
		}
		if resp != nil {
			ids = append(ids, resp.ID)
		}
	} else {
		found, err := s.surveys.ResponsesWithContact(ctx, tx, r.Subject.contact)
		if err != nil {
			return err
		}
		ids = found
		drafts, err := s.surveys.DraftsMatching(ctx, tx, r.Subject.contact)
		if err != nil {
			return err
		}
		titles := s.surveyTitles(ctx, full)
		for _, d := range drafts {
			r.Drafts = append(r.Drafts, DraftRecord{ID: d.ID, Survey: titles(d.SurveyID), Answers: d.Answers, ExpiresAt: d.ExpiresAt, SavedAt: d.UpdatedAt})
		}
	}
	responses, err := s.surveys.ResponsesByID(ctx, tx, ids)
	if err != nil {
		return err
	}
	var answerIDs []uint
	for _, resp := range responses {
		rec := s.responseRecord(ctx, resp, full)
		for _, a := range rec.Answers {
			answerIDs = append(answerIDs, a.ID)
		}
		r.Responses = append(r.Responses, rec)
	}
	return s.findAboutAnswers(ctx, tx, r, ids, answerIDs, full)
}

func (s *Service) findAboutAnswers(ctx context.Context, tx *gorm.DB, r *Report, responseIDs, answerIDs []uint, full bool) error {
	items, err := s.safeguarding.ItemsForResponses(ctx, tx, responseIDs)
	if err != nil {
		return err
	}
	for _, it := range items {
		rec := SafeguardingRecord{ID: it.ID, Question: it.QuestionKey, Text: it.Text, Status: string(it.Status), QueuedAt: it.CreatedAt}
		if it.ResponseID != nil {
			rec.ResponseID = *it.ResponseID
		}
		if it.AnswerID != nil {
			rec.AnswerID = *it.AnswerID
		}
		if full {
			acts, err := s.safeguarding.History(ctx, it.ID)
			if err != nil {
				return err
			}
			for _, a := range acts {
				rec.Actions = append(rec.Actions, ActionRecord{Action: string(a.Action), Notes: a.Notes, At: a.CreatedAt})
			}
		}
		r.Safeguarding = append(r.Safeguarding, rec)
	}
	sources := make([]string, len(answerIDs))
	for i, id := range answerIDs {
		sources[i] = strconv.FormatUint(uint64(id), 10)
	}
	passages, err := s.themes.PassagesFrom(ctx, tx, themes.SurveyAnswer, sources)
	if err != nil {
		return err
	}
	for _, p := range passages {
		id, _ := strconv.ParseUint(p.SourceID, 10, 64)
		r.Passages = append(r.Passages, PassageRecord{ID: p.ID, AnswerID: uint(id), Text: p.Text})
	}
	quotes, err := s.reports.QuotesOfAnswers(ctx, tx, answerIDs)
	if err != nil {
		return err
	}
	for _, q := range quotes {
		r.Quotes = append(r.Quotes, QuoteRecord{ID: q.ID, ReportID: q.ReportID, Text: q.Text})
	}
	return nil
}

// surveyTitles returns a lookup of survey titles, read once each; without
// full it names surveys by id only.
func (s *Service) surveyTitles(ctx context.Context, full bool) func(uint) string {
	seen := map[uint]string{}
	return func(id uint) string {
		if t, ok := seen[id]; ok {
			return t
		}
		t := "survey " + strconv.FormatUint(uint64(id), 10)
		if full {
			if sv, err := s.surveys.Get(ctx, id); err == nil {
				t = sv.Title
			}
		}
		seen[id] = t
		return t
	}
}

func (s *Service) responseRecord(ctx context.Context, resp surveys.Response, full bool) ResponseRecord {
	rec := ResponseRecord{ID: resp.ID, SurveyID: resp.SurveyID, Survey: "survey " + strconv.FormatUint(uint64(resp.SurveyID), 10),
		Receipt: resp.Receipt, Channel: string(resp.Channel), Completion: resp.Completion, SubmittedAt: resp.SubmittedAt}
	var sv *surveys.Survey
	if full {
		if got, err := s.surveys.Get(ctx, resp.SurveyID); err == nil {
			sv, rec.Survey = got, got.Title
		}
	}
	for _, a := range resp.Answers {
		label := a.QuestionKey
		if sv != nil {
			if q, _ := sv.Question(a.QuestionKey); q != nil {
				label = q.Label
			}
		}
		rec.Answers = append(rec.Answers, AnswerRecord{ID: a.ID, Key: a.QuestionKey, Question: label, Value: a.Value, Personal: a.Personal})
	}
	return rec
}

func bookingRecord(b workshops.Booking, now time.Time) BookingRecord {
	rec := BookingRecord{ID: b.ID, Status: string(b.Status), Name: b.Name, Email: b.Email, Phone: b.Phone,
		InterpreterLanguage: b.InterpreterLanguage, AccessNotes: b.AccessNotes, Dietary: b.Dietary, ConsentContact: b.ConsentContact,
		BookedAt: b.CreatedAt}
	if b.Event != nil {
		rec.Event, rec.StartsAt, rec.Ended = b.Event.Title, b.Event.StartsAt, b.Event.Past(now)
	}
	for _, n := range b.Needs() {
		rec.AccessNeeds = append(rec.AccessNeeds, n.Label())
	}
	return rec
}
