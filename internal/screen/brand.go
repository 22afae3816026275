package screen

import (
	"math"
	"sync"
	"time"

	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// The motive windows: per-minute slots for the last 15 minutes and
// quarter-hour slots for the last 24 hours, on the wall clock.
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
	// maxRoll bounds the catch-up after a long silence: beyond it the
	// baseline has decayed to nothing anyway.
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

// at returns the slot for slot number idx, cleared if it held an older one.
func at(slots []slot, idx int64) *slot {
	s := &slots[idx%int64(len(slots))]
	if s.idx != idx {
		*s = slot{idx: idx}
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

type recentPost struct {
	m  *pb.ClassifiedMention
	at int64 // unix nanoseconds
}

// brand is the screen's state of one brand label.
type brand struct {
	name       string
	configured bool
	expected   map[string]float64 // nil when not declared
	gauges     *brandGauges       // created by the refresh loop

	mu     sync.Mutex
	short  [shortSlots]slot
	long   [longSlots]slot
	det    detector
	bucket int64  // number of the open complaint bucket (-1: none yet)
	open   uint64 // complaints in the open bucket
	hist   [histLen]bucketRec
	histN  int // buckets recorded, up to histLen
	recent [recentLen]recentPost
	recN   int // complaints recorded, ever

	// spike state, kept by the refresh loop
	active    bool
	since     time.Time
	lastSpike int64   // last closed or open bucket number that was a spike (-1: none)
	fromAt    int64   // start of the first bucket of the current spike
	peak      float64 // highest complaints in a bucket during the current spike
	peakScore float64
}

func newBrand(name string, det DetectorConfig) *brand {
	return &brand{name: name, det: newDetector(det), bucket: -1, lastSpike: -1}
}

// observe counts one post; now is unix nanoseconds, bucket the complaint
// bucket number. The caller holds b.mu.
func (b *brand) observe(now, bucket int64, mi int, complaint bool, qi int, m *pb.ClassifiedMention) {
	at(b.short[:], now/shortWidth).add(mi, complaint, qi)
	at(b.long[:], now/longWidth).add(mi, complaint, qi)
	b.roll(bucket)
	if complaint {
		b.open++
		b.recent[b.recN%recentLen] = recentPost{m: m, at: now}
		b.recN++
	}
}

// roll closes the complaint buckets before bucket, folding each into the
// baseline. The caller holds b.mu.
func (b *brand) roll(bucket int64) {
	if b.bucket < 0 {
		b.bucket = bucket
		return
	}
	if bucket-b.bucket > maxRoll {
		b.bucket = bucket - maxRoll
	}
	for b.bucket < bucket {
		c := float64(b.open)
		r := bucketRec{idx: b.bucket, complaints: b.open, threshold: math.NaN(),
			score: b.det.score(c), spike: b.det.spike(c)}
		if b.det.ready() {
			r.threshold = b.det.threshold()
		}
		if r.spike {
			b.lastSpike = r.idx
		}
		b.det.close(c)
		b.hist[b.histN%histLen] = r
		b.histN++
		b.open = 0
		b.bucket++
	}
}

// last returns the most recently closed bucket, if any.
func (b *brand) last() (bucketRec, bool) {
	if b.histN == 0 {
		return bucketRec{}, false
	}
	return b.hist[(b.histN-1)%histLen], true
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
// (unix nanoseconds), newest first.
func (b *brand) spikeEvidence(from int64, n int) []*pb.ClassifiedMention {
	var out []*pb.ClassifiedMention
	for i := b.recN - 1; i >= 0 && i >= b.recN-recentLen && len(out) < n; i-- {
		r := b.recent[i%recentLen]
		if r.at < from {
			break
		}
		out = append(out, r.m)
	}
	return out
}
