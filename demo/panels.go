package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codesign/panels"

	"gorm.io/gorm"
)

// The demo's two panels of experts by experience: one recruiting now, with
// applications at every stage of selection, and one that has been meeting
// for months, with members, sessions, expenses and payments in each state.
const (
	recruitingSlug = "lived-experience-advisory-group"
	activeSlug     = "early-help-co-design-group"
)

// demoApplicant is one resident's application and where selection has got to.
type demoApplicant struct {
	name, email, pay, age, ethnicity, locality string
	areas                                      []string
	why, availability, access                  string
	to                                         []panels.Status // decisions, in order
}

var recruitingApplicants = []demoApplicant{
	{"Amara Okafor", "amara.okafor@example.org", "bank_transfer", "25-34", "black", "north", []string{"own_mental_health", "black_minoritised"},
		"I waited eight months for talking therapy and nobody checked in. I want the next person to know where to go.", "Weekday evenings", "", nil},
	{"Liam Byrne", "liam.byrne@example.org", "vouchers", "16-24", "white", "south", []string{"young_person", "own_mental_health"},
		"I go to the Lift youth hub and think young people should help design support, not just be asked about it.", "After college, and Saturdays", "", nil},
	{"Hui Min Chen", "huimin.chen@example.org", "not_paid", "50-64", "asian", "central", []string{"carer"},
		"I care for my son. Services rarely talked to each other and I had to tell our story again and again.", "School hours", "An interpreter for Mandarin would help in longer meetings.", nil},
	{"Yusuf Ali", "yusuf.ali@example.org", "bank_transfer", "35-49", "asian", "north", []string{"own_mental_health", "disability"},
		"Stigma kept me from asking for help for years. I would like to help make support feel welcoming.", "Flexible", "Step-free access, please.",
		[]panels.Status{panels.Shortlisted}},
	{"Chloe Martin", "chloe.martin@example.org", "vouchers", "25-34", "mixed", "central", []string{"lgbtq", "own_mental_health"},
		"Peer support got me through a hard year. I want it built into services.", "Evenings", "", []panels.Status{panels.Invited}},
	{"Patrick Doyle", "patrick.doyle@example.org", "bank_transfer", "65+", "white", "south", []string{"carer"},
		"I look after my wife and know how lonely it can be.", "Mornings", "Hearing loop.", []panels.Status{panels.Shortlisted, panels.Waiting}},
	{"Sara Haile", "sara.haile@example.org", "bank_transfer", "35-49", "black", "outside", []string{"other"},
		"I work in Islington and want to help.", "Lunchtimes", "", []panels.Status{panels.Declined}},
}

// demoMember is a member of the active panel.
type demoMember struct {
	name, email, pay, age, ethnicity, locality string
	areas                                      []string
	access                                     string
}

var activeMembers = []demoMember{
	{"Joy Mensah", "joy.mensah@example.org", "bank_transfer", "50-64", "black", "north", []string{"own_mental_health", "black_minoritised"}, "Step-free access"},
	{"Dan Whitfield", "dan.whitfield@example.org", "vouchers", "25-34", "white", "central", []string{"own_mental_health", "lgbtq"}, ""},
	{"Priya Raman", "priya.raman@example.org", "not_paid", "35-49", "asian", "south", []string{"carer"}, "Papers a week before, in large print"},
	{"Kemal Aydin", "kemal.aydin@example.org", "bank_transfer", "16-24", "other", "north", []string{"young_person", "own_mental_health"}, ""},
	{"Ruth Adeyemi", "ruth.adeyemi@example.org", "bank_transfer", "65+", "black", "south", []string{"carer", "disability"}, "Hearing loop"},
}

// demoSession is a session of the active panel, days from today; who
// came (by member index, hours and expenses) and how far its payments
// have got.
type demoSession struct {
	title, activity string
	days, hour, min int
	came            []demoAttendance
	paid            panels.PaymentStatus
}

type demoAttendance struct {
	member  int
	minutes int
	pence   int64
	receipt string
}

