package themes

import (
	"testing"

	"github.com/jdkato/prose/v2"
)

var benchComments = []string{
	"I waited nearly eight months for talking therapy and in that time I lost my job. Nobody from the GP or the council rang to check on me, and when I finally got seen I had to tell my whole story again to someone new.",
	"What helps me is the walking group at the park on Tuesdays and having a cup of tea with people who have been through the same thing. I would not have gone to a clinic but I go to the library every week anyway.",
	"My English is not good and there was no interpreter. The forms were only online and I do not have internet at home, so my daughter had to fill them in for me which was embarrassing.",
	"Services should talk to each other. I was passed from pillar to post between the hospital, the GP and housing, and every time the referral got lost. One worker who knows me would make all the difference.",
	"Being a carer for my mum with dementia while working shifts means I can't get to anything in the day. Evening or weekend sessions near where I live would help, and someone checking in on carers too.",
	"The damp in our flat makes my son ill and we are six people in two rooms. I worry about money all the time. I was told I was not ill enough for mental health support until it becomes a crisis.",
}

// BenchmarkCode codes realistic 30-60 word comments, with sentence
// splitting, negation and safeguarding on. Reported as comments per second.
func BenchmarkCode(b *testing.B) {
	c := newTestCoder(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Code(benchComments[i%len(benchComments)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkCodeTaggingAll is the worst case: every sentence is also
// part-of-speech tagged with the shared model (Code tags only sentences no
// code matched).
func BenchmarkCodeTaggingAll(b *testing.B) {
	c := newTestCoder(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := benchComments[i%len(benchComments)]
		c.Code(text)
		for _, s := range splitSentences(text) {
			nounPhrases(s.text)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkNaiveProse is what prose does with default options: a model
// load per document. Run with -benchtime 5x; it is slow.
func BenchmarkNaiveProse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := prose.NewDocument(benchComments[i%len(benchComments)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
}

// BenchmarkCodeWithModel is BenchmarkCode with a learned model attached:
// facilitators simulated on the dev sets, and a low bar for a classifier,
// so that most codes have one (the most work blending can do).
func BenchmarkCodeWithModel(b *testing.B) {
	c := newTestCoder(b)
	items := devSets(b)
	opt := DefaultLearnOptions()
	opt.MinExamples, opt.Folds = 5, 0
	m := Learn(c, simulateFacilitators(c, items), opt, nil)
	c = c.WithModel(m)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Code(benchComments[i%len(benchComments)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comments/s")
	b.ReportMetric(float64(m.Trained()), "classifiers")
}
