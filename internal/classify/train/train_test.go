package train

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/motive"
)

func TestTrainLoadRoundTrip(t *testing.T) {
	var ex []Example
	for _, s := range []string{"any promo code", "discount code please", "coupon for students", "is there a sale", "free shipping code"} {
		ex = append(ex, Example{Text: s + "?", Motive: motive.Discounts}, Example{Text: s + " today", Motive: motive.Discounts})
	}
	for _, s := range []string{"my order is late", "my card was declined", "my flight got cancelled", "my bill is wrong", "my app keeps crashing"} {
		ex = append(ex, Example{Text: s, Motive: motive.Service, Complaint: true}, Example{Text: s + " again", Motive: motive.Service, Complaint: true})
	}
	data, err := Train(ex, Options{Name: "tiny", Epochs: 30})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := classify.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Version(), "tiny-") {
		t.Errorf("version %q", c.Version())
	}
	if r := c.Classify("any discount code for me?"); r.Motive != motive.Discounts || r.Complaint {
		t.Errorf("got %+v", r)
	}
	if r := c.Classify("my order got cancelled again"); r.Motive != motive.Service || !r.Complaint {
		t.Errorf("got %+v", r)
	}
	again, _ := Train(ex, Options{Name: "tiny", Epochs: 30})
	if !bytes.Equal(data, again) {
		t.Error("training is not deterministic")
	}
}

func TestReadExamples(t *testing.T) {
	in := `{"text":"a","motive":"service","complaint":true}

{"text":"b","motive":"none"}
`
	ex, err := ReadExamples(strings.NewReader(in), "x")
	if err != nil || len(ex) != 2 || !ex[0].Complaint {
		t.Fatalf("got %v, %v", ex, err)
	}
	for _, bad := range []string{`{"text":"a","motive":"angry"}`, `{"motive":"none"}`, `{`} {
		if _, err := ReadExamples(strings.NewReader(bad), "x"); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// By default praise and negative-emotion words reach a trained model only
// through the sentiment cues; SentimentWords keeps them as word features.
func TestTrainSentimentWords(t *testing.T) {
	var ex []Example
	for _, s := range []string{"great, my order is late again", "great, my bill is wrong", "awesome, my app crashed", "great job losing my bag", "terrible, my flight got cancelled"} {
		ex = append(ex, Example{Text: s, Motive: motive.Service, Complaint: true}, Example{Text: s + " today", Motive: motive.Service, Complaint: true})
	}
	for _, s := range []string{"great coffee this morning", "awesome new store design", "love the new menu", "great people at the launch party", "the terrible puns in your ads are the best"} {
		ex = append(ex, Example{Text: s, Motive: motive.Community}, Example{Text: s + " today", Motive: motive.Community})
	}
	features := func(opt Options) map[string]bool {
		data, err := Train(ex, opt)
		if err != nil {
			t.Fatal(err)
		}
		var mf classify.ModelFile
		if err := json.Unmarshal(data, &mf); err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, f := range mf.Features {
			m[f] = true
		}
		return m
	}
	tests := []struct {
		name           string
		sentimentWords bool
		want           bool
	}{
		{"default: through cues only", false, false},
		{"SentimentWords: kept as words", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := features(Options{Name: "tiny", Epochs: 5, SentimentWords: tc.sentimentWords})
			for _, f := range []string{"w:great", "w:awesome"} {
				if got[f] != tc.want {
					t.Errorf("feature %s in model = %v, want %v", f, got[f], tc.want)
				}
			}
			if !got["c:praise"] || !got["c:negemo"] {
				t.Errorf("sentiment cues missing from the model: praise %v negemo %v", got["c:praise"], got["c:negemo"])
			}
			if !got["w:coffee"] {
				t.Error("ordinary words missing from the model")
			}
		})
	}
}

func TestAddCueNB(t *testing.T) {
	// Features 0 and 1 are cues, 2 is a word. Cue 0 goes with discounts only,
	// cue 1 with every motive alike.
	lexical := []bool{false, false, true}
	var docs []trainDoc
	for k := 0; k < numMotives; k++ {
		feats := []int32{1, 2, 2} // a repeated feature counts once
		if k == int(motive.Discounts) {
			feats = append(feats, 0)
		}
		docs = append(docs, trainDoc{feats: feats, motive: k, weight: 1})
	}
	tests := []struct {
		name  string
		alpha float64
	}{
		{"small", 0.1},
		{"large", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &weights{w: make([]float64, len(lexical)*rowLen)}
			addCueNB(w, docs, lexical, tc.alpha)
			row := func(f int) []float64 { return w.w[f*rowLen : f*rowLen+rowLen] }
			d := int(motive.Discounts)
			sum := 0.0
			for k := 0; k < numMotives; k++ {
				sum += row(0)[k]
				if k != d && row(0)[k] >= row(0)[d] {
					t.Errorf("cue 0: motive %s weight %.4f, not below discounts %.4f", motive.Motive(k), row(0)[k], row(0)[d])
				}
			}
			if math.Abs(sum) > 1e-9 {
				t.Errorf("cue 0 weights sum to %.6f, want centred (0)", sum)
			}
			// Every motive has the same count of cue 1; discounts has one more
			// feature in all, so its smoothed likelihood is a shade lower.
			if row(1)[d] >= row(1)[(d+1)%numMotives] {
				t.Errorf("cue 1: discounts %.6f not below the others %.6f", row(1)[d], row(1)[(d+1)%numMotives])
			}
			// Discounts: (1+1)/(3+3) = 1/3; each other motive (0+1)/(2+3) = 1/5;
			// centred over five motives: alpha * 4/5 * ln(5/3).
			if got, want := row(0)[d], tc.alpha*0.8*math.Log(5.0/3); math.Abs(got-want) > 1e-9 {
				t.Errorf("cue 0 discounts weight %.6f, want alpha*0.8*ln(5/3) = %.6f", got, want)
			}
			for k := 0; k < rowLen; k++ {
				if row(2)[k] != 0 {
					t.Errorf("word feature got weight %.4f in column %d, want 0: only cues get the vote", row(2)[k], k)
				}
			}
			for f := 0; f < 2; f++ {
				if row(f)[numMotives] != 0 {
					t.Errorf("feature %d complaint weight %.4f, want 0", f, row(f)[numMotives])
				}
			}
		})
	}
}

func TestTrainOptionsCueNB(t *testing.T) {
	tests := []struct {
		name      string
		set, want float64
	}{
		{"zero means the default", 0, 0.3},
		{"negative means none", -1, 0},
		{"a value is kept", 0.6, 0.6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{CueNB: tc.set}
			o.defaults()
			if o.CueNB != tc.want {
				t.Errorf("CueNB %v after defaults = %v, want %v", tc.set, o.CueNB, tc.want)
			}
		})
	}
}
