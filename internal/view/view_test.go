package view_test

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/screen"
	"github.com/outsidein/outsidein/internal/view"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// sink records what a follower hands it.
type sink struct {
	mu         sync.Mutex
	ids        map[string]int
	lastAt     map[string]time.Time
	watermarks []time.Time
}

func newSink() *sink { return &sink{ids: map[string]int{}, lastAt: map[string]time.Time{}} }

func (s *sink) Observe(at time.Time, m *pb.ClassifiedMention) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[m.GetMention().GetId()]++
	s.lastAt[m.GetMention().GetId()] = at
}

func (s *sink) Advance(w time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watermarks = append(s.watermarks, w)
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}

func record(id string, at time.Time, json bool) kafka.Message {
	m := &pb.ClassifiedMention{Mention: &pb.Mention{Id: id, Brand: "acme", Text: "hi"},
		Classification: &pb.Classification{Motive: pb.Motive_MOTIVE_SERVICE}, ProcessedAt: timestamppb.New(at)}
	if json {
		return kafka.Message{Key: []byte(id), Value: []byte(fmt.Sprintf(`{"mention":{"id":%q,"brand":"acme","text":"hi"},"processed_at":%q}`, id, at.UTC().Format(time.RFC3339Nano))),
			Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
	}
	v, _ := proto.Marshal(m)
	return kafka.Message{Key: []byte(id), Value: v, Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/x-protobuf")}}}
}

func follower(addr string, s view.Sink, backfill time.Duration) (*view.Follower, *prometheus.Registry) {
	reg := prometheus.NewRegistry()
	f := view.New(view.Config{Brokers: []string{addr}, Topic: "mentions.classified", Dialer: &kafka.Dialer{Timeout: 5 * time.Second},
		Client: &kafka.Client{Addr: kafka.TCP(addr), Timeout: 5 * time.Second}, Backfill: backfill, Lateness: time.Second,
		Logger: slog.New(slog.DiscardHandler)}, s, view.NewMetrics(reg))
	return f, reg
}

// TestFollowerReadsEverything: records written before the follower started
// (within the backfill), after it started, on every partition and in both
// formats all reach the sink, each once, with their event time; a record
// older than the backfill is not read; undecodable records are skipped and
// counted; the watermark only moves forward and catches up with the clock.
func TestFollowerReadsEverything(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Partitions: 4})
	now := time.Now()
	// kfake stamps records with the time they are produced: the old one is
	// told by its own time only to the sink, so the backfill is checked with
	// a record produced before the backfill's start instead.
	kafkatest.Produce(t, b.Addr(), "mentions.classified", record("too-old", now.Add(-time.Hour), false))
	time.Sleep(3 * time.Second)
	var before []kafka.Message
	for i := range 40 {
		before = append(before, record(fmt.Sprintf("b%d", i), now.Add(-time.Duration(40-i)*time.Second), i%2 == 0))
	}
	before = append(before, kafka.Message{Key: []byte("junk"), Value: []byte("\xff\xfe not a record")})
	kafkatest.Produce(t, b.Addr(), "mentions.classified", before...)

	s := newSink()
	f, reg := follower(b.Addr(), s, 2*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	kafkatest.WaitFor(t, 30*time.Second, "the 40 records written before the start", func() bool { return s.count() >= 40 })
	var after []kafka.Message
	for i := range 40 {
		after = append(after, record(fmt.Sprintf("a%d", i), time.Now(), i%3 == 0))
	}
	kafkatest.Produce(t, b.Addr(), "mentions.classified", after...)
	kafkatest.WaitFor(t, 30*time.Second, "the 40 records written after the start", func() bool { return s.count() >= 80 })
	kafkatest.WaitFor(t, 30*time.Second, "the follower caught up", func() bool { return f.Status().CaughtUp })

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ids) != 80 || s.ids["too-old"] != 0 {
		t.Errorf("sink got %d distinct records (too-old %d times), want the 80 within the backfill", len(s.ids), s.ids["too-old"])
	}
	for id, n := range s.ids {
		if n != 1 {
			t.Errorf("record %s observed %d times", id, n)
		}
	}
	if got, want := s.lastAt["b0"], now.Add(-40*time.Second); !got.Equal(want.Truncate(time.Microsecond)) && got.Sub(want).Abs() > time.Millisecond {
		t.Errorf("b0 observed at %v, want its processed_at %v", got, want)
	}
	for i := 1; i < len(s.watermarks); i++ {
		if !s.watermarks[i].After(s.watermarks[i-1]) {
			t.Fatalf("watermark went from %v to %v", s.watermarks[i-1], s.watermarks[i])
		}
	}
	if w := s.watermarks[len(s.watermarks)-1]; time.Since(w) > 5*time.Second {
		t.Errorf("watermark %v lags the clock by %v once caught up", w, time.Since(w))
	}
	mfs, _ := reg.Gather()
	vals := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			vals[mf.GetName()] += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	if vals["outsidein_view_records_total"] != 80 || vals["outsidein_view_undecodable_total"] != 1 || vals["outsidein_view_caught_up"] != 1 {
		t.Errorf("metrics %v, want 80 records, 1 undecodable, caught up", vals)
	}
}

