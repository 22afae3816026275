// Package screen is outsidein's command-center screen: it aggregates the
// classified posts into per-brand motive mixes (last 15 minutes, last 24
// hours), complaint rates with spike detection, the gap between observed and
// expected motives, and customer quadrants; it streams the posts to a live
// feed (server-sent events); and it serves the screen's page, built into
// the binary, with its JSON API.
//
// The pipeline hands it every post through Observe, which only updates
// counters under a per-brand lock and queues the post for the feed without
// blocking; everything else happens in Run's loop or in HTTP handlers.
package screen

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Options tune the screen. Zero fields take the defaults named.
type Options struct {
	// Bucket is the width of a complaint bucket: the unit of the spike
	// detector's baseline (0: 4 s, so that a burst shows within seconds and
	// a new brand's baseline is learned in a few).
	Bucket time.Duration
	// Detector tunes the spike detector.
	Detector DetectorConfig
	// Hold is how long a spike stays raised after its last spiking bucket,
	// so that the banner does not flicker (0: 6 buckets).
	Hold time.Duration
	// Tick is how often spike states, gauges and the summary are refreshed
	// (0: a fifth of Bucket, between 50 ms and 1 s).
	Tick time.Duration
	// MaxClients caps the live feed's concurrent clients (0: 32).
	MaxClients int
	// ClientBuffer is how many posts wait for a slow client before further
	// posts are dropped for it (0: 256).
	ClientBuffer int
	// Backlog is how many recent posts a new feed client gets first (0: 100).
	Backlog int
	// WriteTimeout bounds each write to a feed client (0: 10 s).
	WriteTimeout time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Bucket <= 0 {
		o.Bucket = 4 * time.Second
	}
	if o.Hold <= 0 {
		o.Hold = 6 * o.Bucket
	}
	if o.Tick <= 0 {
		o.Tick = min(max(o.Bucket/5, 50*time.Millisecond), time.Second)
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 32
	}
	if o.ClientBuffer <= 0 {
		o.ClientBuffer = 256
	}
	if o.Backlog <= 0 {
		o.Backlog = 100
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Detector = o.Detector.withDefaults()
	return o
}

// Screen aggregates classified posts for the screen. It is safe for
// concurrent use.
type Screen struct {
	opts   Options
	met    *metrics
	hub    *hub
	origin atomic.Int64 // unix nanoseconds of the first post: bucket 0 starts here

	mu     sync.RWMutex
	brands map[string]*brand
	order  []*brand // configured brands first, in configuration order

	refreshMu sync.Mutex
	summary   []byte // the latest summary, encoded
	summaryAt time.Time
}

// New returns a screen for the configured brands, with its metrics
// registered on reg. Configured brands are shown (and their series exist)
// from the start.
func New(reg prometheus.Registerer, configured []brands.Brand, o Options) *Screen {
	o = o.withDefaults()
	s := &Screen{opts: o, met: newMetrics(reg), brands: map[string]*brand{}}
	s.hub = newHub(4096, o.MaxClients, o.ClientBuffer, o.Backlog, s.met)
	for _, cb := range configured {
		b := newBrand(brands.Normalize(cb.Name), o.Detector)
		b.configured = true
		if len(cb.ExpectedMotives) > 0 {
			b.expected = map[string]float64{}
			for _, m := range motiveNames {
				b.expected[m] = cb.ExpectedMotives[m]
			}
		}
		b.gauges = s.met.gauges(b)
		s.brands[b.name] = b
		s.order = append(s.order, b)
	}
	return s
}

// Observe counts a classified post for brandLabel (a bounded label value)
// and queues it for the live feed. It never blocks on the feed's clients.
func (s *Screen) Observe(brandLabel string, m *pb.ClassifiedMention) {
	now := s.opts.Now().UnixNano()
	origin := s.origin.Load()
	if origin == 0 {
		s.origin.CompareAndSwap(0, now)
		origin = s.origin.Load()
	}
	c := m.GetClassification()
	mi := int(motive.FromProto(c.GetMotive()))
	complaint := c.GetComplaint()
	qi := quadrantIndex(m.GetMention().GetCustomerTier(), complaint, c.GetSentiment())
	b := s.brand(brandLabel)
	b.mu.Lock()
	b.observe(now, s.bucketOf(now, origin), mi, complaint, qi, m)
	b.mu.Unlock()
	s.hub.publish(brandLabel, mi, m)
}

func (s *Screen) bucketOf(now, origin int64) int64 {
	if now < origin {
		return 0
	}
	return (now - origin) / int64(s.opts.Bucket)
}

// brand returns the state of a brand label, creating it on first sight.
func (s *Screen) brand(name string) *brand {
	s.mu.RLock()
	b, ok := s.brands[name]
	s.mu.RUnlock()
	if ok {
		return b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok = s.brands[name]; !ok {
		b = newBrand(name, s.opts.Detector)
		s.brands[name] = b
		s.order = append(s.order, b)
	}
	return b
}

// Run refreshes spike states, gauges and the summary every tick and feeds
// the live feed's clients, until ctx ends. It returns when ctx ends, after
// which every open feed stream ends too.
func (s *Screen) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.hub.run(ctx) }()
	t := time.NewTicker(s.opts.Tick)
	defer t.Stop()
	for {
		s.refresh()
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-t.C:
		}
	}
}

