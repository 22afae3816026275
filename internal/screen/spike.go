package screen

import "math"

// DetectorConfig tunes the complaint spike detector. Zero fields take the
// defaults named in their comments.
type DetectorConfig struct {
	// Alpha is the weight of the newest bucket in the exponentially weighted
	// moving mean and variance of the complaint counts (0: 0.1, a memory of
	// about ten buckets).
	Alpha float64
	// Z is the score (standard deviations above the baseline mean) at which
	// a bucket is a spike (0: 4).
	Z float64
	// MinCount is the fewest complaints in one bucket that can be a spike,
	// so that a quiet brand going from 0 to 2 does not alarm (0: 5).
	MinCount int
	// Warmup is how many buckets a brand must have been watched for before
	// its baseline is trusted (0: 3).
	Warmup int
}

func (c DetectorConfig) withDefaults() DetectorConfig {
	if c.Alpha <= 0 || c.Alpha > 1 {
		c.Alpha = 0.1
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
	return c
}

// detector keeps one brand's baseline of complaints per bucket: an
// exponentially weighted mean and variance of the closed buckets. It is not
// safe for concurrent use; the brand's lock guards it.
type detector struct {
	cfg  DetectorConfig
	n    int // buckets closed so far
	mean float64
	vari float64
}

func newDetector(cfg DetectorConfig) detector { return detector{cfg: cfg.withDefaults()} }

// ready reports whether the baseline has seen enough buckets to judge.
func (d *detector) ready() bool { return d.n >= d.cfg.Warmup }

// sd is the spread the score divides by: the observed standard deviation,
// but never less than the Poisson spread of the mean (counts of independent
// events vary at least that much) nor less than one complaint, so that a
// flat baseline does not turn every extra complaint into a huge score.
func (d *detector) sd() float64 {
	return math.Max(math.Sqrt(d.vari), math.Max(math.Sqrt(d.mean), 1))
}

// threshold is the count per bucket at or above which a bucket is a spike
// (before the minimum volume is applied).
func (d *detector) threshold() float64 { return d.mean + d.cfg.Z*d.sd() }

// score is how many spreads count lies above the baseline mean; 0 before
// the warm-up ends.
func (d *detector) score(count float64) float64 {
	if !d.ready() {
		return 0
	}
	return (count - d.mean) / d.sd()
}

// spike reports whether a bucket with count complaints is a spike: the
// baseline is warm, the count reaches the minimum volume, and it is at
// least Z spreads above the mean.
func (d *detector) spike(count float64) bool {
	return d.ready() && count >= float64(d.cfg.MinCount) && count >= d.threshold()
}

// close folds a finished bucket's count into the baseline. Once warm, a
// count above the threshold enters clipped to the threshold, so a burst
// does not become the baseline at once while a lasting new level still
// raises it bucket by bucket. During warm-up the mean is the plain average
// of the buckets, clipped at twice the distance, so that a burst that starts
// while a brand is still being learned does not hide itself.
func (d *detector) close(count float64) {
	switch {
	case d.ready():
		count = math.Min(count, d.threshold())
	case d.n > 0:
		count = math.Min(count, d.mean+2*d.cfg.Z*d.sd())
	}
	a := math.Max(d.cfg.Alpha, 1/float64(d.n+1))
	diff := count - d.mean
	incr := a * diff
	d.mean += incr
	d.vari = (1 - a) * (d.vari + diff*incr)
	d.n++
}
