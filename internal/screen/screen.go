// Package screen is outsidein's command-center screen: it aggregates the
// classified posts into per-brand motive mixes (last 15 minutes, last 24
// hours), complaint rates with spike detection, the gap between observed and
// expected motives, and customer quadrants; it streams the posts to a live
// feed (server-sent events); and it serves the screen's page, built into
// the binary, with its JSON API.
//
// It is fed from the output topic (internal/view), read on every partition
// outside the consumer group, so that every replica shows the whole
// cluster. Posts are counted by event time (when the pipeline classified
// them) in buckets aligned to the epoch, so replicas that read the same
// records agree; a bucket is judged for spikes once the view's watermark
// has passed it. Observe only updates counters under a per-brand lock and
// queues recent posts for the feed without blocking; everything else
// happens in Run's loop or in HTTP handlers.
package screen

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/drivers"
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
	// MaxBrands is how many unconfigured brands get their own tile before
	// the rest fold into "other" (0: 100).
	MaxBrands int
	// MinPosts is the fewest posts a window needs before its shares and
	// gaps are shown as reliable (0: 30).
	MinPosts int
	// MaxClients caps the live feed's concurrent clients (0: 32).
	MaxClients int
	// MaxPerAddress caps one client address's streams; a newer stream takes
	// the place of that address's oldest (0: 4).
	MaxPerAddress int
	// Heartbeat is how often an idle stream gets a comment line, written
	// under WriteTimeout like every frame, so that a client that stopped
	// reading is found even when no post flows (0: 5 s).
	Heartbeat time.Duration
	// ClientBuffer is how many posts wait for a slow client before further
	// posts are dropped for it (0: 256).
	ClientBuffer int
	// Backlog is how many recent posts a new feed client gets first (0: 100).
	Backlog int
	// WriteTimeout bounds each write to a feed client (0: 10 s).
	WriteTimeout time.Duration
	// Drivers sizes the complaint drivers: the terms a brand's recent
	// complaints share more than its usual ones (zero fields: 15 s buckets,
	// a 2-minute recent window of 8 buckets, a 6-hour baseline half-life,
	// 128 terms per sketch, 3 posts at least; MaxBrands is always the
	// screen's bound on brand tiles).
	Drivers drivers.Config
	// Progress, when set, tells how far the feed of posts has read (the
	// view's status), shown in the summary.
	Progress func() Progress
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Progress is how far the screen's source has read.
type Progress struct {
	// CaughtUp is true once every partition of the output topic has been
	// read to its end; before, the screen is still rebuilding its windows.
	CaughtUp bool `json:"caught_up"`
	// Lag is the records not read yet.
	Lag int64 `json:"lag"`
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
	if o.MaxBrands <= 0 {
		o.MaxBrands = 100
	}
	if o.MinPosts <= 0 {
		o.MinPosts = 30
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 32
	}
	if o.MaxPerAddress <= 0 {
		o.MaxPerAddress = 4
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 5 * time.Second
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
	if o.Drivers.Bucket <= 0 {
		o.Drivers.Bucket = 15 * time.Second
	}
	if o.Drivers.Recent <= 0 {
		o.Drivers.Recent = 8
	}
	if o.Drivers.Capacity <= 0 {
		o.Drivers.Capacity = 128
	}
	return o
}

// summaryDrivers is how many complaint drivers a brand's summary lists;
// detailDrivers how many its detail does.
const (
	summaryDrivers = 5
	detailDrivers  = 10
)

// feedWindow is how recent a post must be to go to the live feed: older
// ones come from reading the topic back after a start.
const feedWindow = time.Minute

// Screen aggregates classified posts for the screen. It is safe for
// concurrent use.
type Screen struct {
	opts      Options
	met       *metrics
	hub       *hub
	bounder   *brands.Bounder
	watermark atomic.Int64 // unix nanoseconds up to which buckets are closed
	drivers   *drivers.Set
	// names are each configured brand's own names, handles and hashtags,
	// which are never its drivers.
	names map[string][]string

	mu     sync.RWMutex
	brands map[string]*brand
	order  []*brand // configured brands first, in configuration order

	refreshMu  sync.Mutex
	summary    []byte // the latest summary, encoded, without the unknown brand
	summaryAll []byte // the same with it
	summaryAt  time.Time
}

// New returns a screen for the configured brands, with its metrics
// registered on reg. Configured brands are shown (and their series exist)
// from the start.
func New(reg prometheus.Registerer, configured []brands.Brand, o Options) *Screen {
	o = o.withDefaults()
	s := &Screen{opts: o, met: newMetrics(reg), brands: map[string]*brand{}, names: map[string][]string{}}
	dc := o.Drivers
	dc.MaxBrands = len(configured) + o.MaxBrands + 2 // every tile, "other" and the unknown brand
	s.drivers = drivers.New(dc)
	s.hub = newHub(4096, o.MaxClients, o.MaxPerAddress, o.ClientBuffer, o.Backlog, s.met)
	var names []string
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
		s.names[b.name] = ownNames(cb)
		s.brands[b.name] = b
		s.order = append(s.order, b)
		names = append(names, b.name)
	}
	s.bounder = brands.NewBounder(names, o.MaxBrands)
	return s
}

