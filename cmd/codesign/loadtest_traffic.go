package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The kinds of request residents send, as --mix names them, with the
// default share of each. Staff requests are not a share of these: see
// staffReader.
var loadOps = []struct {
	key, name string
	weight    int
}{
	{"read", "read consultation page", 50},
	{"submit", "submit response", 30},
	{"book", "book workshop", 7},
	{"cancel", "cancel booking", 3},
	{"list", "list workshops", 10},
}

// The staff pages a staff reader reads in turn.
const (
	opStaffSummary   = "staff: survey summary"
	opStaffResponses = "staff: responses list"
)

// loadMix is how many of each kind of request, by key, out of the total.
type loadMix map[string]int

func defaultMix() loadMix {
	m := loadMix{}
	for _, o := range loadOps {
		m[o.key] = o.weight
	}
	return m
}

// parseMix reads "read=45,submit=30,...". Kinds left out are not sent.
func parseMix(s string) (loadMix, error) {
	m := loadMix{}
	total := 0
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		var n int
		if _, err := fmt.Sscan(v, &n); !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("--mix: %q is not kind=weight, like submit=30", part)
		}
		if opName(k) == "" {
			return nil, fmt.Errorf("--mix: unknown kind %q (kinds: read, submit, book, cancel, list)", k)
		}
		m[k] = n
		total += n
	}
	if total == 0 {
		return nil, errors.New("--mix: the weights add up to nothing")
	}
	return m, nil
}

func (m loadMix) String() string {
	var parts []string
	for _, o := range loadOps {
		if m[o.key] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", o.key, m[o.key]))
		}
	}
	return strings.Join(parts, ",")
}

// names lists the mix's requests by name, in the usual order, then the
// staff pages.
func (m loadMix) names() []string {
	var out []string
	for _, o := range loadOps {
		if m[o.key] > 0 {
			out = append(out, o.name)
		}
	}
	return append(out, opStaffSummary, opStaffResponses)
}

func opName(key string) string {
	for _, o := range loadOps {
		if o.key == key {
			return o.name
		}
	}
	return ""
}

// pick chooses a kind of request by weight.
func (m loadMix) pick(rng *rand.Rand) string {
	total := 0
	for _, o := range loadOps {
		total += m[o.key]
	}
	n := rng.IntN(total)
	for _, o := range loadOps {
		if n < m[o.key] {
			return o.key
		}
		n -= m[o.key]
	}
	return "read"
}

// ackLog keeps what the server acknowledged (receipts of responses, the
// private tokens of bookings and of cancellations) in a file rather than
// in memory, so a long soak's heap shows the server, not the list.
type ackLog struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	n    map[byte]int64
	lost map[byte]int64 // requests with no clear answer: the server may or may not have stored them
}

func newAckLog(dir string) (*ackLog, error) {
	f, err := os.CreateTemp(dir, "codesign-loadtest-*.acks")
	if err != nil {
		return nil, err
	}
	return &ackLog{f: f, w: bufio.NewWriterSize(f, 64<<10), n: map[byte]int64{}, lost: map[byte]int64{}}, nil
}

// The kinds of acknowledgement.
const (
	ackResponse = 'r'
	ackBooking  = 'b'
	ackCancel   = 'c'
)

func (a *ackLog) add(kind byte, ref string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n[kind]++
	// A bufio.Writer keeps its first error and returns it from Flush, which is checked.
	_ = a.w.WriteByte(kind)
	_ = a.w.WriteByte(' ')
	_, _ = a.w.WriteString(ref)
	_ = a.w.WriteByte('\n')
}

func (a *ackLog) unclear(kind byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lost[kind]++
}

// each reads the log back, calling fn for every acknowledgement.
func (a *ackLog) each(fn func(kind byte, ref string) error) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.w.Flush(); err != nil {
		return err
	}
	data, err := os.ReadFile(a.f.Name())
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if len(line) > 2 {
			if err := fn(line[0], line[2:]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *ackLog) remove() {
	_ = a.f.Close()
	_ = os.Remove(a.f.Name())
}

// tokenPool holds booking tokens for cancelling, oldest first, so a
// cancellation usually frees a confirmed place and promotes someone.
type tokenPool struct {
	mu     sync.Mutex
	tokens []string
}

func (p *tokenPool) put(t string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.tokens) >= 4096 {
		p.tokens = p.tokens[1:]
	}
	p.tokens = append(p.tokens, t)
}

func (p *tokenPool) take() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.tokens) == 0 {
		return "", false
	}
	t := p.tokens[0]
	p.tokens = p.tokens[1:]
	return t, true
}

// loadRun is one run of traffic against a target.
type loadRun struct {
	t      *loadTarget
	mix    loadMix
	plain  *http.Client
	rec    *recorder
	acks   *ackLog
	tokens tokenPool
	seq    atomic.Int64
}

