package privacy

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// The daily run is guarded by a lease in the settings table: its value is
// the time (UTC, fixed width, so text order is time order) before which no
// instance may start a run. An instance takes the lease by moving that time
// an hour ahead with a conditional UPDATE, which only one instance can win;
// a finished run moves it a day ahead. A run that fails or dies keeps the
// hour's lease, so another instance tries again an hour later.
const (
	leaseKey   = "privacy.retention_next_run"
	leaseHold  = time.Hour
	leaseEvery = 24 * time.Hour
	leaseTime  = "2006-01-02T15:04:05Z"
)

// ApplyDaily records the policy for the admin pages and, at most once a day
// per deployment whatever the number of instances, applies retention. It
// reports whether this call ran it. The background job calls it every
// round; most calls only find the lease taken.
func (s *Service) ApplyDaily(ctx context.Context) (bool, error) {
	if err := s.rememberPolicy(ctx); err != nil {
		return false, err
	}
	now := s.now()
	if ok, err := s.takeLease(ctx, now, now.Add(leaseHold)); err != nil || !ok {
		return false, err
	}
	if _, err := s.Apply(ctx, nil); err != nil {
		return true, err
	}
	return true, s.db.WithContext(ctx).Model(&setting{}).Where("key = ?", leaseKey).
		Updates(map[string]any{"value": now.Add(leaseEvery).Format(leaseTime), "updated_at": s.now()}).Error
}

// takeLease moves the next run to until if it is due at now, and reports
// whether this caller did it.
func (s *Service) takeLease(ctx context.Context, now, until time.Time) (bool, error) {
	db := s.db.WithContext(ctx)
	// Most calls find the next run ahead: a read says so without writing.
	var next setting
	if err := db.Where("key = ?", leaseKey).Limit(1).Find(&next).Error; err != nil {
		return false, err
	}
	if next.Key != "" && next.Value > now.Format(leaseTime) {
		return false, nil
	}
	first := setting{Key: leaseKey, Value: time.Time{}.Format(leaseTime), UpdatedAt: now}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&first).Error; err != nil {
		return false, err
	}
	res := db.Model(&setting{}).Where("key = ? AND value <= ?", leaseKey, now.Format(leaseTime)).
		Updates(map[string]any{"value": until.Format(leaseTime), "updated_at": now})
	return res.RowsAffected == 1, res.Error
}
