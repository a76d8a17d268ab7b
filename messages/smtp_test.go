package messages_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/messages"

	"gorm.io/gorm"
)

// smtpServer is a minimal SMTP server speaking just enough of RFC 5321 for a
// client to deliver one message per connection. It keeps what it receives,
// and refuses recipients at refuse.example with a permanent error.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	got  []received
	port int
}

type received struct {
	from string
	to   []string
	data string
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { fmt.Fprintf(c, "%s\r\n", line) }
	say("220 test.example ESMTP")
	var cur received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-test.example")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			cur = received{from: strings.TrimSpace(line[10:])}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			if strings.Contains(strings.ToLower(line), "refuse.example") {
				say("550 no such user")
				continue
			}
			cur.to = append(cur.to, strings.TrimSpace(line[8:]))
			say("250 OK")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			cur.data = b.String()
			s.mu.Lock()
			s.got = append(s.got, cur)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "RSET", cmd == "NOOP":
			say("250 OK")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

// The SMTP sender delivers through a real SMTP conversation: the envelope,
// the headers and the UTF-8 body arrive as sent.
func TestSMTPSenderDeliversOverSMTP(t *testing.T) {
	srv := newSMTPServer(t)
	sender := messages.NewSMTPSender(messages.SMTPConfig{Host: "127.0.0.1", Port: srv.port, From: "Islington Council <engage@example.org>"})
	err := sender.Send(context.Background(), messages.Message{To: "rosa@example.org", Subject: "Your place is booked",
		Body: "Hello Rosa,\n\nYour place at Finsbury Library is booked. Café on site.\n"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	m := got[0]
	if !strings.Contains(m.from, "engage@example.org") || len(m.to) != 1 || !strings.Contains(m.to[0], "rosa@example.org") {
		t.Fatalf("envelope from %q to %v", m.from, m.to)
	}
	for _, want := range []string{"Subject: Your place is booked", "To: <rosa@example.org>", "From: \"Islington Council\" <engage@example.org>", "Message-ID:", "Date:"} {
		if !strings.Contains(m.data, want) {
			t.Errorf("message lacks %q:\n%s", want, m.data)
		}
	}
	if !strings.Contains(m.data, "Finsbury Library") {
		t.Errorf("body missing:\n%s", m.data)
	}
}

// A refused recipient is an error the outbox records and retries; it is
// never reported as sent.
func TestSMTPSenderReportsRefusals(t *testing.T) {
	srv := newSMTPServer(t)
	sender := messages.NewSMTPSender(messages.SMTPConfig{Host: "127.0.0.1", Port: srv.port, From: "engage@example.org"})
	if err := sender.Send(context.Background(), messages.Message{To: "x@refuse.example", Subject: "s", Body: "b"}); err == nil {
		t.Fatal("a refused recipient was reported as sent")
	}
	// Nothing listening: an error, not a hang.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port, _ := strconv.Atoi(strings.Split(ln.Addr().String(), ":")[1])
	ln.Close()
	dead := messages.NewSMTPSender(messages.SMTPConfig{Host: "127.0.0.1", Port: port, From: "engage@example.org"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := dead.Send(ctx, messages.Message{To: "a@example.org", Subject: "s", Body: "b"}); err == nil {
		t.Fatal("sending to a closed port succeeded")
	}
	if len(srv.received()) != 0 {
		t.Fatal("the refused message was stored")
	}
}

// The outbox delivers through SMTP end to end: the message arrives at the
// server and is marked sent; a refused one stays for a retry.
func TestOutboxDeliversThroughSMTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		srv := newSMTPServer(t)
		s := messages.NewStore(db)
		ctx := context.Background()
		ok := &messages.Message{To: "rosa@example.org", Subject: "Booked", Body: "See you there.", Kind: "confirmation"}
		bad := &messages.Message{To: "x@refuse.example", Subject: "Booked", Body: "See you there.", Kind: "confirmation"}
		for _, m := range []*messages.Message{ok, bad} {
			if err := s.Enqueue(ctx, nil, m); err != nil {
				t.Fatal(err)
			}
		}
		sender := messages.NewSMTPSender(messages.SMTPConfig{Host: "127.0.0.1", Port: srv.port, From: "engage@example.org"})
		if _, err := s.Deliver(ctx, sender, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got := srv.received(); len(got) != 1 || !strings.Contains(got[0].data, "See you there.") {
			t.Fatalf("server received %+v", got)
		}
		if m, _ := s.Get(ctx, ok.ID); m.Status != messages.Sent || m.SentAt == nil {
			t.Fatalf("delivered message is %s", m.Status)
		}
		if m, _ := s.Get(ctx, bad.ID); m.Status == messages.Sent || m.LastError == "" || m.Attempts != 1 {
			t.Fatalf("refused message is %s, attempts %d, error %q", m.Status, m.Attempts, m.LastError)
		}
	})
}
