package screen

import (
	"math"
	"testing"
	"time"
)

// steady is a baseline of complaints per bucket around 10, as a Poisson
// source gives it.
var steady = []float64{9, 12, 8, 11, 10, 13, 7, 10, 9, 11, 12, 8, 10, 9, 11, 10, 12, 9, 8, 11}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func ramp(from, step float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + step*float64(i)
	}
	return out
}

func TestDetector(t *testing.T) {
	cfg := DetectorConfig{Z: 4, MinCount: 5, Warmup: 3}
	tests := []struct {
		name    string
		history []float64 // closed buckets
		next    float64   // the bucket judged
		want    bool
	}{
		{"burst over a steady baseline fires", steady, 60, true},
		{"ordinary bucket does not fire", steady, 14, false},
		{"high but within the spread does not fire", steady, 20, false},
		{"burst from silence fires", repeat(0, 20), 12, true},
		{"below the volume guard does not fire", repeat(0, 20), 4, false},
		{"at the volume guard fires", repeat(0, 20), 5, true},
		{"slow rise does not fire", ramp(10, 1, 40), 50, false},
		{"steep but steady rise does not fire", ramp(10, 4, 30), 130, false},
		{"burst on top of a slow rise fires", ramp(10, 1, 40), 120, true},
		{"before warm-up nothing fires", []float64{0, 0}, 100, false},
		{"burst during warm-up does not hide the next", []float64{10, 10, 80}, 90, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDetector(cfg)
			for _, c := range tt.history {
				d.close(c)
			}
			if got := d.spike(tt.next); got != tt.want {
				t.Errorf("spike(%v) = %v, want %v (median %.2f, sd %.2f, threshold %.2f, score %.2f)",
					tt.next, got, tt.want, d.median, d.sd(), d.threshold(), d.score(tt.next))
			}
		})
	}
}

// A slow rise never fires on the way up, bucket by bucket.
func TestDetectorSlowRiseNeverFires(t *testing.T) {
	d := newDetector(DetectorConfig{})
	for i, c := range ramp(5, 0.5, 200) {
		if d.spike(c) {
			t.Fatalf("bucket %d (%v complaints) fired on a slow rise: median %.2f threshold %.2f", i, c, d.median, d.threshold())
		}
		d.close(c)
	}
}

// A burst is kept out of the baseline: the median and spread stay where
// they were, so a second burst like the first fires too. A level that lasts
// Settle buckets becomes the new normal.
func TestDetectorBurstStaysOutOfBaseline(t *testing.T) {
	d := newDetector(DetectorConfig{})
	for _, c := range steady {
		d.close(c)
	}
	median, spread := d.median, d.sd()
	for burst := range 2 {
		fired := 0
		for range 5 {
			if d.spike(100) {
				fired++
			}
			d.close(100)
		}
		if fired != 5 {
			t.Errorf("burst %d: a 5-bucket burst fired %d times, want 5", burst+1, fired)
		}
		if d.median != median || d.sd() != spread {
			t.Errorf("burst %d moved the baseline from %.1f±%.1f to %.1f±%.1f, want it untouched", burst+1, median, spread, d.median, d.sd())
		}
		for _, c := range steady[:10] {
			d.close(c)
		}
	}
	for range 100 {
		d.close(100)
	}
	if d.spike(100) {
		t.Errorf("after 100 buckets at 100 the level still fires (median %.1f)", d.median)
	}
}

// The burst of the report: after one burst the threshold must not
// jump so that a second equal burst minutes later passes unseen.
func TestDetectorSecondEqualBurst(t *testing.T) {
	tests := []struct {
		name    string
		bucket  time.Duration
		burst   int // buckets a burst lasts
		between int // buckets between the bursts' starts (3 minutes)
	}{
		{"4 s buckets (demo)", 4 * time.Second, 10, 45},
		{"1 min buckets (serve)", time.Minute, 2, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDetector(DetectorConfig{})
			for i := range 60 {
				d.close(float64(8 + i%5)) // 8-12 complaints a bucket
			}
			var fired [2]int
			for b := range 2 {
				for i := range tc.between {
					c := 10.0
					if i < tc.burst {
						c = 80
					}
					if d.spike(c) {
						fired[b]++
					}
					d.close(c)
				}
			}
			if fired[0] != tc.burst || fired[1] != tc.burst {
				t.Errorf("bursts fired %v buckets, want %d each (threshold now %.1f)", fired, tc.burst, d.threshold())
			}
		})
	}
}

func TestDetectorScoreAndThreshold(t *testing.T) {
	d := newDetector(DetectorConfig{Z: 3, Warmup: 2})
	if got := d.score(50); got != 0 {
		t.Errorf("score before warm-up = %v, want 0", got)
	}
	d.close(16)
	d.close(16)
	// median 16, no deviation: the spread is the Poisson floor sqrt(16) = 4.
	if got, want := d.threshold(), 16+3*4.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("threshold = %v, want %v", got, want)
	}
	if got, want := d.score(24), 2.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("score(24) = %v, want %v", got, want)
	}
}
