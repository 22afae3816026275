package screen

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/outsidein/outsidein/internal/brands"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var testBrands = []brands.Brand{
	{Name: "skyjet", ExpectedMotives: map[string]float64{"community": 0.5, "information": 0.2, "discounts": 0.1, "service": 0.1, "none": 0.1}},
	{Name: "bankly"},
}

func newTestScreen(t *testing.T) (*Screen, *clock, *prometheus.Registry) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	reg := prometheus.NewPedanticRegistry()
	s := New(reg, testBrands, Options{Bucket: 10 * time.Second, Now: clk.Now,
		Detector: DetectorConfig{Z: 4, MinCount: 5, Warmup: 3}})
	return s, clk, reg
}

func summary(t *testing.T, s *Screen) map[string]BrandSummary {
	t.Helper()
	s.refresh()
	var sum struct {
		Brands []BrandSummary `json:"brands"`
	}
	if err := json.Unmarshal(s.Summary(false), &sum); err != nil {
		t.Fatalf("summary is not JSON: %v", err)
	}
	out := map[string]BrandSummary{}
	for _, b := range sum.Brands {
		out[b.Brand] = b
	}
	return out
}

// feed observes m now, as a view that has read everything does: the post,
// then the watermark at the clock.
func feed(s *Screen, clk *clock, m *pb.ClassifiedMention) {
	s.Observe(clk.Now(), m)
	s.Advance(clk.Now())
}

func post(brand string, motive pb.Motive, complaint bool, tier pb.ValueTier, sentiment float64) *pb.ClassifiedMention {
	m := mention(brand, "text", motive, complaint)
	m.Mention.CustomerTier = tier
	m.Classification.Sentiment = sentiment
	return m
}

func TestSummaryWindowsGapsAndQuadrants(t *testing.T) {
	s, clk, _ := newTestScreen(t)
	high, low := pb.ValueTier_VALUE_TIER_HIGH, pb.ValueTier_VALUE_TIER_LOW
	for _, m := range []*pb.ClassifiedMention{
		post("skyjet", pb.Motive_MOTIVE_COMMUNITY, false, high, 0.8),
		post("skyjet", pb.Motive_MOTIVE_COMMUNITY, false, low, 0.5),
		post("skyjet", pb.Motive_MOTIVE_SERVICE, true, high, -0.4),
		post("skyjet", pb.Motive_MOTIVE_SERVICE, true, low, -0.2),
	} {
		feed(s, clk, m)
	}
	clk.Add(30 * time.Minute) // out of the 15m window, still in 24h
	feed(s, clk, post("skyjet", pb.Motive_MOTIVE_DISCOUNTS, false, 0, 0.1))
	feed(s, clk, post("newbrand", pb.Motive_MOTIVE_INFORMATION, false, 0, 0))

	got := summary(t, s)
	sky := got["skyjet"]
	if w := sky.Windows["15m"]; w.Posts != 1 || w.Counts["discounts"] != 1 || w.Shares["discounts"] != 1 {
		t.Errorf("skyjet 15m = %+v, want the one discounts post", w)
	}
	w24 := sky.Windows["24h"]
	if w24.Posts != 5 || w24.Complaints != 2 || w24.Shares["community"] != 0.4 || w24.Shares["service"] != 0.4 {
		t.Errorf("skyjet 24h = %+v, want 5 posts, 2 complaints, community and service 0.4", w24)
	}
	// 5 posts are fewer than the 30 a share needs to mean much: shown, flagged.
	if w24.Reliable || sky.GapReliable || sky.GapPosts != 5 {
		t.Errorf("skyjet: reliable %v, gap reliable %v over %d posts; want both false over 5", w24.Reliable, sky.GapReliable, sky.GapPosts)
	}
	wantGap := map[string]Num{"community": -0.1, "service": 0.3, "discounts": 0.1, "information": -0.2, "none": -0.1}
	for m, g := range wantGap {
		if diff := float64(sky.Gap[m] - g); diff > 1e-9 || diff < -1e-9 {
			t.Errorf("skyjet gap %s = %v, want %v", m, sky.Gap[m], g)
		}
	}
	wantQ := map[string]uint64{"keep_and_grow": 1, "fix_fast": 1, "tap_advocacy": 1, "let_go": 1}
	for q, n := range wantQ {
		if sky.Quadrants[q] != n {
			t.Errorf("skyjet quadrant %s = %d, want %d", q, sky.Quadrants[q], n)
		}
	}
	bank, ok := got["bankly"]
	if !ok {
		t.Fatal("configured brand bankly missing before its first post")
	}
	if bank.Expected != nil || bank.Gap != nil || bank.Windows["24h"].Shares != nil {
		t.Errorf("bankly = %+v, want no expected mix, no gap and no shares", bank)
	}
	if nb := got["newbrand"]; nb.Configured || nb.Windows["24h"].Posts != 1 {
		t.Errorf("newbrand = %+v, want an unconfigured brand with 1 post", nb)
	}

	clk.Add(25 * time.Hour)
	got = summary(t, s)
	if _, ok := got["newbrand"]; ok {
		t.Error("an unconfigured brand without posts in 24h is still shown")
	}
	if sky := got["skyjet"]; sky.Windows["24h"].Posts != 0 || sky.Gap != nil {
		t.Errorf("skyjet after 25 h = %+v, want an empty window and no gap", sky.Windows["24h"])
	}
}

