package reports_test

import (
	"reflect"
	"testing"

	"codesign/database/dbtest"
	"codesign/reports"

	"gorm.io/gorm"
)

// Erasing an answer takes its quote out of the draft and out of every
// published version; the published counts stay as they were published.
func TestEraseQuotesFromDraftAndPublishedVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		r, ids := publishable(t, f)
		mine, err := f.rs.AddQuote(ctx, nil, r.ID, f.passages(t, ids[0])[0].ID, "waiting_times")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.rs.AddQuote(ctx, nil, r.ID, f.passages(t, ids[1])[0].ID, "waiting_times"); err != nil {
			t.Fatal(err)
		}
		pub, _, err := f.rs.Publish(ctx, r.ID, reports.PublishInput{Revision: f.revision(t, r.ID), ActorName: "Officer"})
		if err != nil || len(pub.Snapshot.Quotes) != 2 {
			t.Fatalf("published %+v, %v", pub, err)
		}
		rev := f.revision(t, r.ID)
		found, err := f.rs.QuotesOfAnswers(ctx, nil, []uint{mine.AnswerID})
		if err != nil || len(found) != 1 || found[0].ID != mine.ID {
			t.Fatalf("quotes of the answer: %+v %v", found, err)
		}
		var did reports.QuoteErasure
		err = db.Transaction(func(tx *gorm.DB) error {
			did, err = f.rs.EraseQuotes(ctx, tx, found)
			return err
		})
		if err != nil || did.Quotes != 1 || did.Published != 1 {
			t.Fatalf("erasure %+v, %v", did, err)
		}
		left, _ := f.rs.Quotes(ctx, r.ID)
		if len(left) != 1 || left[0].ID == mine.ID {
			t.Errorf("draft quotes left: %+v", left)
		}
		if f.revision(t, r.ID) != rev+1 {
			t.Error("the draft's revision did not move on")
		}
		after, err := f.rs.Version(ctx, r.ID, pub.Version)
		if err != nil || len(after.Snapshot.Quotes) != 1 || after.Snapshot.Quotes[0].Text == mine.Text {
			t.Fatalf("published quotes after erasure: %+v %v", after.Snapshot.Quotes, err)
		}
		if !reflect.DeepEqual(after.Snapshot.Findings.Participants, pub.Snapshot.Findings.Participants) ||
			!reflect.DeepEqual(after.Snapshot.Findings.Themes, pub.Snapshot.Findings.Themes) {
			t.Errorf("published counts changed: %+v, were %+v", after.Snapshot.Findings, pub.Snapshot.Findings)
		}
	})
}
