package classify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func mustDefault(t testing.TB) *Classifier {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDefaultLoadsOnce(t *testing.T) {
	a, b := mustDefault(t), mustDefault(t)
	if a != b {
		t.Error("Default returned two classifiers")
	}
	v := a.Version()
	if !strings.HasPrefix(v, "motive-") || len(v) != len("motive-")+10 {
		t.Errorf("version %q, want motive-<10 hex>", v)
	}
	if r := a.Classify("@acme hello"); r.Model != v {
		t.Errorf("result model %q, want %q", r.Model, v)
	}
}

func TestClassifyClearCases(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		text      string
		motive    string
		complaint bool
	}{
		{"@FreshCart my delivery never arrived and I've been on hold for 2 hours. I want a refund", MotiveService, true},
		{"@Kestrelbank thanks for losing my card payment AGAIN #fail", MotiveService, true},
		{"@VexaMobile any promo codes for students this month?", MotiveDiscounts, false},
		{"@SkyJet do you fly to Lisbon in the winter?", MotiveInformation, false},
		{"I love @Threadly, their new collection is gorgeous 😍", MotiveCommunity, false},
	}
	for _, tc := range tests {
		r := c.Classify(tc.text)
		if r.Motive != tc.motive || r.Complaint != tc.complaint {
			t.Errorf("%q: got %s/%v (conf %.2f), want %s/%v", tc.text, r.Motive, r.Complaint, r.Confidence, tc.motive, tc.complaint)
		}
		if r.Lang != "en" || r.Confidence <= 0 || r.Confidence > 1 || r.Sentiment < -1 || r.Sentiment > 1 {
			t.Errorf("%q: bad result %+v", tc.text, r)
		}
	}
}

func TestNonEnglishIsNone(t *testing.T) {
	c := mustDefault(t)
	r := c.Classify("@SkyJet hola, mi vuelo fue cancelado y nadie me ayuda, quiero mi dinero por favor")
	if r.Motive != MotiveNone || r.Lang != "es" || r.Complaint {
		t.Errorf("got %+v, want none/es", r)
	}
}

func TestExplain(t *testing.T) {
	c := mustDefault(t)
	text := "@FreshCart my order still hasn't arrived, third time this month. refund please"
	r, feats := c.Explain(text)
	if r != c.Classify(text) {
		t.Errorf("Explain result %+v differs from Classify", r)
	}
	if len(feats) == 0 {
		t.Fatal("no features")
	}
	var motive, compl int
	for _, f := range feats {
		if strings.HasPrefix(f.Name, "complaint:") {
			compl++
		} else {
			motive++
		}
	}
	if motive == 0 || compl == 0 {
		t.Errorf("want motive and complaint features, got %v", feats)
	}
}

