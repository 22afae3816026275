package screen

import (
	"math"
	"slices"
)

// DetectorConfig tunes the complaint spike detector. Zero fields take the
// defaults named in their comments.
type DetectorConfig struct {
	// Window is how many of a brand's latest ordinary buckets the baseline
	// is taken over (0: 60).
	Window int
	// Z is the score (spreads above the baseline median) at which a bucket
	// is a spike (0: 4).
	Z float64
	// MinCount is the fewest complaints in one bucket that can be a spike,
	// so that a quiet brand going from 0 to 2 does not alarm (0: 5).
	MinCount int
	// Warmup is how many buckets a brand must have been watched for before
	// its baseline is trusted (0: 3).
	Warmup int
	// Settle is how many spike buckets in a row make a new normal: after
	// that many, spike buckets enter the baseline too (0: 30).
	Settle int
}

func (c DetectorConfig) withDefaults() DetectorConfig {
	if c.Window <= 0 {
		c.Window = 60
	}
	if c.Z <= 0 {
		c.Z = 4
	}
	if c.MinCount <= 0 {
		c.MinCount = 5
	}
	if c.Warmup <= 0 {
		c.Warmup = 3
	}
	if c.Settle <= 0 {
		c.Settle = 30
	}
	return c
}

// detector keeps one brand's baseline of complaints per bucket: the median
// and the median absolute deviation of its latest ordinary buckets. Robust
// statistics over buckets that were not spikes mean that a burst neither
// raises the baseline nor widens its spread, so a second burst like the
// first, minutes later, is caught as well. It is not safe for concurrent
// use; the brand's lock guards it.
type detector struct {
	cfg    DetectorConfig
	ring   []float64 // the latest ordinary buckets' counts
	pos    int
	n      int // buckets closed so far
	streak int // spike buckets in a row
	median float64
	spread float64
}

func newDetector(cfg DetectorConfig) detector {
	cfg = cfg.withDefaults()
	return detector{cfg: cfg, ring: make([]float64, 0, cfg.Window), spread: 1}
}

// ready reports whether the baseline has seen enough buckets to judge.
func (d *detector) ready() bool { return d.n >= d.cfg.Warmup }

// sd is the spread the score divides by: 1.4826 times the median absolute
// deviation (the standard deviation of normal data), but never less than
// the Poisson spread of the median nor than one complaint, so that a flat
// baseline does not turn every extra complaint into a huge score.
func (d *detector) sd() float64 { return d.spread }

// threshold is the count per bucket at or above which a bucket is a spike
// (before the minimum volume is applied).
func (d *detector) threshold() float64 { return d.median + d.cfg.Z*d.spread }

// score is how many spreads count lies above the baseline median; 0 before
// the warm-up ends.
func (d *detector) score(count float64) float64 {
	if !d.ready() {
		return 0
	}
	return (count - d.median) / d.spread
}

// spike reports whether a bucket with count complaints is a spike: the
// baseline is warm, the count reaches the minimum volume, and it is at
// least Z spreads above the median.
func (d *detector) spike(count float64) bool {
	return d.ready() && count >= float64(d.cfg.MinCount) && count >= d.threshold()
}

// close folds a finished bucket's count into the baseline. A spike bucket
// is kept out of it, unless spikes have lasted Settle buckets in a row: then
// the level is the new normal and the baseline follows it.
func (d *detector) close(count float64) {
	if d.spike(count) {
		d.streak++
		if d.streak < d.cfg.Settle {
			d.n++
			return
		}
	} else {
		d.streak = 0
	}
	if len(d.ring) < d.cfg.Window {
		d.ring = append(d.ring, count)
	} else {
		d.ring[d.pos] = count
		d.pos = (d.pos + 1) % d.cfg.Window
	}
	d.n++
	d.median = median(d.ring)
	dev := make([]float64, len(d.ring))
	for i, v := range d.ring {
		dev[i] = math.Abs(v - d.median)
	}
	d.spread = math.Max(1.4826*median(dev), math.Max(math.Sqrt(d.median), 1))
}

// median returns the median of v (0 for none), leaving v as it is.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
