package database

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Migration is one append-only step. Up receives the step's transaction and
// must describe tables with the frozen structs of its own file, never the
// live domain types, so that a later change to a model cannot change what an
// old step did.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// schemaMigration records each applied step.
type schemaMigration struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"size:200;not null"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Steps is every migration in order. Version ranges: 1-99 foundation,
// 100-199 surveys, 200-299 themes, 300-399 workshops and messages,
// 400-499 panels, 500-599 reports, 600-699 safeguarding and data protection.
// Append only: never edit or remove a step that has shipped.
func Steps() []Migration {
	all := []Migration{}
	all = append(all, foundationSteps...)
	all = append(all, workshopsSteps...)
	all = append(all, panelSteps...)
	all = append(all, surveysSteps...)
	all = append(all, safeguardingSteps...)
	all = append(all, themesSteps...)
	all = append(all, themesCodebookSteps...)
	all = append(all, themesModelSteps...)
	all = append(all, reportsSteps...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	return all
}

// Migrate applies every step not yet recorded, each in its own transaction,
// and returns how many it applied. On PostgreSQL an advisory lock keeps two
// instances starting together from applying the same step twice.
func Migrate(ctx context.Context, db *gorm.DB) (int, error) {
	db = db.WithContext(ctx)
	if err := db.Migrator().AutoMigrate(&schemaMigration{}); err != nil {
		return 0, fmt.Errorf("creating schema_migrations: %w", err)
	}
	applied := 0
	for _, step := range Steps() {
		did, err := apply(db, step)
		if err != nil {
			return applied, fmt.Errorf("migration %d (%s): %w", step.Version, step.Name, err)
		}
		if did {
			applied++
			slog.Info("applied migration", "version", step.Version, "name", step.Name)
		}
	}
	return applied, nil
}

func apply(db *gorm.DB, step Migration) (bool, error) {
	did := false
	err := db.Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7301)").Error; err != nil {
				return err
			}
		}
		var n int64
		if err := tx.Model(&schemaMigration{}).Where("version = ?", step.Version).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if err := step.Up(tx); err != nil {
			return err
		}
		did = true
		return tx.Create(&schemaMigration{Version: step.Version, Name: step.Name, AppliedAt: time.Now().UTC()}).Error
	})
	return did, err
}

// Pending lists the steps not yet applied, for `codesign migrate --status`.
func Pending(ctx context.Context, db *gorm.DB) ([]Migration, error) {
	var done []int
	if db.Migrator().HasTable(&schemaMigration{}) {
		if err := db.WithContext(ctx).Model(&schemaMigration{}).Pluck("version", &done).Error; err != nil {
			return nil, err
		}
	}
	seen := map[int]bool{}
	for _, v := range done {
		seen[v] = true
	}
	var out []Migration
	for _, s := range Steps() {
		if !seen[s.Version] {
			out = append(out, s)
		}
	}
	return out, nil
}

// createTables is the common body of a step that only adds tables.
func createTables(tx *gorm.DB, models ...any) error {
	for _, m := range models {
		if err := tx.Migrator().CreateTable(m); err != nil {
			return err
		}
	}
	return nil
}
