package themes

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"codesign/errs"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/plugin/dbresolver"
)

// ModelInfo describes a stored model: when it was trained, on what, and
// how well it did by cross-validation.
type ModelInfo struct {
	ID             uint
	Version        int
	LastDecisionID uint
	Decisions      int
	Undone         int
	Examples       int
	Trained        int
	Accuracy       float64
	TermF1         float64
	BlendedF1      float64
	Options        LearnOptions `gorm:"serializer:json"`
	Stats          []CodeStats  `gorm:"serializer:json"`
	Checksum       string
	RunID          uint
	TrainedAt      time.Time
}

// TableName keeps the themes tables together.
func (ModelInfo) TableName() string { return "theme_models" }

// ModelRun is one retrain and its progress.
type ModelRun struct {
	ID         uint
	Running    *bool
	Status     string // RunRunning, RunDone or RunFailed
	Step       string // what it is doing, or what it did
	Done       int
	Total      int
	Error      string
	Version    int
	StartedBy  uint
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
}

// TableName keeps the themes tables together.
func (ModelRun) TableName() string { return "theme_model_runs" }

// Retrain states.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed"
)

// runStale is how long a retrain may go without progress before it is
// taken to have stopped (its server restarted) and another may start.
const runStale = 5 * time.Minute

// Stalled reports whether a running retrain has stopped making progress.
func (r *ModelRun) Stalled(now time.Time) bool {
	return r.Status == RunRunning && now.Sub(r.UpdatedAt) > runStale
}

// maxExamples is how many passages, the most recently stored, a model
// learns from.
const maxExamples = 20000

// ErrNoModel is returned when no model has been trained yet.
var ErrNoModel = fmt.Errorf("learned model %w", errs.ErrNotFound)

// ErrRetraining is returned by Retrain when another retrain is running,
// here or on another instance.
var ErrRetraining = &errs.Conflict{Message: "The model is being retrained already."}

// LatestModel describes the model in use.
func (s *Store) LatestModel(ctx context.Context) (*ModelInfo, error) {
	var m ModelInfo
	err := s.db.WithContext(ctx).Omit("params").Order("version DESC").Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoModel
	}
	return &m, err
}

// LatestRun returns the newest retrain, finished or not.
func (s *Store) LatestRun(ctx context.Context) (*ModelRun, error) {
	var r ModelRun
	if err := s.db.WithContext(ctx).Clauses(dbresolver.Write).Order("id DESC").Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// decisionState is what a model is trained on, in brief: if none of it has
// changed, retraining would give the same model.
type decisionState struct {
	LastID uint
	Total  int
	Undone int
}

func (s *Store) decisionState(db *gorm.DB) (decisionState, error) {
	var st decisionState
	err := db.Model(&decision{}).Where("assignment_id = 0").
		Select("COALESCE(MAX(id), 0) AS last_id, COUNT(*) AS total, COUNT(undone_at) AS undone").Scan(&st).Error
	return st, err
}

// RetrainDue reports whether at least after review-queue decisions were
// made since the newest model was trained, or any it learned from were
// erased. With no model, it is due once there are after decisions.
func (s *Store) RetrainDue(ctx context.Context, after int) (bool, error) {
	db := s.db.WithContext(ctx)
	m, err := s.LatestModel(ctx)
	if errors.Is(err, ErrNoModel) {
		m, err = &ModelInfo{}, nil
	}
	if err != nil {
		return false, err
	}
	var newer int64
	if err := db.Model(&decision{}).Where("assignment_id = 0 AND id > ?", m.LastDecisionID).Count(&newer).Error; err != nil {
		return false, err
	}
	if int(newer) >= after {
		return true, nil
	}
	st, err := s.decisionState(db)
	return st.Total-int(newer) < m.Decisions, err
}

// Retrain trains a model on the review queue's decisions with the default
// options and makes it the one in use. It is idempotent: with no decision
// made, undone or erased since the newest model, it returns that model.
// Only one retrain runs at a time across every instance; while another
// runs, Retrain returns ErrRetraining.
func (s *Store) Retrain(ctx context.Context) (*ModelInfo, error) {
	return s.RetrainWith(ctx, DefaultLearnOptions())
}

// RetrainWith is Retrain with other options.
func (s *Store) RetrainWith(ctx context.Context, opt LearnOptions) (*ModelInfo, error) {
	run, started, err := s.StartRetrain(ctx, 0)
	if err != nil {
		return nil, err
	}
	if !started {
		return nil, ErrRetraining
	}
	return s.RunRetrain(ctx, run.ID, opt)
}

// StartRetrain records a new retrain started by user (0 for the
// background job), unless one is running: then it returns that one and
// false. A retrain that stopped making progress is marked failed first.
func (s *Store) StartRetrain(ctx context.Context, user uint) (*ModelRun, bool, error) {
	var r ModelRun
	started := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		err := tx.Where("running IS NOT NULL").Take(&r).Error
		if err == nil && !r.Stalled(now) {
			return nil
		} else if err == nil {
			if err := tx.Model(&ModelRun{}).Where("id = ?", r.ID).Updates(map[string]any{"running": nil, "status": RunFailed,
				"error": "The retrain stopped part-way, probably because the server restarted.", "finished_at": now}).Error; err != nil {
				return err
			}
		} else if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		yes := true
		r = ModelRun{Running: &yes, Status: RunRunning, Step: "Waiting to start", StartedBy: user, CreatedAt: now, UpdatedAt: now}
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "running"}}, DoNothing: true}).Create(&r)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // another instance started one meanwhile
			r = ModelRun{}
			return tx.Where("running IS NOT NULL").Take(&r).Error
		}
		started = true
		return nil
	})
	return &r, started, err
}

