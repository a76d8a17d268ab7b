package themes

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Batch is one run of "code all of this now" over a survey or a
// workshop's notes, with its progress.
type Batch struct {
	ID         uint
	Kind       string // "survey" or "workshop"
	RefID      uint
	Total      int
	Done       int
	Status     string // BatchRunning, BatchDone or BatchFailed
	Error      string
	StartedBy  uint
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// TableName keeps the themes tables together.
func (Batch) TableName() string { return "theme_batches" }

// Batch states.
const (
	BatchRunning = "running"
	BatchDone    = "done"
	BatchFailed  = "failed"
)

// batchStale is how long a running batch may go without progress before
// it is taken to have stopped (its server restarted).
const batchStale = 2 * time.Minute

// Stalled reports whether a running batch has stopped making progress.
func (b *Batch) Stalled(now time.Time) bool {
	return b.Status == BatchRunning && now.Sub(b.UpdatedAt) > batchStale
}

// StartBatch records a new batch of total units, unless one for the same
// survey or workshop is still running: then it returns that one and false.
func (s *Store) StartBatch(ctx context.Context, kind string, ref uint, total int, user uint) (*Batch, bool, error) {
	var b Batch
	started := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("kind = ? AND ref_id = ? AND status = ? AND updated_at > ?", kind, ref, BatchRunning, s.now().Add(-batchStale)).
			Order("id DESC").Take(&b).Error
		if err == nil {
			return nil
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		now := s.now()
		b = Batch{Kind: kind, RefID: ref, Total: total, Status: BatchRunning, StartedBy: user, CreatedAt: now, UpdatedAt: now}
		started = true
		return tx.Create(&b).Error
	})
	return &b, started, err
}

// Batch returns one batch.
func (s *Store) Batch(ctx context.Context, id uint) (*Batch, error) {
	var b Batch
	if err := s.db.WithContext(ctx).Take(&b, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &b, nil
}

// LatestBatches returns the newest batch of each survey or workshop of
// kind, by its id.
func (s *Store) LatestBatches(ctx context.Context, kind string) (map[uint]*Batch, error) {
	var bs []Batch
	if err := s.db.WithContext(ctx).Where("id IN (SELECT MAX(id) FROM theme_batches WHERE kind = ? GROUP BY ref_id)", kind).Find(&bs).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]*Batch, len(bs))
	for i := range bs {
		out[bs[i].RefID] = &bs[i]
	}
	return out, nil
}

// batchChunk is how many units are coded and stored at a time.
const batchChunk = 100

// RunBatch codes units in chunks, recording progress after each, and
// marks the batch done or failed. Units whose source already has passages
// are counted without coding them again. It is meant to run on its own
// goroutine with a context that outlives the request that started it.
func (s *Store) RunBatch(ctx context.Context, id uint, c *Coder, units []Unit) {
	done := 0
	var err error
	for chunk := range slices.Chunk(units, batchChunk) {
		var todo []Unit
		if todo, err = s.NotCoded(ctx, chunk); err != nil {
			break
		}
		if _, err = s.Add(ctx, c, todo, nil); err != nil {
			break
		}
		done += len(chunk)
		if err = s.db.WithContext(ctx).Model(&Batch{}).Where("id = ?", id).
			Updates(map[string]any{"done": done, "updated_at": s.now()}).Error; err != nil {
			break
		}
	}
	upd := map[string]any{"status": BatchDone, "updated_at": s.now(), "finished_at": s.now()}
	if err != nil {
		slog.Error("coding batch stopped", "batch", id, "err", err)
		upd["status"], upd["error"] = BatchFailed, "Coding stopped part-way. Start it again: what was coded is kept."
	}
	if err := s.db.WithContext(context.WithoutCancel(ctx)).Model(&Batch{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		slog.Error("recording the end of a coding batch", "batch", id, "err", err)
	}
}

// NotCoded leaves out the units whose source already has passages.
func (s *Store) NotCoded(ctx context.Context, units []Unit) ([]Unit, error) {
	bySource := map[string][]string{}
	for _, u := range units {
		bySource[u.Kind] = append(bySource[u.Kind], u.SourceID)
	}
	have := map[[2]string]bool{}
	for kind, ids := range bySource {
		var got []string
		if err := s.db.WithContext(ctx).Model(&Passage{}).Distinct("source_id").
			Where("source_kind = ? AND source_id IN ?", kind, ids).Pluck("source_id", &got).Error; err != nil {
			return nil, err
		}
		for _, g := range got {
			have[[2]string{kind, g}] = true
		}
	}
	out := units[:0:0]
	for _, u := range units {
		if !have[[2]string{u.Kind, u.SourceID}] {
			out = append(out, u)
		}
	}
	return out, nil
}