// TestExplainRules checks that an explanation says when a rule on top of the
// model decided, and only then: an analyst must be able to tell a complaint
// the model called from one a rule called.
func TestExplainRules(t *testing.T) {
	c := mustDefault(t)
	tests := []struct {
		text       string
		wantMotive string
		rules      []string // the rule entries expected, in order
	}{
		{"@zipride thanks for getting my phone back within an hour!! driver was a saint and support was quick 🙏", MotiveService, []string{ruleReportsProblem}},
		{"does @telnova still do the military discount? can't find it on the site", MotiveDiscounts, []string{ruleSeeksValue}},
		{"tile mart tile mart tile mart", MotiveNone, []string{ruleLowConfidence}},
		{"@FreshCart my order still hasn't arrived, third time this month. refund please", MotiveService, nil},
		{"@acme any free codes for the new game? love you guys", MotiveDiscounts, nil},
	}
	for _, tt := range tests {
		r, feats := c.Explain(tt.text)
		if r != c.Classify(tt.text) {
			t.Errorf("%q: Explain result %+v differs from Classify", tt.text, r)
		}
		if r.Motive != tt.wantMotive {
			t.Errorf("%q: motive %s, want %s", tt.text, r.Motive, tt.wantMotive)
		}
		var got []string
		for _, f := range feats {
			if strings.Contains(f.Name, "rule:") {
				got = append(got, f.Name)
				if f.Weight < 0 || f.Weight > 1 {
					t.Errorf("%q: rule %s weight %v, want a probability", tt.text, f.Name, f.Weight)
				}
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.rules, ",") {
			t.Errorf("%q: rule entries %v, want %v (all: %v)", tt.text, got, tt.rules, feats)
		}
		// A motive rule comes first; the complaint rule comes first among the
		// complaint features.
		for i, f := range feats {
			switch f.Name {
			case ruleSeeksValue, ruleLowConfidence:
				if i != 0 {
					t.Errorf("%q: %s at %d, want first", tt.text, f.Name, i)
				}
			case ruleReportsProblem:
				if i > 0 && strings.HasPrefix(feats[i-1].Name, "complaint:") {
					t.Errorf("%q: %s after %s, want before the complaint features", tt.text, f.Name, feats[i-1].Name)
				}
				if !r.Complaint {
					t.Errorf("%q: complaint rule listed but no complaint", tt.text)
				}
			}
		}
	}
}

func TestConcurrentClassify(t *testing.T) {
	c := mustDefault(t)
	texts := benchTexts(t)[:200]
	want := make([]Result, len(texts))
	for i, s := range texts {
		want[i] = c.Classify(s)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, s := range texts {
				if got := c.Classify(s); got != want[i] {
					t.Errorf("%q: concurrent %+v != serial %+v", s, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestTrainLoadRoundTrip(t *testing.T) {
	var ex []Example
	for _, s := range []string{"any promo code", "discount code please", "coupon for students", "is there a sale", "free shipping code"} {
		ex = append(ex, Example{Text: s + "?", Motive: MotiveDiscounts}, Example{Text: s + " today", Motive: MotiveDiscounts})
	}
	for _, s := range []string{"my order is late", "my card was declined", "my flight got cancelled", "my bill is wrong", "my app keeps crashing"} {
		ex = append(ex, Example{Text: s, Motive: MotiveService, Complaint: true}, Example{Text: s + " again", Motive: MotiveService, Complaint: true})
	}
	data, err := Train(ex, TrainOptions{Name: "tiny", Epochs: 30})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Version(), "tiny-") {
		t.Errorf("version %q", c.Version())
	}
	if r := c.Classify("any discount code for me?"); r.Motive != MotiveDiscounts || r.Complaint {
		t.Errorf("got %+v", r)
	}
	if r := c.Classify("my order got cancelled again"); r.Motive != MotiveService || !r.Complaint {
		t.Errorf("got %+v", r)
	}
	again, _ := Train(ex, TrainOptions{Name: "tiny", Epochs: 30})
	if !bytes.Equal(data, again) {
		t.Error("training is not deterministic")
	}
}

func TestLoadRejectsBadModels(t *testing.T) {
	for name, data := range map[string]string{
		"not json":      "nope",
		"wrong classes": `{"classes":["a"],"bias":[0],"features":[],"weights":[]}`,
		"short row":     `{"classes":["discounts","information","community","service","none"],"bias":[0,0,0,0,0,0],"features":["w:x"],"weights":[[1]]}`,
	} {
		if _, err := LoadBytes([]byte(data)); !errors.Is(err, ErrBadModel) {
			t.Errorf("%s: err %v, want ErrBadModel", name, err)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file loaded")
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

// The loaded shipped model must stay well under 50 MB of heap, and so must the
// model plus a span cache filled to its bound by a stream of unique spans.
func TestModelHeap(t *testing.T) {
	if mb := modelHeapMB(t); mb > 50 {
		t.Errorf("model holds %.1f MB of heap, want < 50", mb)
	} else {
		t.Logf("model heap %.2f MB", mb)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := mustDefault(t)
	for i := 0; i < 64*spanCacheMaxPerShard*2; i += 8 {
		c.Classify(fmt.Sprintf("@acme order%d code%dx #tag%d http://t.co/%d a%d b%d c%d d%d", i, i+1, i+2, i+3, i+4, i+5, i+6, i+7))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	full := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
	if mb := modelHeapMB(t) + full; mb > 50 {
		t.Errorf("model plus a full span cache hold %.1f MB, want < 50", mb)
	} else {
		t.Logf("model plus full span cache %.2f MB", mb)
	}
}

// By default praise and negative-emotion words reach a trained model only
// through the sentiment cues; SentimentWords keeps them as word features.
func TestTrainSentimentWords(t *testing.T) {
	var ex []Example
	for _, s := range []string{"great, my order is late again", "great, my bill is wrong", "awesome, my app crashed", "great job losing my bag", "terrible, my flight got cancelled"} {
		ex = append(ex, Example{Text: s, Motive: MotiveService, Complaint: true}, Example{Text: s + " today", Motive: MotiveService, Complaint: true})
	}
	for _, s := range []string{"great coffee this morning", "awesome new store design", "love the new menu", "great people at the launch party", "the terrible puns in your ads are the best"} {
		ex = append(ex, Example{Text: s, Motive: MotiveCommunity}, Example{Text: s + " today", Motive: MotiveCommunity})
	}
	features := func(opt TrainOptions) map[string]bool {
		data, err := Train(ex, opt)
		if err != nil {
			t.Fatal(err)
		}
		var mf modelFile
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
			got := features(TrainOptions{Name: "tiny", Epochs: 5, SentimentWords: tc.sentimentWords})
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
		if k == motiveIndex(MotiveDiscounts) {
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
			d := motiveIndex(MotiveDiscounts)
			sum := 0.0
			for k := 0; k < numMotives; k++ {
				sum += row(0)[k]
				if k != d && row(0)[k] >= row(0)[d] {
					t.Errorf("cue 0: motive %s weight %.4f, not below discounts %.4f", Motives[k], row(0)[k], row(0)[d])
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
			o := TrainOptions{CueNB: tc.set}
			o.defaults()
			if o.CueNB != tc.want {
				t.Errorf("CueNB %v after defaults = %v, want %v", tc.set, o.CueNB, tc.want)
			}
		})
	}
}
