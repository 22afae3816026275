package screen

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// timed is one classified record with its event time and partition.
type timed struct {
	at        time.Time
	partition int
	m         *pb.ClassifiedMention
}

// stream makes ten minutes of posts for two brands over six partitions,
// with a complaint burst for skyjet, in event-time order.
func stream(start time.Time) []timed {
	rng := rand.New(rand.NewPCG(1, 2))
	var out []timed
	for i := range 3000 {
		at := start.Add(time.Duration(i) * 200 * time.Millisecond)
		brand := []string{"skyjet", "bankly"}[i%2]
		mo := pb.Motive(1 + rng.IntN(5))
		complaint := rng.IntN(4) == 0
		if brand == "skyjet" && at.Sub(start) > 6*time.Minute && at.Sub(start) < 6*time.Minute+40*time.Second {
			mo, complaint = pb.Motive_MOTIVE_SERVICE, true
		}
		m := post(brand, mo, complaint, pb.ValueTier(rng.IntN(3)), rng.Float64()*2-1)
		m.SourceTopic, m.SourcePartition, m.SourceOffset = "mentions", int32(i%6), int64(i/6)
		m.ProcessedAt = timestamppb.New(at)
		out = append(out, timed{at: at, partition: i % 6, m: m})
	}
	return out
}

func summaryAt(t *testing.T, s *Screen) Summary {
	t.Helper()
	s.refresh()
	var sum Summary
	if err := json.Unmarshal(s.Summary(false), &sum); err != nil {
		t.Fatal(err)
	}
	sum.GeneratedAt, sum.Watermark = time.Time{}, nil
	return sum
}

// Two replicas read the same records, one as they came (live), one as a
// restarted replica reads them back: partition by partition in bursts, out of
// event-time order, with the watermark held back by the slowest partition.
// Their screens must be the same.
func TestReplicasAgree(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	records := stream(start)
	end := records[len(records)-1].at.Add(time.Second)
	newScreen := func() (*Screen, *clock) {
		clk := &clock{t: start}
		return New(prometheus.NewRegistry(), testBrands, Options{Bucket: 4 * time.Second, Now: clk.Now}), clk
	}

	live, liveClk := newScreen()
	for _, r := range records {
		liveClk.t = r.at
		live.Observe(r.at, r.m)
		live.Advance(r.at.Add(-time.Second))
	}
	liveClk.t = end
	live.Advance(end)

	back, backClk := newScreen()
	backClk.t = end
	parts := map[int][]timed{}
	for _, r := range records {
		parts[r.partition] = append(parts[r.partition], r)
	}
	last := map[int]time.Time{}
	rng := rand.New(rand.NewPCG(3, 4))
	for len(parts) > 0 {
		keys := make([]int, 0, len(parts))
		for p := range parts {
			keys = append(keys, p)
		}
		sort.Ints(keys)
		p := keys[rng.IntN(len(keys))]
		n := min(len(parts[p]), 1+rng.IntN(80))
		for _, r := range parts[p][:n] {
			back.Observe(r.at, r.m)
			last[p] = r.at
		}
		if parts[p] = parts[p][n:]; len(parts[p]) == 0 {
			delete(parts, p)
			last[p] = end
		}
		w := end
		for q := range 6 {
			if lt, ok := last[q]; !ok {
				w = start
			} else if lt.Before(w) {
				w = lt
			}
		}
		back.Advance(w)
	}
	back.Advance(end)

	a, b := summaryAt(t, live), summaryAt(t, back)
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Fatalf("the replica that read back differs from the live one:\nlive %s\nback %s", ja, jb)
	}
	sky := map[string]BrandSummary{}
	for _, br := range a.Brands {
		sky[br.Brand] = br
	}
	if got := sky["skyjet"].Windows["15m"].Posts + sky["bankly"].Windows["15m"].Posts; got != 3000 {
		t.Errorf("15m window holds %d posts, want all 3000", got)
	}
	spiked := 0
	c := sky["skyjet"].Complaints
	for i, n := range c.Counts {
		if th := float64(c.Thresholds[i]); th > 0 && float64(n) >= th {
			spiked++
		}
	}
	if spiked != 10 {
		t.Errorf("%d of skyjet's buckets crossed the threshold, want the burst's 10: %v, thresholds %v", spiked, c.Counts, c.Thresholds)
	}
}

// Posts that name no brand are counted but kept off the tiles unless asked.
func TestUnknownBrandFoldedOut(t *testing.T) {
	s, clk, _ := newTestScreen(t)
	feed(s, clk, post("", pb.Motive_MOTIVE_NONE, false, 0, 0))
	s.refresh()
	var sum Summary
	for _, tc := range []struct {
		withUnknown bool
		want        bool
	}{{false, false}, {true, true}} {
		if err := json.Unmarshal(s.Summary(tc.withUnknown), &sum); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range sum.Brands {
			found = found || b.Brand == "unknown"
		}
		if found != tc.want {
			t.Errorf("include_unknown=%v: unknown shown %v, want %v", tc.withUnknown, found, tc.want)
		}
	}
}

// A complaint that arrives after its bucket was judged is counted in the
// windows and the sparkline, but does not re-judge the bucket.
func TestLateComplaint(t *testing.T) {
	s, clk, _ := newTestScreen(t)
	observeBuckets(s, clk, "skyjet", []int{1, 1, 1, 1})
	late := clk.Now().Add(-2 * s.opts.Bucket)
	for range 20 {
		s.Observe(late, post("skyjet", pb.Motive_MOTIVE_SERVICE, true, 0, -0.5))
	}
	sky := summary(t, s)["skyjet"]
	if sky.Windows["15m"].Complaints != 24 {
		t.Errorf("15m complaints = %d, want 24 (the late ones counted)", sky.Windows["15m"].Complaints)
	}
	if c := sky.Complaints.Counts; len(c) < 2 || c[len(c)-2] != 21 {
		t.Errorf("series %v, want the late complaints in their bucket (21)", c)
	}
	if sky.Spike.Active {
		t.Error("a late bucket raised a spike after it was judged")
	}
}