// Summary returns the current summary, refreshed when older than a tick.
func (s *Screen) Summary() []byte {
	s.refreshMu.Lock()
	fresh := s.summary != nil && s.opts.Now().Sub(s.summaryAt) < s.opts.Tick
	s.refreshMu.Unlock()
	if !fresh {
		s.refresh()
	}
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	return s.summary
}

// refresh updates every brand's spike state and gauges and encodes the
// summary.
func (s *Screen) refresh() {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	now := s.opts.Now()
	s.mu.RLock()
	list := append([]*brand(nil), s.order...)
	s.mu.RUnlock()

	sum := Summary{GeneratedAt: now.UTC(), Motives: motiveNames, Quadrants: Quadrants,
		BucketSeconds: s.opts.Bucket.Seconds(), Brands: make([]BrandSummary, 0, len(list))}
	for _, b := range list {
		bs, show := s.refreshBrand(b, now)
		if show {
			sum.Brands = append(sum.Brands, bs)
		}
	}
	// Configured brands first, as configured; then the others, busiest first.
	sort.SliceStable(sum.Brands, func(i, j int) bool {
		a, b := sum.Brands[i], sum.Brands[j]
		if a.Configured != b.Configured {
			return a.Configured
		}
		if a.Configured {
			return false
		}
		return a.Windows["24h"].Posts > b.Windows["24h"].Posts
	})
	data, err := json.Marshal(sum)
	if err != nil { // cannot happen: Num encodes NaN as null
		panic(err)
	}
	s.summary, s.summaryAt = data, now
}

