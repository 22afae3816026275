package train

import (
	"fmt"
	"testing"

	"github.com/outsidein/outsidein/internal/motive"
)

func TestSourceFolds(t *testing.T) {
	size := map[string]int{"a": 50, "b": 30, "c": 20, "d": 20, "e": 10}
	for _, tc := range []struct {
		k    int
		want map[string]int
	}{
		{0, map[string]int{"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}},
		{5, map[string]int{"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}},
		// Largest first, each to the lightest fold (the first on a tie):
		// a 0, b 1, c 1 (30 < 50), d 0 (50 = 50), e 1 (50 < 70).
		{2, map[string]int{"a": 0, "b": 1, "c": 1, "d": 0, "e": 1}},
		{3, map[string]int{"a": 0, "b": 1, "c": 2, "d": 2, "e": 1}},
	} {
		t.Run(fmt.Sprint(tc.k), func(t *testing.T) {
			got := sourceFolds(size, tc.k)
			for s, f := range tc.want {
				if got[s] != f {
					t.Errorf("source %s in fold %d, want %d (all: %v)", s, got[s], f, got)
				}
			}
		})
	}
}

// The sample takes about the share asked, the same posts every time, and a
// larger share keeps every post of a smaller one.
func TestSampledShare(t *testing.T) {
	n, in25, in50, lost := 20000, 0, 0, 0
	for i := 0; i < n; i++ {
		e := Example{ID: fmt.Sprintf("src:%d", i), Text: fmt.Sprintf("post number %d", i)}
		a, b := sampled(e, 0.25), sampled(e, 0.5)
		if a != sampled(e, 0.25) {
			t.Fatal("the sample is not fixed")
		}
		if a {
			in25++
		}
		if b {
			in50++
		}
		if a && !b {
			lost++
		}
	}
	if in25 < n/4-400 || in25 > n/4+400 || in50 < n/2-400 || in50 > n/2+400 {
		t.Errorf("sampled %d at 0.25 and %d at 0.5 of %d", in25, in50, n)
	}
	if lost != 0 {
		t.Errorf("%d posts of the 0.25 sample are not in the 0.5 one", lost)
	}
}

// Each fold holds out exactly its sources' posts; the corpus (no source) is
// never held out.
func TestLeaveOneSourceOutFolds(t *testing.T) {
	var ex []Example
	add := func(src string, n int) {
		for i := 0; i < n; i++ {
			ex = append(ex, Example{ID: fmt.Sprint(src, i), Source: src, Text: fmt.Sprintf("any promo code %d?", i), Motive: motive.Discounts},
				Example{ID: fmt.Sprint(src, i, "s"), Source: src, Text: fmt.Sprintf("my order %d never came", i), Motive: motive.Service, Complaint: true})
		}
	}
	add("x", 6)
	add("y", 4)
	add("z", 2)
	ex = append(ex, Example{Text: "is there a coupon?", Motive: motive.Discounts}, Example{Text: "my card was declined", Motive: motive.Service, Complaint: true})
	for _, tc := range []struct {
		cv   SourceCV
		want map[string]int
	}{
		{SourceCV{}, map[string]int{"x": 12, "y": 8, "z": 4}},
		{SourceCV{Folds: 2, RealFraction: 0.5}, map[string]int{"x": 12, "y+z": 12}},
	} {
		folds, pooled, err := LeaveOneSourceOut(ex, Options{Name: "t", Epochs: 3, Ensemble: 1}, tc.cv)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, f := range folds {
			got[f.Group] = f.Report.N
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || pooled.N != 24 {
			t.Errorf("%+v: folds %v, pooled %d; want %v, 24", tc.cv, got, pooled.N, tc.want)
		}
	}
}
