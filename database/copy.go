package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CopyReport says how many rows each table received.
type CopyReport struct {
	Tables []TableCount
}

// TableCount is one table's row count.
type TableCount struct {
	Table string
	Rows  int64
}

// CopySQLiteToPostgres moves a whole deployment from SQLite to PostgreSQL:
// every table, in the order the migrations created them (parents before
// children), in one transaction on the target, so a failure leaves the
// target as empty as it was. Both databases must be at the same migration
// version and the target must hold no data. Values are converted to the
// target's column types (SQLite keeps booleans as 0/1 and times as text),
// and each id sequence is moved past the highest id copied. Row counts are
// compared table by table before the transaction commits.
func CopySQLiteToPostgres(ctx context.Context, src, dst *gorm.DB, progress func(table string, rows int64)) (*CopyReport, error) {
	if !IsSQLite(src) || IsSQLite(dst) {
		return nil, fmt.Errorf("migrate-data copies from SQLite to PostgreSQL")
	}
	sv, err := currentVersion(ctx, src)
	if err != nil {
		return nil, err
	}
	dv, err := currentVersion(ctx, dst)
	if err != nil {
		return nil, err
	}
	if sv != dv {
		return nil, fmt.Errorf("the two databases are at different migration versions (%d and %d): run codesign migrate on both first", sv, dv)
	}
	var tables []string
	if err := src.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name <> 'schema_migrations' ORDER BY rowid`).Scan(&tables).Error; err != nil {
		return nil, err
	}
	report := &CopyReport{}
	err = dst.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, t := range tables {
			var n int64
			if err := tx.Raw(`SELECT count(*) FROM ` + quoteIdent(t)).Scan(&n).Error; err != nil {
				return fmt.Errorf("table %s is missing on the target: %w", t, err)
			}
			if n > 0 {
				return fmt.Errorf("the target already holds data (%d rows in %s): migrate-data only fills an empty database", n, t)
			}
		}
		for _, t := range tables {
			n, err := copyTable(ctx, src, tx, t)
			if err != nil {
				return fmt.Errorf("copying %s: %w", t, err)
			}
			var srcN, dstN int64
			if err := src.WithContext(ctx).Raw(`SELECT count(*) FROM ` + quoteIdent(t)).Scan(&srcN).Error; err != nil {
				return err
			}
			if err := tx.Raw(`SELECT count(*) FROM ` + quoteIdent(t)).Scan(&dstN).Error; err != nil {
				return err
			}
			if srcN != dstN || dstN != n {
				return fmt.Errorf("table %s: %d rows in SQLite but %d copied", t, srcN, dstN)
			}
			report.Tables = append(report.Tables, TableCount{t, n})
			if progress != nil {
				progress(t, n)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

func currentVersion(ctx context.Context, db *gorm.DB) (int, error) {
	var v sql.NullInt64
	if err := db.WithContext(ctx).Raw(`SELECT max(version) FROM schema_migrations`).Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("reading the migration version: %w", err)
	}
	return int(v.Int64), nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// copyTable copies one table in batches, converting each value to the
// target column's type.
func copyTable(ctx context.Context, src, tx *gorm.DB, table string) (int64, error) {
	var cols []struct {
		ColumnName string
		DataType   string
	}
	if err := tx.Raw(`SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ?`, table).Scan(&cols).Error; err != nil {
		return 0, err
	}
	types := map[string]string{}
	for _, c := range cols {
		types[c.ColumnName] = c.DataType
	}
	const batch = 500
	var copied int64
	var after int64 = -1 << 62
	for {
		names, values, err := readBatch(ctx, src, table, after, batch)
		if err != nil {
			return copied, err
		}
		if len(values) == 0 {
			break
		}
		after = values[len(values)-1][0].(int64)
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + quoteIdent(table) + " (")
		for i, n := range names[1:] {
			if _, ok := types[n]; !ok {
				return copied, fmt.Errorf("column %s is not on the target", n)
			}
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(quoteIdent(n))
		}
		sb.WriteString(") VALUES ")
		args := make([]any, 0, len(values)*(len(names)-1))
		for r, v := range values {
			if r > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('(')
			for i, n := range names[1:] {
				if i > 0 {
					sb.WriteByte(',')
				}
				sb.WriteByte('?')
				cv, err := convert(v[i+1], types[n])
				if err != nil {
					return copied, fmt.Errorf("row %d, column %s: %w", v[0], n, err)
				}
				args = append(args, cv)
			}
			sb.WriteByte(')')
		}
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return copied, err
		}
		copied += int64(len(values))
	}
	if _, ok := types["id"]; ok && copied > 0 {
		var seq sql.NullString
		if err := tx.Raw(`SELECT pg_get_serial_sequence(?, 'id')`, table).Scan(&seq).Error; err != nil {
			return copied, err
		}
		if seq.Valid && seq.String != "" {
			if err := tx.Exec(`SELECT setval(?, (SELECT max(id) FROM `+quoteIdent(table)+`))`, seq.String).Error; err != nil {
				return copied, err
			}
		}
	}
	return copied, nil
}

// readBatch reads up to n rows of table after rowid after, with the rowid
// as the first column.
func readBatch(ctx context.Context, src *gorm.DB, table string, after int64, n int) ([]string, [][]any, error) {
	rows, err := src.WithContext(ctx).Raw(`SELECT rowid AS "__rowid", * FROM `+quoteIdent(table)+` WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, n).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var values [][]any
	for rows.Next() {
		v := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range v {
			ptrs[i] = &v[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		values = append(values, v)
	}
	return names, values, rows.Err()
}

// timeLayouts are the ways SQLite holds a time written by GORM.
var timeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"}

// convert turns a value read from SQLite into what the PostgreSQL column
// of type pgType takes.
func convert(v any, pgType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch pgType {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		case string:
			return x == "1" || strings.EqualFold(x, "true"), nil
		}
	case "timestamp with time zone", "timestamp without time zone", "date":
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			for _, l := range timeLayouts {
				if t, err := time.Parse(l, x); err == nil {
					return t.UTC(), nil
				}
			}
			return nil, fmt.Errorf("%q is not a time", x)
		case []byte:
			return convert(string(x), pgType)
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s), nil
		}
	case "text", "character varying", "json", "jsonb":
		if b, ok := v.([]byte); ok {
			return string(b), nil
		}
	}
	return v, nil
}
