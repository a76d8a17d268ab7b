package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCodeCommand(t *testing.T) {
	in := strings.Join([]string{
		`{"id": "a", "text": "I waited months on the waiting list and felt so lonely."}`,
		`{"id": 2, "text": "Some days I don't want to be here."}`,
		`{"id": "bad", "text": `,
		`not json at all`,
		`{"id": "c", "text": 5}`,
		`{"id": "d", "text": ""}`,
	}, "\n")
	var out, errOut bytes.Buffer
	if code := runCode(nil, strings.NewReader(in), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d output lines, want 6:\n%s", len(lines), out.String())
	}
	var first struct {
		ID           string
		Themes       []string
		Codes        []string
		Safeguarding bool
		Evidence     []struct {
			Code, Sentence string
			Terms          []string
		}
	}
	json.Unmarshal([]byte(lines[0]), &first)
	if first.ID != "a" || strings.Join(first.Themes, ",") != "quality_of_life,barriers" || len(first.Evidence) == 0 {
		t.Errorf("line 1: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"id":2`) || !strings.Contains(lines[1], `"safeguarding":true`) {
		t.Errorf("line 2: %s", lines[1])
	}
	for i, want := range []string{`{"id":"bad","error":`, `{"id":null,"error":`, `{"id":"c","error":`} {
		if !strings.HasPrefix(lines[i+2], want) {
			t.Errorf("line %d: %s, want prefix %s", i+3, lines[i+2], want)
		}
	}
	if lines[5] != `{"id":"d","themes":[],"codes":[],"safeguarding":false,"evidence":[]}` {
		t.Errorf("empty text: %s", lines[5])
	}
}

func TestCodeCommandKeepsOrderOnManyLines(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&in, "{\"id\": %d, \"text\": \"line %d about waiting lists\"}\n", i, i)
	}
	var out, errOut bytes.Buffer
	runCode(nil, strings.NewReader(in.String()), &out, &errOut)
	for i, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !strings.HasPrefix(l, fmt.Sprintf(`{"id":%d,`, i)) {
			t.Fatalf("line %d out of order: %s", i, l)
		}
	}
	if !strings.Contains(errOut.String(), "coded 3000 lines") {
		t.Errorf("no progress on stderr: %q", errOut.String())
	}
}

func TestCodeCommandBadCodebook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cb.yaml")
	os.WriteFile(path, []byte("codes:\n  - key: a\n    label: A\n    colour: \"#000000\"\n  - key: a\n    label: B\n    colour: \"#000000\"\n"), 0o600)
	var out, errOut bytes.Buffer
	if code := runCode([]string{"--codebook", path}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errOut.String(), "line 5") || !strings.Contains(errOut.String(), "duplicate key") {
		t.Errorf("stderr: %s", errOut.String())
	}
}
