// Package view follows the output topic on every partition, outside the
// consumer group, so that each replica sees every classified post of the
// cluster, not only those of the partitions it consumes. It hands each post
// to a Sink (the screen) with its event time, and tells the sink how far
// event time has safely advanced (the watermark), so that time buckets
// close in order even while it reads a backlog.
//
// On start it reads back Backfill (24 h by default) of the topic, enough to
// rebuild the screen's windows after a restart; then it follows new
// records. It commits nothing: every replica reads the whole topic.
package view

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/wire"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Sink takes the followed posts.
type Sink interface {
	// Observe takes one classified post and its event time (when the
	// pipeline classified it). It is called from one goroutine per
	// partition, so concurrently.
	Observe(at time.Time, m *pb.ClassifiedMention)
	// Advance tells that posts older than watermark are no longer expected;
	// one that still comes is late. The watermark never goes back. It is
	// called from one goroutine.
	Advance(watermark time.Time)
}

// Config configures a Follower.
type Config struct {
	Brokers []string
	// Topic is the output topic to follow.
	Topic string
	// Dialer connects the partition readers (TLS, SASL).
	Dialer *kafka.Dialer
	// Client reads the topic's partitions.
	Client *kafka.Client
	// Backfill is how far back in the topic reading starts (0: 24 h).
	Backfill time.Duration
	// Lateness is how long after a post's event time it may still arrive
	// once every partition has been read to its end (0: 3 s).
	Lateness time.Duration
	// Stall is how long a partition that is behind may deliver nothing
	// before the watermark stops waiting for it (0: 10 s).
	Stall  time.Duration
	Logger *slog.Logger
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Backfill <= 0 {
		c.Backfill = 24 * time.Hour
	}
	if c.Lateness <= 0 {
		c.Lateness = 3 * time.Second
	}
	if c.Stall <= 0 {
		c.Stall = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Metrics are the follower's metrics.
type Metrics struct {
	records  prometheus.Counter
	bad      prometheus.Counter
	lag      prometheus.Gauge
	caughtUp prometheus.Gauge
}

// NewMetrics registers the follower's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		records: f.NewCounter(prometheus.CounterOpts{Name: "outsidein_view_records_total",
			Help: "Classified records this replica's screen has read from the output topic (all partitions)."}),
		bad: f.NewCounter(prometheus.CounterOpts{Name: "outsidein_view_undecodable_total",
			Help: "Records on the output topic the screen could not decode and skipped."}),
		lag: f.NewGauge(prometheus.GaugeOpts{Name: "outsidein_view_lag",
			Help: "Records on the output topic the screen has not read yet, over all partitions."}),
		caughtUp: f.NewGauge(prometheus.GaugeOpts{Name: "outsidein_view_caught_up",
			Help: "1 once the screen has read every partition of the output topic to its end, else 0."}),
	}
}

// Status is what the follower knows of its progress.
type Status struct {
	// CaughtUp is true once every partition has been read to its end.
	CaughtUp bool `json:"caught_up"`
	// Lag is the records not yet read, over all partitions.
	Lag int64 `json:"lag"`
	// Partitions is how many partitions are followed.
	Partitions int `json:"partitions"`
	// Watermark is the event time up to which posts are complete.
	Watermark time.Time `json:"watermark"`
}

// Follower reads the output topic for a Sink.
type Follower struct {
	cfg  Config
	sink Sink
	met  *Metrics

	mu     sync.Mutex
	status Status
}

// New returns a Follower of cfg.Topic feeding sink.
func New(cfg Config, sink Sink, met *Metrics) *Follower {
	return &Follower{cfg: cfg.withDefaults(), sink: sink, met: met}
}

// Status returns the follower's progress.
func (f *Follower) Status() Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status
}

// part is the progress of one partition's reader, written by the reader
// and read by the follower's loop.
type part struct {
	started   time.Time    // wall clock, set before the reader starts
	delivered atomic.Int64 // wall clock of the last record or lag report, unix ns (0: none)
	eventTime atomic.Int64 // latest event time read, unix ns (0: none)
	lag       atomic.Int64 // records not read yet (-1: not known yet)
}

// Run follows the topic until ctx ends, then stops its readers and returns.
// Broker errors are retried; a record that cannot be decoded is skipped and
// counted.
func (f *Follower) Run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	parts := map[int]*part{}
	from := f.cfg.Now().Add(-f.cfg.Backfill)
	var watermark time.Time
	discover := func() {
		ps, err := f.partitions(ctx)
		if err != nil {
			if ctx.Err() == nil {
				f.cfg.Logger.Debug("view: cannot list the output topic's partitions", "topic", f.cfg.Topic, "err", err)
			}
			return
		}
		for _, id := range ps {
			if _, ok := parts[id]; ok {
				continue
			}
			at := from
			if len(parts) > 0 {
				at = time.Time{} // a partition added later is read from its start
			}
			p := &part{started: f.cfg.Now()}
			p.lag.Store(-1)
			parts[id] = p
			wg.Add(1)
			go func() { defer wg.Done(); f.follow(ctx, id, at, p) }()
		}
	}
	discover()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	lastDiscover := f.cfg.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			now := f.cfg.Now()
			if now.Sub(lastDiscover) >= 5*time.Second || len(parts) == 0 {
				discover()
				lastDiscover = now
			}
			w := f.watermark(now, from, parts)
			if w.After(watermark) {
				watermark = w
				f.sink.Advance(watermark)
			}
			f.publish(parts, watermark)
		}
	}
}

