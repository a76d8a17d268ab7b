package reports

import (
	"slices"
	"strconv"
)

// Threshold is the smallest count codesign publishes: a group of fewer
// people is easy to re-identify.
const Threshold = 5

// FewerThan is how a suppressed count reads.
const FewerThan = "fewer than 5"

// Cell is one count as it may be published. A suppressed cell keeps no
// number at all, so nothing downstream (a page, a chart, an export, the
// API) can leak it.
type Cell struct {
	N          int
	Suppressed bool
}

// String is the count in words: a number, or "fewer than 5".
func (c Cell) String() string {
	if c.Suppressed {
		return FewerThan
	}
	return strconv.Itoa(c.N)
}

// Percent is c as a whole percentage of of, or -1 when either is
// suppressed or of is 0.
func (c Cell) Percent(of Cell) int {
	if c.Suppressed || of.Suppressed || of.N == 0 {
		return -1
	}
	return (c.N*100 + of.N/2) / of.N
}

// Sum says that the value at Total is the sum of the values at Parts
// (indexes into the values being suppressed): a row of a table with its
// total.
type Sum struct {
	Total int
	Parts []int
}

// Suppress decides which values to hide. Every value under Threshold is
// hidden (primary suppression). Then, because a hidden value in a sum
// with every other member shown could be worked out by subtraction, each
// sum with exactly one hidden member has its smallest shown part hidden
// too (secondary suppression), repeating until no sum gives a hidden value
// away. A total is hidden only when none of its parts is left to hide, so
// that totals published elsewhere stay published.
func Suppress(vals []int, sums []Sum) []bool {
	hidden := make([]bool, len(vals))
	for i, v := range vals {
		hidden[i] = v < Threshold
	}
	for changed := true; changed; {
		changed = false
		for _, s := range sums {
			// A sum with no parts has nothing to give away: secondary picks
			// its total, already hidden, which must not count as a change.
			if pick := secondary(vals, hidden, s); pick >= 0 && !hidden[pick] {
				hidden[pick] = true
				changed = true
			}
		}
	}
	return hidden
}

// secondary returns the member of s to hide, or -1 when s gives nothing
// away: none or at least two of its members are hidden.
func secondary(vals []int, hidden []bool, s Sum) int {
	members := append([]int{s.Total}, s.Parts...)
	n := 0
	for _, m := range members {
		if hidden[m] {
			n++
		}
	}
	if n != 1 {
		return -1
	}
	var shown []int
	for _, p := range s.Parts {
		if !hidden[p] {
			shown = append(shown, p)
		}
	}
	if len(shown) == 0 {
		return s.Total
	}
	return slices.MinFunc(shown, func(a, b int) int {
		if vals[a] != vals[b] {
			return vals[a] - vals[b]
		}
		return a - b
	})
}

// cells turns vals into Cells with hidden values removed.
func cells(vals []int, hidden []bool) []Cell {
	out := make([]Cell, len(vals))
	for i, v := range vals {
		if hidden[i] {
			out[i] = Cell{Suppressed: true}
		} else {
			out[i] = Cell{N: v}
		}
	}
	return out
}

// one suppresses a count that is part of no sum.
func one(n int) Cell { return cells([]int{n}, Suppress([]int{n}, nil))[0] }

// row suppresses a total with its parts, which add up to it exactly.
func row(total int, parts []int) (Cell, []Cell) {
	vals := append([]int{total}, parts...)
	idx := make([]int, len(parts))
	for i := range parts {
		idx[i] = i + 1
	}
	c := cells(vals, Suppress(vals, []Sum{{Total: 0, Parts: idx}}))
	return c[0], c[1:]
}
