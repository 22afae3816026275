package screen

import (
	"math"
	"testing"

	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

func near(a, b []float64) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

func TestShares(t *testing.T) {
	tests := []struct {
		name   string
		counts [motive.Count]uint64
		want   []float64
	}{
		{"no posts has no shares", [motive.Count]uint64{}, nil},
		{"one motive", [motive.Count]uint64{0, 0, 7, 0, 0}, []float64{0, 0, 1, 0, 0}},
		{"mixed", [motive.Count]uint64{1, 2, 3, 4, 0}, []float64{0.1, 0.2, 0.3, 0.4, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shares(tt.counts); !near(got, tt.want) {
				t.Errorf("shares(%v) = %v, want %v", tt.counts, got, tt.want)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	expected := map[string]float64{"discounts": 0.1, "information": 0.2, "community": 0.4, "service": 0.2, "none": 0.1}
	tests := []struct {
		name     string
		observed []float64
		expected map[string]float64
		want     []float64
	}{
		{"no expected mix: no gap", []float64{0.2, 0.2, 0.2, 0.2, 0.2}, nil, nil},
		{"nothing observed: no gap", nil, expected, nil},
		{"observed minus expected", []float64{0.3, 0.2, 0.1, 0.4, 0}, expected, []float64{0.2, 0, -0.3, 0.2, -0.1}},
		{"motive left out of the declaration is expected at 0",
			[]float64{0.5, 0.5, 0, 0, 0}, map[string]float64{"discounts": 1}, []float64{-0.5, 0.5, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gaps(tt.observed, tt.expected); !near(got, tt.want) {
				t.Errorf("gaps = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestQuadrantIndex(t *testing.T) {
	high, low, none := pb.ValueTier_VALUE_TIER_HIGH, pb.ValueTier_VALUE_TIER_LOW, pb.ValueTier_VALUE_TIER_UNSPECIFIED
	tests := []struct {
		name      string
		tier      pb.ValueTier
		complaint bool
		sentiment float64
		want      string
	}{
		{"high value promoter", high, false, 0.6, "keep_and_grow"},
		{"high value complainer", high, true, 0.2, "fix_fast"},
		{"high value negative", high, false, -0.3, "fix_fast"},
		{"low value promoter", low, false, 0.1, "tap_advocacy"},
		{"low value complainer", low, true, -0.5, "let_go"},
		{"neutral post is in no quadrant", high, false, 0, ""},
		{"untiered post is in no quadrant", none, true, -0.9, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if i := quadrantIndex(tt.tier, tt.complaint, tt.sentiment); i >= 0 {
				got = Quadrants[i]
			}
			if got != tt.want {
				t.Errorf("quadrant = %q, want %q", got, tt.want)
			}
		})
	}
}
