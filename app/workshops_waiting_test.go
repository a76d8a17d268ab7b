package app_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/workshops"
)

// When every place is taken and the waiting list is full, residents are
// told so on the list, on the event page (which has no form), and if they
// post anyway, by the form and by the API alike.
func TestWaitingListFullIsExplained(t *testing.T) {
	f := newWorkshopHarness(t)
	ctx := context.Background()
	e := f.event("Tiny room", 1, 72*time.Hour, workshops.Published)
	e.WaitingListLimit = 1
	if err := f.ws.Update(ctx, nil, e); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"ann", "bob"} {
		if _, err := f.ws.Book(ctx, e.ID, workshops.Signup{Name: n, Email: n + "@example.org"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, body, _ := f.do("GET", "/workshops", nil); !strings.Contains(body, "Full - the waiting list is full") {
		t.Error("the list does not say the waiting list is full")
	}
	_, body, _ := f.do("GET", eventURL(e), nil)
	if !strings.Contains(body, "The waiting list is full") || strings.Contains(body, `action="`+eventURL(e)+`/book"`) {
		t.Error("the event page must say the waiting list is full and offer no form")
	}
	status, body, _ := f.signup(e, url.Values{"name": {"Cat"}, "email": {"cat@example.org"}})
	if status != 409 || !strings.Contains(body, "the waiting list is full") || !strings.Contains(body, "Nothing has been booked") {
		t.Errorf("form: %d\n%.1500s", status, body)
	}
	status, _, raw := f.api("POST", "/api/v1"+eventURL(e)+"/bookings", `{"name":"Dan","email":"dan@example.org"}`)
	if status != 409 || !strings.Contains(raw, "the waiting list is full") {
		t.Errorf("API: %d %s", status, raw)
	}
	if _, _, raw := f.api("GET", "/api/v1/workshops", ""); !strings.Contains(raw, `"waiting_list_full":true`) {
		t.Errorf("API list: %s", raw)
	}
	if got, _ := f.ws.Get(ctx, e.ID); got.Confirmed != 1 || got.Waiting != 1 {
		t.Errorf("stored %d confirmed, %d waiting", got.Confirmed, got.Waiting)
	}
}

// Staff set the waiting list's length on the form, or leave it to the
// default; anything but a positive number is refused beside the field.
func TestStaffSetsWaitingListPlaces(t *testing.T) {
	f := newWorkshopHarness(t)
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	year := strconv.Itoa(time.Now().Year() + 1)
	form := url.Values{"title": {"Busy session"}, "format": {"in_person"}, "locality": {strconv.Itoa(int(f.north.ID))},
		"venue": {strconv.Itoa(int(f.venue.ID))}, "starts_date": {year + "-07-01"}, "starts_time": {"18:00"}, "ends_time": {"20:00"},
		"capacity": {"12"}, "waiting_list_limit": {"none"}, "status": {"published"}}
	if status, body, _ := f.do("POST", "/staff/workshops", form); status != 422 || !strings.Contains(body, "Enter the number of waiting list places") {
		t.Fatalf("bad limit: %d", status)
	}
	form.Set("waiting_list_limit", "8")
	status, _, resp := f.do("POST", "/staff/workshops", form)
	if status != 303 {
		t.Fatalf("create: %d", status)
	}
	id, _ := strconv.Atoi(strings.TrimPrefix(resp.Header.Get("Location"), "/staff/workshops/"))
	e, err := f.ws.Get(context.Background(), uint(id))
	if err != nil || e.WaitingLimit() != 8 {
		t.Fatalf("stored limit %d, %v", e.WaitingLimit(), err)
	}
	if _, body, _ := f.do("GET", "/staff/workshops/"+strconv.Itoa(id), nil); !strings.Contains(body, "the waiting list takes 8") {
		t.Error("the staff page does not show the waiting list's length")
	}
	if _, body, _ := f.do("GET", "/staff/workshops/"+strconv.Itoa(id)+"/edit", nil); !strings.Contains(body, `name="waiting_list_limit"`) || !strings.Contains(body, `value="8"`) {
		t.Error("the edit form does not show the limit")
	}
	form.Set("waiting_list_limit", "")
	if status, _, _ := f.do("POST", "/staff/workshops/"+strconv.Itoa(id), form); status != 303 {
		t.Fatalf("update: %d", status)
	}
	if e, _ := f.ws.Get(context.Background(), uint(id)); e.WaitingLimit() != workshops.MinWaitingList {
		t.Fatalf("default limit %d, want %d", e.WaitingLimit(), workshops.MinWaitingList)
	}
}
