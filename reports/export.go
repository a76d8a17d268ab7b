package reports

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"time"

	"codesign/themes"
)

// Open data: the published aggregates as JSON (the API's shape) and CSV.
// Both are built from a published version only, so they hold nothing a
// resident could not read on the page: never a response, never a count
// under 5.

// Count is a published count: null with suppressed true when small.
type Count struct {
	Count      *int `json:"count"`
	Suppressed bool `json:"suppressed"`
}

func countOf(c Cell) Count { return Count{Count: num(c), Suppressed: c.Suppressed} }

func num(c Cell) *int {
	if c.Suppressed {
		return nil
	}
	n := c.N
	return &n
}

// share is c as a fraction of of (three decimals), or nil.
func share(c, of Cell) *float64 {
	if c.Suppressed || of.Suppressed || of.N == 0 {
		return nil
	}
	v := math.Round(float64(c.N)/float64(of.N)*1000) / 1000
	return &v
}

// APIResults is GET /api/v1/surveys/{slug}/results.
type APIResults struct {
	Survey       string                  `json:"survey"`
	Title        string                  `json:"title"`
	Version      int                     `json:"version"`
	PublishedAt  time.Time               `json:"published_at"`
	Participants APIParticipants         `json:"participants"`
	Themes       []APITheme              `json:"themes"`
	Breakdowns   map[string]APIBreakdown `json:"breakdowns"`
	Quotes       []APIQuote              `json:"quotes"`
	Commitments  []APICommitment         `json:"commitments"`
}

// APIParticipants is how many took part and how, and the workshops that
// fed the consultation.
type APIParticipants struct {
	Total      *int             `json:"total"`
	Suppressed bool             `json:"suppressed"`
	ByChannel  map[string]Count `json:"by_channel"`
	Workshops  APIWorkshops     `json:"workshops"`
}

// APIWorkshops is how many workshops fed the consultation and how many
// people came to them.
type APIWorkshops struct {
	Count  int   `json:"count"`
	People Count `json:"people"`
}

// APITheme is one theme with its codes.
type APITheme struct {
	Key         string    `json:"key"`
	Label       string    `json:"label"`
	Respondents *int      `json:"respondents"`
	Share       *float64  `json:"share"`
	Suppressed  bool      `json:"suppressed"`
	Workshops   int       `json:"workshops"` // how many workshops' notes mention it
	Codes       []APICode `json:"codes"`
}

// APICode is one code within a theme.
type APICode struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Respondents *int     `json:"respondents"`
	Share       *float64 `json:"share"`
	Suppressed  bool     `json:"suppressed"`
	Workshops   int      `json:"workshops"`
}

// APIBreakdown is each theme's respondents by one question.
type APIBreakdown struct {
	Label   string   `json:"label"`
	Columns []Column `json:"columns"`
	Rows    []APIRow `json:"rows"`
}

// APIRow is a theme (or everyone) by column; cells follow the columns.
type APIRow struct {
	Key         string  `json:"key"`
	Label       string  `json:"label"`
	Respondents *int    `json:"respondents"`
	Suppressed  bool    `json:"suppressed"`
	Cells       []Count `json:"cells"`
}

// APIQuote is a redacted quote.
type APIQuote struct {
	Text  string `json:"text"`
	Theme string `json:"theme"`
	Code  string `json:"code"`
}

// APICommitment is a commitment with its live status and log.
type APICommitment struct {
	ID       uint        `json:"id"`
	YouSaid  string      `json:"you_said"`
	WeDid    string      `json:"we_did"`
	Themes   []string    `json:"themes"`
	Codes    []string    `json:"codes"`
	Evidence Count       `json:"evidence"`
	Owner    APIOwner    `json:"owner"`
	Status   string      `json:"status"`
	Reason   string      `json:"reason,omitempty"`
	Due      string      `json:"due"`
	Updates  []APIUpdate `json:"updates"`
}

// APIOwner is who owns a commitment.
type APIOwner struct {
	Organisation string `json:"organisation"`
	Team         string `json:"team"`
}

// APIUpdate is one entry of a commitment's log.
type APIUpdate struct {
	Date   time.Time `json:"date"`
	Status string    `json:"status"`
	Note   string    `json:"note"`
}

