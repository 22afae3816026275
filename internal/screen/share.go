package screen

import (
	"github.com/outsidein/outsidein/internal/motive"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// motiveNames are the motives' names in display order: the keys of the
// summary's motive maps and the metrics' motive label values.
var motiveNames = motive.Names()

// Quadrants are the customer groups, by value tier and stance, in display
// order: high value promoters (keep and grow), high value detractors (fix
// fast), low value promoters (tap advocacy), low value detractors (let go).
var Quadrants = []string{"keep_and_grow", "fix_fast", "tap_advocacy", "let_go"}

const nQuadrants = 4

// quadrantIndex places a post in a quadrant, or returns -1 when the post
// carries no value tier or is neutral. A complaint or negative sentiment
// makes a detractor; positive sentiment without complaint a promoter; a post
// with neither (sentiment exactly 0, no complaint) is neutral.
func quadrantIndex(tier pb.ValueTier, complaint bool, sentiment float64) int {
	var high bool
	switch tier {
	case pb.ValueTier_VALUE_TIER_HIGH:
		high = true
	case pb.ValueTier_VALUE_TIER_LOW:
	default:
		return -1
	}
	var detractor bool
	switch {
	case complaint || sentiment < 0:
		detractor = true
	case sentiment > 0:
	default:
		return -1
	}
	switch {
	case high && !detractor:
		return 0
	case high:
		return 1
	case !detractor:
		return 2
	}
	return 3
}

// shares turns motive counts into shares of their total, in motiveNames order;
// nil when there are no posts (a share of nothing is not zero).
func shares(counts [motive.Count]uint64) []float64 {
	var total uint64
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return nil
	}
	s := make([]float64, motive.Count)
	for i, c := range counts {
		s[i] = float64(c) / float64(total)
	}
	return s
}

// gaps returns observed minus expected share per motive, in motiveNames order:
// nil when the brand declared no expected mix or nothing was observed. A
// motive the declaration leaves out is expected at 0.
func gaps(observed []float64, expected map[string]float64) []float64 {
	if observed == nil || len(expected) == 0 {
		return nil
	}
	g := make([]float64, motive.Count)
	for i, m := range motiveNames {
		g[i] = observed[i] - expected[m]
	}
	return g
}
