package app_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"codesign/accounts"
	"codesign/messages"
	"codesign/workshops"
)

func TestStaffWorkshopPagesNeedStaff(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "resident is sent to sign in", method: "GET", url: "/staff/workshops", wantStatus: 303},
		{name: "resident cannot export", method: "GET", url: "/staff/workshops/1/bookings.csv", wantStatus: 303},
		{name: "facilitator sees the list", as: accounts.Facilitator, method: "GET", url: "/staff/workshops", wantStatus: 200, want: []string{"Create a workshop"}},
		{name: "facilitator sees the form", as: accounts.Facilitator, method: "GET", url: "/staff/workshops/new", wantStatus: 200, want: []string{"Online joining details", "Archway Library"}},
		{name: "unknown event", as: accounts.Facilitator, method: "GET", url: "/staff/workshops/999999", wantStatus: 404},
		{name: "outbox is for admins", as: accounts.Facilitator, method: "GET", url: "/admin/outbox", wantStatus: 403},
		{name: "admin sees the outbox", as: accounts.Admin, method: "GET", url: "/admin/outbox", wantStatus: 200, want: []string{"Outbox"}},
	})
}

func TestStaffCreatesWorkshopInLondonTime(t *testing.T) {
	f := newWorkshopHarness(t)
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	year := strconv.Itoa(time.Now().Year() + 1)
	form := url.Values{"title": {"Summer session"}, "format": {"in_person"}, "locality": {strconv.Itoa(int(f.north.ID))},
		"venue": {strconv.Itoa(int(f.venue.ID))}, "starts_date": {year + "-07-01"}, "starts_time": {"18:00"}, "ends_time": {"20:00"},
		"capacity": {"12"}, "status": {"published"}}
	status, _, resp := f.do("POST", "/staff/workshops", form)
	if status != 303 {
		t.Fatalf("create: %d", status)
	}
	id, _ := strconv.Atoi(strings.TrimPrefix(resp.Header.Get("Location"), "/staff/workshops/"))
	e, err := f.ws.Get(context.Background(), uint(id))
	if err != nil {
		t.Fatal(err)
	}
	// 6pm in British Summer Time is 17:00 UTC.
	if got := e.StartsAt.UTC().Format("15:04"); got != "17:00" || e.Capacity != 12 {
		t.Fatalf("stored start %s UTC, capacity %d", got, e.Capacity)
	}
	form.Set("starts_date", year+"-12-01")
	if status, _, _ = f.do("POST", "/staff/workshops/"+strconv.Itoa(id), form); status != 303 {
		t.Fatalf("update: %d", status)
	}
	e, _ = f.ws.Get(context.Background(), uint(id))
	if got := e.StartsAt.UTC().Format("15:04"); got != "18:00" {
		t.Fatalf("winter start %s UTC, want 18:00", got)
	}
	if _, body, _ := f.do("GET", "/staff/workshops/"+strconv.Itoa(id)+"/edit", nil); !strings.Contains(body, `value="18:00"`) {
		t.Fatal("edit form does not show the London time")
	}
}

func TestStaffWorkshopFormErrorsKeepInput(t *testing.T) {
	f := newWorkshopHarness(t)
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	status, body, _ := f.do("POST", "/staff/workshops", url.Values{"title": {"Half done"}, "format": {"online"}, "starts_date": {"tomorrow"}, "capacity": {"x"}, "status": {"draft"}})
	for _, w := range []string{"Enter a date like", "Enter the number of places", "Enter the online joining details", "Select a locality", `value="Half done"`} {
		if !strings.Contains(body, w) {
			t.Errorf("lacks %q", w)
		}
	}
	if status != 422 {
		t.Fatalf("status %d", status)
	}
}

