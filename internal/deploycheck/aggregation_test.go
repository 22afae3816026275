package deploycheck

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// replicaGauges are gauges every replica exports alike (the configuration,
// the screen's view of the whole cluster): summing them over replicas
// multiplies them, so dashboards and rules take one (max).
var replicaGauges = []string{"outsidein_complaint_spike", "outsidein_complaint_spike_score",
	"outsidein_customer_quadrant_posts", "outsidein_expected_motive_share"}

// TestDashboardsReadAggregatedSeries: no dashboard reads a replica-alike gauge
// without taking one per brand, and no dashboard or rule reads a share
// computed inside one replica (those are recording rules over the summed
// counters).
func TestDashboardsReadAggregatedSeries(t *testing.T) {
	root := repoRoot(t)
	var exprs []dashboardExpr
	for _, f := range globFiles(t, filepath.Join(root, "deploy/grafana/dashboards/*.json")) {
		found, err := dashboardExprs(f)
		if err != nil {
			t.Fatal(err)
		}
		exprs = append(exprs, found...)
	}
	rules := readFile(t, filepath.Join(root, "deploy/prometheus/rules/outsidein.rules.yml"))
	for _, name := range []string{"outsidein_motive_share", "outsidein_perception_gap"} {
		bare := regexp.MustCompile(`\b` + name + `\b`)
		for _, e := range exprs {
			if bare.MatchString(e.expr) {
				t.Errorf("%s reads %s, a per-replica share", e.where, name)
			}
		}
		if bare.MatchString(rules) {
			t.Errorf("the rules read %s, a per-replica share", name)
		}
	}
	for _, g := range replicaGauges {
		use := regexp.MustCompile(`\b` + g + `\b`)
		for _, e := range exprs {
			if !use.MatchString(e.expr) {
				continue
			}
			if !regexp.MustCompile(`max\s*by\s*\([^)]*\)\s*\(\s*` + g + `\b`).MatchString(e.expr) {
				t.Errorf("%s reads %s without max by (...): summed over replicas it counts each replica again: %s",
					e.where, g, strings.TrimSpace(e.expr))
			}
		}
	}
}