// Observe counts a classified post at its event time and, when it is
// recent, queues it for the live feed. It never blocks on the feed's
// clients.
func (s *Screen) Observe(at time.Time, m *pb.ClassifiedMention) {
	label := s.bounder.Label(brands.Normalize(m.GetMention().GetBrand()))
	if label == "" {
		label = brands.Unknown
	}
	ns := at.UnixNano()
	c := m.GetClassification()
	mi := int(motive.FromProto(c.GetMotive()))
	complaint := c.GetComplaint()
	qi := quadrantIndex(m.GetMention().GetCustomerTier(), complaint, c.GetSentiment())
	b := s.brand(label)
	b.mu.Lock()
	b.observe(ns, s.bucketOf(ns), mi, complaint, qi, m)
	b.mu.Unlock()
	if complaint {
		names, ok := s.names[label]
		if !ok {
			names = []string{label}
		}
		if !s.drivers.Observe(at, label, names, m.GetMention().GetText()) {
			s.met.driversDropped.Inc()
		}
	}
	if s.opts.Now().Sub(at) < feedWindow {
		s.hub.publish(label, mi, m)
	}
}

// Advance closes the complaint buckets that end before watermark: no more
// posts are expected in them, so they are judged and join the baselines.
func (s *Screen) Advance(watermark time.Time) {
	ns := watermark.UnixNano()
	if ns <= s.watermark.Load() {
		return
	}
	s.watermark.Store(ns)
	s.drivers.Advance(watermark)
	bucket := s.bucketOf(ns)
	s.mu.RLock()
	list := append([]*brand(nil), s.order...)
	s.mu.RUnlock()
	for _, b := range list {
		b.mu.Lock()
		b.advance(bucket)
		b.mu.Unlock()
	}
}