// RunRetrain does the work of retrain id: it reads the decisions, trains
// and cross-validates, stores the model and marks the run done or failed,
// recording progress as it goes. It may run on its own goroutine with a
// context that outlives the request that started it.
func (s *Store) RunRetrain(ctx context.Context, id uint, opt LearnOptions) (*ModelInfo, error) {
	info, err := s.retrain(ctx, id, opt)
	upd := map[string]any{"running": nil, "status": RunDone, "updated_at": s.now(), "finished_at": s.now()}
	if err != nil {
		slog.Error("retraining the model stopped", "run", id, "err", err)
		upd["status"], upd["error"] = RunFailed, "Retraining stopped. The model in use has not changed."
	} else {
		upd["version"], upd["step"] = info.Version, fmt.Sprintf("Version %d learned from %d passages", info.Version, info.Examples)
		if info.RunID != id {
			upd["step"] = fmt.Sprintf("Nothing new to learn since version %d", info.Version)
		}
		if err := s.UseLatestModel(ctx); err != nil {
			slog.Warn("using the retrained model", "err", err)
		}
	}
	if uerr := s.db.WithContext(context.WithoutCancel(ctx)).Model(&ModelRun{}).Where("id = ?", id).Updates(upd).Error; uerr != nil {
		slog.Error("recording the end of a retrain", "run", id, "err", uerr)
	}
	return info, err
}

func (s *Store) retrain(ctx context.Context, id uint, opt LearnOptions) (*ModelInfo, error) {
	st, err := s.decisionState(s.db.WithContext(ctx).Clauses(dbresolver.Write))
	if err != nil {
		return nil, err
	}
	latest, err := s.LatestModel(ctx)
	if err == nil && latest.LastDecisionID == st.LastID && latest.Decisions == st.Total && latest.Undone == st.Undone && latest.Options == opt {
		return latest, s.progress(ctx, id, fmt.Sprintf("Nothing new to learn since version %d", latest.Version), 1, 1)
	} else if err != nil && !errors.Is(err, ErrNoModel) {
		return nil, err
	}
	if err := s.progress(ctx, id, "Reading facilitators' decisions", 0, opt.Folds+1); err != nil {
		return nil, err
	}
	examples, err := s.examples(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if err := s.progress(ctx, id, "Training the classifiers", 0, opt.Folds+1); err != nil {
		return nil, err
	}
	coder, err := s.Coder(ctx)
	if err != nil {
		return nil, err
	}
	var perr error
	m := Learn(coder, examples, opt, func(done, total int) {
		step := "Training"
		if done > 0 {
			step = fmt.Sprintf("Cross-validating (%d of %d folds)", done-1, total-1)
		}
		if err := s.progress(ctx, id, step, done, total); err != nil && perr == nil {
			perr = err
		}
	})
	if perr != nil {
		return nil, perr
	}
	return s.saveModel(ctx, id, st, m)
}

func (s *Store) progress(ctx context.Context, id uint, step string, done, total int) error {
	return s.db.WithContext(ctx).Model(&ModelRun{}).Where("id = ?", id).
		Updates(map[string]any{"step": step, "done": done, "total": total, "updated_at": s.now()}).Error
}

// examples reads the passages the review queue has decided on, newest
// first up to maxExamples, with the decision that stands for each code and
// the suggestions nobody has decided on.
func (s *Store) examples(db *gorm.DB) ([]Example, error) {
	var ids []uint
	if err := db.Model(&Coding{}).Where("assignment_id = 0 AND coder_id = 0").Distinct("passage_id").
		Order("passage_id DESC").Limit(maxExamples).Pluck("passage_id", &ids).Error; err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		var ps []Passage
		if err := db.Select("id, text").Where("id IN ?", chunk).Order("id").Find(&ps).Error; err != nil {
			return nil, err
		}
		var cs []Coding
		if err := db.Where("assignment_id = 0 AND coder_id = 0 AND passage_id IN ?", chunk).Order("passage_id, code").Find(&cs).Error; err != nil {
			return nil, err
		}
		var sg []Suggested
		if err := db.Select("passage_id, code").Where("passage_id IN ?", chunk).Order("passage_id, code").Find(&sg).Error; err != nil {
			return nil, err
		}
		byID := map[uint]*Example{}
		for _, p := range ps {
			out = append(out, Example{ID: p.ID, Text: p.Text})
		}
		for i := len(out) - len(ps); i < len(out); i++ {
			byID[out[i].ID] = &out[i]
		}
		decided := map[codeOn]bool{}
		for _, c := range cs {
			e := byID[c.PassageID]
			if e == nil {
				continue
			}
			decided[codeOn{c.PassageID, c.Code}] = true
			if c.Applies() {
				e.Applied = append(e.Applied, c.Code)
			} else if c.Decision == Rejected {
				e.Rejected = append(e.Rejected, c.Code)
			}
		}
		for _, g := range sg {
			if e := byID[g.PassageID]; e != nil && !decided[codeOn{g.PassageID, g.Code}] {
				e.Pending = append(e.Pending, g.Code)
			}
		}
	}
	return out, nil
}

