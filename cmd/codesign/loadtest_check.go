package main

import (
	"context"
	"fmt"

	"codesign/accounts"
	"codesign/surveys"
	"codesign/workshops"

	"gorm.io/gorm"
)

// loadCheck sets what the database holds against what the server
// acknowledged during the run.
type loadCheck struct {
	Checked       bool     `json:"checked"`
	Reason        string   `json:"reason,omitempty"` // why it was not checked
	Responses     ackCount `json:"responses"`
	Bookings      ackCount `json:"bookings"`
	Cancellations ackCount `json:"cancellations"`
	// CountsExact is whether the survey's running counts, which the staff
	// summary reads, equal a count of its stored answers.
	CountsExact bool     `json:"counts_exact"`
	Problems    []string `json:"problems,omitempty"`
	Passed      bool     `json:"passed"`
}

// ackCount is one kind of write. Extra rows are ones stored during the
// run that nobody was told about; a request that timed out or met a 5xx
// (Unclear) may explain one each, and nothing else may.
type ackCount struct {
	Acknowledged int64 `json:"acknowledged"`
	Found        int64 `json:"found"`
	Missing      int64 `json:"missing"`
	Extra        int64 `json:"extra"`
	Unclear      int64 `json:"unclear"`
}

// loadMarks are the highest ids before the run: rows above them are the
// run's.
type loadMarks struct{ Response, Booking uint }

func takeMarks(ctx context.Context, db *gorm.DB) (loadMarks, error) {
	var m loadMarks
	err := db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(id), 0) FROM survey_responses`).Scan(&m.Response).Error
	if err == nil {
		err = db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(id), 0) FROM workshop_bookings`).Scan(&m.Booking).Error
	}
	return m, err
}

const checkBatch = 500

// checkDatabase reads every acknowledgement back from the log and looks
// for it: each receipt is a stored response, each booking token a stored
// booking, cancelled if and only if its cancellation was acknowledged.
func checkDatabase(ctx context.Context, db *gorm.DB, slug string, events []uint, marks loadMarks, acks *ackLog) (loadCheck, error) {
	c := loadCheck{Checked: true}
	db = db.WithContext(ctx)
	cancelled := map[string]bool{}
	err := acks.each(func(kind byte, ref string) error {
		if kind == ackCancel {
			cancelled[accounts.HashSecret(ref)] = true
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	var receipts, hashes []string
	flush := func() error {
		if err := c.findResponses(db, receipts); err != nil {
			return err
		}
		receipts = receipts[:0]
		err := c.findBookings(db, hashes, cancelled)
		hashes = hashes[:0]
		return err
	}
	err = acks.each(func(kind byte, ref string) error {
		switch kind {
		case ackResponse:
			receipts = append(receipts, ref)
		case ackBooking:
			hashes = append(hashes, accounts.HashSecret(ref))
		}
		if len(receipts) >= checkBatch || len(hashes) >= checkBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return c, err
	}
	if err := c.countExtra(db, slug, events, marks, acks); err != nil {
		return c, err
	}
	return c, c.checkCounts(ctx, db, slug)
}

// checkCounts counts the survey's answers again and compares the running
// counts the summary shows.
func (c *loadCheck) checkCounts(ctx context.Context, db *gorm.DB, slug string) error {
	st := surveys.NewStore(db)
	sv, err := st.BySlug(ctx, slug)
	if err != nil {
		return err
	}
	diffs, err := st.CheckCounts(ctx, sv)
	if err != nil {
		return err
	}
	c.CountsExact = len(diffs) == 0
	for _, d := range diffs {
		c.problem("the summary's count differs from the stored answers: %s", d)
	}
	c.Passed = len(c.Problems) == 0
	return nil
}

func (c *loadCheck) findResponses(db *gorm.DB, receipts []string) error {
	if len(receipts) == 0 {
		return nil
	}
	var n int64
	if err := db.Raw(`SELECT count(*) FROM survey_responses WHERE receipt IN ?`, receipts).Scan(&n).Error; err != nil {
		return err
	}
	c.Responses.Acknowledged += int64(len(receipts))
	c.Responses.Found += n
	return nil
}

func (c *loadCheck) findBookings(db *gorm.DB, hashes []string, cancelled map[string]bool) error {
	if len(hashes) == 0 {
		return nil
	}
	var rows []struct {
		ManageTokenHash string
		Status          workshops.BookingStatus
	}
	if err := db.Raw(`SELECT manage_token_hash, status FROM workshop_bookings WHERE manage_token_hash IN ?`, hashes).Scan(&rows).Error; err != nil {
		return err
	}
	c.Bookings.Acknowledged += int64(len(hashes))
	c.Bookings.Found += int64(len(rows))
	for _, r := range rows {
		switch {
		case cancelled[r.ManageTokenHash] && r.Status == workshops.BookingCancelled:
			c.Cancellations.Found++
		case cancelled[r.ManageTokenHash]:
			c.problem("a booking whose cancellation was acknowledged is %s", r.Status)
		case r.Status == workshops.BookingCancelled:
			c.Cancellations.Extra++ // a cancellation that timed out may have gone through
		case r.Status != workshops.Confirmed && r.Status != workshops.Waiting:
			c.problem("a booking nobody cancelled is %s", r.Status)
		}
	}
	return nil
}

// countExtra counts the run's rows and finishes the verdict.
func (c *loadCheck) countExtra(db *gorm.DB, slug string, events []uint, marks loadMarks, acks *ackLog) error {
	var responses, bookings int64
	err := db.Raw(`SELECT count(*) FROM survey_responses WHERE id > ? AND survey_id = (SELECT id FROM surveys WHERE slug = ?)`,
		marks.Response, slug).Scan(&responses).Error
	if err != nil {
		return err
	}
	if len(events) > 0 {
		if err := db.Raw(`SELECT count(*) FROM workshop_bookings WHERE id > ? AND event_id IN ?`, marks.Booking, events).Scan(&bookings).Error; err != nil {
			return err
		}
	}
	c.Cancellations.Acknowledged = acks.n[ackCancel]
	c.Responses.Unclear, c.Bookings.Unclear, c.Cancellations.Unclear = acks.lost[ackResponse], acks.lost[ackBooking], acks.lost[ackCancel]
	c.Responses.Extra, c.Bookings.Extra = responses-c.Responses.Found, bookings-c.Bookings.Found
	for _, k := range []struct {
		what string
		n    *ackCount
	}{{"responses", &c.Responses}, {"bookings", &c.Bookings}, {"cancellations", &c.Cancellations}} {
		k.n.Missing = k.n.Acknowledged - k.n.Found
		if k.n.Missing > 0 {
			c.problem("%d acknowledged %s are not in the database", k.n.Missing, k.what)
		}
		if k.n.Extra > k.n.Unclear {
			c.problem("the database holds %d %s that were never acknowledged, and only %d requests had no clear answer", k.n.Extra, k.what, k.n.Unclear)
		}
	}
	c.Passed = len(c.Problems) == 0
	return nil
}

func (c *loadCheck) problem(format string, args ...any) {
	if len(c.Problems) < 20 {
		c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
	}
}
