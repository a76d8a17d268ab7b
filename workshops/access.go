package workshops

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"codesign/audit"
	"codesign/errs"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NeedsChange is what a resident may change through their private link.
type NeedsChange struct {
	AccessNeeds         []Need
	InterpreterLanguage string
	AccessNotes         string
	Dietary             string
}

// UpdateNeeds changes the access and dietary needs on a booking.
func (s *Store) UpdateNeeds(ctx context.Context, token string, ch NeedsChange) (*Booking, error) {
	in := Signup{Name: "-", Phone: "0000000", AccessNeeds: ch.AccessNeeds, InterpreterLanguage: strings.TrimSpace(ch.InterpreterLanguage),
		AccessNotes: strings.TrimSpace(ch.AccessNotes), Dietary: strings.TrimSpace(ch.Dietary)}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	b, err := s.ByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if !b.Active() {
		return nil, errAlreadyCancelled
	}
	upd := map[string]any{"access_needs": joinNeeds(in.AccessNeeds), "interpreter_language": in.InterpreterLanguage,
		"access_notes": in.AccessNotes, "dietary": in.Dietary}
	if err := s.db.WithContext(ctx).Model(&Booking{}).Where("id = ?", b.ID).Updates(upd).Error; err != nil {
		return nil, err
	}
	return s.ByToken(ctx, token)
}

// Adjustment is one access need at an event: how many people coming need
// it, and whether staff have arranged it.
type Adjustment struct {
	Need     Need
	Count    int
	Waiting  int // people on the waiting list who need it too
	Arranged bool
	Details  []string // interpreter languages and other needs, as written
}

// adjustment is the stored "arranged" mark.
type adjustment struct {
	EventID   uint `gorm:"primaryKey;autoIncrement:false"`
	Need      Need `gorm:"primaryKey"`
	Arranged  bool
	UpdatedAt time.Time
}

func (adjustment) TableName() string { return "workshop_adjustments" }

// Adjustments totals the access needs of everyone with a place (and, apart,
// of those waiting), in form order, with what staff have arranged.
func (s *Store) Adjustments(ctx context.Context, eventID uint) ([]Adjustment, error) {
	var bookings []Booking
	err := s.db.WithContext(ctx).Where("event_id = ? AND status IN ?", eventID, append([]BookingStatus{Waiting}, holdsPlace...)).Find(&bookings).Error
	if err != nil {
		return nil, err
	}
	var marks []adjustment
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Find(&marks).Error; err != nil {
		return nil, err
	}
	byNeed := map[Need]*Adjustment{}
	for _, b := range bookings {
		for _, n := range b.Needs() {
			a := byNeed[n]
			if a == nil {
				a = &Adjustment{Need: n}
				byNeed[n] = a
			}
			if b.Status == Waiting {
				a.Waiting++
				continue
			}
			a.Count++
			a.Details = append(a.Details, needDetail(&b, n)...)
		}
	}
	for _, m := range marks {
		if a := byNeed[m.Need]; a != nil {
			a.Arranged = m.Arranged
		}
	}
	var out []Adjustment
	for _, n := range Needs {
		if a := byNeed[n]; a != nil {
			out = append(out, *a)
		}
	}
	return out, nil
}

func needDetail(b *Booking, n Need) []string {
	switch {
	case n == Interpreter && b.InterpreterLanguage != "":
		return []string{b.InterpreterLanguage}
	case n == OtherNeed && b.AccessNotes != "":
		return []string{b.AccessNotes}
	}
	return nil
}

// Summary writes adjustments as one line: "BSL interpreter x 2, Step-free access x 3".
func Summary(adj []Adjustment) string {
	parts := make([]string, 0, len(adj))
	for _, a := range adj {
		if a.Count > 0 {
			parts = append(parts, fmt.Sprintf("%s x %d", a.Need.Label(), a.Count))
		}
	}
	if len(parts) == 0 {
		return "No access needs yet"
	}
	return strings.Join(parts, ", ")
}

// SetArranged marks an adjustment as arranged, or not.
func (s *Store) SetArranged(ctx context.Context, actor *uint, eventID uint, need Need, arranged bool) error {
	if !slices.Contains(Needs, need) {
		f := &errs.Fields{}
		f.Add("need", "Select an access need from the list")
		return f
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := lockEvent(tx, eventID); err != nil {
			return err
		}
		row := adjustment{EventID: eventID, Need: need, Arranged: arranged, UpdatedAt: s.now()}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "event_id"}, {Name: "need"}},
			DoUpdates: clause.AssignmentColumns([]string{"arranged", "updated_at"})}).Create(&row).Error
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorUserID: actor, Action: "workshop.adjustment", Target: eventRef(eventID),
			Detail: fmt.Sprintf("%s arranged=%v", row.Need, row.Arranged)})
	})
}
