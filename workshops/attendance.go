package workshops

import (
	"context"
	"fmt"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
)

// MarkAttendance records, for each booking id, whether the person came
// (Attended) or not (NoShow); Confirmed undoes a mark. Only people who
// held a place can be marked.
func (s *Store) MarkAttendance(ctx context.Context, actor *uint, eventID uint, marks map[uint]BookingStatus) error {
	for _, st := range marks {
		if st != Attended && st != NoShow && st != Confirmed {
			f := &errs.Fields{}
			f.Add("attendance", "Select attended or did not come for each person")
			return f
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := lockEvent(tx, eventID); err != nil {
			return err
		}
		for id, st := range marks {
			res := tx.Model(&Booking{}).Where("id = ? AND event_id = ? AND status IN ?", id, eventID, holdsPlace).Update("status", st)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrNotFound
			}
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "workshop.attendance", Target: eventRef(eventID),
			Detail: fmt.Sprintf("%d people marked", len(marks))})
	})
}

// Attendance counts an event's places by outcome, for reports. It stays
// right after retention, which keeps statuses and removes only identities.
type Attendance struct {
	Booked, Attended, NoShow, NotMarked, Waiting, Cancelled int
}

// AttendanceCounts returns the counts for an event.
func (s *Store) AttendanceCounts(ctx context.Context, eventID uint) (Attendance, error) {
	var rows []struct {
		Status BookingStatus
		N      int
	}
	err := s.db.WithContext(ctx).Model(&Booking{}).Select("status, count(*) AS n").Where("event_id = ?", eventID).Group("status").Scan(&rows).Error
	var a Attendance
	for _, r := range rows {
		switch r.Status {
		case Attended:
			a.Attended = r.N
		case NoShow:
			a.NoShow = r.N
		case Confirmed:
			a.NotMarked = r.N
		case Waiting:
			a.Waiting = r.N
		case BookingCancelled:
			a.Cancelled = r.N
		}
	}
	a.Booked = a.Attended + a.NoShow + a.NotMarked
	return a, err
}
