package classify

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/outsidein/outsidein/internal/motive"
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
		motive    motive.Motive
		complaint bool
	}{
		{"@FreshCart my delivery never arrived and I've been on hold for 2 hours. I want a refund", motive.Service, true},
		{"@Kestrelbank thanks for losing my card payment AGAIN #fail", motive.Service, true},
		{"@VexaMobile any promo codes for students this month?", motive.Discounts, false},
		{"@SkyJet do you fly to Lisbon in the winter?", motive.Information, false},
		{"I love @Threadly, their new collection is gorgeous 😍", motive.Community, false},
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
	if r.Motive != motive.None || r.Lang != "es" || r.Complaint {
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
		wantMotive motive.Motive
		rules      []string // the rule entries expected, in order
	}{
		{"@zipride thanks for getting my phone back within an hour!! driver was a saint and support was quick 🙏", motive.Service, []string{ruleReportsProblem}},
		{"@brewhaus the new loyalty points app looks great", motive.Discounts, []string{ruleSeeksValue}},
		{"@telnova Octember the 45th.", motive.None, []string{ruleLowConfidence}},
		{"@FreshCart my order still hasn't arrived, third time this month. refund please", motive.Service, nil},
		{"@acme any free codes for the new game? love you guys", motive.Discounts, nil},
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
