package drivers

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// brand is the recent window and baseline of one key of a Set.
type brand struct {
	lastObserved atomic.Uint64 // Set.clock at the latest Observe

	mu      sync.Mutex
	started bool     // head is set
	head    int64    // newest bucket of the recent window
	ring    []bucket // the recent window; bucket i lives in ring[i mod len(ring)]
	base    baseline
}

// bucket holds the complaint posts of one bucket of the recent window.
type bucket struct {
	idx   int64 // bucket number: Unix time / Config.Bucket
	posts int
	terms *Sketch // allocated on first use, reused after the bucket rolls
}

// baseline holds decayed counts of the posts that left the recent window,
// as of the end of bucket asOf.
type baseline struct {
	set   bool
	asOf  int64
	posts float64
	terms *Sketch
}

func newBrand(cfg *Config) *brand {
	return &brand{ring: make([]bucket, cfg.Recent)}
}

func (b *brand) slot(i int64) *bucket {
	n := int64(len(b.ring))
	return &b.ring[((i%n)+n)%n]
}

// catchUp moves the recent window forward so that it ends at bucket head or
// later, rolling the buckets that leave it into the baseline, oldest first.
func (b *brand) catchUp(head int64, cfg *Config) {
	if !b.started {
		b.started, b.head = true, head
		return
	}
	if head <= b.head {
		return
	}
	r := int64(len(b.ring))
	for j := b.head - r + 1; j <= min(b.head, head-r); j++ {
		if k := b.slot(j); k.posts > 0 && k.idx == j {
			b.base.addBucket(k, cfg)
			k.posts = 0
			k.terms.Reset()
		}
	}
	b.head = head
}

func (b *brand) observe(i int64, terms []string, cfg *Config) {
	b.catchUp(i, cfg)
	if i <= b.head-int64(len(b.ring)) {
		b.base.addPost(i, terms, cfg)
		return
	}
	k := b.slot(i)
	if k.posts == 0 {
		k.idx = i
		if k.terms == nil {
			k.terms = NewSketch(cfg.Capacity)
		}
	}
	k.posts++
	for _, t := range terms {
		k.terms.Add(t)
	}
}

// weight brings the baseline forward to bucket i if i is newer, and returns
// the weight of a post of bucket i in it: the decay from i to asOf.
func (bl *baseline) weight(i int64, cfg *Config) float64 {
	if !bl.set {
		bl.set, bl.asOf = true, i
		return 1
	}
	if i <= bl.asOf {
		return decay(bl.asOf-i, cfg)
	}
	f := decay(i-bl.asOf, cfg)
	bl.asOf = i
	bl.posts *= f
	if bl.posts < 1e-9 {
		// Nothing left worth keeping; start afresh rather than underflow.
		bl.posts = 0
		if bl.terms != nil {
			bl.terms.Reset()
		}
		return 1
	}
	bl.terms.Scale(f)
	return 1
}

func (bl *baseline) addBucket(k *bucket, cfg *Config) {
	w := bl.weight(k.idx, cfg)
	if bl.terms == nil {
		bl.terms = NewSketch(cfg.Capacity)
	}
	bl.posts += float64(k.posts) * w
	bl.terms.Merge(k.terms, w)
}

func (bl *baseline) addPost(i int64, terms []string, cfg *Config) {
	w := bl.weight(i, cfg)
	if bl.terms == nil {
		bl.terms = NewSketch(cfg.Capacity)
	}
	bl.posts += w
	for _, t := range terms {
		bl.terms.AddWeighted(t, w, 0)
	}
}

// decay returns the factor by which counts shrink over d buckets.
func decay(d int64, cfg *Config) float64 {
	return math.Exp2(-float64(d) * float64(cfg.Bucket) / float64(cfg.HalfLife))
}

func (b *brand) drivers(n int, cfg *Config) []Driver {
	if !b.started {
		return nil
	}
	first := b.head - int64(len(b.ring)) + 1
	posts := 0
	counts := make(map[string]float64)
	for i := first; i <= b.head; i++ {
		k := b.slot(i)
		if k.posts == 0 || k.idx != i {
			continue
		}
		posts += k.posts
		for _, e := range k.terms.entries {
			counts[e.Term] += e.Count - e.Err
		}
	}
	if posts == 0 {
		return nil
	}

	// The baseline as of the bucket before the window: decay changes the
	// number of posts, not the shares.
	var basePosts float64
	if bl := &b.base; bl.set && bl.posts > 0 {
		basePosts = bl.posts
		if bl.asOf < first-1 {
			basePosts *= decay(first-1-bl.asOf, cfg)
		}
	}
	hasBase := basePosts >= 1
	floor := 1 / (basePosts + 1)

	var out []Driver
	for term, lo := range counts {
		count := int(math.Floor(lo + 1e-9))
		if count < cfg.MinCount {
			continue
		}
		d := Driver{Term: term, Count: count, Share: float64(count) / float64(posts)}
		if hasBase {
			c, _, ok := b.base.terms.Count(term)
			if !ok {
				c = b.base.terms.Min()
			}
			d.BaselineShare = c / b.base.posts
			d.Lift = d.Share / max(d.BaselineShare, floor)
			if d.Lift <= 1 {
				continue
			}
		}
		out = append(out, d)
	}
	out = dropCoveredWords(out)
	slices.SortFunc(out, func(a, b Driver) int {
		if c := cmp.Compare(b.Lift, a.Lift); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Term, b.Term)
	})
	if n > 0 && n < len(out) {
		out = out[:n]
	}
	return out
}

// dropCoveredWords removes each word driver that a phrase driver containing
// it counts as often: every post with the word had the phrase, which says
// more ("baggage claim" rather than also "baggage" and "claim").
func dropCoveredWords(ds []Driver) []Driver {
	phrases := make(map[string]int)
	for _, d := range ds {
		if a, b, ok := strings.Cut(d.Term, " "); ok {
			phrases[a] = max(phrases[a], d.Count)
			phrases[b] = max(phrases[b], d.Count)
		}
	}
	if len(phrases) == 0 {
		return ds
	}
	return slices.DeleteFunc(ds, func(d Driver) bool {
		return !strings.Contains(d.Term, " ") && phrases[d.Term] >= d.Count
	})
}