func TestStaffCancelsWorkshopAndEveryoneIsTold(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("To cancel", 1, 72*time.Hour, workshops.Published)
	for _, in := range []workshops.Signup{{Name: "Ann", Email: "ann@example.org"}, {Name: "Bob", Email: "bob@example.org"}} {
		if _, err := f.ws.Book(context.Background(), e.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	if status, _, _ := f.do("POST", staffURL(e)+"/cancel", url.Values{"reason": {"The facilitator is ill."}}); status != 303 {
		t.Fatalf("cancel status %d", status)
	}
	told := f.outbox("workshop_cancelled", "ann@example.org", "bob@example.org")
	if len(told) != 2 || !strings.Contains(told[0].Body, "The facilitator is ill.") {
		t.Fatalf("told %d people", len(told))
	}
	if _, body, _ := f.do("GET", eventURL(e), nil); !strings.Contains(body, "This workshop has been cancelled") {
		t.Fatal("public page does not say cancelled")
	}
	if status, _, _ := f.do("POST", staffURL(e)+"/cancel", url.Values{}); status != 409 {
		t.Fatalf("cancelling twice: %d", status)
	}
}

func TestAccessNeedsAttendeesCSVAndAttendance(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Needs", 2, 72*time.Hour, workshops.Published)
	ann, _ := f.ws.Book(context.Background(), e.ID, workshops.Signup{Name: "=cmd|' /C calc'!A0", Email: "ann@example.org", AccessNeeds: []workshops.Need{workshops.BSL, workshops.StepFree}})
	f.ws.Book(context.Background(), e.ID, workshops.Signup{Name: "Bob", Email: "bob@example.org", AccessNeeds: []workshops.Need{workshops.BSL}})
	f.ws.Book(context.Background(), e.ID, workshops.Signup{Name: "Cat Waiting", Email: "cat@example.org"})
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")

	_, body, _ := f.do("GET", staffURL(e), nil)
	for _, w := range []string{"BSL interpreter x 2, Step-free access x 1", "Cat Waiting", "Waiting", "Mark arranged"} {
		if !strings.Contains(body, w) {
			t.Errorf("staff page lacks %q", w)
		}
	}
	if status, _, _ := f.do("POST", staffURL(e)+"/adjustments", url.Values{"need": {"bsl_interpreter"}, "arranged": {"yes"}}); status != 303 {
		t.Fatalf("mark arranged: %d", status)
	}
	if adj, _ := f.ws.Adjustments(context.Background(), e.ID); !adj[0].Arranged {
		t.Fatal("BSL not marked arranged")
	}
	if status, _, _ := f.do("POST", staffURL(e)+"/adjustments", url.Values{"need": {"telepathy"}, "arranged": {"yes"}}); status != 422 {
		t.Fatalf("unknown need: %d", status)
	}

	status, csv, resp := f.do("GET", staffURL(e)+"/bookings.csv", nil)
	if status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv, "'=cmd") || strings.Contains(csv, ",=cmd") {
		t.Fatalf("csv %d:\n%s", status, csv)
	}

	id := strconv.FormatUint(uint64(ann.ID), 10)
	if _, body, _ = f.do("GET", staffURL(e)+"/attendance", nil); !strings.Contains(body, `name="b`+id+`"`) || strings.Contains(body, "Cat Waiting") {
		t.Fatal("attendance page must list only people with a place")
	}
	if status, _, _ = f.do("POST", staffURL(e)+"/attendance", url.Values{"b" + id: {"attended"}}); status != 303 {
		t.Fatalf("attendance: %d", status)
	}
	if c, _ := f.ws.AttendanceCounts(context.Background(), e.ID); c.Attended != 1 || c.NotMarked != 1 {
		t.Fatalf("counts %+v", c)
	}
	if status, _, _ = f.do("POST", staffURL(e)+"/attendance", url.Values{"b" + id: {"partied"}}); status != 422 {
		t.Fatalf("bad attendance value: %d", status)
	}
}

// upload posts the notes form with a file, as a browser does.
func (f *wsFixture) upload(path, title, filename string, data []byte) (int, string) {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", f.csrf)
	mw.WriteField("title", title)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, _ := f.send(req)
	return status, body
}

func TestNotesTypedAndUploaded(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Notes", 2, -72*time.Hour, workshops.Published)
	f.user("fac@example.org", accounts.Facilitator)
	f.login("fac@example.org")
	f.do("GET", staffURL(e)+"/notes", nil)
	if status, _, _ := f.do("POST", staffURL(e)+"/notes", url.Values{"title": {"Table 1"}, "body": {"- Waiting lists are long\n- Nobody calls back"}}); status != 303 {
		t.Fatalf("typed notes: %d", status)
	}
	if status, _ := f.upload(staffURL(e)+"/notes", "Table 2", "table2.md", []byte("Libraries feel safe.\n\nTell my story once.")); status != 303 {
		t.Fatalf("upload: %d", status)
	}
	if status, body := f.upload(staffURL(e)+"/notes", "Bad", "virus.exe", []byte("MZ\x90")); status != 422 || !strings.Contains(body, "must be a .txt, .md or .docx file") {
		t.Fatalf("executable upload: %d", status)
	}
	units, _ := f.ws.NoteUnits(context.Background(), e.ID)
	if len(units) != 4 || units[3].Text != "Tell my story once." {
		t.Fatalf("units %+v", units)
	}
	if _, body, _ := f.do("GET", staffURL(e)+"/notes", nil); !strings.Contains(body, "4 passages are ready") || !strings.Contains(body, "from table2.md") {
		t.Fatal("notes page does not list the notes")
	}
	// Each passage shows the codes the coder suggests, with the words that suggested them.
	_, body, _ := f.do("GET", staffURL(e)+"/notes", nil)
	for _, want := range []string{"Suggested themes", "Waiting times</strong> <span class=\"cs-muted\">(Waiting lists)", "Telling my story once"} {
		if !strings.Contains(body, want) {
			t.Errorf("notes page lacks %q", want)
		}
	}
}

func TestAdminOutboxShowsHeldAndRetries(t *testing.T) {
	f := newWorkshopHarness(t)
	e := f.event("Outbox", 2, 72*time.Hour, workshops.Published)
	if _, err := f.ws.Book(context.Background(), e.ID, workshops.Signup{Name: "Ann", Email: "ann@example.org"}); err != nil {
		t.Fatal(err)
	}
	// Deliver takes a batch at a time: run it until everything is held.
	for {
		res, err := f.msgs.Deliver(context.Background(), nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent+res.Retrying+res.Failed+res.Held == 0 {
			break
		}
	}
	f.user("admin@example.org", accounts.Admin)
	f.login("admin@example.org")
	status, body, _ := f.do("GET", "/admin/outbox?status=held", nil)
	if !strings.Contains(body, "ann@example.org") || !strings.Contains(body, "No email server is set up") || !strings.Contains(body, "Send again") {
		t.Fatalf("outbox (%d):\n%.3000s", status, body)
	}
	held := f.outbox("booking_confirmed", "ann@example.org")[0]
	if status, _, _ := f.do("POST", "/admin/outbox/"+strconv.FormatUint(uint64(held.ID), 10)+"/retry", url.Values{}); status != 303 {
		t.Fatalf("retry: %d", status)
	}
	if m, _ := f.msgs.Get(context.Background(), held.ID); m.Status != messages.Queued {
		t.Fatalf("after retry: %s", m.Status)
	}
}