// BenchmarkBackfill measures a restart: how fast a follower reads back a
// topic of classified records, into a sink that only counts and into the
// screen, and the heap that reading and the screen's state add (the
// broker's copy of the records is in the heap before the follower starts,
// so it is not counted). Run with -benchtime 1x: the records are fixed.
func BenchmarkBackfill(b *testing.B) {
	const n = 200_000
	br := kafkatest.Broker(b, broker.Config{Partitions: 6})
	w := &kafka.Writer{Addr: kafka.TCP(br.Addr()), Topic: "mentions.classified", Balancer: &kafka.RoundRobin{},
		BatchSize: 5000, BatchBytes: 8 << 20, BatchTimeout: 10 * time.Millisecond}
	now := time.Now()
	brands := []string{"acme", "beanco", "telzo", "skyjet", "bankly", "zipride", "brewhaus"}
	batch := make([]kafka.Message, 0, 5000)
	for i := range n {
		m := &pb.ClassifiedMention{
			Mention: &pb.Mention{Id: fmt.Sprintf("r%d", i), Brand: brands[i%len(brands)], Channel: "twitter",
				Text: "@acme my order never arrived and nobody answers, third time this month"},
			Classification: &pb.Classification{Motive: pb.Motive(1 + i%5), Complaint: i%4 == 0, Confidence: 0.8},
			ProcessedAt:    timestamppb.New(now.Add(-time.Duration(n-i) * 400 * time.Millisecond)),
			SourceTopic:    "mentions", SourcePartition: int32(i % 6), SourceOffset: int64(i / 6)}
		v, _ := proto.Marshal(m)
		batch = append(batch, kafka.Message{Value: v, Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/x-protobuf")}}})
		if len(batch) == cap(batch) {
			if err := w.WriteMessages(context.Background(), batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	w.Close()
	for _, tc := range []struct {
		name string
		sink func() (view.Sink, func() int64)
	}{
		{"count", func() (view.Sink, func() int64) { c := &counter{}; return c, c.n.Load }},
		{"screen", func() (view.Sink, func() int64) {
			c := &counter{}
			scr := screen.New(prometheus.NewRegistry(), nil, screen.Options{})
			return tee{scr, c}, c.n.Load
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				s, count := tc.sink()
				f, _ := follower(br.Addr(), s, 24*time.Hour)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				start := time.Now()
				go func() { f.Run(ctx); close(done) }()
				for !f.Status().CaughtUp || count() < n {
					time.Sleep(20 * time.Millisecond)
				}
				el := time.Since(start)
				runtime.GC()
				runtime.ReadMemStats(&after)
				cancel()
				<-done
				runtime.KeepAlive(s)
				b.ReportMetric(float64(n)/el.Seconds(), "records/s")
				b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "added-heap-MB")
			}
		})
	}
}

// tee hands every post to a sink and counts it.
type tee struct {
	view.Sink
	c *counter
}

func (t tee) Observe(at time.Time, m *pb.ClassifiedMention) {
	t.Sink.Observe(at, m)
	t.c.Observe(at, m)
}

type counter struct{ n atomic.Int64 }

func (c *counter) Observe(time.Time, *pb.ClassifiedMention) { c.n.Add(1) }
func (c *counter) Advance(time.Time)                        {}
