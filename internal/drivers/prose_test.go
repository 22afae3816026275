package drivers

import (
	"testing"

	"github.com/jdkato/prose/v2"
)

// BenchmarkProseTagging measures what noun phrases from prose's
// part-of-speech tagger would cost per complaint, beside BenchmarkTerms:
// one model built once, no segmentation, no entity extraction, tagging on.
// Its figure is why the drivers use adjacent kept words instead.
func BenchmarkProseTagging(b *testing.B) {
	texts := readComplaints(b)
	model := prose.ModelFromData("tagging")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		doc, err := prose.NewDocument(texts[i%len(texts)], prose.UsingModel(model),
			prose.WithSegmentation(false), prose.WithExtraction(false))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, t := range doc.Tokens() {
			if len(t.Tag) > 1 && t.Tag[:2] == "NN" {
				n++
			}
		}
		_ = n
	}
}