// ownNames returns a configured brand's names, handles and hashtags, lower
// case and without @ or #.
func ownNames(cb brands.Brand) []string {
	out := []string{brands.Normalize(cb.Name)}
	for _, list := range [][]string{cb.Names, cb.Handles, cb.Hashtags} {
		for _, n := range list {
			n = strings.ToLower(strings.TrimLeft(strings.TrimSpace(n), "@#"))
			if n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// bucketOf returns the number of the complaint bucket holding unix
// nanoseconds ns; buckets are aligned to the epoch.
func (s *Screen) bucketOf(ns int64) int64 { return floorDiv(ns, int64(s.opts.Bucket)) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
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

// Summary returns the current summary, refreshed when older than a tick;
// the unknown brand (posts that name no brand) is left out unless
// withUnknown.
func (s *Screen) Summary(withUnknown bool) []byte {
	s.refreshMu.Lock()
	fresh := s.summary != nil && s.opts.Now().Sub(s.summaryAt) < s.opts.Tick
	s.refreshMu.Unlock()
	if !fresh {
		s.refresh()
	}
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	if withUnknown {
		return s.summaryAll
	}
	return s.summary
}

// Detail returns what the screen shows of brand label name when it is
// picked; ok is false when the screen has no such brand.
func (s *Screen) Detail(name string) (d BrandDetail, ok bool) {
	s.mu.RLock()
	b, ok := s.brands[name]
	s.mu.RUnlock()
	if !ok {
		return d, false
	}
	d = BrandDetail{Brand: name, Latest: map[string][]Post{}}
	b.mu.Lock()
	for mi, m := range motiveNames {
		posts := []Post{}
		for _, p := range b.latestOf(mi) {
			posts = append(posts, postOf(name, p))
		}
		d.Latest[m] = posts
	}
	b.mu.Unlock()
	d.ComplaintDrivers = driversOf(s.drivers.Drivers(name, detailDrivers))
	return d, true
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
		BucketSeconds: s.opts.Bucket.Seconds(), MinPosts: s.opts.MinPosts, Brands: make([]BrandSummary, 0, len(list))}
	if s.opts.Progress != nil {
		p := s.opts.Progress()
		sum.Progress = &p
	}
	if w := s.watermark.Load(); w != 0 {
		t := time.Unix(0, w).UTC()
		sum.Watermark = &t
	}
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
	all := mustMarshal(sum)
	kept := sum.Brands[:0:0]
	for _, b := range sum.Brands {
		if b.Brand != brands.Unknown {
			kept = append(kept, b)
		}
	}
	sum.Brands = kept
	s.summary, s.summaryAll, s.summaryAt = mustMarshal(sum), all, now
}

func mustMarshal(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil { // cannot happen: Num encodes NaN as null
		panic(err)
	}
	return data
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
	short, long := sum(b.short[:], ns/shortWidth), sum(b.long[:], ns/longWidth)
	warm := b.det.ready()
	// The current figure, shown by the tile and the banner alike: the
	// complaints of the bucket now under way, or of the one before it when
	// that had more (a bucket just begun holds few).
	nowB := s.bucketOf(ns)
	current, curB := float64(b.count(nowB)), nowB
	if prev := float64(b.count(nowB - 1)); prev > current {
		current, curB = prev, nowB-1
	}
	score := b.det.score(current)
	if b.det.spike(current) && b.next >= 0 {
		b.lastSpike = max(b.lastSpike, curB)
	}
	// A spike is up while a bucket within the hold time was a spike.
	holdBuckets := int64(s.opts.Hold / s.opts.Bucket)
	active := b.lastSpike >= 0 && nowB-b.lastSpike <= holdBuckets
	switch {
	case active && !b.active:
		b.active, b.since, b.peak, b.peakScore = true, now, current, score
		b.fromAt = b.lastSpike * int64(s.opts.Bucket)
		for i := max(b.histN-histLen, 0); i < b.histN; i++ {
			if r := b.hist[i%histLen]; r.spike && r.idx >= b.lastSpike-holdBuckets && r.idx*int64(s.opts.Bucket) < b.fromAt {
				b.fromAt = r.idx * int64(s.opts.Bucket)
			}
		}
	case active:
		b.peak, b.peakScore = math.Max(b.peak, current), math.Max(b.peakScore, score)
	default:
		b.active = false
	}
	bs = BrandSummary{
		Brand:      b.name,
		Configured: b.configured,
		Windows:    map[string]Window{"15m": window(short, s.opts.MinPosts), "24h": window(long, s.opts.MinPosts)},
		Spike: Spike{Active: b.active, Score: Num(score), Warm: warm,
			Count:              uint64(current),
			RatePerMinute:      Num(current * perMinute),
			BaselinePerMinute:  Num(math.NaN()),
			ThresholdPerMinute: Num(math.NaN()),
			Baseline:           Num(math.NaN()),
			Threshold:          Num(math.NaN())},
		Expected:  b.expected,
		Quadrants: map[string]uint64{},
	}
	if warm {
		th := math.Max(b.det.threshold(), float64(b.det.cfg.MinCount))
		bs.Spike.Baseline, bs.Spike.Threshold = Num(b.det.median), Num(th)
		bs.Spike.BaselinePerMinute, bs.Spike.ThresholdPerMinute = Num(b.det.median*perMinute), Num(th*perMinute)
	}
	if b.active {
		since := b.since.UTC()
		bs.Spike.Since = &since
		bs.Spike.PeakCount = uint64(b.peak)
		bs.Spike.PeakPerMinute, bs.Spike.PeakScore = Num(b.peak*perMinute), Num(b.peakScore)
		for _, m := range b.spikeEvidence(b.fromAt, spikePosts) {
			bs.Spike.Posts = append(bs.Spike.Posts, postOf(b.name, m))
		}
	}
	bs.Complaints = Complaints{Counts: []uint64{}, PerMinute: []Num{}, ThresholdPerMinute: []Num{}, Thresholds: []Num{},
		Current: uint64(current), CurrentPerMinute: Num(current * perMinute)}
	for _, r := range b.series() {
		bs.Complaints.Counts = append(bs.Complaints.Counts, r.complaints)
		bs.Complaints.PerMinute = append(bs.Complaints.PerMinute, Num(float64(r.complaints)*perMinute))
		th := r.threshold
		if !math.IsNaN(th) {
			th = math.Max(th, float64(b.det.cfg.MinCount))
		}
		bs.Complaints.Thresholds = append(bs.Complaints.Thresholds, Num(th))
		bs.Complaints.ThresholdPerMinute = append(bs.Complaints.ThresholdPerMinute, Num(th*perMinute))
	}
	if n := len(bs.Complaints.Counts); n > 0 {
		last := b.series()[n-1]
		start := time.Unix(0, (last.idx-int64(n)+1)*int64(s.opts.Bucket)).UTC()
		bs.Complaints.Start = &start
	}
	bs.Trend = b.trend(ns)
	b.mu.Unlock()
	bs.ComplaintDrivers = driversOf(s.drivers.Drivers(b.name, summaryDrivers))

	g := b.gauges
	g.spike.Set(boolGauge(bs.Spike.Active))
	g.score.Set(math.Max(0, float64(bs.Spike.Score)))
	for i, q := range Quadrants {
		bs.Quadrants[q] = long.quadrants[i]
		g.quadrant[i].Set(float64(long.quadrants[i]))
	}
	if gap := gaps(shares(long.motives), b.expected); gap != nil {
		bs.Gap = map[string]Num{}
		for i, m := range motiveNames {
			bs.Gap[m] = Num(gap[i])
		}
		bs.GapPosts = bs.Windows["24h"].Posts
		bs.GapReliable = bs.GapPosts >= uint64(s.opts.MinPosts)
	}
	return bs, b.configured || bs.Windows["24h"].Posts > 0
}

func window(sl slot, minPosts int) Window {
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
		w.Reliable = w.Posts >= uint64(minPosts)
	}
	return w
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
