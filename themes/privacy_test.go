package themes_test

import (
	"testing"

	"codesign/database/dbtest"
	"codesign/themes"

	"gorm.io/gorm"
)

func TestErasePassagesOfAnAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		st, c := themes.NewStore(db), newCoder(t)
		if _, err := st.Add(ctx, c, units(), nil); err != nil {
			t.Fatal(err)
		}
		mine, err := st.PassagesFrom(ctx, nil, themes.SurveyAnswer, []string{"1"})
		if err != nil || len(mine) != 2 {
			t.Fatalf("passages of answer 1: %+v %v", mine, err)
		}
		before := all(t, st, themes.Filter{Scope: "survey:1:q"})
		if _, _, err := st.Decide(ctx, themes.Choice{PassageID: mine[0].ID, Code: "housing", Decision: themes.Added, UserID: 1}); err != nil {
			t.Fatal(err)
		}
		ids := []uint{mine[0].ID, mine[1].ID}
		var n int64
		err = db.Transaction(func(tx *gorm.DB) error {
			n, err = st.ErasePassages(ctx, tx, ids)
			return err
		})
		if err != nil || n != 2 {
			t.Fatalf("erased %d, %v", n, err)
		}
		if left, _ := st.PassagesFrom(ctx, nil, themes.SurveyAnswer, []string{"1"}); len(left) != 0 {
			t.Errorf("passages left: %+v", left)
		}
		if after := all(t, st, themes.Filter{Scope: "survey:1:q"}); len(after) != len(before)-2 {
			t.Errorf("%d passages after, %d before", len(after), len(before))
		}
		for _, table := range []string{"theme_suggestions", "theme_decisions", "theme_codings"} {
			var left int64
			db.Table(table).Where("passage_id IN ?", ids).Count(&left)
			if left != 0 {
				t.Errorf("%s still has %d rows of erased passages", table, left)
			}
		}
	})
}