// Shares and gaps are Prometheus recording rules over the summed counters
// (deploy/prometheus); the screen exports only the declared mix, which every
// replica knows from its configuration, and the spike state of the view.
func TestScreenMetrics(t *testing.T) {
	s, clk, reg := newTestScreen(t)
	feed(s, clk, post("skyjet", pb.Motive_MOTIVE_COMMUNITY, false, 0, 0))
	s.refresh()
	want := `
# HELP outsidein_expected_motive_share Share of each motive the business declared it expects for the brand (configured brands with expected_motives only).
# TYPE outsidein_expected_motive_share gauge
outsidein_expected_motive_share{brand="skyjet",motive="community"} 0.5
outsidein_expected_motive_share{brand="skyjet",motive="discounts"} 0.1
outsidein_expected_motive_share{brand="skyjet",motive="information"} 0.2
outsidein_expected_motive_share{brand="skyjet",motive="none"} 0.1
outsidein_expected_motive_share{brand="skyjet",motive="service"} 0.1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "outsidein_expected_motive_share"); err != nil {
		t.Error(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if n := mf.GetName(); n == "outsidein_motive_share" || n == "outsidein_perception_gap" {
			t.Errorf("%s is exported: a per-replica share would be read as the cluster's", n)
		}
	}
	if n := testutil.CollectAndCount(s.met.spike); n != 2 {
		t.Errorf("outsidein_complaint_spike has %d series, want 2 (the configured brands)", n)
	}
}

// observeBuckets feeds brand complaints per bucket, advancing the clock
// and the watermark a bucket after each.
func observeBuckets(s *Screen, clk *clock, brand string, perBucket []int) {
	for _, n := range perBucket {
		for i := range n {
			m := post(brand, pb.Motive_MOTIVE_SERVICE, true, 0, -0.5)
			m.Mention.Text = "complaint " + string(rune('a'+i%26))
			feed(s, clk, m)
		}
		clk.Add(s.opts.Bucket)
		s.Advance(clk.Now())
	}
}

func TestSpikeRaisedShownAndCleared(t *testing.T) {
	s, clk, _ := newTestScreen(t)
	observeBuckets(s, clk, "skyjet", []int{4, 6, 5, 5, 4, 6, 5, 5})
	observeBuckets(s, clk, "bankly", []int{5})
	if sky := summary(t, s)["skyjet"]; sky.Spike.Active || !sky.Spike.Warm {
		t.Fatalf("steady skyjet: spike %+v, want warm and not active", sky.Spike)
	}
	// A burst in the open bucket raises the spike at once.
	for i := range 40 {
		m := post("skyjet", pb.Motive_MOTIVE_SERVICE, true, 0, -0.5)
		m.Mention.Text = "burst " + string(rune('a'+i%26))
		m.SourceTopic, m.SourceOffset = "mentions", int64(i)
		feed(s, clk, m)
	}
	dup := post("skyjet", pb.Motive_MOTIVE_SERVICE, true, 0, -0.5)
	dup.Mention.Text, dup.SourceTopic, dup.SourceOffset = "burst n", "mentions", 39 // published twice
	feed(s, clk, dup)
	sky := summary(t, s)["skyjet"]
	if !sky.Spike.Active || sky.Spike.Score < 4 || sky.Spike.Since == nil {
		t.Fatalf("skyjet after a burst: spike %+v, want active with score >= 4", sky.Spike)
	}
	// One figure for the tile and the banner: the complaints in the bucket.
	if sky.Spike.Count != 41 || sky.Complaints.Current != 41 || sky.Spike.RatePerMinute != sky.Complaints.CurrentPerMinute {
		t.Errorf("spike count %d (%v/min), tile %d (%v/min); want both 41", sky.Spike.Count, sky.Spike.RatePerMinute,
			sky.Complaints.Current, sky.Complaints.CurrentPerMinute)
	}
	seen := map[string]bool{}
	for _, p := range sky.Spike.Posts {
		if seen[p.Text] {
			t.Errorf("spike lists %q twice", p.Text)
		}
		seen[p.Text] = true
	}
	if len(sky.Spike.Posts) != spikePosts || !strings.HasPrefix(sky.Spike.Posts[0].Text, "burst") {
		t.Errorf("spike posts = %+v, want the %d latest burst posts", sky.Spike.Posts, spikePosts)
	}
	if got := testutil.ToFloat64(s.met.spike.WithLabelValues("skyjet")); got != 1 {
		t.Errorf("outsidein_complaint_spike{skyjet} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(s.met.spikeScore.WithLabelValues("skyjet")); got < 4 {
		t.Errorf("outsidein_complaint_spike_score{skyjet} = %v, want >= 4", got)
	}
	if got := testutil.ToFloat64(s.met.spike.WithLabelValues("bankly")); got != 0 {
		t.Errorf("outsidein_complaint_spike{bankly} = %v, want 0", got)
	}
	// 9 closed buckets (8 of skyjet's, 1 while bankly was fed), as counts
	// and per minute; no threshold (null) during the 3 warm-up buckets.
	wantSeries := []uint64{4, 6, 5, 5, 4, 6, 5, 5, 0}
	if got := sky.Complaints.Counts; fmt.Sprint(got) != fmt.Sprint(wantSeries) {
		t.Errorf("complaints per bucket = %v, want %v", got, wantSeries)
	}
	if got := sky.Complaints.PerMinute; len(got) != 9 || got[0] != 24 || got[1] != 36 {
		t.Errorf("complaints per minute = %v, want the counts times 6", got)
	}
	if th := sky.Complaints.Thresholds; len(th) != 9 || th[2] != 0 || th[3] < 10 || th[8] < 10 {
		t.Errorf("thresholds = %v, want 9, null during warm-up then above the counts", th)
	}

	// The spike holds for the hold time after its bucket closes, then clears.
	clk.Add(s.opts.Bucket)
	s.Advance(clk.Now())
	if sky := summary(t, s)["skyjet"]; !sky.Spike.Active {
		t.Error("spike cleared right after its bucket closed, want it held")
	}
	observeBuckets(s, clk, "skyjet", []int{5, 5, 5, 5, 5, 5, 5})
	if sky := summary(t, s)["skyjet"]; sky.Spike.Active || len(sky.Spike.Posts) != 0 {
		t.Errorf("spike %+v still up after the hold time, want cleared", sky.Spike)
	}
	if got := testutil.ToFloat64(s.met.spike.WithLabelValues("skyjet")); got != 0 {
		t.Errorf("outsidein_complaint_spike{skyjet} = %v after the spike, want 0", got)
	}
}

func TestAPI(t *testing.T) {
	s, _, _ := newTestScreen(t)
	mux := http.NewServeMux()
	s.Register(mux.Handle)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { s.Run(ctx); close(ran) }()
	defer func() { cancel(); <-ran }()

	for _, tc := range []struct {
		path, wantType, wantBody string
		wantCode                 int
	}{
		{"/", "text/html; charset=utf-8", `<script src="/assets/screen.js"`, 200},
		{"/assets/screen.js", "text/javascript; charset=utf-8", "textContent", 200},
		{"/assets/screen.css", "text/css; charset=utf-8", ".spike", 200},
		{"/assets/", "", "", 404},
		{"/api/v1/summary", "application/json", `"brands":[{"brand":"skyjet"`, 200},
		{"/api/v1/recent?motive=nonsense", "", "unknown motive", 400},
		{"/api/v1/stream?motive=nonsense", "", "unknown motive", 400},
	} {
		res, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body := new(strings.Builder)
		_, _ = bufio.NewReader(res.Body).WriteTo(body)
		res.Body.Close()
		if res.StatusCode != tc.wantCode || !strings.Contains(body.String(), tc.wantBody) ||
			(tc.wantType != "" && res.Header.Get("Content-Type") != tc.wantType) {
			t.Errorf("GET %s = %d %q %.80q, want %d %q containing %q", tc.path, res.StatusCode,
				res.Header.Get("Content-Type"), body.String(), tc.wantCode, tc.wantType, tc.wantBody)
		}
	}

	head := &http.Client{Timeout: 5 * time.Second}
	if res, err := head.Head(srv.URL + "/api/v1/stream"); err != nil {
		t.Errorf("HEAD /api/v1/stream: %v, want headers at once", err)
	} else if res.Body.Close(); res.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD /api/v1/stream Content-Type = %q", res.Header.Get("Content-Type"))
	}

	hostile := `<img src=x onerror=alert(1)><script>window.pwned=1</script>`
	s.Observe(time.Now(), mention("bankly", "before", pb.Motive_MOTIVE_SERVICE, false))
	waitFor(t, func() bool { _, last := s.hub.recent("", -1); return last == 1 })

	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/stream?brand=skyjet", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("stream Content-Type = %q", ct)
	}
	s.Observe(time.Now(), mention("bankly", "filtered out", pb.Motive_MOTIVE_SERVICE, false))
	s.Observe(time.Now(), mention("skyjet", hostile, pb.Motive_MOTIVE_COMMUNITY, true))
	r := bufio.NewReader(res.Body)
	var frame []string
	for len(frame) == 0 || !strings.HasPrefix(frame[len(frame)-1], "data: ") {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading stream: %v (so far %q)", err, frame)
		}
		if line = strings.TrimSuffix(line, "\n"); line != "" && !strings.HasPrefix(line, "retry:") {
			frame = append(frame, line)
		}
	}
	if len(frame) != 3 || frame[0] != "id: 3" || frame[1] != "event: post" {
		t.Fatalf("first skyjet event = %q, want id 3, event post, data", frame)
	}
	var p Post
	if err := json.Unmarshal([]byte(strings.TrimPrefix(frame[2], "data: ")), &p); err != nil {
		t.Fatal(err)
	}
	if p.Text != hostile || p.Brand != "skyjet" || p.Motive != "community" || !p.Complaint {
		t.Errorf("event = %+v, want the skyjet post with its text unchanged", p)
	}
	if strings.Contains(frame[2], "<") {
		t.Errorf("event data %q carries a raw '<'", frame[2])
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Observe takes every post of the cluster on each replica: it must stay
// cheap.
func BenchmarkObserve(b *testing.B) {
	s := New(prometheus.NewRegistry(), testBrands, Options{})
	m := post("skyjet", pb.Motive_MOTIVE_SERVICE, true, pb.ValueTier_VALUE_TIER_HIGH, -0.3)
	at := time.Now().Add(-time.Hour) // read back: not for the live feed
	b.ReportAllocs()
	for b.Loop() {
		s.Observe(at, m)
	}
}
