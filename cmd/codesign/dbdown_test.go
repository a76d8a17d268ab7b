package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// tcpProxy forwards connections to target until it is cut; it can then
// listen again on the same address, like a database server coming back.
type tcpProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

// cut stops listening and breaks every open connection.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *tcpProxy) restore() {
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

// When PostgreSQL goes away, residents get a clear 503 that says their
// answers are kept in the page, the health check says 503, nothing panics,
// and when the database comes back the server carries on by itself: a
// response sent after that is stored.
func TestDatabaseOutageGives503AndRecovers(t *testing.T) {
	env := postgresEnv(t)
	u, err := url.Parse(env["CODESIGN_DB_DSN"])
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	env["CODESIGN_DB_DSN"] = u.String()
	srv := startServer(t, env)
	c := &http.Client{Timeout: 20 * time.Second}
	post := func() (int, string) {
		body := `{"answers":{"looked_for_support":"no","what_helps":"The library drop-in"}}`
		resp, err := c.Post(srv.URL+"/api/v1/surveys/early-help-islington/responses", "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := post(); status != 201 {
		t.Fatalf("before the outage: %d %s", status, body)
	}

	proxy.cut()
	if status, body := get(t, c, srv.URL+"/healthz"); status != 503 {
		t.Fatalf("health during the outage: %d %s", status, body)
	}
	status, body := get(t, c, srv.URL+"/consultations")
	if status != 503 || !strings.Contains(body, "Your answers are kept in this page") || strings.Contains(body, "sql:") {
		main := body
		if i := strings.Index(body, "<main"); i >= 0 {
			main = body[i:]
		}
		t.Fatalf("page during the outage: %d %.600s\nserver log:\n%s", status, main, srv.out.String())
	}
	if status, body := post(); status != 503 || !strings.Contains(body, `"error"`) {
		t.Fatalf("API during the outage: %d %s", status, body)
	}

	proxy.restore()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, _ := get(t, c, srv.URL+"/healthz")
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not recover within 30s of the database coming back: health %d", status)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if status, body := post(); status != 201 {
		t.Fatalf("after the outage: %d %s", status, body)
	}
	if strings.Contains(srv.out.String(), "panic") {
		t.Fatalf("the server panicked:\n%s", srv.out.String())
	}
}
