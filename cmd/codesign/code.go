package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"sync"
	"time"

	"codesign/themes"
)

// codeLine is one output line of `codesign code`.
type codeLine = any

type codeResult struct {
	ID           any            `json:"id"`
	Themes       []string       `json:"themes"`
	Codes        []string       `json:"codes"`
	Safeguarding bool           `json:"safeguarding"`
	Evidence     []codeEvidence `json:"evidence"`
}

type codeError struct {
	ID    any    `json:"id"`
	Error string `json:"error"`
}

type codeEvidence struct {
	Code     string   `json:"code"`
	Sentence string   `json:"sentence"`
	Terms    []string `json:"terms"`
}

// runCode reads JSON lines {"id","text"} and writes one line per input, in
// input order, coded on every core. A malformed line gets an error line and
// the rest go on. No server and no database are needed.
func runCode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("code", flag.ContinueOnError)
	fs.SetOutput(stderr)
	codebookPath := fs.String("codebook", "", "a codebook YAML file (default: the built-in codebook)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cb, err := loadCodebook(*codebookPath)
	if err != nil {
		fmt.Fprintln(stderr, "codesign code:", err)
		return 2
	}
	coder := themes.NewCoder(cb)
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	n, err := codeStream(coder, stdin, out, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "codesign code: reading input:", err)
		return 1
	}
	if n >= 1000 {
		fmt.Fprintf(stderr, "coded %d lines\n", n)
	}
	return 0
}

func loadCodebook(path string) (*themes.Codebook, error) {
	if path == "" {
		return themes.DefaultCodebook()
	}
	b, err := os.ReadFile(path) // #nosec G304 -- the operator chooses the codebook file
	if err != nil {
		return nil, err
	}
	return themes.ParseCodebook(b)
}

// codeStream codes with one worker per core and writes results in input
// order, holding only a bounded window of lines in memory.
func codeStream(coder *themes.Coder, in io.Reader, out io.Writer, progress io.Writer) (int, error) {
	workers := runtime.GOMAXPROCS(0)
	type job struct {
		line []byte
		done chan codeLine
	}
	jobs := make(chan job, workers*4)
	order := make(chan chan codeLine, workers*64)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.done <- codeOne(coder, j.line)
			}
		}()
	}
	var readErr error
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			done := make(chan codeLine, 1)
			order <- done
			jobs <- job{line: append([]byte(nil), sc.Bytes()...), done: done}
		}
		readErr = sc.Err()
		close(jobs)
		close(order)
	}()
	enc := json.NewEncoder(out)
	n, last := 0, time.Now()
	for done := range order {
		if err := enc.Encode(<-done); err != nil {
			return n, err
		}
		n++
		if time.Since(last) > time.Second {
			fmt.Fprintf(progress, "coded %d lines...\n", n)
			last = time.Now()
		}
	}
	wg.Wait()
	return n, readErr
}

func codeOne(coder *themes.Coder, line []byte) codeLine {
	var in struct {
		ID   any     `json:"id"`
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(line, &in); err != nil {
		return codeError{ID: recoverID(line), Error: "this line is not a JSON object with \"id\" and \"text\""}
	}
	if in.Text == nil {
		return codeError{ID: in.ID, Error: "\"text\" is missing or is not a string"}
	}
	r := coder.Code(*in.Text)
	out := codeResult{ID: in.ID, Themes: r.Themes, Codes: r.Codes, Safeguarding: r.Safeguarding, Evidence: []codeEvidence{}}
	for _, s := range append(r.Suggestions, r.Risk...) {
		out.Evidence = append(out.Evidence, codeEvidence{Code: s.Code, Sentence: s.Sentence, Terms: s.Terms})
	}
	return out
}

var idRe = regexp.MustCompile(`"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)`)

// recoverID finds the id of a line that is not valid JSON as a whole, so
// the error can still be matched to its input.
func recoverID(line []byte) any {
	m := idRe.FindSubmatch(line)
	if m == nil {
		return nil
	}
	var id any
	if json.Unmarshal(m[1], &id) != nil {
		return nil
	}
	return id
}
