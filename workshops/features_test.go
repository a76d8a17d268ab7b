package workshops_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"codesign/database/dbtest"
	"codesign/errs"
	"codesign/workshops"

	"gorm.io/gorm"
)

func TestAccessNeedsSummaryAndArranged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 3)
		signups := []workshops.Signup{
			{Name: "A", Email: "a@example.org", AccessNeeds: []workshops.Need{workshops.BSL, workshops.StepFree}},
			{Name: "B", Email: "b@example.org", AccessNeeds: []workshops.Need{workshops.BSL}},
			{Name: "C", Phone: "07700 900982", AccessNeeds: []workshops.Need{workshops.Interpreter}, InterpreterLanguage: "Somali"},
			{Name: "D", Email: "d@example.org", AccessNeeds: []workshops.Need{workshops.HearingLoop}}, // waiting
		}
		for _, s := range signups {
			if _, err := f.store.Book(ctx, e.ID, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.store.SetArranged(ctx, nil, e.ID, workshops.BSL, true); err != nil {
			t.Fatal(err)
		}
		adj, err := f.store.Adjustments(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := workshops.Summary(adj)
		if got != "BSL interpreter x 2, Interpreter for another language x 1, Step-free access x 1" {
			t.Fatalf("summary %q", got)
		}
		if !adj[0].Arranged || adj[1].Arranged || adj[1].Details[0] != "Somali" || adj[3].Waiting != 1 {
			t.Fatalf("adjustments %+v", adj)
		}
		if err := f.store.SetArranged(ctx, nil, e.ID, workshops.BSL, false); err != nil {
			t.Fatal(err)
		}
		if adj, _ := f.store.Adjustments(ctx, e.ID); adj[0].Arranged {
			t.Fatal("an adjustment could not be unmarked")
		}
	})
}

func TestUpdateNeedsThroughTheLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 3)
		f.book(t, e, "ann")
		b, err := f.store.UpdateNeeds(context.Background(), token("ann"), workshops.NeedsChange{AccessNeeds: []workshops.Need{workshops.LargePrint}, Dietary: "Vegan"})
		if err != nil || !b.Has("large_print") || b.Dietary != "Vegan" {
			t.Fatalf("%+v %v", b, err)
		}
		_, err = f.store.UpdateNeeds(context.Background(), token("ann"), workshops.NeedsChange{AccessNeeds: []workshops.Need{workshops.OtherNeed}})
		if fe, ok := errs.AsFields(err); !ok || fe.Messages["access_notes"] == "" {
			t.Fatalf("other with no text: %v", err)
		}
	})
}

func TestAttendance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 2)
		a, b, c := f.book(t, e, "ann"), f.book(t, e, "bob"), f.book(t, e, "cat")
		err := f.store.MarkAttendance(ctx, nil, e.ID, map[uint]workshops.BookingStatus{a.ID: workshops.Attended, b.ID: workshops.NoShow})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.store.AttendanceCounts(ctx, e.ID)
		if got != (workshops.Attendance{Booked: 2, Attended: 1, NoShow: 1, Waiting: 1}) {
			t.Fatalf("counts %+v", got)
		}
		// Someone on the waiting list never had a place to attend.
		err = f.store.MarkAttendance(ctx, nil, e.ID, map[uint]workshops.BookingStatus{c.ID: workshops.Attended})
		if !errors.Is(err, workshops.ErrNotFound) {
			t.Fatalf("marking a waiting person: %v", err)
		}
	})
}

func TestNotesBecomeUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 2)
		n := &workshops.Note{EventID: e.ID, Title: "Table 1", Body: "People wait months.\nNobody calls back.\n\n- Tell my story once\n- Library hubs help\r\n"}
		if err := f.store.AddNote(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		units, err := f.store.NoteUnits(context.Background(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"People wait months. Nobody calls back.", "Tell my story once", "Library hubs help"}
		if len(units) != 3 {
			t.Fatalf("units %+v", units)
		}
		for i, u := range units {
			if u.Text != want[i] || u.Source != "workshop:"+itoa(e.ID) || !strings.HasPrefix(u.ID, "note:") {
				t.Errorf("unit %d = %+v, want %q", i, u, want[i])
			}
		}
		if err := f.store.AddNote(context.Background(), &workshops.Note{EventID: e.ID, Title: "Empty"}); err == nil {
			t.Fatal("empty note accepted")
		}
	})
}

