package app

import (
	"strconv"

	"codesign/reports"
)

// View models for results pages. Templates cannot do arithmetic, so bar
// positions and sizes are worked out here.

// chartView is a horizontal bar chart drawn as inline SVG. It is hidden
// from assistive technology: the table beside it holds the same numbers.
type chartView struct {
	Height int
	Bars   []barView
}

// barView is one bar with its label above it and its value after it.
type barView struct {
	Label, Value string
	LabelY, BarY int
	Width        int // in viewBox units, out of chartWidth
	ValueX       int
	ValueY       int
	Suppressed   bool
}

const (
	chartWidth = 400 // the longest bar; its value is written after it, within the 560 wide viewBox
	barRow     = 52
)

// chart draws one bar per item, scaled so that the largest share fills
// the width. A suppressed count draws no bar, only its words.
func chart(items []chartItem) chartView {
	top := 1
	for _, it := range items {
		top = max(top, it.share)
	}
	cv := chartView{Height: barRow*len(items) + 4}
	for i, it := range items {
		y := i * barRow
		b := barView{Label: it.label, Value: it.cell.String(), LabelY: y + 18, BarY: y + 26, ValueY: y + 42, Suppressed: it.share < 0}
		if it.share > 0 {
			b.Width = max(2, it.share*chartWidth/top)
		}
		b.ValueX = b.Width + 8
		if !b.Suppressed {
			b.Value += " (" + strconv.Itoa(it.share) + "%)"
		}
		cv.Bars = append(cv.Bars, b)
	}
	return cv
}

type chartItem struct {
	label string
	cell  reports.Cell
	share int
}

// themeView is one theme of the results page: its counts and chart, the
// quotes that illustrate it and the commitments that answer it.
type themeView struct {
	reports.ThemeCount
	Chart  chartView
	Quotes []reports.PublishedQuote
}

// resultsView is a published version as the page shows it.
type resultsView struct {
	*reports.Results
	Snap      reports.Snapshot
	Themes    []themeView
	Headline  chartView
	Checkins  map[uint]*reports.Checkin // nil until anyone has answered
	Corrected bool
}

func newResultsView(res *reports.Results, checkins map[uint]reports.Checkin) resultsView {
	snap := res.Publication.Snapshot
	v := resultsView{Results: res, Snap: snap, Checkins: map[uint]*reports.Checkin{}, Corrected: res.Publication.Version > 1}
	for id, ch := range checkins {
		v.Checkins[id] = &ch
	}
	var heads []chartItem
	for _, t := range snap.Findings.Themes {
		tv := themeView{ThemeCount: t}
		var items []chartItem
		for _, c := range t.Codes {
			items = append(items, chartItem{label: c.Label, cell: c.Respondents, share: c.Share})
		}
		tv.Chart = chart(items)
		for _, q := range snap.Quotes {
			if q.Theme == t.Key {
				tv.Quotes = append(tv.Quotes, q)
			}
		}
		heads = append(heads, chartItem{label: t.Label, cell: t.Respondents, share: t.Share})
		v.Themes = append(v.Themes, tv)
	}
	v.Headline = chart(heads)
	return v
}

// statusTags are the tag classes for commitment statuses; templates
// read them with index.
var statusTags = map[reports.CommitmentStatus]string{reports.Planned: "cs-tag--grey", reports.InProgress: "",
	reports.Done: "cs-tag--green", reports.NotPossible: "cs-tag--red"}
