package reports

import (
	"slices"
	"testing"
)

func TestSuppressPrimaryAndSecondary(t *testing.T) {
	for _, tc := range []struct {
		name string
		vals []int
		sums []Sum
		want []bool
	}{
		{"nothing small", []int{30, 10, 20}, []Sum{{0, []int{1, 2}}}, []bool{false, false, false}},
		{"every value under 5 is hidden, zero too", []int{4, 0, 5}, nil, []bool{true, true, false}},
		{"one small part: the next smallest part goes too", []int{40, 3, 12, 25}, []Sum{{0, []int{1, 2, 3}}},
			[]bool{false, true, true, false}},
		{"two small parts already protect each other", []int{40, 3, 2, 35}, []Sum{{0, []int{1, 2, 3}}},
			[]bool{false, true, true, false}},
		{"a small total hides its parts", []int{4, 1, 3}, []Sum{{0, []int{1, 2}}}, []bool{true, true, true}},
		{"ties go to the first", []int{30, 2, 14, 14}, []Sum{{0, []int{1, 2, 3}}}, []bool{false, true, true, false}},
		{"the total goes only when no part is left", []int{9, 3, 6}, []Sum{{0, []int{1, 2}}}, []bool{false, true, true}},
		// A 2x2 table with row and column totals: hiding the 3 hides the 6
		// beside it, whose column then needs a second hidden cell too.
		{"secondary cascades across rows and columns",
			// 0:a=3 1:b=6 2:row1=9 | 3:c=20 4:d=30 5:row2=50 | 6:col1=23 7:col2=36 8:grand=59
			[]int{3, 6, 9, 20, 30, 50, 23, 36, 59},
			[]Sum{{2, []int{0, 1}}, {5, []int{3, 4}}, {6, []int{0, 3}}, {7, []int{1, 4}}, {8, []int{2, 5}}, {8, []int{6, 7}}},
			[]bool{true, true, false, true, true, false, false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Suppress(tc.vals, tc.sums)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Suppress(%v) = %v, want %v", tc.vals, got, tc.want)
			}
			for _, s := range tc.sums {
				if n := hiddenIn(got, s); n == 1 {
					t.Errorf("sum %v has exactly one hidden member: it can be worked out", s)
				}
			}
		})
	}
}

func hiddenIn(hidden []bool, s Sum) int {
	n := 0
	for _, m := range append([]int{s.Total}, s.Parts...) {
		if hidden[m] {
			n++
		}
	}
	return n
}

// Whatever the values, no sum is left with exactly one hidden member and
// nothing under 5 is shown.
func TestSuppressNeverGivesAValueAway(t *testing.T) {
	for seed := range 2000 {
		parts := make([]int, 2+seed%5)
		total := 0
		for i := range parts {
			parts[i] = (seed*7 + i*13) % 17
			total += parts[i]
		}
		tot, cs := row(total, parts)
		all := append([]Cell{tot}, cs...)
		hidden := 0
		for i, c := range all {
			v := total
			if i > 0 {
				v = parts[i-1]
			}
			if v < Threshold && !c.Suppressed {
				t.Fatalf("%v: %d shown", parts, v)
			}
			if c.Suppressed {
				hidden++
				if c.N != 0 {
					t.Fatalf("a suppressed cell kept its number %d", c.N)
				}
			}
		}
		if hidden == 1 {
			t.Fatalf("%v (total %d): one hidden cell could be worked out from the rest", parts, total)
		}
	}
}

func TestCellWords(t *testing.T) {
	if got := (Cell{Suppressed: true}).String(); got != "fewer than 5" {
		t.Errorf("suppressed = %q", got)
	}
	if got := (Cell{N: 12}).String(); got != "12" {
		t.Errorf("12 = %q", got)
	}
	if got := (Cell{N: 1}).Percent(Cell{N: 3}); got != 33 {
		t.Errorf("1 of 3 = %d%%", got)
	}
	if got := (Cell{Suppressed: true}).Percent(Cell{N: 300}); got != -1 {
		t.Errorf("a suppressed share = %d", got)
	}
}

// A sum of nothing (a programme with no consultations yet) leaves its
// total hidden and stops.
func TestSuppressSumWithNoParts(t *testing.T) {
	if got := Suppress([]int{0}, []Sum{{Total: 0}}); !slices.Equal(got, []bool{true}) {
		t.Errorf("Suppress = %v, want the 0 hidden", got)
	}
}
