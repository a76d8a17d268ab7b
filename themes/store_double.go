package themes

import (
	"context"
	"math/rand/v2"
	"time"

	"codesign/errs"

	"gorm.io/gorm"
)

// Assignment is a sample of one scope's passages given to two
// facilitators to code independently, so that their agreement, and the
// coder's agreement with each of them, can be measured.
type Assignment struct {
	ID       uint
	Scope    string
	CoderAID uint
	CoderBID uint
	Size     int
	// Blind hides codesign's suggestions from the coders, so that they
	// judge each passage unprompted.
	Blind     bool
	CreatedBy uint
	CreatedAt time.Time
}

// TableName keeps the themes tables together.
func (Assignment) TableName() string { return "theme_assignments" }

// MaxSample is the largest sample one assignment may hold.
const MaxSample = 500

type assignmentPassage struct {
	AssignmentID uint `gorm:"primaryKey"`
	PassageID    uint `gorm:"primaryKey"`
}

func (assignmentPassage) TableName() string { return "theme_assignment_passages" }

// Validate checks an assignment before it is made.
func (a *Assignment) Validate() error {
	f := &errs.Fields{}
	if a.Scope == "" {
		f.Add("scope", "Choose what to sample")
	}
	if a.CoderAID == 0 {
		f.Add("coder_a", "Choose the first facilitator")
	}
	if a.CoderBID == 0 {
		f.Add("coder_b", "Choose the second facilitator")
	} else if a.CoderBID == a.CoderAID {
		f.Add("coder_b", "Choose two different facilitators")
	}
	if a.Size < 1 || a.Size > MaxSample {
		f.Add("size", "Enter a sample size from 1 to 500")
	}
	return f.Err()
}

// Assign stores an assignment with a random sample of its scope's
// passages: all of them when there are fewer than its size.
func (s *Store) Assign(ctx context.Context, a *Assignment) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []uint
		if err := tx.Model(&Passage{}).Where("scope = ?", a.Scope).Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return (&errs.Fields{Messages: map[string]string{"scope": "There are no coded passages here yet to sample"}}).Err()
		}
		rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		ids = ids[:min(a.Size, len(ids))]
		a.Size, a.CreatedAt = len(ids), s.now()
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		rows := make([]assignmentPassage, len(ids))
		for i, id := range ids {
			rows[i] = assignmentPassage{AssignmentID: a.ID, PassageID: id}
		}
		return tx.CreateInBatches(rows, 200).Error
	})
}

// Assignment returns one assignment.
func (s *Store) Assignment(ctx context.Context, id uint) (*Assignment, error) {
	return assignmentIn(s.db.WithContext(ctx), id)
}

func assignmentIn(db *gorm.DB, id uint) (*Assignment, error) {
	var a Assignment
	if err := db.Take(&a, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &a, nil
}

// Assignments lists assignments, newest first: every one, or with a user,
// those where they are a coder.
func (s *Store) Assignments(ctx context.Context, user uint) ([]Assignment, error) {
	q := s.db.WithContext(ctx).Order("id DESC")
	if user != 0 {
		q = q.Where("coder_a_id = ? OR coder_b_id = ?", user, user)
	}
	var out []Assignment
	return out, q.Find(&out).Error
}

// DoubleReport is how far the two coders of an assignment agree with each
// other, and how far codesign's suggestions agree with each of them.
type DoubleReport struct {
	Assignment     *Assignment
	CodedA, CodedB int    // passages of the sample each coder has coded
	Humans         Report // A against B, over passages both have coded
	// MachineA and MachineB compare the suggestions (as rater A) with each
	// coder (as rater B), over the passages that coder has coded.
	MachineA, MachineB Report
	Passages           map[uint]Passage // the sample, by id
}

// Agreement measures an assignment. A passage counts as coded by a
// facilitator once they have made any decision on it, "no code applies"
// included; the codes they applied are those they accepted or added.
func (s *Store) Agreement(ctx context.Context, id uint) (*DoubleReport, error) {
	db := s.db.WithContext(ctx)
	a, err := assignmentIn(db, id)
	if err != nil {
		return nil, err
	}
	cb, err := s.Codebook(ctx)
	if err != nil {
		return nil, err
	}
	var ps []Passage
	if err := db.Where("id IN (SELECT passage_id FROM theme_assignment_passages WHERE assignment_id = ?)", id).Order("id").Find(&ps).Error; err != nil {
		return nil, err
	}
	if err := s.load(db, ps, 0, 0); err != nil {
		return nil, err
	}
	var codings []Coding
	if err := db.Where("assignment_id = ?", id).Find(&codings).Error; err != nil {
		return nil, err
	}
	coded := map[uint]map[uint][]string{a.CoderAID: {}, a.CoderBID: {}}
	for _, c := range codings {
		byPassage, ok := coded[c.CoderID]
		if !ok {
			continue
		}
		if _, seen := byPassage[c.PassageID]; !seen {
			byPassage[c.PassageID] = []string{}
		}
		if c.Applies() {
			byPassage[c.PassageID] = append(byPassage[c.PassageID], c.Code)
		}
	}
	rep := &DoubleReport{Assignment: a, CodedA: len(coded[a.CoderAID]), CodedB: len(coded[a.CoderBID]), Passages: map[uint]Passage{}}
	var humans, machA, machB []Rated
	for _, p := range ps {
		rep.Passages[p.ID] = p
		machine := make([]string, 0, len(p.Suggestions))
		for _, sg := range p.Suggestions {
			machine = append(machine, sg.Code)
		}
		ca, okA := coded[a.CoderAID][p.ID]
		cbb, okB := coded[a.CoderBID][p.ID]
		if okA && okB {
			humans = append(humans, Rated{Unit: p.ID, A: ca, B: cbb})
		}
		if okA {
			machA = append(machA, Rated{Unit: p.ID, A: machine, B: ca})
		}
		if okB {
			machB = append(machB, Rated{Unit: p.ID, A: machine, B: cbb})
		}
	}
	order := make([]string, len(cb.Codes))
	for i, c := range cb.Codes {
		order[i] = c.Key
	}
	rep.Humans, rep.MachineA, rep.MachineB = Compare(humans, order), Compare(machA, order), Compare(machB, order)
	return rep, nil
}