type codeOn struct {
	passage uint
	code    string
}

// keepModels is how many models keep their figures; only the newest keeps
// its weights.
const keepModels = 20

// saveModel stores m as the next version. If another instance stored
// that version first, theirs stands and is returned.
func (s *Store) saveModel(ctx context.Context, run uint, st decisionState, m *Model) (*ModelInfo, error) {
	params, err := json.Marshal(m.params)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(params)
	info := &ModelInfo{LastDecisionID: st.LastID, Decisions: st.Total, Undone: st.Undone, Examples: m.Examples, Trained: m.Trained(),
		Accuracy: m.Blended.Accuracy(), TermF1: m.Term.F1(), BlendedF1: m.Blended.F1(), Options: m.Options, Stats: m.Stats,
		Checksum: hex.EncodeToString(sum[:]), RunID: run, TrainedAt: s.now()}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var top struct{ V int }
		if err := tx.Model(&ModelInfo{}).Select("COALESCE(MAX(version), 0) AS v").Scan(&top).Error; err != nil {
			return err
		}
		info.Version = top.V + 1
		row := modelRow{ModelInfo: *info, Params: string(params)}
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "version"}}, DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errVersionTaken
		}
		info.ID = row.ID
		if err := tx.Model(&ModelInfo{}).Where("version < ?", info.Version).Update("params", "").Error; err != nil {
			return err
		}
		return tx.Where("version <= ?", info.Version-keepModels).Delete(&ModelInfo{}).Error
	})
	if errors.Is(err, errVersionTaken) {
		return s.LatestModel(ctx)
	}
	if err != nil {
		return nil, err
	}
	remember(info.Checksum, m)
	return info, nil
}

// modelRow is a model as stored, with its parameters.
type modelRow struct {
	ModelInfo `gorm:"embedded"`
	Params    string
}

func (modelRow) TableName() string { return "theme_models" }

var errVersionTaken = errors.New("themes: model version taken")

// Models are cached in memory by the checksum of their parameters, so
// every store in the process (and every test database) shares them and a
// model is parsed once.
var modelCache = struct {
	sync.Mutex
	m map[string]*Model
}{m: map[string]*Model{}}

func remember(sum string, m *Model) {
	modelCache.Lock()
	defer modelCache.Unlock()
	if len(modelCache.m) >= 4 {
		clear(modelCache.m)
	}
	modelCache.m[sum] = m
}

// Model returns the model in use, parsed once per version.
func (s *Store) Model(ctx context.Context) (*Model, error) {
	for range 3 { // a newer model may be stored between the two reads
		info, err := s.LatestModel(ctx)
		if err != nil {
			return nil, err
		}
		modelCache.Lock()
		m := modelCache.m[info.Checksum]
		modelCache.Unlock()
		if m != nil {
			return m, nil
		}
		var row struct{ Params string }
		if err := s.db.WithContext(ctx).Model(&ModelInfo{}).Select("params").Where("version = ?", info.Version).Take(&row).Error; err != nil {
			return nil, notFound(err)
		}
		if row.Params == "" {
			continue
		}
		var p modelParams
		if err := json.Unmarshal([]byte(row.Params), &p); err != nil {
			return nil, fmt.Errorf("stored model version %d: %w", info.Version, err)
		}
		m = p.compile()
		m.Examples, m.Stats = info.Examples, info.Stats
		remember(info.Checksum, m)
		return m, nil
	}
	return nil, errors.New("themes: the model kept changing while it was read")
}

// UseLatestModel makes the coders this store hands out (Coder) blend the
// newest model with the terms, or the terms alone when there is none yet.
// It costs one indexed read when the model has not changed.
func (s *Store) UseLatestModel(ctx context.Context) error {
	m, err := s.Model(ctx)
	if errors.Is(err, ErrNoModel) {
		s.SetCoderHook(nil)
		return nil
	} else if err != nil {
		return err
	}
	s.SetCoderHook(func(c *Coder) *Coder { return c.WithModel(m) })
	return nil
}
