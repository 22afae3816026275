package drivers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// t0 starts a bucket of one minute.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type posts struct {
	text string
	n    int
}

func observeAll(s *Set, at time.Time, brand string, ps []posts) {
	for _, p := range ps {
		for range p.n {
			s.Observe(at, brand, skyjetNames, p.text)
		}
	}
}

func sameDrivers(got, want []Driver) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Term != w.Term || g.Count != w.Count || !near(g.Share, w.Share) ||
			!near(g.BaselineShare, w.BaselineShare) || !near(g.Lift, w.Lift) {
			return false
		}
	}
	return true
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }

// TestDriversLift checks lifts computed by hand from the smoothing rule
// Lift = Share / max(BaselineShare, 1/(baseline posts + 1)).
func TestDriversLift(t *testing.T) {
	baseline := []posts{{"refund", 10}, {"delay", 90}} // bucket 0: 100 posts
	cases := []struct {
		name     string
		cfg      Config
		baseline []posts
		advance  time.Duration // watermark after the baseline posts
		recentAt time.Duration
		recent   []posts
		want     []Driver
	}{
		{
			// baggage: 12/20 = 0.6 over the floor 1/101: 60.6. refund: 2 posts
			// (< 3), and 2/20 = 0.1 is its baseline share anyway. delay: 0.3/0.9.
			name: "new term first, steady term not a driver", baseline: baseline,
			advance: 10 * time.Minute, recentAt: 5 * time.Minute,
			recent: []posts{{"baggage", 12}, {"refund", 2}, {"delay", 6}},
			want:   []Driver{{"baggage", 12, 0.6, 0, 60.6}},
		},
		{
			name: "lift of 1 is not above 1", cfg: Config{MinCount: 2}, baseline: baseline,
			advance: 10 * time.Minute, recentAt: 5 * time.Minute,
			recent: []posts{{"baggage", 12}, {"refund", 2}, {"delay", 6}},
			want:   []Driver{{"baggage", 12, 0.6, 0, 60.6}},
		},
		{
			// refund: 5/20 = 0.25 over 10/100: 2.5.
			name: "rising baseline term", baseline: baseline,
			advance: 10 * time.Minute, recentAt: 5 * time.Minute,
			recent: []posts{{"baggage", 12}, {"refund", 5}, {"delay", 3}},
			want:   []Driver{{"baggage", 12, 0.6, 0, 60.6}, {"refund", 5, 0.25, 0.1, 2.5}},
		},
		{
			// The window is buckets 11..20; the baseline, as of bucket 0, has
			// decayed over 10 buckets of one half-life to 50 posts: floor 1/51.
			name: "decayed baseline", cfg: Config{HalfLife: 10 * time.Minute}, baseline: baseline,
			advance: 20 * time.Minute, recentAt: 15 * time.Minute,
			recent: []posts{{"baggage", 12}, {"refund", 5}, {"delay", 3}},
			want:   []Driver{{"baggage", 12, 0.6, 0, 30.6}, {"refund", 5, 0.25, 0.1, 2.5}},
		},
		{
			// seat and wifi: in every post that says "seat wifi".
			name:     "ties by count, then term; words covered by a phrase left out",
			baseline: baseline, advance: 10 * time.Minute, recentAt: 5 * time.Minute,
			recent: []posts{{"seat wifi", 4}, {"crew", 4}, {"delay", 12}},
			want:   []Driver{{"crew", 4, 0.2, 0, 20.2}, {"seat wifi", 4, 0.2, 0, 20.2}},
		},
		{
			// baggage: 5/20 = 0.25; baggage claim and claim: 4/20 = 0.2.
			name:     "word in more posts than its phrase kept",
			baseline: baseline, advance: 10 * time.Minute, recentAt: 5 * time.Minute,
			recent: []posts{{"baggage claim", 4}, {"baggage", 1}, {"delay", 15}},
			want:   []Driver{{"baggage", 5, 0.25, 0, 25.25}, {"baggage claim", 4, 0.2, 0, 20.2}},
		},
		{
			name:     "new brand ranked by count",
			recentAt: 5 * time.Minute,
			recent:   []posts{{"refund", 5}, {"baggage", 12}, {"delay", 3}, {"crew", 2}},
			want:     []Driver{{"baggage", 12, 12.0 / 22, 0, 0}, {"refund", 5, 5.0 / 22, 0, 0}, {"delay", 3, 3.0 / 22, 0, 0}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(tc.cfg)
			observeAll(s, t0, "skyjet", tc.baseline)
			if tc.advance > 0 {
				s.Advance(t0.Add(tc.advance))
			}
			observeAll(s, t0.Add(tc.recentAt), "skyjet", tc.recent)
			if got := s.Drivers("skyjet", 0); !sameDrivers(got, tc.want) {
				t.Fatalf("Drivers =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestDriversLimit(t *testing.T) {
	s := New(Config{})
	observeAll(s, t0, "skyjet", []posts{{"baggage", 5}, {"refund", 4}})
	if got := s.Drivers("skyjet", 1); len(got) != 1 || got[0].Term != "baggage" {
		t.Fatalf("Drivers(1) = %+v, want baggage only", got)
	}
	if got := s.Drivers("telnova", 0); got != nil {
		t.Fatalf("Drivers of an unknown brand = %+v, want nil", got)
	}
}

func TestSinglePostNeverDriver(t *testing.T) {
	for _, minCount := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("MinCount %d", minCount), func(t *testing.T) {
			s := New(Config{MinCount: minCount})
			observeAll(s, t0, "skyjet", []posts{{"delay", 50}})
			s.Advance(t0.Add(10 * time.Minute))
			s.Observe(t0.Add(10*time.Minute), "skyjet", nil, "outage outage outage OUTAGE #outage")
			observeAll(s, t0.Add(10*time.Minute), "skyjet", []posts{{"delay", 5}})
			if got := s.Drivers("skyjet", 0); len(got) != 0 {
				t.Fatalf("Drivers = %+v, want none", got)
			}
		})
	}
}

func TestNamesURLsAndStopWordsNeverDrivers(t *testing.T) {
	s := New(Config{})
	text := "@SkyJet #skyjet SkyJet's skyjethelp #FlySkyJet sky jet https://t.co/a1 www.skyjet.com {link} " +
		"please just still can't get got dont I you they were would be baggage"
	for range 50 {
		s.Observe(t0, "skyjet", skyjetNames, text)
	}
	got := s.Drivers("skyjet", 0)
	if len(got) != 1 || got[0].Term != "baggage" || got[0].Count != 50 {
		t.Fatalf("Drivers = %+v, want baggage alone", got)
	}
}

func TestOutOfOrderPosts(t *testing.T) {
	s := New(Config{})
	for _, m := range []int{9, 3, 7, 0} { // the window is buckets 0..9
		if !s.Observe(t0.Add(time.Duration(m)*time.Minute), "skyjet", nil, "baggage") {
			t.Fatalf("post at minute %d dropped", m)
		}
	}
	// Older than the window: the baseline only.
	s.Observe(t0.Add(-time.Minute), "skyjet", nil, "refund")
	// baggage: 4 of 4 recent posts; the baseline is the one late post, without
	// baggage: 1 / max(0, 1/2) = 2.
	want := []Driver{{"baggage", 4, 1, 0, 2}}
	if got := s.Drivers("skyjet", 0); !sameDrivers(got, want) {
		t.Fatalf("Drivers = %+v, want %+v", got, want)
	}
}

func TestObserveDrops(t *testing.T) {
	s := New(Config{})
	s.Advance(t0)
	s.Advance(t0.Add(-time.Hour)) // ignored: the watermark never goes back
	cases := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"zero time", time.Time{}, false},
		{"more than a window ahead of the watermark", t0.Add(11 * time.Minute), false},
		{"a window ahead", t0.Add(10 * time.Minute), true},
		{"long before the watermark: baseline", t0.Add(-24 * time.Hour), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Observe(tc.at, "skyjet", nil, "baggage"); got != tc.want {
				t.Fatalf("Observe = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMaxBrandsEvictsLeastRecentlyObserved(t *testing.T) {
	s := New(Config{MaxBrands: 5})
	for i := range 20 {
		observeAll(s, t0, "brand"+strconv.Itoa(i), []posts{{"baggage", 3}})
		if s.Len() > 5 {
			t.Fatalf("%d brands tracked, MaxBrands 5", s.Len())
		}
	}
	s.Observe(t0, "brand15", nil, "baggage") // brand16 is now the least recent
	observeAll(s, t0, "brand20", []posts{{"baggage", 3}})
	for i, want := range map[int]bool{14: false, 15: true, 16: false, 17: true, 20: true} {
		if got := s.Drivers("brand"+strconv.Itoa(i), 0) != nil; got != want {
			t.Errorf("brand%d tracked = %v, want %v", i, got, want)
		}
	}
}

// TestSetBoundedUnderFlood floods many brands with distinct words: memory is
// bounded by MaxBrands × (Recent+1) sketches, not by the vocabulary.
func TestSetBoundedUnderFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("a flood")
	}
	cfg := Config{Recent: 5, Capacity: 64, MaxBrands: 20}
	s := New(cfg)
	rng := rand.New(rand.NewPCG(3, 4))
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	var text []byte
	for i := range 200_000 {
		text = text[:0]
		for range 5 {
			text = appendRandomWord(append(text, ' '), rng)
		}
		at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		brand := "brand" + strconv.Itoa(rng.IntN(cfg.MaxBrands))
		if i%100 == 0 {
			brand = "new" + strconv.Itoa(i) // evicts one
		}
		s.Observe(at, brand, nil, string(text))
		if i%1000 == 0 {
			s.Advance(at)
		}
	}
	if s.Len() > cfg.MaxBrands {
		t.Fatalf("%d brands, MaxBrands %d", s.Len(), cfg.MaxBrands)
	}
	for key, b := range s.brands {
		sketches := []*Sketch{b.base.terms}
		for _, k := range b.ring {
			sketches = append(sketches, k.terms)
		}
		if len(sketches) != cfg.Recent+1 {
			t.Errorf("%s: %d sketches, want %d", key, len(sketches), cfg.Recent+1)
		}
		for _, sk := range sketches {
			if sk != nil && (sk.Len() > cfg.Capacity || len(sk.index) > cfg.Capacity) {
				t.Errorf("%s: a sketch tracks %d terms, capacity %d", key, sk.Len(), cfg.Capacity)
			}
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap grew by %d bytes for %d brands", grown, s.Len())
	// 20 brands × 6 sketches × 64 terms is 7,680 entries of about 150 bytes;
	// the million distinct words would take tens of megabytes.
	const limit = 4 << 20
	if grown > limit {
		t.Errorf("heap grew by %d bytes, want under %d", grown, limit)
	}
	runtime.KeepAlive(s)
}

// appendRandomWord appends a word of 6 to 10 random letters: 26^6 and more
// words, each a term.
func appendRandomWord(b []byte, rng *rand.Rand) []byte {
	for range 6 + rng.IntN(5) {
		b = append(b, byte('a'+rng.IntN(26)))
	}
	return b
}

// TestBrandMemory fills every sketch of default-sized brands and checks the
// memory per brand stays under its estimate.
func TestBrandMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("fills brands")
	}
	const brands = 20
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	s := New(Config{})
	rng := rand.New(rand.NewPCG(5, 6))
	var text []byte
	for m := range 30 { // 20 minutes roll into the baseline, 10 stay recent
		for b := range brands {
			for range 100 {
				text = text[:0]
				for range 6 {
					text = appendRandomWord(append(text, ' '), rng)
				}
				s.Observe(t0.Add(time.Duration(m)*time.Minute), "brand"+strconv.Itoa(b), nil, string(text))
			}
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	perBrand := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / brands
	t.Logf("%d bytes per brand with every sketch full (Capacity 256, Recent 10)", perBrand)
	const limit = 400 << 10
	if perBrand > limit {
		t.Errorf("%d bytes per brand, want under %d", perBrand, limit)
	}
	runtime.KeepAlive(s)
}

func TestConcurrentUse(t *testing.T) {
	s := New(Config{})
	brands := []string{"skyjet", "telnova", "freshcart"}
	const workers, each = 4, 600
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				at := t0.Add(time.Duration(i%600) * time.Second)
				s.Observe(at, brands[(w+i)%len(brands)], skyjetNames, "baggage claim broken again")
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			s.Advance(t0.Add(time.Duration(i) * time.Millisecond))
			s.Drivers(brands[i%len(brands)], 3)
		}
	})
	wg.Wait()
	total := 0
	for _, b := range brands {
		for _, d := range s.Drivers(b, 0) {
			if d.Term == "baggage claim" {
				total += d.Count
			}
		}
	}
	if total != workers*each {
		t.Fatalf("%d posts counted, want %d", total, workers*each)
	}
}

func TestDeterministic(t *testing.T) {
	texts := readComplaints(t)
	run := func() map[string][]Driver {
		s := New(Config{Capacity: 32, Recent: 5})
		rng := rand.New(rand.NewPCG(7, 8))
		brands := []string{"skyjet", "telnova", "freshcart"}
		for i := range 5000 {
			at := t0.Add(time.Duration(i)*time.Second - time.Duration(rng.IntN(90))*time.Second)
			text := texts[rng.IntN(len(texts))]
			if i > 4500 && rng.IntN(2) == 0 {
				text = texts[0] // a spike of one complaint
			}
			s.Observe(at, brands[rng.IntN(len(brands))], skyjetNames, text)
			if i%100 == 0 {
				s.Advance(at)
			}
		}
		out := map[string][]Driver{}
		for _, b := range brands {
			out[b] = s.Drivers(b, 0)
		}
		return out
	}
	first, second := run(), run()
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("two runs on the same input differ:\n%+v\n%+v", first, second)
	}
	if len(first["skyjet"]) == 0 {
		t.Fatal("no drivers at all: the test compares nothing")
	}
}

func BenchmarkObserve(b *testing.B) {
	texts := readComplaints(b)
	names := []string{"skyjet", "@skyjet", "@skyjethelp"}
	brands := make([]string, 20)
	for i := range brands {
		brands[i] = "brand" + strconv.Itoa(i)
	}
	s := New(Config{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
		s.Observe(at, brands[i%len(brands)], names, texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

func BenchmarkDrivers(b *testing.B) {
	texts := readComplaints(b)
	s := New(Config{})
	for i := range 20_000 {
		s.Observe(t0.Add(time.Duration(i)*100*time.Millisecond), "skyjet", skyjetNames, texts[i%len(texts)])
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Drivers("skyjet", 10)
	}
}