var activeSessions = []demoSession{
	{"Monthly meeting: what we heard in the survey", "workshop", -70, 18, 120, []demoAttendance{{0, 120, 480, "Bus fares"}, {1, 120, 0, ""}, {2, 120, 1200, "Childcare, receipt emailed"}, {3, 90, 0, ""}}, panels.Paid},
	{"Reading group: the draft vision", "reading_group", -42, 11, 90, []demoAttendance{{0, 90, 0, ""}, {2, 90, 0, ""}, {4, 90, 650, "Taxi: bad knee, receipt emailed"}}, panels.Paid},
	{"Interview panel: peer support provider", "interview_panel", -20, 10, 180, []demoAttendance{{1, 180, 320, "Tube fares"}, {3, 180, 0, ""}}, panels.Approved},
	{"Review of findings: you said, we did", "review_of_findings", -5, 18, 120, []demoAttendance{{0, 120, 480, "Bus fares"}, {1, 120, 0, ""}, {2, 120, 1200, "Childcare"}, {4, 105, 0, ""}}, panels.Due},
	{"Monthly meeting: commitments from partners", "workshop", 9, 18, 120, nil, ""},
	{"Co-design workshop at Finsbury Library", "workshop", 37, 14, 180, nil, ""},
}

// loadPanels adds the demo panels. Each is skipped when its web address
// is taken, so loading twice changes nothing.
func loadPanels(ctx context.Context, db *gorm.DB) error {
	// No outbox: the demo's people are made up, and messages to them would
	// crowd the real ones staff must pass on by hand.
	ps := panels.NewStore(db, nil, panels.Options{BaseURL: "http://127.0.0.1:3000"})
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		return err
	}
	today := time.Now().In(london)
	if err := loadRecruitingPanel(ctx, ps, today); err != nil {
		return fmt.Errorf("demo recruiting panel: %w", err)
	}
	if err := loadActivePanel(ctx, ps, today); err != nil {
		return fmt.Errorf("demo active panel: %w", err)
	}
	return nil
}

// createPanel stores p unless a panel already has its web address; it
// reports whether it did.
func createPanel(ctx context.Context, ps *panels.Store, p *panels.Panel) (bool, error) {
	if _, err := ps.BySlug(ctx, p.Slug); err == nil {
		return false, nil
	} else if !errors.Is(err, panels.ErrNotFound) {
		return false, err
	}
	return true, ps.Create(ctx, nil, p)
}

const demoSupport = "A named contact in the Live Well Commissioning team, who you can call or text between meetings.\n\n" +
	"An induction before your first meeting, a debrief after every session, and training in co-production if you want it.\n\n" +
	"We pay travel, childcare and the cost of a carer, and can arrange interpreters, large print and step-free rooms. " +
	"We can put you in touch with free, independent benefits advice before you decide how to be paid."

func loadRecruitingPanel(ctx context.Context, ps *panels.Store, today time.Time) error {
	until := time.Date(today.Year(), today.Month(), today.Day()+42, 0, 0, 0, 0, today.Location())
	p := &panels.Panel{Slug: recruitingSlug, Name: "Lived experience advisory group",
		Purpose: "Islington Council is redesigning early help and prevention mental health support with the people who use it. " +
			"The work so far was led jointly by a group of experts by experience and an independent facilitator.\n\n" +
			"The advisory group carries that on. Members check that what the council does matches what residents said: " +
			"support in the places people already go, telling your story once, and no wrong door. " +
			"People with lived experience will shape our services, so we know they really work.",
		MembersDo: "Come to a two-hour meeting each month, at Finsbury Library, 222 Upper Street or online.\n\n" +
			"Read draft findings and commitments, and tell us whether the language is right before anything is published. " +
			"Some members also sit on interview panels for new services, or help run workshops.",
		TimeCommitment: "About 4 hours a month: one 2-hour meeting and some reading", TermMonths: 12,
		RateKind: panels.Hourly, RatePence: 2500, PaymentMethods: "bank_transfer,vouchers", ExpensesCovered: true, Support: demoSupport,
		RecruitOpen: true, RecruitUntil: &until, TargetSize: 12}
	p.SetTargets([]panels.Target{{Dimension: "age_band", Value: "16-24", Min: 2}, {Dimension: "ethnicity", Value: "black", Min: 2},
		{Dimension: "ethnicity", Value: "asian", Min: 2}, {Dimension: "locality", Value: "north", Min: 3}, {Dimension: "locality", Value: "central", Min: 3},
		{Dimension: "locality", Value: "south", Min: 3}, {Dimension: "lived_experience", Value: "carer", Min: 2}, {Dimension: "lived_experience", Value: "lgbtq", Min: 1}})
	created, err := createPanel(ctx, ps, p)
	if err != nil || !created {
		return err
	}
	for _, d := range recruitingApplicants {
		a, err := ps.Apply(ctx, p.ID, panels.Apply{Name: d.name, Email: d.email, LivedExperience: d.areas, Statement: d.why,
			Availability: d.availability, AccessNeeds: d.access, PaymentPreference: d.pay, AgeBand: d.age, Ethnicity: d.ethnicity,
			Locality: d.locality, ConsentStore: true, ConsentAnalysis: len(d.why)%2 == 0})
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		for _, to := range d.to {
			dec := panels.Decision{To: to}
			if to == panels.Declined {
				dec.Reason = "Lives and works outside the borough; the group is for Islington residents."
				dec.Message = "Thank you so much for applying. This group is for people who live in Islington, so we cannot offer you a place. " +
					"We would love to hear from you at one of our workshops, which are open to everyone who works here too."
			}
			if _, err := ps.Decide(ctx, nil, a.ID, dec); err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
		}
	}
	return nil
}

