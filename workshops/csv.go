package workshops

import (
	"encoding/csv"
	"io"
	"strings"
)

// WriteCSV writes an event's bookings for staff. Every cell that a
// spreadsheet would run as a formula is neutralised with a leading
// apostrophe, since names and notes are typed by the public.
func (s *Store) WriteCSV(w io.Writer, bookings []Booking) error {
	cw := csv.NewWriter(w)
	header := []string{"Booking", "Status", "Name", "Email", "Phone", "Access needs", "Interpreter language",
		"Other needs", "Dietary needs", "Consent to contact", "Booked (UK time)"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, b := range bookings {
		labels := make([]string, 0, 4)
		for _, n := range b.Needs() {
			labels = append(labels, n.Label())
		}
		consent := "No"
		if b.ConsentContact {
			consent = "Yes"
		}
		row := []string{itoa(b.ID), string(b.Status), b.Name, b.Email, b.Phone, strings.Join(labels, "; "),
			b.InterpreterLanguage, b.AccessNotes, b.Dietary, consent, b.CreatedAt.In(s.opts.London).Format("2006-01-02 15:04")}
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell stops a spreadsheet treating text as a formula (CSV injection).
func SafeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
