package demo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode"

	"codesign/messages"
	"codesign/reports"
	"codesign/surveys"
	"codesign/themes"
	"codesign/workshops"

	"gorm.io/gorm"
)

// The demo's published results for the open consultation: findings from
// confirmed codes, the people who came to the past workshops (linked to
// the consultation here), quotes, and commitments from the council and
// its partners in every status.
//
// Codes only exist once the background coder has read the answers, which
// a fresh demo has not done yet. So the demo codes the answers itself
// through the themes store, exactly as the background coder does (the
// same units, scopes and source ids, so the coder later finds them
// stored and adds nothing), and accepts the confident suggestions as a
// facilitator would, leaving the rest waiting in the review queue. The
// decisions are recorded as made by user 0, the demo loader. Risk
// sentences are never stored as passages, and a quote from an answer that
// reads as a risk disclosure is refused by the reports store even before
// safeguarding screening has run.

// demoConfidence is how sure a suggestion must be for the demo to accept it.
const demoConfidence = 0.6

// demoCommitment is a commitment and what has happened to it since.
type demoCommitment struct {
	youSaid, weDid, org, team string
	codes                     []string
	months                    int // until it is due
	updates                   []reports.Progress
}

var demoCommitments = []demoCommitment{
	{"You waited months for talking therapy, and nobody checked in with you while you waited.",
		"We will fund two more talking therapists and call everyone on the waiting list every four weeks, so nobody waits without hearing from us.",
		"NHS North Central London", "Talking Therapies commissioning", []string{"waiting_times", "continuity"}, 9,
		[]reports.Progress{{Status: reports.InProgress, Note: "One of the two therapists started in post. Monthly check-in calls began for everyone waiting more than four weeks."}}},
	{"You did not know where to go, and were sent from one service to another.",
		"We will run a single phone line and drop-in at the Fairer Together hubs at Finsbury Library and 222 Upper Street, where someone finds the right support with you.",
		"Islington Council", "Live Well Commissioning", []string{"not_knowing_where_to_go", "joined_up_services", "referrals_handovers"}, 6,
		[]reports.Progress{{Status: reports.InProgress, Note: "The drop-in is open on Tuesdays at Finsbury Library. The phone line is being tested with residents."}}},
	{"You want support in the places you already go, not in a clinic across the borough.",
		"Peer support groups now meet weekly in Archway, Central and Mildmay libraries.",
		"Islington Mind", "Peer Support Service", []string{"places_people_go", "peer_community_support"}, 3,
		[]reports.Progress{{Status: reports.Done, Note: "Weekly groups are running in all three libraries, with a quiet room at each."}}},
	{"You told us you had to tell your story again and again.",
		"We will agree one shared record, with your permission, across the council, the NHS and the voluntary sector services in the hubs.",
		"Islington Council", "Access Islington Hubs", []string{"tell_story_once"}, 12, nil},
	{"You asked for support in the evenings and at weekends.",
		"We looked at opening the hubs on Saturdays.",
		"Islington Council", "Library and Heritage Service", []string{"opening_hours_location", "crisis_response"}, 4,
		[]reports.Progress{{Status: reports.NotPossible, Note: "We could not staff the hubs safely on Saturdays this year.",
			Reason: "There is no funding for weekend staff until April. We have asked for it in next year's budget, and the crisis café at Whittington Health is open until 11pm every day."}}},
	{"You said services do not always understand your culture or speak your language.",
		"We will train every hub worker in culturally competent, trauma-informed practice and book interpreters at the first contact.",
		"Islington Council", "Fairer Together", []string{"cultural_competence", "language_culture", "discrimination_racism"}, 8, nil},
}

