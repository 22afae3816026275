package drivers

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Config sizes a Set. Zero fields take the defaults in brackets.
type Config struct {
	// Bucket is the width of a recent bucket [1 minute].
	Bucket time.Duration
	// Recent is the number of buckets in the recent window [10].
	Recent int
	// HalfLife is the half-life of the baseline's exponential decay [6 hours].
	HalfLife time.Duration
	// Capacity is the number of terms each sketch tracks [256].
	Capacity int
	// MinCount is the fewest recent posts that must carry a term for it to be
	// a driver [3]; values below 2 are raised to 2, so that a single post is
	// never a driver.
	MinCount int
	// MaxBrands bounds the number of brands tracked [1000]. A new brand
	// beyond it evicts the brand observed least recently, with its window
	// and baseline.
	MaxBrands int
}

func (c Config) withDefaults() Config {
	if c.Bucket <= 0 {
		c.Bucket = time.Minute
	}
	if c.Recent <= 0 {
		c.Recent = 10
	}
	if c.HalfLife <= 0 {
		c.HalfLife = 6 * time.Hour
	}
	if c.Capacity <= 0 {
		c.Capacity = 256
	}
	switch {
	case c.MinCount == 0:
		c.MinCount = 3
	case c.MinCount < 2:
		c.MinCount = 2
	}
	if c.MaxBrands <= 0 {
		c.MaxBrands = 1000
	}
	return c
}

// Set finds the complaint drivers of many brands. Complaint posts are
// observed in event time into per-brand buckets; the last Config.Recent
// buckets form the recent window, and buckets that leave it roll into an
// exponentially decayed baseline. A Set is safe for concurrent use: brands
// are found under one read-mostly lock and each brand has its own mutex.
//
// A brand's memory is bounded by Recent+1 sketches of Config.Capacity terms,
// allocated as buckets fill, whatever the vocabulary.
type Set struct {
	cfg       Config
	bucketNS  int64
	watermark atomic.Int64  // Unix nanoseconds of the latest Advance; 0 before any
	clock     atomic.Uint64 // counts observations, for least-recently-observed eviction

	mu     sync.RWMutex
	brands map[string]*brand
}

// New returns an empty Set configured by cfg.
func New(cfg Config) *Set {
	cfg = cfg.withDefaults()
	return &Set{cfg: cfg, bucketNS: int64(cfg.Bucket), brands: make(map[string]*brand)}
}

// Observe counts one complaint post of brand, written at event time at, with
// the candidate terms of its text (see Terms; names are the brand's own names,
// handles and hashtags, which are never terms).
//
// brand is any key: "skyjet", or "skyjet/refund" to ask what drives the rise
// of one motive. names should include the brand's own name: the key is not
// taken as a name.
//
// A post in a bucket of the recent window counts there whatever order posts
// arrive in. A post newer than the window moves the brand's window forward to
// it. A post older than the window counts in the baseline only, weighted by
// the decay since its bucket. Observe reports false, and counts nothing, for
// a zero time and for a post more than Recent buckets ahead of the watermark
// (a clock far off); otherwise true.
func (s *Set) Observe(at time.Time, brand string, names []string, text string) bool {
	if at.IsZero() {
		return false
	}
	i := s.bucketOf(at.UnixNano())
	wm, ok := s.watermarkBucket()
	if ok && i > wm+int64(s.cfg.Recent) {
		return false
	}
	var buf [64]string
	terms := Terms(buf[:0], text, names)

	b := s.brand(brand)
	b.mu.Lock()
	defer b.mu.Unlock()
	if ok {
		b.catchUp(wm, &s.cfg)
	}
	b.observe(i, terms, &s.cfg)
	return true
}

// Advance declares that event time has reached watermark: every brand's
// recent window ends no earlier than watermark's bucket, and buckets before
// the window roll into the baseline. A watermark earlier than a previous one
// is ignored. Brands catch up lazily, on their next Observe or Drivers, so
// Advance costs the same however many brands there are.
func (s *Set) Advance(watermark time.Time) {
	if watermark.IsZero() {
		return
	}
	ns := watermark.UnixNano()
	for {
		old := s.watermark.Load()
		if ns <= old || s.watermark.CompareAndSwap(old, ns) {
			return
		}
	}
}

// Len returns the number of brands tracked, at most Config.MaxBrands.
func (s *Set) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.brands)
}

// Driver is a term that drives a brand's recent complaints.
type Driver struct {
	// Term is a word, a hashtag without '#', or a two-word phrase.
	Term string
	// Count is the number of recent complaint posts that carry Term, a
	// lower bound that is exact unless a bucket saw more distinct terms than
	// Config.Capacity.
	Count int
	// Share is Count over the number of recent complaint posts.
	Share float64
	// BaselineShare is the share of baseline complaint posts that carry Term,
	// an upper bound: for a term the baseline sketch does not track, the
	// sketch's smallest count over its posts (0 while the sketch has room).
	// It is 0 for a brand without a baseline.
	BaselineShare float64
	// Lift is Share / max(BaselineShare, 1/(baseline posts + 1)): the floor is
	// the share the term would have if one more baseline post had carried it
	// and it had never been seen, so a term new to the baseline gets a large
	// but finite lift. It is 0 for a brand without a baseline.
	Lift float64
}

// Drivers returns up to n drivers of brand's recent complaints (n <= 0: all),
// best first, or nil for a brand not tracked or without recent posts.
//
// A driver is carried by at least Config.MinCount recent posts and has Lift
// above 1; drivers are ordered by lift, then count, then term. A word is left
// out when a phrase driver containing it has as many posts, as "claim" is
// when every recent post with "claim" says "baggage claim". A brand without
// a baseline (decayed baseline posts below 1, as for a brand first seen within
// the recent window) has drivers ordered by count, then term, with
// BaselineShare and Lift 0: what its complaints are about, not what changed.
func (s *Set) Drivers(brand string, n int) []Driver {
	s.mu.RLock()
	b := s.brands[brand]
	s.mu.RUnlock()
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if wm, ok := s.watermarkBucket(); ok {
		b.catchUp(wm, &s.cfg)
	}
	return b.drivers(n, &s.cfg)
}

// brand returns the state of key, creating it and evicting the brand observed
// least recently when the Set is full, and marks it observed.
func (s *Set) brand(key string) *brand {
	now := s.clock.Add(1)
	s.mu.RLock()
	b := s.brands[key]
	s.mu.RUnlock()
	if b != nil {
		b.lastObserved.Store(now)
		return b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b = s.brands[key]; b != nil {
		b.lastObserved.Store(now)
		return b
	}
	if len(s.brands) >= s.cfg.MaxBrands {
		var oldest string
		least := uint64(math.MaxUint64)
		for k, o := range s.brands {
			if t := o.lastObserved.Load(); t < least {
				oldest, least = k, t
			}
		}
		// An Observe holding the evicted brand may still count into it; that
		// post is lost with the brand.
		delete(s.brands, oldest)
	}
	b = newBrand(&s.cfg)
	b.lastObserved.Store(now)
	s.brands[key] = b
	return b
}

func (s *Set) bucketOf(ns int64) int64 {
	i := ns / s.bucketNS
	if ns%s.bucketNS < 0 {
		i--
	}
	return i
}

// watermarkBucket returns the bucket of the watermark; ok is false before
// the first Advance.
func (s *Set) watermarkBucket() (i int64, ok bool) {
	ns := s.watermark.Load()
	if ns == 0 {
		return 0, false
	}
	return s.bucketOf(ns), true
}
