package themes

import (
	"math"
	"slices"
)

// Table counts two raters' yes-or-no judgements of whether a code applies
// to each unit.
type Table struct {
	Both, OnlyA, OnlyB, Neither int
}

// N is how many judgements the table holds.
func (t Table) N() int { return t.Both + t.OnlyA + t.OnlyB + t.Neither }

func (t *Table) add(a, b bool) {
	switch {
	case a && b:
		t.Both++
	case a:
		t.OnlyA++
	case b:
		t.OnlyB++
	default:
		t.Neither++
	}
}

// Agreement is how far two raters agree about one code, or about all codes
// pooled.
type Agreement struct {
	Code string // "" for all codes pooled
	Table
	Percent float64 // observed agreement, 0 to 100
	Kappa   float64 // Cohen's kappa, when Defined
	// Defined is false when chance agreement is certain (both raters gave
	// the same single answer to every unit) or there are no units: kappa
	// is then 0/0 and means nothing.
	Defined bool
}

// Kappa works out percentage agreement and Cohen's kappa for a table:
// kappa = (po - pe) / (1 - pe), where po is the share of units the raters
// agree on and pe the agreement expected by chance from each rater's own
// share of yes answers: pe = pA*pB + (1-pA)*(1-pB).
func Kappa(t Table) Agreement {
	out := Agreement{Table: t}
	n := float64(t.N())
	if n == 0 {
		return out
	}
	po := float64(t.Both+t.Neither) / n
	pa, pb := float64(t.Both+t.OnlyA)/n, float64(t.Both+t.OnlyB)/n
	pe := pa*pb + (1-pa)*(1-pb)
	out.Percent = 100 * po
	if 1-pe < 1e-12 {
		return out
	}
	out.Kappa, out.Defined = (po-pe)/(1-pe), true
	if math.Abs(out.Kappa) < 1e-12 {
		out.Kappa = 0
	}
	return out
}

// Rated is the codes two raters applied to one unit.
type Rated struct {
	Unit uint
	A, B []string
}

// Disagreement is a code one rater applied to a unit and the other did not.
type Disagreement struct {
	Unit uint
	Code string
	ByA  bool // A applied it; otherwise B did
}

// Report is the agreement between two raters over a set of units.
type Report struct {
	Units         int
	Codes         []Agreement // one per code either rater applied, in codebook order
	Overall       Agreement   // every unit and code above pooled in one table
	Disagreements []Disagreement
}

// Compare measures agreement over units. A code counts for a unit when the
// rater applied it; the codes compared are those either rater applied to
// any unit, so codes nobody used do not inflate agreement. order gives
// the codebook order; codes not in it come last, sorted.
func Compare(units []Rated, order []string) Report {
	used := map[string]bool{}
	for _, u := range units {
		for _, c := range append(slices.Clone(u.A), u.B...) {
			used[c] = true
		}
	}
	var codes []string
	for _, c := range order {
		if used[c] {
			codes = append(codes, c)
			delete(used, c)
		}
	}
	rest := make([]string, 0, len(used))
	for c := range used {
		rest = append(rest, c)
	}
	slices.Sort(rest)
	codes = append(codes, rest...)

	rep := Report{Units: len(units)}
	var pooled Table
	tables := make([]Table, len(codes))
	for _, u := range units {
		for i, c := range codes {
			a, b := slices.Contains(u.A, c), slices.Contains(u.B, c)
			tables[i].add(a, b)
			pooled.add(a, b)
			if a != b {
				rep.Disagreements = append(rep.Disagreements, Disagreement{Unit: u.Unit, Code: c, ByA: a})
			}
		}
	}
	for i, c := range codes {
		ag := Kappa(tables[i])
		ag.Code = c
		rep.Codes = append(rep.Codes, ag)
	}
	rep.Overall = Kappa(pooled)
	return rep
}