// record decodes one record of partition p and hands it to the sink.
func (f *Follower) record(msg *kafka.Message, p *part) {
	p.delivered.Store(f.cfg.Now().UnixNano())
	p.lag.Store(max(msg.HighWaterMark-msg.Offset-1, 0))
	m, err := wire.DecodeClassified(header(msg, "content-type"), msg.Value)
	if err != nil {
		f.met.bad.Inc()
		f.cfg.Logger.Debug("view: skipping an undecodable record", "topic", msg.Topic, "partition", msg.Partition, "offset", msg.Offset, "err", err)
		return
	}
	f.met.records.Inc()
	at := msg.Time
	if t := m.GetProcessedAt(); t != nil && t.IsValid() {
		at = t.AsTime()
	}
	if ns := at.UnixNano(); ns > p.eventTime.Load() {
		p.eventTime.Store(ns)
	}
	f.sink.Observe(at, m)
}

// watermark is the event time before which no more posts are expected: the
// latest event time read from each partition that is still behind, or, when
// every partition is read to its end, now less the allowed lateness. A
// partition behind that has delivered nothing for Stall is not waited for.
func (f *Follower) watermark(now, from time.Time, parts map[int]*part) time.Time {
	w := now.Add(-f.cfg.Lateness)
	for _, p := range parts {
		if p.lag.Load() == 0 {
			continue
		}
		last := p.started
		if d := p.delivered.Load(); d != 0 {
			last = time.Unix(0, d)
		}
		if now.Sub(last) > f.cfg.Stall {
			continue
		}
		t := from
		if e := p.eventTime.Load(); e != 0 {
			t = time.Unix(0, e)
		}
		if t.Before(w) {
			w = t
		}
	}
	return w
}

func (f *Follower) publish(parts map[int]*part, watermark time.Time) {
	st := Status{CaughtUp: len(parts) > 0, Partitions: len(parts), Watermark: watermark}
	for _, p := range parts {
		lag := p.lag.Load()
		if lag != 0 {
			st.CaughtUp = false
		}
		if lag > 0 {
			st.Lag += lag
		}
	}
	f.met.lag.Set(float64(st.Lag))
	if st.CaughtUp {
		f.met.caughtUp.Set(1)
	} else {
		f.met.caughtUp.Set(0)
	}
	f.mu.Lock()
	f.status = st
	f.mu.Unlock()
}

// follow reads partition id from the first record at or after at (the
// partition's start for a zero at) and hands its records to the sink until
// ctx ends. Fetches wait for 64 KiB or 250 ms: the screen needs no lower
// latency, and fewer, larger fetches cost the brokers less.
func (f *Follower) follow(ctx context.Context, id int, at time.Time, p *part) {
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: f.cfg.Brokers, Topic: f.cfg.Topic, Partition: id, Dialer: f.cfg.Dialer,
		MinBytes: 64 << 10, MaxBytes: 1 << 20, MaxWait: 250 * time.Millisecond,
		ErrorLogger: kafka.LoggerFunc(func(msg string, args ...any) {
			f.cfg.Logger.Debug("view: kafka reader", "partition", id, "msg", fmt.Sprintf(msg, args...))
		}),
	})
	defer r.Close()
	backoff := 100 * time.Millisecond
	wait := func() bool {
		select {
		case <-time.After(backoff):
			backoff = min(2*backoff, 5*time.Second)
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		var err error
		if at.IsZero() {
			err = r.SetOffset(kafka.FirstOffset)
		} else {
			err = r.SetOffsetAt(ctx, at)
		}
		if err == nil {
			break
		}
		f.cfg.Logger.Debug("view: cannot position a partition reader", "partition", id, "err", err)
		if !wait() {
			return
		}
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	lag, err := r.ReadLag(lctx)
	cancel()
	if err == nil {
		p.lag.Store(lag)
		p.delivered.Store(f.cfg.Now().UnixNano())
	}
	backoff = 100 * time.Millisecond
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, io.EOF) {
				return
			}
			f.cfg.Logger.Debug("view: read error", "partition", id, "err", err)
			if !wait() {
				return
			}
			continue
		}
		backoff = 100 * time.Millisecond
		f.record(&m, p)
	}
}

// partitions lists the topic's partitions.
func (f *Follower) partitions(ctx context.Context) ([]int, error) {
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := f.cfg.Client.Metadata(mctx, &kafka.MetadataRequest{Topics: []string{f.cfg.Topic}})
	if err != nil {
		return nil, err
	}
	for _, t := range res.Topics {
		if t.Name != f.cfg.Topic {
			continue
		}
		if t.Error != nil {
			return nil, t.Error
		}
		var ps []int
		for _, p := range t.Partitions {
			ps = append(ps, p.ID)
		}
		sort.Ints(ps)
		return ps, nil
	}
	return nil, fmt.Errorf("topic %s not found", f.cfg.Topic)
}

func header(m *kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
