package reports

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"codesign/audit"
	"codesign/errs"
	"codesign/surveys"

	"gorm.io/gorm"
)

// The one-year check-in asks residents, for each published commitment,
// whether it has made a difference: a scale and their own words, in
// questions whose keys name the commitment, so the answers can be shown
// beside each commitment's status.

// DifferenceKey and CommentKey are the check-in questions about one
// commitment.
func DifferenceKey(commitmentID uint) string { return fmt.Sprintf("c%d_difference", commitmentID) }

// CommentKey is the free-text question about one commitment.
func CommentKey(commitmentID uint) string { return fmt.Sprintf("c%d_comments", commitmentID) }

// ErrCheckinExists is returned when a report already has its check-in.
var ErrCheckinExists = &errs.Conflict{Message: "This consultation already has a one-year check-in survey. Open it from the list of consultations."}

// CreateCheckin creates, in one step, a draft follow-up survey from the
// commitments of the latest published version, and links it to the
// report. Staff then check its words and open it like any consultation.
func (s *Store) CreateCheckin(ctx context.Context, actor *uint, reportID uint) (*surveys.Survey, error) {
	r, err := s.Get(ctx, reportID)
	if err != nil {
		return nil, err
	}
	if r.CheckinID != nil {
		return nil, ErrCheckinExists
	}
	vs, err := s.Versions(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 || len(vs[0].Snapshot.Commitments) == 0 {
		return nil, &errs.Conflict{Message: "Publish the results with at least one commitment first: the check-in asks about published commitments."}
	}
	orig, err := s.surveys.Get(ctx, r.SurveyID)
	if err != nil {
		return nil, err
	}
	sv := checkinSurvey(orig, vs[0].Snapshot.Commitments)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur Report
		if err := lockRow(tx, &cur, r.ID); err != nil {
			return err
		}
		if cur.CheckinID != nil {
			return ErrCheckinExists
		}
		if err := createFreeSlug(ctx, surveys.NewStore(tx), actor, sv); err != nil {
			return err
		}
		if err := tx.Model(&cur).Update("checkin_id", sv.ID).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "report.checkin", Target: ref("report", r.ID)})
	})
	if err != nil {
		return nil, err
	}
	return sv, nil
}

// createFreeSlug creates sv, adding a number to its slug while the slug is
// taken.
func createFreeSlug(ctx context.Context, ss *surveys.Store, actor *uint, sv *surveys.Survey) error {
	base := sv.Slug
	for i := 2; ; i++ {
		err := ss.Create(ctx, actor, sv)
		f, ok := errs.AsFields(err)
		if !ok || f.Messages["slug"] == "" || i > 20 {
			return err
		}
		sv.Slug = base + "-" + strconv.Itoa(i)
	}
}

// checkinSurvey builds the follow-up survey: a page per commitment, then
// the contact question and the equality section if the original had them.
func checkinSurvey(orig *surveys.Survey, cs []PublishedCommitment) *surveys.Survey {
	sv := &surveys.Survey{Slug: clip(orig.Slug, 66) + "-one-year-on", Title: clip("One year on: "+orig.Title, 200), Status: surveys.Draft,
		Minutes: 2 + 2*len(cs),
		Summary: "A year ago you told us what would help. Tell us whether what we said we would do has made a difference.",
		Introduction: "In \"" + orig.Title + "\" residents told us what would help, and the council and its partners made commitments. " +
			"For each commitment, tell us whether it has made a difference to you or people you know. Every question is optional.",
		WhoIsAsking: orig.WhoIsAsking, PrivacyNotice: orig.PrivacyNotice}
	for i, c := range cs {
		sv.Pages = append(sv.Pages, surveys.Page{
			Title: clip(fmt.Sprintf("Commitment %d of %d", i+1, len(cs)), 200),
			Intro: "You said: " + c.YouSaid + "\n\nWe said we would: " + c.WeDid + "\n\nWho is doing it: " + c.OwnerOrg + ", " + c.OwnerTeam +
				". Due by " + c.DueOn.Format("2 January 2006") + ".",
			Questions: []surveys.Question{
				{Key: DifferenceKey(c.ID), Type: surveys.Scale, Label: "Has this made a difference?",
					Hint: "0 means no difference at all and 10 means a big difference. Leave it blank if you do not know."},
				{Key: CommentKey(c.ID), Type: surveys.Textarea, MaxLength: 1500, Label: "Tell us more about what has or has not changed"},
			},
		})
	}
	var extra []surveys.Question
	for _, q := range orig.Questions() {
		if q.Personal && q.Type == surveys.Email {
			extra = append(extra, *q)
			break
		}
	}
	if len(extra) > 0 {
		sv.Pages = append(sv.Pages, surveys.Page{Title: "Hearing what happened", Questions: extra})
	}
	if q, _ := orig.Question("locality"); q != nil {
		var locs []surveys.Option
		for _, o := range q.Options {
			if o.Value != "outside" && o.Value != surveys.PreferNotToSay.Value {
				locs = append(locs, o)
			}
		}
		sv.Pages = append(sv.Pages, surveys.EqualityPage(locs))
	}
	return sv
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimRight(string(r[:n]), " -")
	}
	return s
}

// Checkin is what residents said a year on about one commitment.
type Checkin struct {
	Answered Cell
	Average  float64 // out of 10, when Answered is published
	Comments Cell
}

// CheckinResults counts the check-in's answers by commitment. Nothing is
// returned until the check-in survey has been opened.
func (s *Store) CheckinResults(ctx context.Context, r *Report) (map[uint]Checkin, error) {
	out := map[uint]Checkin{}
	if r.CheckinID == nil {
		return out, nil
	}
	sv, err := s.surveys.Get(ctx, *r.CheckinID)
	if err != nil || sv.Status == surveys.Draft {
		return out, nil
	}
	var rows []struct {
		QuestionKey, Value string
	}
	if err := s.db.WithContext(ctx).Model(&surveys.Answer{}).Select("question_key, value").Where("survey_id = ?", sv.ID).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	sums, counts, comments := map[uint]float64{}, map[uint]int{}, map[uint]int{}
	for _, row := range rows {
		var id uint
		var kind string
		if _, err := fmt.Sscanf(strings.Replace(row.QuestionKey, "_", " ", 1), "c%d %s", &id, &kind); err != nil {
			continue
		}
		switch kind {
		case "difference":
			if v, err := strconv.ParseFloat(row.Value, 64); err == nil {
				sums[id] += v
				counts[id]++
			}
		case "comments":
			comments[id]++
		}
	}
	for id, n := range counts {
		c := Checkin{Answered: one(n), Comments: one(comments[id])}
		if !c.Answered.Suppressed {
			c.Average = float64(int(sums[id]/float64(n)*10+0.5)) / 10
		}
		out[id] = c
	}
	return out, nil
}
