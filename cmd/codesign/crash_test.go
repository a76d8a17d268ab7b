package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"codesign/database"
	"codesign/surveys"
)

// TestKill9DuringLoadLosesNothing builds the real binary, sends it survey
// responses from 16 clients, kills it with SIGKILL part way, and starts it
// again on the same SQLite file: every response that was acknowledged with
// 201 is there, the file passes PRAGMA integrity_check, and the server
// starts with no repair.
func TestKill9DuringLoadLosesNothing(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "codesign")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building: %v\n%s", err, out)
	}
	dsn := filepath.Join(dir, "crash.db")
	env := append(os.Environ(), "CODESIGN_DB_DSN="+dsn, "CODESIGN_DEMO=true", "CODESIGN_RATE_LIMIT=0",
		"CODESIGN_ADMIN_EMAIL=admin@example.org", "CODESIGN_ADMIN_PASSWORD="+testAdminPassword, "CODESIGN_LOG_LEVEL=warn")
	start := func() (*exec.Cmd, string) {
		t.Helper()
		listen := "127.0.0.1:" + freePort(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(env, "CODESIGN_LISTEN="+listen)
		var out syncBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
		url := "http://" + listen
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if resp, err := http.Get(url + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return cmd, url
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("server did not become healthy:\n%s", out.String())
		return nil, ""
	}

	cmd, url := start()
	// Find the demo survey's required keys from the API, so the test does
	// not depend on how the demo is worded.
	var def surveys.Definition
	resp, err := http.Get(url + "/api/v1/surveys/early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(resp.Body).Decode(&def); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	answers := map[string]any{}
	for _, p := range def.Pages {
		for _, q := range p.Questions {
			if q.Required && len(q.Options) > 0 && p.ShowIf == nil && q.ShowIf == nil {
				answers[q.Key] = q.Options[0].Value
			}
		}
	}
	body, _ := json.Marshal(map[string]any{"answers": answers})

	var mu sync.Mutex
	var acknowledged []string
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	for c := 0; c < 16; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				resp, err := client.Post(url+"/api/v1/surveys/early-help-islington/responses", "application/json", bytes.NewReader(body))
				if err != nil {
					continue // the server is gone: no acknowledgement, no promise
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 201 {
					var out struct{ Receipt string }
					if json.Unmarshal(b, &out) == nil {
						mu.Lock()
						acknowledged = append(acknowledged, out.Receipt)
						mu.Unlock()
					}
				} else if resp.StatusCode != 0 {
					t.Errorf("status %d: %s", resp.StatusCode, b)
					return
				}
			}
		}()
	}
	// Let writes flow, then kill without warning while they still do.
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = cmd.Process.Wait()
	time.Sleep(200 * time.Millisecond)
	stop()
	wg.Wait()
	if len(acknowledged) < 50 {
		t.Fatalf("only %d responses acknowledged before the kill; the test proves little", len(acknowledged))
	}

	if err := database.CheckIntegrity(dsn); err != nil {
		t.Fatalf("integrity check after kill -9: %v", err)
	}
	// The server starts again on the same file with no repair.
	_, url = start()
	if resp, err := http.Get(url + "/consultations"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("after restart: %v %v", resp, err)
	}
	db, err := database.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	store := surveys.NewStore(db)
	sv, err := store.BySlug(context.Background(), "early-help-islington")
	if err != nil {
		t.Fatal(err)
	}
	for _, receipt := range acknowledged {
		if _, err := store.ByReceipt(context.Background(), sv.ID, receipt); err != nil {
			t.Fatalf("acknowledged response %s is missing after kill -9: %v", receipt, err)
		}
	}
	t.Logf("%d acknowledged responses all present after kill -9 and restart", len(acknowledged))
}
