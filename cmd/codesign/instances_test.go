package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"codesign/database"
	"codesign/messages"
	"codesign/programmes"
	"codesign/workshops"
)

// Two instances on one PostgreSQL database behave as one service: a session
// made on one is valid on the other, and a form token issued by one is
// accepted by the other (the session key is shared through the database).
func TestTwoInstancesShareSessionsAndFormTokens(t *testing.T) {
	env := postgresEnv(t)
	a := startServer(t, env)
	b := startServer(t, env)
	c := client(t)
	if status := httpLogin(t, c, a.URL, a.AdminEmail, a.AdminPassword); status != 303 {
		t.Fatalf("login on A: %d", status)
	}
	// The cookie jar is per host:port, so copy A's cookies to B.
	au, _ := url.Parse(a.URL)
	bu, _ := url.Parse(b.URL)
	c.Jar.SetCookies(bu, c.Jar.Cookies(au))
	status, page := get(t, c, b.URL+"/admin/users")
	if status != 200 || !strings.Contains(page, a.AdminEmail) {
		t.Fatalf("A's session on B: %d", status)
	}
	_, formPage := get(t, c, a.URL+"/admin/users/new")
	token := csrfField.FindStringSubmatch(formPage)[1]
	resp, err := c.PostForm(b.URL+"/admin/users", url.Values{"_csrf": {token}, "email": {"both@example.org"},
		"name": {"Both"}, "role": {"facilitator"}, "password": {"a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("A's form token on B: %d", resp.StatusCode)
	}
	if status := httpLogin(t, client(t), a.URL, "both@example.org", "a long enough password"); status != 303 {
		t.Fatalf("user made on B cannot sign in on A: %d", status)
	}
}

// Two instances started at the same moment on an empty database both come
// up: migrations, demo content and the first admin are made exactly once.
func TestTwoInstancesStartTogether(t *testing.T) {
	env := postgresEnv(t)
	a, b := launchServer(t, env), launchServer(t, env)
	for _, s := range []*testServer{a, b} {
		if err := s.waitHealthy(); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []*testServer{a, b} {
		if status := httpLogin(t, client(t), s.URL, s.AdminEmail, s.AdminPassword); status != 303 {
			t.Fatalf("login on %s: %d\n%s", s.URL, status, s.out.String())
		}
	}
}

// 50 people book the last 3 places at once, half through each of two
// instances on one PostgreSQL database: exactly 3 are confirmed.
func TestLastPlacesRaceAcrossTwoInstances(t *testing.T) {
	env := postgresEnv(t)
	a := startServer(t, env)
	b := startServer(t, env)
	db, err := database.Open("postgres", env["CODESIGN_DB_DSN"])
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	ctx := context.Background()
	ps := programmes.NewStore(db)
	locs, err := ps.Localities(ctx)
	if err != nil || len(locs) == 0 {
		t.Fatalf("localities: %v", err)
	}
	start := time.Now().Add(72 * time.Hour).UTC()
	ev := &workshops.Event{Title: "Race", Format: workshops.Online, LocalityID: locs[0].ID, StartsAt: start,
		EndsAt: start.Add(time.Hour), Capacity: 3, SignupDeadline: start.Add(-time.Hour), Status: workshops.Published,
		OnlineDetails: "A link"}
	ws := workshops.NewStore(db, messages.NewStore(db), workshops.Options{})
	if err := ws.Create(ctx, nil, ev); err != nil {
		t.Fatal(err)
	}
	statuses := make(chan string, 50)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			base := a.URL
			if i%2 == 1 {
				base = b.URL
			}
			body := fmt.Sprintf(`{"name":"Person %d","email":"p%d@example.org","access_needs":[],"consent_contact":false}`, i, i)
			resp, err := http.Post(fmt.Sprintf("%s/api/v1/workshops/%d/bookings", base, ev.ID), "application/json", strings.NewReader(body))
			if err != nil {
				statuses <- "error: " + err.Error()
				return
			}
			defer resp.Body.Close()
			var out struct{ Status string }
			json.NewDecoder(resp.Body).Decode(&out)
			statuses <- fmt.Sprint(resp.StatusCode, " ", out.Status)
		}(i)
	}
	wg.Wait()
	close(statuses)
	got := map[string]int{}
	for s := range statuses {
		got[s]++
	}
	if got["201 confirmed"] != 3 || got["201 waiting"] != 47 {
		t.Fatalf("responses %v, want 3 confirmed and 47 waiting", got)
	}
	bookings, err := ws.Bookings(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	confirmed := 0
	for _, bk := range bookings {
		if bk.Status == workshops.Confirmed {
			confirmed++
		}
	}
	if confirmed != 3 || len(bookings) != 50 {
		t.Fatalf("database holds %d bookings, %d confirmed", len(bookings), confirmed)
	}
}