func loadActivePanel(ctx context.Context, ps *panels.Store, today time.Time) error {
	p := &panels.Panel{Slug: activeSlug, Name: "Early help co-design group",
		Purpose: "The group of experts by experience that co-led the early help and prevention vision with an independent facilitator. " +
			"It now checks the council's commitments and the \"you said, we did\" report before they are published.",
		MembersDo:      "Monthly meetings, reading groups, interview panels for new services, and reviews of draft findings.",
		TimeCommitment: "One 2-hour meeting a month, and some reading", TermMonths: 12, RateKind: panels.Hourly, RatePence: 2500,
		PaymentMethods: "bank_transfer,vouchers", ExpensesCovered: true, Support: demoSupport, TargetSize: 8, RecruitOpen: true}
	p.SetTargets([]panels.Target{{Dimension: "age_band", Value: "16-24", Min: 1}, {Dimension: "lived_experience", Value: "carer", Min: 2},
		{Dimension: "ethnicity", Value: "black", Min: 2}})
	created, err := createPanel(ctx, ps, p)
	if err != nil || !created {
		return err
	}
	start := time.Date(today.Year(), today.Month()-4, 1, 0, 0, 0, 0, today.Location())
	var members []uint
	for _, d := range activeMembers {
		a, err := ps.Apply(ctx, p.ID, panels.Apply{Name: d.name, Email: d.email, LivedExperience: d.areas, AccessNeeds: d.access,
			PaymentPreference: d.pay, AgeBand: d.age, Ethnicity: d.ethnicity, Locality: d.locality, ConsentStore: true})
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		got, err := ps.Decide(ctx, nil, a.ID, panels.Decision{To: panels.Accepted, TermStart: start})
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		members = append(members, got.Member.ID)
	}
	// Its members were recruited months ago; it takes no applications now.
	p.RecruitOpen = false
	if err := ps.Update(ctx, nil, p); err != nil {
		return err
	}
	for _, d := range activeSessions {
		if err := loadSession(ctx, ps, p, d, members, today); err != nil {
			return fmt.Errorf("%s: %w", d.title, err)
		}
	}
	return nil
}

// loadSession stores a session, who came, and moves its payments on.
func loadSession(ctx context.Context, ps *panels.Store, p *panels.Panel, d demoSession, members []uint, today time.Time) error {
	at := time.Date(today.Year(), today.Month(), today.Day()+d.days, d.hour, 0, 0, 0, today.Location())
	s := &panels.Session{PanelID: p.ID, Title: d.title, Activity: d.activity, StartsAt: at, Minutes: d.min}
	if err := ps.CreateSession(ctx, nil, s); err != nil {
		return err
	}
	if len(d.came) == 0 {
		return nil
	}
	rows := make([]panels.Attendance, 0, len(d.came))
	for _, c := range d.came {
		rows = append(rows, panels.Attendance{MemberID: members[c.member], Minutes: c.minutes, ExpensesPence: c.pence, ReceiptNote: c.receipt})
	}
	if err := ps.RecordAttendance(ctx, nil, s.ID, rows); err != nil {
		return err
	}
	if d.paid == panels.Due {
		return nil
	}
	pays, err := ps.SessionPayments(ctx, s.ID)
	if err != nil {
		return err
	}
	for _, pay := range pays {
		if err := ps.Approve(ctx, nil, pay.ID); err != nil {
			return err
		}
		if d.paid == panels.Paid {
			if err := ps.MarkPaid(ctx, nil, pay.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
