package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"codesign/database"
	"codesign/database/dbtest"
	"codesign/surveys"
)

// A SQLite deployment with the demo content and a fresh response moves to
// PostgreSQL with `codesign migrate-data`: every table arrives with the same
// row count, the admin can sign in there, the response is found by its
// receipt, new responses get new ids, and a second run refuses to copy
// into a database that now holds data.
func TestMigrateDataFromSQLiteToPostgres(t *testing.T) {
	pg := dbtest.Postgres(t) // a migrated, empty schema of its own
	lite := startServer(t, nil)
	resp, err := http.Post(lite.URL+"/api/v1/surveys/early-help-islington/responses", "application/json",
		strings.NewReader(`{"answers":{"looked_for_support":"no","what_helps":"Café <b>mornings</b> at the library"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var first struct{ Receipt string }
	_ = json.NewDecoder(resp.Body).Decode(&first)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("submit on SQLite: %d", resp.StatusCode)
	}
	lite.shutdown()

	env := map[string]string{"CODESIGN_DB_DRIVER": "postgres", "CODESIGN_DB_DSN": pg.DSN, "CODESIGN_DEMO": "false"}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"migrate-data", "--from", lite.DSN}, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	if code != 0 {
		t.Fatalf("migrate-data exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "survey_responses") || !strings.Contains(out.String(), "Copied") {
		t.Fatalf("report:\n%s", out.String())
	}

	// Every table has the same number of rows on both sides.
	src, err := database.Open("sqlite", lite.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(src)
	var tables []string
	src.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&tables)
	if len(tables) < 20 {
		t.Fatalf("only %d tables", len(tables))
	}
	for _, tb := range tables {
		var a, b int64
		src.Raw(`SELECT count(*) FROM "` + tb + `"`).Scan(&a)
		pg.DB.Raw(`SELECT count(*) FROM "` + tb + `"`).Scan(&b)
		if a != b {
			t.Errorf("%s: %d rows in SQLite, %d in PostgreSQL", tb, a, b)
		}
	}

	// The service runs on PostgreSQL with what was copied.
	srv := startServer(t, map[string]string{"CODESIGN_DB_DRIVER": "postgres", "CODESIGN_DB_DSN": pg.DSN, "CODESIGN_DEMO": "true"})
	if status := httpLogin(t, client(t), srv.URL, lite.AdminEmail, lite.AdminPassword); status != 303 {
		t.Fatalf("the copied admin cannot sign in: %d", status)
	}
	store := surveys.NewStore(pg.DB)
	sv, err := store.BySlug(context.Background(), "early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	r, err := store.ByReceipt(context.Background(), sv.ID, first.Receipt)
	if err != nil {
		t.Fatalf("the response sent on SQLite is missing: %v", err)
	}
	full, _ := store.Response(context.Background(), sv.ID, r.ID)
	if full.Values().Get("what_helps") != "Café <b>mornings</b> at the library" {
		t.Fatalf("the words changed on the way: %q", full.Values().Get("what_helps"))
	}
	resp, err = http.Post(srv.URL+"/api/v1/surveys/early-help-islington/responses", "application/json",
		strings.NewReader(`{"answers":{"looked_for_support":"no"}}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("a new response on PostgreSQL (the id sequences must have moved on): %d %s", resp.StatusCode, body)
	}
	srv.shutdown()

	// A second copy into the same database is refused and changes nothing.
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"migrate-data", "--from", lite.DSN}, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] }); code == 0 ||
		!strings.Contains(errOut.String(), "already holds data") {
		t.Fatalf("second run: exit %d, %s", code, errOut.String())
	}
}
