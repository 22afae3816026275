package drivers

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
)

func TestSketchCounts(t *testing.T) {
	cases := []struct {
		name     string
		capacity int
		adds     []string
		want     []Counted // Top(0)
	}{
		{"exact while it has room", 3, []string{"a", "b", "a", "c", "a", "b"},
			[]Counted{{"a", 3, 0}, {"b", 2, 0}, {"c", 1, 0}}},
		{"newcomer replaces the smallest and inherits its count as error", 2, []string{"a", "a", "b", "c"},
			[]Counted{{"a", 2, 0}, {"c", 2, 1}}},
		{"capacity below one is one", 0, []string{"a", "b"},
			[]Counted{{"b", 2, 1}}},
		{"empty", 4, nil, []Counted{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSketch(tc.capacity)
			for _, a := range tc.adds {
				s.Add(a)
			}
			if got := s.Top(0); !slices.Equal(got, tc.want) {
				t.Fatalf("Top = %v, want %v", got, tc.want)
			}
			if s.Total() != float64(len(tc.adds)) {
				t.Fatalf("Total = %v, want %d", s.Total(), len(tc.adds))
			}
		})
	}
}

func TestSketchMinAndTop(t *testing.T) {
	s := NewSketch(2)
	s.Add("a")
	if s.Min() != 0 {
		t.Fatalf("Min with room = %v, want 0", s.Min())
	}
	s.Add("b")
	s.Add("b")
	if s.Min() != 1 {
		t.Fatalf("Min when full = %v, want 1", s.Min())
	}
	if got := s.Top(1); len(got) != 1 || got[0].Term != "b" {
		t.Fatalf("Top(1) = %v, want b", got)
	}
	if _, _, ok := s.Count("zzz"); ok {
		t.Fatal("Count of an untracked term reports ok")
	}
}

func TestSketchScaleMergeReset(t *testing.T) {
	a, b := NewSketch(4), NewSketch(4)
	for _, w := range []string{"x", "x", "y"} {
		a.Add(w)
	}
	for _, w := range []string{"x", "z", "z", "z"} {
		b.Add(w)
	}
	a.Scale(0.5)
	a.Merge(b, 2)
	want := []Counted{{"z", 6, 0}, {"x", 3, 0}, {"y", 0.5, 0}}
	if got := a.Top(0); !slices.Equal(got, want) {
		t.Fatalf("after Scale and Merge: %v, want %v", got, want)
	}
	if a.Total() != 9.5 {
		t.Fatalf("Total = %v, want 9.5", a.Total())
	}
	a.Reset()
	if a.Len() != 0 || a.Total() != 0 || a.Cap() != 4 {
		t.Fatalf("after Reset: len %d total %v cap %d", a.Len(), a.Total(), a.Cap())
	}
}

// TestSketchBoundedUnderFlood feeds a million distinct words and a few
// frequent ones: the sketch never tracks more than its capacity, its heap
// stays small, and the frequent words are found within the guaranteed error.
func TestSketchBoundedUnderFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("a million adds")
	}
	const k, distinct = 256, 1_000_000
	frequent := []string{"baggage", "refund", "app login", "outage", "delay"}
	truth := map[string]int{}
	rng := rand.New(rand.NewPCG(1, 2))

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	s := NewSketch(k)
	buf := make([]byte, 0, 16)
	for i := range distinct {
		buf = strconv.AppendUint(append(buf[:0], 'w'), rng.Uint64(), 36)
		s.Add(string(buf))
		if i%50 == 0 {
			f := frequent[rng.IntN(len(frequent))]
			s.Add(f)
			truth[f]++
		}
		if s.Len() > k {
			t.Fatalf("after %d adds the sketch tracks %d terms, capacity %d", i+1, s.Len(), k)
		}
	}

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	const limit = 2 << 20
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > limit {
		t.Errorf("heap grew by %d bytes, want under %d", grown, limit)
	}

	t.Logf("heap grew by %d bytes", int64(after.HeapAlloc)-int64(before.HeapAlloc))
	bound := s.Total() / k
	for f, n := range truth {
		c, e, ok := s.Count(f)
		if !ok {
			t.Errorf("%q (true count %d, over the bound %.0f) not tracked", f, n, bound)
			continue
		}
		if c < float64(n) || c-e > float64(n) || e > bound {
			t.Errorf("%q: count %.0f error %.0f, true %d, error bound %.0f", f, c, e, n, bound)
		}
	}
	runtime.KeepAlive(s)
}

func BenchmarkSketchAdd(b *testing.B) {
	words := make([]string, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range words {
		// Zipf-like: a few words often, most rarely.
		words[i] = "w" + strconv.Itoa(int(rng.ExpFloat64()*300))
	}
	s := NewSketch(256)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Add(words[i%len(words)])
	}
}