// staffReader is a member of staff reading the consultation's summary and
// its list of responses in turn, pausing between pages as a person does.
// Staff are a few people, not a share of the residents' traffic: the
// summary counts every answer when it is read, so its cost grows with the
// responses, and as a share of a closed loop it would end up as most of it.
func (r *loadRun) staffReader(ctx context.Context, pause time.Duration) {
	for n := 0; ctx.Err() == nil; n++ {
		op, path := opStaffSummary, fmt.Sprintf("/staff/surveys/%d/summary", r.t.surveyID)
		if n%2 == 1 {
			op, path = opStaffResponses, fmt.Sprintf("/staff/surveys/%d/responses", r.t.surveyID)
		}
		t0 := time.Now()
		o, why := r.expect(r.send(r.t.staff, "GET", path, nil), 200)
		r.rec.record(op, time.Since(t0), o, why)
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
	}
}

// client sends requests until ctx ends, one after another, or at most
// one every interval when that is set. A request in flight when ctx ends
// is finished, so its answer is known.
func (r *loadRun) client(ctx context.Context, seed uint64, interval time.Duration) {
	rng := rand.New(rand.NewPCG(seed, 7)) // #nosec G404 -- load mix, not a secret
	next := time.Now()
	for ctx.Err() == nil {
		key := r.mix.pick(rng)
		n := int(r.seq.Add(1))
		token := ""
		if key == "cancel" {
			var ok bool
			if token, ok = r.tokens.take(); !ok {
				key = "book" // nothing to cancel yet
			}
		}
		t0 := time.Now()
		o, why := r.do(key, n, token)
		r.rec.record(opName(key), time.Since(t0), o, why)
		if interval > 0 {
			// Behind schedule, carry on from now rather than in a burst.
			if next = next.Add(interval); next.Before(time.Now()) {
				next = time.Now()
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Until(next)):
			}
		}
	}
}

func (r *loadRun) do(key string, n int, token string) (outcome, string) {
	t := r.t
	switch key {
	case "read":
		paths := []string{"/consultations", "/consultations/" + t.slug, "/consultations/" + t.slug + "/pages/1"}
		return r.expect(r.send(r.plain, "GET", paths[n%len(paths)], nil), 200)
	case "submit":
		body, _ := json.Marshal(map[string]any{"answers": t.answers[n%len(t.answers)]})
		res := r.send(r.plain, "POST", "/api/v1/surveys/"+t.slug+"/responses", body)
		var out struct{ Receipt string }
		if res.status == 201 && json.Unmarshal(res.body, &out) == nil && out.Receipt != "" {
			r.acks.add(ackResponse, out.Receipt)
			return outcomeOK, ""
		}
		return r.unclear(ackResponse, res)
	case "book":
		body, _ := json.Marshal(map[string]any{"name": fmt.Sprintf("Load %d", n), "email": fmt.Sprintf("load-%d@example.org", n)})
		res := r.send(r.plain, "POST", fmt.Sprintf("/api/v1/workshops/%d/bookings", t.events[n%len(t.events)]), body)
		var out struct {
			Token string `json:"manage_token"`
		}
		switch {
		case res.status == 201 && json.Unmarshal(res.body, &out) == nil && out.Token != "":
			r.acks.add(ackBooking, out.Token)
			r.tokens.put(out.Token)
			return outcomeOK, ""
		case res.status == 409 && bytes.Contains(res.body, []byte("waiting list is full")):
			return outcomeRefused, ""
		}
		return r.unclear(ackBooking, res)
	case "cancel":
		res := r.send(r.plain, "DELETE", "/api/v1/bookings/"+url.PathEscape(token), nil)
		if res.status == 200 {
			r.acks.add(ackCancel, token)
			return outcomeOK, ""
		}
		return r.unclear(ackCancel, res)
	case "list":
		return r.expect(r.send(r.plain, "GET", "/workshops", nil), 200)
	}
	return outcomeError, "unknown kind " + key
}

// result is a request's answer, or the error that stopped it.
type result struct {
	status int
	body   []byte
	err    error
}

func (r *loadRun) send(c *http.Client, method, path string, body []byte) result {
	req, err := http.NewRequest(method, r.t.base+path, bytes.NewReader(body))
	if err != nil {
		return result{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	return result{status: resp.StatusCode, body: buf.Bytes(), err: err}
}

func (r *loadRun) expect(res result, status int) (outcome, string) {
	if res.err == nil && res.status == status {
		return outcomeOK, ""
	}
	return outcomeError, res.why()
}

// unclear records a write whose answer was not the expected one. A 4xx
// means it was not stored; with no answer or a 5xx it may have been.
func (r *loadRun) unclear(kind byte, res result) (outcome, string) {
	if res.err != nil || res.status >= 500 {
		r.acks.unclear(kind)
	}
	return outcomeError, res.why()
}

func (res result) why() string {
	if res.err != nil {
		var ue *url.Error
		if errors.As(res.err, &ue) && ue.Timeout() {
			return "timeout"
		}
		return "transport error"
	}
	return fmt.Sprintf("status %d", res.status)
}
