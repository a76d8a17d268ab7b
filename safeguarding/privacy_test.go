package safeguarding_test

import (
	"context"
	"testing"

	"codesign/database/dbtest"
	"codesign/messages"
	"codesign/safeguarding"

	"gorm.io/gorm"
)

func TestEraseItemsOfAResponse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := safeguarding.NewStore(db, messages.NewStore(db))
		texts := []safeguarding.Text{
			{Kind: safeguarding.SurveyAnswer, Ref: "answer:1", ResponseID: 7, QuestionKey: "story", Text: "I want to end my life."},
			{Kind: safeguarding.SurveyAnswer, Ref: "answer:2", ResponseID: 8, QuestionKey: "story", Text: "I cannot keep myself safe."},
		}
		if n, err := s.Screen(ctx, coder(t), safeguarding.Notice{}, safeguarding.Batch{Cursor: "c", From: 0, To: 1, Texts: texts}); err != nil || n != 2 {
			t.Fatalf("queued %d, %v", n, err)
		}
		items, err := s.ItemsForResponses(ctx, nil, []uint{7})
		if err != nil || len(items) != 1 || items[0].Ref != "answer:1" {
			t.Fatalf("items of response 7: %+v %v", items, err)
		}
		if _, err := s.Record(ctx, &safeguarding.Action{ItemID: items[0].ID, Action: safeguarding.Contacted, Notes: "Called Sam on 07700 900123"}); err != nil {
			t.Fatal(err)
		}
		var gotItems, gotActions int64
		err = db.Transaction(func(tx *gorm.DB) error {
			gotItems, gotActions, err = s.EraseItems(ctx, tx, []uint{items[0].ID})
			return err
		})
		if err != nil || gotItems != 1 || gotActions != 1 {
			t.Fatalf("erased %d items, %d actions: %v", gotItems, gotActions, err)
		}
		if left, _ := s.History(ctx, items[0].ID); len(left) != 0 {
			t.Errorf("actions left: %+v", left)
		}
		if waiting, _ := s.Waiting(ctx); len(waiting) != 1 || waiting[0].Ref != "answer:2" {
			t.Errorf("someone else's item changed: %+v", waiting)
		}
		if none, err := s.ItemsForResponses(ctx, nil, nil); err != nil || none != nil {
			t.Errorf("no responses: %+v %v", none, err)
		}
	})
}
