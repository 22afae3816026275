package screen

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// The motive windows: per-minute slots for the last 15 minutes and
// quarter-hour slots for the last 24 hours, by event time.
const (
	shortWidth = int64(time.Minute)
	shortSlots = 15
	longWidth  = int64(15 * time.Minute)
	longSlots  = 96

	// histLen is how many closed complaint buckets the sparkline shows.
	histLen = 60
	// recentLen is how many of a brand's latest complaints are kept to show
	// with a spike.
	recentLen = 32
	// spikePosts is how many of them a spike shows.
	spikePosts = 8
	// latestLen is how many of a brand's latest posts of each motive are
	// kept for its detail.
	latestLen = 5
	// maxRoll bounds the catch-up after a long silence, and how far ahead
	// of the watermark posts are held in open buckets.
	maxRoll = 512
)

// slot counts the posts of one time slot.
type slot struct {
	idx        int64 // slot number since the epoch; identifies stale slots
	motives    [motive.Count]uint64
	complaints uint64
	quadrants  [nQuadrants]uint64
}

func (s *slot) add(mi int, complaint bool, qi int) {
	s.motives[mi]++
	if complaint {
		s.complaints++
	}
	if qi >= 0 {
		s.quadrants[qi]++
	}
}

// at returns the slot for slot number idx, cleared if it held an older one;
// nil when it holds a newer one (idx has left the window).
func at(slots []slot, idx int64) *slot {
	s := &slots[idx%int64(len(slots))]
	switch {
	case s.idx == idx:
	case s.idx < idx:
		*s = slot{idx: idx}
	default:
		return nil
	}
	return s
}

// sum adds up the slots of the len(slots) slot numbers ending at idx.
func sum(slots []slot, idx int64) slot {
	var t slot
	for i := range slots {
		s := &slots[i]
		if s.idx > idx-int64(len(slots)) && s.idx <= idx {
			for m := range s.motives {
				t.motives[m] += s.motives[m]
			}
			t.complaints += s.complaints
			for q := range s.quadrants {
				t.quadrants[q] += s.quadrants[q]
			}
		}
	}
	return t
}

// bucketRec is one closed complaint bucket as the sparkline shows it.
type bucketRec struct {
	idx        int64
	complaints uint64
	threshold  float64 // NaN before the baseline was warm
	score      float64
	spike      bool
}

// postKey identifies a post on the output topic: its source record, else
// its id. A post published twice (after a crash, delivery being
// at-least-once) has one key.
type postKey struct {
	topic     string
	partition int32
	offset    int64
	id        string
}

func keyOf(m *pb.ClassifiedMention) postKey {
	if m.GetSourceTopic() != "" {
		return postKey{topic: m.GetSourceTopic(), partition: m.GetSourcePartition(), offset: m.GetSourceOffset()}
	}
	return postKey{id: m.GetMention().GetId()}
}

type recentPost struct {
	m   *pb.ClassifiedMention
	key postKey
	at  int64 // event time, unix nanoseconds
}

// brand is the screen's state of one brand label.
type brand struct {
	name       string
	configured bool
	expected   map[string]float64 // nil when not declared
	gauges     *brandGauges       // created by the refresh loop

	mu    sync.Mutex
	short [shortSlots]slot
	long  [longSlots]slot
	det   detector
	// next is the complaint bucket to close next (-1: no post yet);
	// pending holds the complaints of buckets from next on.
	next    int64
	pending map[int64]uint64
	hist    [histLen]bucketRec
	histN   int // buckets recorded, up to histLen
	recent  [recentLen]recentPost
	recN    int // complaints recorded, ever
	// latest holds each motive's latest posts, latestN how many were
	// recorded, ever.
	latest  [motive.Count][latestLen]recentPost
	latestN [motive.Count]int

	// spike state, kept by the refresh loop
	active    bool
	since     time.Time
	lastSpike int64   // last bucket number that was a spike (-1: none)
	fromAt    int64   // start of the first bucket of the current spike
	peak      float64 // most complaints in a bucket during the current spike
	peakScore float64
}

func newBrand(name string, det DetectorConfig) *brand {
	return &brand{name: name, det: newDetector(det), next: -1, lastSpike: -1, pending: map[int64]uint64{}}
}