// loadReports publishes the results of the open consultation. It does
// nothing if that consultation is missing or already has results.
func loadReports(ctx context.Context, db *gorm.DB) error {
	ss, ts, rs := surveys.NewStore(db), themes.NewStore(db), reports.NewStore(db)
	sv, err := ss.BySlug(ctx, openSlug)
	if errors.Is(err, surveys.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if _, err := rs.BySurvey(ctx, sv.ID); err == nil {
		return nil
	} else if !errors.Is(err, reports.ErrNotFound) {
		return err
	}
	if err := codeAnswers(ctx, ss, ts, sv.ID); err != nil {
		return fmt.Errorf("demo coding: %w", err)
	}
	if err := linkPastWorkshops(ctx, db); err != nil {
		return err
	}
	if err := codeNotes(ctx, db, ts); err != nil {
		return fmt.Errorf("demo coding workshop notes: %w", err)
	}
	r, err := rs.Start(ctx, nil, sv.ID)
	if err != nil {
		return err
	}
	if _, err := rs.Update(ctx, nil, r.ID, reports.Details{Title: "What you told us about early help, and what we are doing",
		Intro: "We asked people who live, work or study in Islington what helps them look after their mental health, what gets in the way of getting support, " +
			"and how services could work better together. Here is what we heard, and what the council, the NHS and local organisations have committed to do."}); err != nil {
		return err
	}
	if err := pickQuotes(ctx, rs, r); err != nil {
		return err
	}
	for _, dc := range demoCommitments {
		if err := addCommitment(ctx, rs, r.ID, dc); err != nil {
			return err
		}
	}
	r, err = rs.Get(ctx, r.ID)
	if err != nil {
		return err
	}
	_, _, err = rs.Publish(ctx, r.ID, reports.PublishInput{Revision: r.Revision, ActorName: "Live Well Commissioning"})
	return err
}

// linkPastWorkshops says the demo's past workshops fed the open
// consultation, so its results count the people who came.
func linkPastWorkshops(ctx context.Context, db *gorm.DB) error {
	ws := workshops.NewStore(db, messages.NewStore(db), workshops.Options{})
	events, err := ws.List(ctx, workshops.Query{})
	if err != nil {
		return err
	}
	now := time.Now()
	for _, e := range events {
		if e.EndsAt.After(now) || e.Status == workshops.Cancelled || e.SurveySlug != "" {
			continue
		}
		e.SurveySlug = openSlug
		if err := ws.Update(ctx, nil, &e); err != nil {
			return fmt.Errorf("linking demo workshop %q: %w", e.Title, err)
		}
	}
	return nil
}

// codeNotes stores the workshops' notes as passages, as the background
// coder does (the same units, scopes and source ids), and accepts the
// confident suggestions, so that the results count them by workshop.
func codeNotes(ctx context.Context, db *gorm.DB, ts *themes.Store) error {
	cb, err := ts.Codebook(ctx)
	if err != nil {
		return err
	}
	notes, err := workshops.NewStore(db, messages.NewStore(db), workshops.Options{}).NoteUnits(ctx)
	if err != nil {
		return err
	}
	scopes := map[string]bool{}
	units := make([]themes.Unit, 0, len(notes))
	for _, n := range notes {
		scopes[n.Source] = true
		units = append(units, themes.Unit{Kind: themes.WorkshopNote, SourceID: n.ID, Scope: n.Source, Text: n.Text})
	}
	if _, err := ts.Add(ctx, themes.NewCoder(cb), units, nil); err != nil {
		return err
	}
	return acceptConfident(ctx, ts, scopes, nil)
}

// codeAnswers stores the survey's free text as passages and accepts the
// confident suggestions of each question.
func codeAnswers(ctx context.Context, ss *surveys.Store, ts *themes.Store, surveyID uint) error {
	cb, err := ts.Codebook(ctx)
	if err != nil {
		return err
	}
	coder := themes.NewCoder(cb)
	scopes := map[string]bool{}
	var after uint
	for {
		page, err := ss.FreeTextSince(ctx, after, 500)
		if err != nil || len(page) == 0 {
			return acceptConfident(ctx, ts, scopes, err)
		}
		var units []themes.Unit
		for _, u := range page {
			if u.SurveyID != surveyID {
				continue
			}
			scope := fmt.Sprintf("survey:%d:%s", u.SurveyID, u.QuestionKey)
			scopes[scope] = true
			units = append(units, themes.Unit{Kind: themes.SurveyAnswer, SourceID: strconv.FormatUint(uint64(u.AnswerID), 10), Scope: scope, Text: u.Text})
		}
		if _, err := ts.Add(ctx, coder, units, nil); err != nil {
			return err
		}
		after = page[len(page)-1].AnswerID
	}
}

func acceptConfident(ctx context.Context, ts *themes.Store, scopes map[string]bool, err error) error {
	if err != nil {
		return err
	}
	for scope := range scopes {
		if _, err := ts.BulkAccept(ctx, themes.Filter{Scope: scope, MinConfidence: demoConfidence}, 0); err != nil {
			return err
		}
	}
	return nil
}

// quoteCodes are the codes the demo picks a quote for, two per theme.
var quoteCodes = []string{"money_debt", "loneliness_isolation", "places_people_go", "peer_community_support", "waiting_times", "stigma"}

// pickQuotes picks, for each of quoteCodes, the first passage that may be
// quoted, reads as a sentence and says something new.
func pickQuotes(ctx context.Context, rs *reports.Store, r *reports.Report) error {
	seen := map[string]bool{}
	for _, code := range quoteCodes {
		cands, err := rs.Candidates(ctx, r, code, 30)
		if err != nil {
			return err
		}
		for _, c := range cands {
			if c.Blocked != "" || len([]rune(c.Text)) < 50 || !unicode.IsUpper([]rune(c.Text)[0]) || seen[c.Text] {
				continue
			}
			if _, err := rs.AddQuote(ctx, nil, r.ID, c.PassageID, code); err != nil {
				return err
			}
			seen[c.Text] = true
			break
		}
	}
	return nil
}

func addCommitment(ctx context.Context, rs *reports.Store, reportID uint, dc demoCommitment) error {
	y, m, d := rs.Now().AddDate(0, dc.months, 0).Date()
	c := &reports.Commitment{YouSaid: dc.youSaid, WeDid: dc.weDid, Codes: dc.codes, OwnerOrg: dc.org, OwnerTeam: dc.team,
		DueOn: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	if err := rs.AddCommitment(ctx, nil, reportID, c); err != nil {
		return fmt.Errorf("demo commitment %q: %w", dc.youSaid, err)
	}
	for _, p := range dc.updates {
		if err := rs.Record(ctx, nil, reportID, c.ID, p); err != nil {
			return err
		}
	}
	return nil
}
