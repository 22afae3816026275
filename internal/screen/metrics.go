package screen

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	spike       *prometheus.GaugeVec
	spikeScore  *prometheus.GaugeVec
	expected    *prometheus.GaugeVec
	quadrant    *prometheus.GaugeVec
	sseClients  prometheus.Gauge
	dropSlow    prometheus.Counter
	dropQueue   prometheus.Counter
	dropEvicted prometheus.Counter
	dropStalled prometheus.Counter
	// driversDropped counts complaints the drivers did not count (an event
	// time far ahead of the watermark). Drivers themselves are never label
	// values: their vocabulary is unbounded.
	driversDropped prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	f := promauto.With(reg)
	dropped := f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_sse_dropped_total",
		Help: "Live-feed events not delivered, by reason: a client's buffer was full (slow_client) or the feed's queue was full (queue_full)."},
		[]string{"reason"})
	closed := f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_sse_closed_total",
		Help: "Live-feed streams the server ended, by reason: a newer stream from the same address took the place (replaced) or a write did not finish within its deadline (stalled)."},
		[]string{"reason"})
	return &metrics{
		spike: f.NewGaugeVec(prometheus.GaugeOpts{Name: "outsidein_complaint_spike",
			Help: "1 while a brand's complaints per bucket are far above its own recent baseline, else 0."}, []string{"brand"}),
		spikeScore: f.NewGaugeVec(prometheus.GaugeOpts{Name: "outsidein_complaint_spike_score",
			Help: "How many standard deviations a brand's latest complaint count lies above its baseline mean."}, []string{"brand"}),
		expected: f.NewGaugeVec(prometheus.GaugeOpts{Name: "outsidein_expected_motive_share",
			Help: "Share of each motive the business declared it expects for the brand (configured brands with expected_motives only)."},
			[]string{"brand", "motive"}),
		quadrant: f.NewGaugeVec(prometheus.GaugeOpts{Name: "outsidein_customer_quadrant_posts",
			Help: "Posts in the last 24h from tiered customers, by value and stance quadrant (keep_and_grow, fix_fast, tap_advocacy, let_go)."},
			[]string{"brand", "quadrant"}),
		sseClients: f.NewGauge(prometheus.GaugeOpts{Name: "outsidein_sse_clients",
			Help: "Live-feed (server-sent events) clients connected now."}),
		dropSlow:    dropped.WithLabelValues("slow_client"),
		dropQueue:   dropped.WithLabelValues("queue_full"),
		dropEvicted: closed.WithLabelValues("replaced"),
		dropStalled: closed.WithLabelValues("stalled"),
		driversDropped: f.NewCounter(prometheus.CounterOpts{Name: "outsidein_drivers_skipped_total",
			Help: "Complaints left out of the complaint drivers: their event time lies more than the drivers' recent window ahead of the screen's watermark (a producer's clock far off)."}),
	}
}

// brandGauges are one brand's series, looked up once.
type brandGauges struct {
	spike, score prometheus.Gauge
	quadrant     [nQuadrants]prometheus.Gauge
}

// gauges creates a brand's series (at zero) and sets the expected shares,
// which never change.
func (m *metrics) gauges(b *brand) *brandGauges {
	g := &brandGauges{
		spike: m.spike.WithLabelValues(b.name),
		score: m.spikeScore.WithLabelValues(b.name),
	}
	for i, q := range Quadrants {
		g.quadrant[i] = m.quadrant.WithLabelValues(b.name, q)
	}
	if b.expected != nil {
		for _, mo := range motiveNames {
			m.expected.WithLabelValues(b.name, mo).Set(b.expected[mo])
		}
	}
	return g
}