func TestTextFromUpload(t *testing.T) {
	docx := makeDocx(t, `<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>First point</w:t></w:r></w:p><w:p><w:r><w:t>Second</w:t><w:tab/><w:t>point</w:t></w:r></w:p></w:body></w:document>`)
	got, err := workshops.TextFromUpload("notes.DOCX", docx)
	if err != nil || got != "First point\n\nSecond point" {
		t.Fatalf("docx text %q, %v", got, err)
	}
	if got, err := workshops.TextFromUpload("n.md", []byte("# Notes")); err != nil || got != "# Notes" {
		t.Fatalf("md: %q %v", got, err)
	}
	for name, data := range map[string][]byte{
		"run.exe": []byte("MZ"), "notes.txt": {0xff, 0xfe, 0}, "empty.txt": nil, "fake.docx": []byte("not a zip"),
		"big.txt": bytes.Repeat([]byte("a"), workshops.MaxUploadBytes+1),
	} {
		if _, err := workshops.TextFromUpload(name, data); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func makeDocx(t *testing.T, xml string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(xml))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCalendarFileUsesLondonTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 2)
		// 17:00 UTC on 12 May is 6pm British Summer Time.
		e.StartsAt = time.Date(2026, 5, 12, 17, 0, 0, 0, time.UTC)
		e.EndsAt = e.StartsAt.Add(2 * time.Hour)
		e.SignupDeadline = e.StartsAt
		if err := f.store.Update(context.Background(), nil, e); err != nil {
			t.Fatal(err)
		}
		b := f.book(t, e, "ann")
		got := f.store.Calendar(b, f.now)
		for _, want := range []string{"BEGIN:VCALENDAR", "BEGIN:VTIMEZONE", "TZID:Europe/London", "TZOFFSETTO:+0100",
			"DTSTART;TZID=Europe/London:20260512T180000", "DTEND;TZID=Europe/London:20260512T200000", "SUMMARY:What helps in Archway", "END:VCALENDAR"} {
			if !strings.Contains(got, want) {
				t.Errorf("calendar lacks %q\n%s", want, got)
			}
		}
	})
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 2)
		if _, err := f.store.Book(context.Background(), e.ID, workshops.Signup{Name: "=HYPERLINK(\"http://x\")", Phone: "+44 20 7527 2000", Dietary: "@SUM(A1)"}); err != nil {
			t.Fatal(err)
		}
		all, _ := f.store.Bookings(context.Background(), e.ID)
		var buf bytes.Buffer
		if err := f.store.WriteCSV(&buf, all); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(out, "'@SUM(A1)") || !strings.Contains(out, "'+44 20") {
			t.Fatalf("formulas not neutralised:\n%s", out)
		}
	})
}

func TestRemindersAreSentOncePerOffset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 1)
		f.book(t, e, "ann")
		f.book(t, e, "bob") // waiting: no reminder
		offsets := []time.Duration{48 * time.Hour, 2 * time.Hour}
		if n, _ := f.store.SendReminders(ctx, offsets); n != 0 {
			t.Fatalf("%d reminders a week ahead", n)
		}
		f.now = e.StartsAt.Add(-47 * time.Hour)
		n1, err := f.store.SendReminders(ctx, offsets)
		n2, _ := f.store.SendReminders(ctx, offsets)
		if err != nil || n1 != 1 || n2 != 0 {
			t.Fatalf("first run %d (%v), second run %d; want 1 then 0", n1, err, n2)
		}
		f.now = e.StartsAt.Add(-time.Hour)
		if n, _ := f.store.SendReminders(ctx, offsets); n != 1 {
			t.Fatalf("2-hour reminder: %d", n)
		}
		got := f.outbox(t, "reminder")
		if len(got) != 2 || got[0].To != "ann@example.org" || !strings.Contains(got[0].Subject, "Reminder") {
			t.Fatalf("reminders %+v", got)
		}
	})
}

func TestRetentionKeepsCountsOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.event(t, 1)
		if _, err := f.store.Book(ctx, e.ID, workshops.Signup{Name: "Ann", Email: "ann@example.org", AccessNeeds: []workshops.Need{workshops.BSL}, ManageToken: token("ann")}); err != nil {
			t.Fatal(err)
		}
		f.book(t, e, "bob")
		keep := 90 * 24 * time.Hour
		f.now = e.EndsAt.Add(keep - time.Hour)
		if n, _ := f.store.Anonymise(ctx, keep); n != 0 {
			t.Fatal("anonymised before the retention period ended")
		}
		f.now = e.EndsAt.Add(keep + time.Hour)
		if n, err := f.store.Anonymise(ctx, keep); n != 1 || err != nil {
			t.Fatalf("anonymised %d events: %v", n, err)
		}
		all, _ := f.store.Bookings(ctx, e.ID)
		for _, b := range all {
			if b.Name != "" || b.Email != "" || b.Phone != "" || b.ManageTokenHash != nil || b.AnonymisedAt == nil {
				t.Fatalf("personal data kept: %+v", b)
			}
		}
		if _, err := f.store.ByToken(ctx, token("ann")); !errors.Is(err, workshops.ErrNotFound) {
			t.Fatal("the private link still works after retention")
		}
		adj, _ := f.store.Adjustments(ctx, e.ID)
		counts, _ := f.store.AttendanceCounts(ctx, e.ID)
		if workshops.Summary(adj) != "BSL interpreter x 1" || counts.Booked != 1 || counts.Waiting != 1 {
			t.Fatalf("totals lost: %s %+v", workshops.Summary(adj), counts)
		}
		if len(f.outbox(t, "booking_confirmed")) != 0 {
			t.Fatal("messages naming people were kept")
		}
	})
}

func TestEventValidation(t *testing.T) {
	e := &workshops.Event{Format: workshops.InPerson, Status: workshops.Published}
	fe, ok := errs.AsFields(e.Validate())
	if !ok {
		t.Fatal("empty event accepted")
	}
	for _, k := range []string{"title", "locality", "venue", "starts_date", "capacity"} {
		if fe.Messages[k] == "" {
			t.Errorf("no message for %s: %v", k, fe.Messages)
		}
	}
	online := &workshops.Event{Title: "T", Format: workshops.Online, LocalityID: 1, Capacity: 5, Status: workshops.Draft,
		StartsAt: time.Now(), EndsAt: time.Now().Add(-time.Hour)}
	fe, _ = errs.AsFields(online.Validate())
	if fe.Messages["online_details"] == "" || fe.Messages["ends_time"] == "" || fe.Messages["venue"] != "" {
		t.Errorf("online event messages %v", fe.Messages)
	}
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// A booking that ticks the consent box keeps the wording agreed to; one
// that does not keeps none.
func TestBookingKeepsTheConsentWording(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		e := f.event(t, 5)
		yes, err := f.store.Book(context.Background(), e.ID, workshops.Signup{Name: "Ann", Email: "ann@example.org", ConsentContact: true, ManageToken: "token-ann-consent"})
		if err != nil {
			t.Fatal(err)
		}
		no, err := f.store.Book(context.Background(), e.ID, workshops.Signup{Name: "Bo", Email: "bo@example.org", ManageToken: "token-bo-consent"})
		if err != nil {
			t.Fatal(err)
		}
		var got []workshops.Booking
		if err := db.Order("id").Where("id IN ?", []uint{yes.ID, no.ID}).Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got[0].ConsentText != workshops.ConsentText || got[1].ConsentText != "" || got[0].CreatedAt.IsZero() {
			t.Fatalf("consent kept: %q and %q", got[0].ConsentText, got[1].ConsentText)
		}
	})
}