// refreshBrand updates b's spike state and gauges and returns its summary;
// show is false for an unconfigured brand without posts in the last 24h.
func (s *Screen) refreshBrand(b *brand, now time.Time) (bs BrandSummary, show bool) {
	ns := now.UnixNano()
	perMinute := float64(time.Minute) / float64(s.opts.Bucket)
	if b.gauges == nil {
		b.gauges = s.met.gauges(b)
	}

	b.mu.Lock()
	if origin := s.origin.Load(); origin != 0 {
		b.roll(s.bucketOf(ns, origin))
	}
	short, long := sum(b.short[:], ns/shortWidth), sum(b.long[:], ns/longWidth)
	open := float64(b.open)
	warm := b.det.ready()
	score, rate := b.det.score(open), open
	spikeNow := b.det.spike(open)
	if spikeNow {
		b.lastSpike = b.bucket
	}
	if last, ok := b.last(); ok && last.idx == b.bucket-1 {
		score, rate = math.Max(score, last.score), math.Max(rate, float64(last.complaints))
	}
	// A spike is up while a bucket within the hold time was a spike.
	holdBuckets := int64(s.opts.Hold / s.opts.Bucket)
	active := spikeNow || b.lastSpike >= 0 && b.bucket-b.lastSpike <= holdBuckets
	origin := s.origin.Load()
	switch {
	case active && !b.active:
		b.active, b.since, b.peak, b.peakScore = true, now, rate, score
		start := b.bucket
		if !spikeNow {
			start = b.lastSpike
		}
		b.fromAt = origin + start*int64(s.opts.Bucket)
	case active:
		b.peak, b.peakScore = math.Max(b.peak, rate), math.Max(b.peakScore, score)
	default:
		b.active = false
	}
	bs = BrandSummary{
		Brand:      b.name,
		Configured: b.configured,
		Windows:    map[string]Window{"15m": window(short), "24h": window(long)},
		Spike: Spike{Active: b.active, Score: Num(score), Warm: warm,
			RatePerMinute:      Num(rate * perMinute),
			BaselinePerMinute:  Num(math.NaN()),
			ThresholdPerMinute: Num(math.NaN())},
		Expected:  b.expected,
		Quadrants: map[string]uint64{},
	}
	if warm {
		bs.Spike.BaselinePerMinute = Num(b.det.mean * perMinute)
		bs.Spike.ThresholdPerMinute = Num(math.Max(b.det.threshold(), float64(b.det.cfg.MinCount)) * perMinute)
	}
	if b.active {
		since := b.since.UTC()
		bs.Spike.Since = &since
		bs.Spike.PeakPerMinute, bs.Spike.PeakScore = Num(b.peak*perMinute), Num(b.peakScore)
		for _, m := range b.spikeEvidence(b.fromAt, spikePosts) {
			bs.Spike.Posts = append(bs.Spike.Posts, postOf(b.name, m))
		}
	}
	for _, r := range b.series() {
		bs.Complaints.PerMinute = append(bs.Complaints.PerMinute, Num(float64(r.complaints)*perMinute))
		th := r.threshold
		if !math.IsNaN(th) {
			th = math.Max(th, float64(b.det.cfg.MinCount)) * perMinute
		}
		bs.Complaints.ThresholdPerMinute = append(bs.Complaints.ThresholdPerMinute, Num(th))
	}
	bs.Complaints.CurrentPerMinute = Num(open * perMinute)
	b.mu.Unlock()

	if bs.Complaints.PerMinute == nil {
		bs.Complaints.PerMinute, bs.Complaints.ThresholdPerMinute = []Num{}, []Num{}
	}
	g := b.gauges
	g.spike.Set(boolGauge(bs.Spike.Active))
	g.score.Set(math.Max(0, float64(bs.Spike.Score)))
	for w, sl := range []slot{short, long} {
		sh := shares(sl.motives)
		for i := range motiveNames {
			v := 0.0
			if sh != nil {
				v = sh[i]
			}
			g.share[w][i].Set(v)
		}
	}
	for i, q := range Quadrants {
		bs.Quadrants[q] = long.quadrants[i]
		g.quadrant[i].Set(float64(long.quadrants[i]))
	}
	gap := gaps(shares(long.motives), b.expected)
	s.met.setGaps(b, gap)
	if gap != nil {
		bs.Gap = map[string]Num{}
		for i, m := range motiveNames {
			bs.Gap[m] = Num(gap[i])
		}
	}
	return bs, b.configured || bs.Windows["24h"].Posts > 0
}

func window(sl slot) Window {
	w := Window{Complaints: sl.complaints, Counts: map[string]uint64{}}
	for i, m := range motiveNames {
		w.Counts[m] = sl.motives[i]
		w.Posts += sl.motives[i]
	}
	if sh := shares(sl.motives); sh != nil {
		w.Shares = map[string]Num{}
		for i, m := range motiveNames {
			w.Shares[m] = Num(sh[i])
		}
	}
	return w
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