// API shapes published results for the API and the JSON download.
func (r *Results) API() APIResults {
	snap, f := r.Publication.Snapshot, r.Publication.Snapshot.Findings
	out := APIResults{Survey: snap.Survey.Slug, Title: snap.Title, Version: r.Publication.Version, PublishedAt: r.Publication.PublishedAt,
		Participants: APIParticipants{Total: num(f.Participants), Suppressed: f.Participants.Suppressed, ByChannel: map[string]Count{},
			Workshops: APIWorkshops{Count: f.Workshops, People: countOf(f.WorkshopPeople)}},
		Themes: []APITheme{}, Breakdowns: map[string]APIBreakdown{}, Quotes: []APIQuote{}, Commitments: []APICommitment{}}
	for _, ch := range f.Channels {
		out.Participants.ByChannel[ch.Key] = countOf(ch.Count)
	}
	for _, t := range f.Themes {
		at := APITheme{Key: t.Key, Label: t.Label, Respondents: num(t.Respondents), Share: share(t.Respondents, f.Participants),
			Suppressed: t.Respondents.Suppressed, Workshops: t.Workshops, Codes: []APICode{}}
		for _, c := range t.Codes {
			at.Codes = append(at.Codes, APICode{Key: c.Key, Label: c.Label, Respondents: num(c.Respondents),
				Share: share(c.Respondents, f.Participants), Suppressed: c.Respondents.Suppressed, Workshops: c.Workshops})
		}
		out.Themes = append(out.Themes, at)
	}
	for _, b := range f.Breakdowns {
		ab := APIBreakdown{Label: b.Label, Columns: b.Columns}
		for _, row := range append([]Row{b.Everyone}, b.Rows...) {
			ar := APIRow{Key: row.Key, Label: row.Label, Respondents: num(row.Total), Suppressed: row.Total.Suppressed}
			for _, c := range row.Cells {
				ar.Cells = append(ar.Cells, countOf(c))
			}
			ab.Rows = append(ab.Rows, ar)
		}
		out.Breakdowns[b.Key] = ab
	}
	for _, q := range snap.Quotes {
		out.Quotes = append(out.Quotes, APIQuote{Text: q.Text, Theme: q.Theme, Code: q.Code})
	}
	for _, c := range r.Commitments {
		ac := APICommitment{ID: c.ID, YouSaid: c.YouSaid, WeDid: c.WeDid, Themes: c.Themes, Codes: c.Codes, Evidence: countOf(c.Evidence),
			Owner: APIOwner{Organisation: c.OwnerOrg, Team: c.OwnerTeam}, Status: string(c.Status), Reason: c.Reason,
			Due: c.DueOn.Format(time.DateOnly), Updates: []APIUpdate{}}
		for _, u := range c.Updates {
			ac.Updates = append(ac.Updates, APIUpdate{Date: u.CreatedAt, Status: string(u.Status), Note: u.Note})
		}
		out.Commitments = append(out.Commitments, ac)
	}
	return out
}

var csvHeader = []string{"table", "theme", "code", "breakdown", "category", "label", "respondents", "suppressed", "share", "workshops"}

// WriteCSV writes the published counts as one tidy table.
func (r *Results) WriteCSV(w io.Writer) error { return r.Publication.Snapshot.Findings.WriteCSV(w) }

// WriteCSV writes the counts as one tidy table: participants by channel
// (and, for a programme, by consultation), respondents by theme and code
// with how many workshops' notes mention each, and each breakdown. A
// suppressed count is an empty cell with suppressed "true".
func (f *Findings) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{csvHeader}
	add := func(table, theme, code, breakdown, category, label string, c Cell, workshops ...int) {
		sh, ws := "", ""
		if v := share(c, f.Participants); v != nil && table == "themes" {
			sh = strconv.FormatFloat(*v, 'f', 3, 64)
		}
		if len(workshops) > 0 {
			ws = strconv.Itoa(workshops[0])
		}
		rows = append(rows, []string{table, theme, code, breakdown, category, label, cellText(c), strconv.FormatBool(c.Suppressed), sh, ws})
	}
	add("participants", "", "", "", "all", "Everyone who took part", f.Participants)
	for _, ch := range f.Channels {
		add("participants", "", "", "channel", ch.Key, ch.Label, ch.Count)
	}
	for _, c := range f.Consultations {
		add("participants", "", "", "consultation", c.Slug, c.Title, c.Count)
	}
	if f.Workshops > 0 {
		add("participants", "", "", "workshops", strconv.Itoa(f.Workshops), "People who came to the workshops", f.WorkshopPeople)
	}
	for _, t := range f.Themes {
		add("themes", t.Key, "", "", "", t.Label, t.Respondents, t.Workshops)
		for _, c := range t.Codes {
			add("themes", t.Key, c.Key, "", "", c.Label, c.Respondents, c.Workshops)
		}
	}
	for _, b := range f.Breakdowns {
		for _, row := range append([]Row{b.Everyone}, b.Rows...) {
			theme := row.Key
			if row.Key == "everyone" {
				theme = ""
			}
			add("breakdown", theme, "", b.Key, "all", row.Label, row.Total)
			for i, c := range row.Cells {
				add("breakdown", theme, "", b.Key, b.Columns[i].Key, b.Columns[i].Label, c)
			}
		}
	}
	for _, row := range rows {
		for i := range row {
			row[i] = themes.SafeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cellText(c Cell) string {
	if c.Suppressed {
		return ""
	}
	return strconv.Itoa(c.N)
}