// observe counts one post; at is its event time in unix nanoseconds, bucket
// its complaint bucket number. A complaint in a bucket already closed (it
// came late) shows in the windows and the sparkline but was not judged.
// The caller holds b.mu.
func (b *brand) observe(atNS, bucket int64, mi int, complaint bool, qi int, m *pb.ClassifiedMention) {
	if s := at(b.short[:], atNS/shortWidth); s != nil {
		s.add(mi, complaint, qi)
	}
	if s := at(b.long[:], atNS/longWidth); s != nil {
		s.add(mi, complaint, qi)
	}
	if b.next < 0 {
		b.next = bucket
	}
	if mi >= 0 && mi < motive.Count {
		b.latest[mi][b.latestN[mi]%latestLen] = recentPost{m: m, key: keyOf(m), at: atNS}
		b.latestN[mi]++
	}
	if !complaint {
		return
	}
	switch {
	case bucket >= b.next && bucket-b.next < maxRoll:
		b.pending[bucket]++
	case bucket < b.next:
		for i := max(b.histN-histLen, 0); i < b.histN; i++ {
			if r := &b.hist[i%histLen]; r.idx == bucket {
				r.complaints++
			}
		}
	}
	b.recent[b.recN%recentLen] = recentPost{m: m, key: keyOf(m), at: atNS}
	b.recN++
}

// advance closes the complaint buckets before bucket, judging each and
// folding it into the baseline. The caller holds b.mu.
func (b *brand) advance(bucket int64) {
	if b.next < 0 {
		return
	}
	if bucket-b.next > maxRoll {
		for i := b.next; i < bucket-maxRoll; i++ {
			delete(b.pending, i)
		}
		b.next = bucket - maxRoll
	}
	for b.next < bucket {
		n := b.pending[b.next]
		delete(b.pending, b.next)
		c := float64(n)
		r := bucketRec{idx: b.next, complaints: n, threshold: math.NaN(),
			score: b.det.score(c), spike: b.det.spike(c)}
		if b.det.ready() {
			r.threshold = b.det.threshold()
		}
		if r.spike {
			b.lastSpike = max(b.lastSpike, r.idx)
		}
		b.det.close(c)
		b.hist[b.histN%histLen] = r
		b.histN++
		b.next++
	}
}

// count returns the complaints of bucket idx so far: open or closed.
func (b *brand) count(idx int64) uint64 {
	if idx >= b.next {
		return b.pending[idx]
	}
	for i := max(b.histN-histLen, 0); i < b.histN; i++ {
		if r := b.hist[i%histLen]; r.idx == idx {
			return r.complaints
		}
	}
	return 0
}

// series returns the closed buckets, oldest first.
func (b *brand) series() []bucketRec {
	n := min(b.histN, histLen)
	out := make([]bucketRec, 0, n)
	for i := b.histN - n; i < b.histN; i++ {
		out = append(out, b.hist[i%histLen])
	}
	return out
}

// spikeEvidence returns up to n of the latest complaints at or after from
// (unix nanoseconds), newest first, each post once.
func (b *brand) spikeEvidence(from int64, n int) []*pb.ClassifiedMention {
	var cand []recentPost
	for i := max(b.recN-recentLen, 0); i < b.recN; i++ {
		if r := b.recent[i%recentLen]; r.at >= from {
			cand = append(cand, r)
		}
	}
	slices.SortStableFunc(cand, func(x, y recentPost) int { return cmp.Compare(y.at, x.at) })
	seen := map[postKey]bool{}
	var out []*pb.ClassifiedMention
	for _, r := range cand {
		if seen[r.key] || len(out) == n {
			continue
		}
		seen[r.key] = true
		out = append(out, r.m)
	}
	return out
}

// trend returns the posts and complaints of each quarter-hour of the last
// 24 hours up to now (unix nanoseconds), oldest first. The caller holds b.mu.
func (b *brand) trend(now int64) Trend {
	last := now / longWidth
	t := Trend{SlotSeconds: float64(longWidth) / float64(time.Second),
		Posts: make([]uint64, longSlots), Complaints: make([]uint64, longSlots)}
	start := time.Unix(0, (last-longSlots+1)*longWidth).UTC()
	t.Start = &start
	for i := range t.Posts {
		idx := last - longSlots + 1 + int64(i)
		if s := &b.long[idx%longSlots]; s.idx == idx {
			for _, n := range s.motives {
				t.Posts[i] += n
			}
			t.Complaints[i] = s.complaints
		}
	}
	return t
}

// latestOf returns the latest posts of motive mi, newest first, each once.
// The caller holds b.mu.
func (b *brand) latestOf(mi int) []*pb.ClassifiedMention {
	var out []*pb.ClassifiedMention
	seen := map[postKey]bool{}
	for i := b.latestN[mi] - 1; i >= max(b.latestN[mi]-latestLen, 0); i-- {
		r := b.latest[mi][i%latestLen]
		if !seen[r.key] {
			seen[r.key] = true
			out = append(out, r.m)
		}
	}
	return out
}
