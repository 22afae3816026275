package classify_test

import (
	"math"
	"testing"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/motive"
)

// FuzzClassify feeds arbitrary text through normalisation, features and the
// model: nothing may panic, and every result must be well-formed.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"@SkyJetHelp my bag never arrived!!! 3rd time #NeverAgain 😡 {link}",
		"any promo codes for students? pls dm me thx",
		"RT @user: Win a FREE phone!!! http://t.co/abc",
		"thanks for losing my luggage, great job 🙄",
		"¿Dónde está mi pedido?", "\u202eright to left\u200b\ufeff", "😡😡😡", "", "\x00\x00", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!!!!!!!!????",
		"#CamelCaseHashtagWithNumbers2026 @a_b_c", "not,really:a;sentence", "can't won't don't isn't",
	} {
		f.Add(s)
	}
	c, err := classify.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, feats := c.Explain(text)
		if int(r.Motive) >= motive.Count {
			t.Fatalf("motive %d", r.Motive)
		}
		if r.Confidence < 0 || r.Confidence > 1 || math.IsNaN(r.Confidence) {
			t.Fatalf("confidence %v", r.Confidence)
		}
		if r.Sentiment < -1 || r.Sentiment > 1 || math.IsNaN(r.Sentiment) {
			t.Fatalf("sentiment %v", r.Sentiment)
		}
		if r.Model == "" {
			t.Fatal("no model version")
		}
		for _, f := range feats {
			if math.IsNaN(f.Weight) || math.IsInf(f.Weight, 0) {
				t.Fatalf("feature %q weight %v", f.Name, f.Weight)
			}
		}
		if got := c.Classify(text); got != r {
			t.Fatalf("Classify %+v differs from Explain %+v", got, r)
		}
	})
}
