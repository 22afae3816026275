// Package tally aggregates classified mentions into Prometheus metrics, with
// brand and channel label values kept to bounded sets.
package tally

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/motive"
)

// DefaultChannels are the channel label values kept as they are; any other
// channel is counted as "other".
var DefaultChannels = []string{"twitter", "instagram", "facebook", "reddit", "tiktok", "youtube", "linkedin", "web"}

// Config configures a Tally.
type Config struct {
	// Brands are the configured brand names: their series exist from the start.
	Brands []string
	// MaxExtraBrands is how many unconfigured brands get their own label
	// before the rest fold into "other" (0: 100).
	MaxExtraBrands int
	// Channels are the channel label values kept (nil: DefaultChannels).
	Channels []string
}

// Tally counts mentions. It is safe for concurrent use.
type Tally struct {
	bounder    *brands.Bounder
	channels   map[string]bool
	mentions   *prometheus.CounterVec
	complaints *prometheus.CounterVec
	duration   prometheus.Histogram
	age        prometheus.Histogram

	// series caches the counters of one brand/channel/motive, so that the
	// hot path does not hash label values for every post.
	mu     sync.RWMutex
	series map[seriesKey]seriesCounters
}

type seriesKey struct {
	brand, channel string
	motive         motive.Motive
}

type seriesCounters struct{ mention, complaint prometheus.Counter }

// New registers the mention metrics with reg and creates the series of the
// configured brands at zero.
func New(reg prometheus.Registerer, cfg Config) *Tally {
	if cfg.MaxExtraBrands <= 0 {
		cfg.MaxExtraBrands = 100
	}
	if cfg.Channels == nil {
		cfg.Channels = DefaultChannels
	}
	f := promauto.With(reg)
	t := &Tally{
		bounder:  brands.NewBounder(cfg.Brands, cfg.MaxExtraBrands),
		channels: map[string]bool{},
		mentions: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_mentions_total",
			Help: "Classified mentions by brand, channel and motive."}, []string{"brand", "channel", "motive"}),
		complaints: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_complaints_total",
			Help: "Classified mentions flagged as complaints, by brand and channel."}, []string{"brand", "channel"}),
		duration: f.NewHistogram(prometheus.HistogramOpts{Name: "outsidein_classify_duration_seconds",
			Help:    "Time to classify one mention.",
			Buckets: []float64{5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 0.025, 0.1}}),
		age: f.NewHistogram(prometheus.HistogramOpts{Name: "outsidein_mention_age_seconds",
			Help:    "Time from a mention's creation (or its Kafka timestamp) to its classification.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600}}),
		series: map[seriesKey]seriesCounters{},
	}
	for _, c := range cfg.Channels {
		t.channels[c] = true
	}
	for _, b := range cfg.Brands {
		for _, c := range cfg.Channels {
			for _, m := range motive.All {
				t.counters(b, c, m)
			}
		}
	}
	return t
}

// Labels returns the bounded label values for a post's brand and channel.
func (t *Tally) Labels(brand, channel string) (string, string) {
	if !t.channels[channel] {
		channel = "other"
	}
	return t.bounder.Label(brand), channel
}

func (t *Tally) counters(brand, channel string, m motive.Motive) seriesCounters {
	k := seriesKey{brand, channel, m}
	t.mu.RLock()
	s, ok := t.series[k]
	t.mu.RUnlock()
	if ok {
		return s
	}
	s = seriesCounters{
		mention:   t.mentions.WithLabelValues(brand, channel, m.String()),
		complaint: t.complaints.WithLabelValues(brand, channel),
	}
	t.mu.Lock()
	t.series[k] = s
	t.mu.Unlock()
	return s
}

// Record counts one classified mention; brand and channel must come from
// Labels.
func (t *Tally) Record(brand, channel string, m motive.Motive, complaint bool, classifyTime, age time.Duration) {
	s := t.counters(brand, channel, m)
	s.mention.Inc()
	if complaint {
		s.complaint.Inc()
	}
	t.duration.Observe(classifyTime.Seconds())
	if age >= 0 {
		t.age.Observe(age.Seconds())
	}
}
