package screen

import (
	"math"
	"testing"
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
	cfg := DetectorConfig{Alpha: 0.1, Z: 4, MinCount: 5, Warmup: 3}
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
				t.Errorf("spike(%v) = %v, want %v (mean %.2f, sd %.2f, threshold %.2f, score %.2f)",
					tt.next, got, tt.want, d.mean, d.sd(), d.threshold(), d.score(tt.next))
			}
		})
	}
}

// A slow rise never fires on the way up, bucket by bucket.
func TestDetectorSlowRiseNeverFires(t *testing.T) {
	d := newDetector(DetectorConfig{})
	for i, c := range ramp(5, 0.5, 200) {
		if d.spike(c) {
			t.Fatalf("bucket %d (%v complaints) fired on a slow rise: mean %.2f threshold %.2f", i, c, d.mean, d.threshold())
		}
		d.close(c)
	}
}

// A burst that lasts raises the baseline only step by step: it keeps firing
// for a while, then a lasting new level becomes the baseline.
func TestDetectorBurstIsClippedIntoBaseline(t *testing.T) {
	d := newDetector(DetectorConfig{})
	for _, c := range steady {
		d.close(c)
	}
	before := d.mean
	fired := 0
	for range 5 {
		if d.spike(100) {
			fired++
		}
		d.close(100)
	}
	if fired != 5 {
		t.Errorf("a 5-bucket burst fired %d times, want 5", fired)
	}
	if d.mean > before+30 {
		t.Errorf("baseline mean went from %.1f to %.1f in 5 burst buckets, want the burst clipped", before, d.mean)
	}
	for range 200 {
		d.close(100)
	}
	if d.spike(100) {
		t.Errorf("after 200 buckets at 100 the level still fires (mean %.1f)", d.mean)
	}
}

func TestDetectorScoreAndThreshold(t *testing.T) {
	d := newDetector(DetectorConfig{Z: 3, Warmup: 2})
	if got := d.score(50); got != 0 {
		t.Errorf("score before warm-up = %v, want 0", got)
	}
	d.close(16)
	d.close(16)
	// mean 16, no variance: the spread is the Poisson floor sqrt(16) = 4.
	if got, want := d.threshold(), 16+3*4.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("threshold = %v, want %v", got, want)
	}
	if got, want := d.score(24), 2.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("score(24) = %v, want %v", got, want)
	}
}
