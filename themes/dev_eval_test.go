package themes

import (
	"os"
	"strings"
	"testing"
)

// TestDevSets measures the coder on each development set on its own, with
// the scoring of TestEvaluation (evaluate, report). Every one of them has
// been read while tuning or is a set the shipped model learns from
// (docs/THEMES.md, "Accuracy"), so these figures flatter the coder; the
// unseen figures are TestShippedModelCrossSet's and the held-out figure
// TestEvaluation's. The floors sit a little under what was measured, so that
// a change that makes coding worse fails here before anyone runs the
// held-out set. CODER_MISSES=1 with -v lists each set's misses.
func TestDevSets(t *testing.T) {
	c := newTestCoder(t)
	if len(devFloors) != len(trainingSets) {
		t.Fatalf("%d sets have floors, %d are trained on", len(devFloors), len(trainingSets))
	}
	for _, set := range devFloors {
		s := evaluate(c, loadLabelled(t, set.path))
		s.report(t, set.path)
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"micro F1", s.micro.f1(), set.micro},
			{"macro F1", s.macroF1(), set.macro},
			{"safeguarding recall", s.safeguarding.recall(), set.sgRecall},
			{"safeguarding precision", s.safeguarding.precision(), set.sgPrec},
		} {
			if f.got < f.want {
				t.Errorf("%s: %s fell to %.3f, below the floor %.3f", set.path, f.name, f.got, f.want)
			}
		}
		if os.Getenv("CODER_MISSES") != "" && testing.Verbose() {
			for _, m := range s.misses {
				t.Log("  " + m)
			}
		}
	}
}

// devFloors for TestDevSets: a little under the figures in docs/THEMES.md,
// measured with the shipped model trained on every one of these sets.
var devFloors = []struct {
	path                           string
	micro, macro, sgRecall, sgPrec float64
}{
	{"testdata/dev.jsonl", 0.92, 0.92, 0.95, 0.75},  // measured 0.929, safeguarding 10 of 10 at P 0.769
	{"testdata/dev2.jsonl", 0.87, 0.87, 0.95, 0.76}, // measured 0.883, 60 of 60 at P 0.779
	{"testdata/dev3.jsonl", 0.84, 0.84, 0.95, 0.65}, // measured 0.855, 53 of 53 at P 0.662
	{"testdata/dev4.jsonl", 0.86, 0.86, 0.95, 0.65}, // measured 0.877, 48 of 48 at P 0.667
	{"testdata/dev5.jsonl", 0.86, 0.86, 0.93, 0.68}, // measured 0.875, 48 of 51 at P 0.696
	{"testdata/dev6.jsonl", 0.86, 0.86, 0.95, 0.56}, // measured 0.878, 47 of 49 at P 0.580
	{"testdata/dev7.jsonl", 0.85, 0.85, 0.96, 0.67}, // measured 0.864, 51 of 52 at P 0.689
	{"testdata/dev8.jsonl", 0.84, 0.84, 0.95, 0.69}, // measured 0.854, 53 of 53 at P 0.707
}

// TestWeakTerms: a term marked "(weak)" counts half. One weak word is not
// enough in a long text, is enough in a short one, and two weak words of a
// code are enough; the marker survives the YAML export.
func TestWeakTerms(t *testing.T) {
	book := `codes:
  - key: quality_of_life
    label: Quality of life
    colour: "#112233"
  - key: housing
    parent: quality_of_life
    label: Housing
    colour: "#223344"
    terms: [damp, home (weak), flat (weak)]
`
	cb, err := ParseCodebook([]byte(book))
	if err != nil {
		t.Fatal(err)
	}
	out, err := cb.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if cb, err = ParseCodebook(out); err != nil || !strings.Contains(string(out), "home (weak)") {
		t.Fatalf("round trip: %v\n%s", err, out)
	}
	c := NewCoder(cb)
	for text, want := range map[string]bool{
		"I went home after the meeting and made some tea and watched the television for a bit.": false,
		"The flat is damp and cold.": true,
		"Home.":                      true,
		"We moved from a flat to another flat and then back home.": true,
	} {
		if got := len(c.Code(text).Themes) > 0; got != want {
			t.Errorf("%q: suggested %v, want %v", text, got, want)
		}
	}
}

// TestRiskLanguage holds the safeguarding flag to sentences written for it
// (not taken from any labelled set): ways people say they are not safe,
// and talk that only sounds like it.
func TestRiskLanguage(t *testing.T) {
	c := newTestCoder(t)
	for _, text := range []string{
		"Some nights I just want to go to sleep and never wake up.",
		"honestly kms every day at school",
		"my friend said she wants to unalive herself",
		"I feel like such a burden on my family.",
		"I've been saving my meds.",
		"My partner takes my wages and I'm scared of what he'll do if I leave.",
		"P7 disclosed that her stepfather hits her.",
		"I can't keep myself safe tonight.",
		"My boyfriend strangled me last week but I love him.",
		"I burn myself with cigarettes when it gets too much.",
		"P2 said her husband locks her in the flat when he goes to work.",
		"I took a load of paracetamol on Sunday but didn't tell anyone.",
		"I can't promise I'll still be here next month.",
		"I can't stop hurting myself.",
		"My daughter has been self-harming and CAMHS won't see her until she's worse.",
	} {
		if !c.Code(text).Safeguarding {
			t.Errorf("%q: not flagged", text)
		}
	}
	for _, text := range []string{
		"Suicide prevention training for school staff.",
		"The council keeps cutting services.",
		"We need more domestic abuse services in the north of the borough.",
		"My brother died by suicide ten years ago and the support for families was non-existent.",
		"I'm not suicidal, just really tired of waiting.",
		"When I was 16 I self harmed but I'm in a good place now.",
		"Cuts to youth services hit young people hardest.",
		"The menopause hit me like a bus.",
		"What's the point of asking, nothing changes.",
		"I'm fine but CAMHS won't see my son unless he's self harming.",
	} {
		if r := c.Code(text); r.Safeguarding {
			t.Errorf("%q: flagged for %v", text, r.Risk)
		}
	}
}
