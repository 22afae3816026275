// Package bench measures the whole pipeline on an embedded broker: the
// ceiling (a kafka-go group consumer that does nothing), the full pipeline
// over the same posts, per-post latency at a steady offered rate, and memory.
package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/demo"
	"github.com/outsidein/outsidein/internal/replay"
)

// Runner runs the service's pipeline with settings p until ctx ends, calling
// acked for every message whose result the broker acknowledged (app.Run).
type Runner func(ctx context.Context, p config.Pipeline, acked func(src kafka.Message, fetched time.Time)) error

// Options configure a pipeline benchmark.
type Options struct {
	Run         Runner
	Posts       int     // posts loaded for the throughput runs
	File        string  // JSON lines to load ("" : generated sample posts)
	Partitions  int     // partitions of the input topic
	LatencyRate float64 // offered posts/s for the latency run (0: skip it)
	LatencyTime time.Duration
	Workers     int // classification workers (0: the pipeline default, one per CPU)
	// BrokerAddr is a broker to use, with the topics mentions,
	// mentions.classified, mentions.dlq and latency.in ("": start one in this
	// process, whose memory then counts in the peak RSS).
	BrokerAddr string
	Log        io.Writer // progress
}

// Topics are the topics the benchmark needs.
var Topics = []string{"mentions", "mentions.classified", "mentions.dlq", "latency.in"}

// Result holds the measured figures.
type Result struct {
	Posts                  int
	CeilingPerSec          float64
	PipelinePerSec         float64
	LatencyP50, LatencyP99 time.Duration
	LatencyN               int
	PeakRSSBytes           int64
}

// Ratio is the pipeline's throughput as a share of the ceiling.
func (r Result) Ratio() float64 {
	if r.CeilingPerSec == 0 {
		return 0
	}
	return r.PipelinePerSec / r.CeilingPerSec
}

// Pipeline runs the benchmark.
func Pipeline(ctx context.Context, o Options) (Result, error) {
	res := Result{Posts: o.Posts}
	if o.Posts < 2 {
		return res, fmt.Errorf("bench: need at least 2 posts")
	}
	logf := func(format string, args ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", args...)
		}
	}
	addr := o.BrokerAddr
	if addr == "" {
		b, err := broker.Start(broker.Config{Topics: Topics, Partitions: int32(o.Partitions)})
		if err != nil {
			return res, err
		}
		defer b.Close()
		addr = b.Addr()
	}

	next, err := source(o)
	if err != nil {
		return res, err
	}
	logf("loading %d posts into the broker at %s ...", o.Posts, addr)
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: "mentions", Balancer: &kafka.RoundRobin{},
		BatchSize: 5000, BatchBytes: 16 << 20, BatchTimeout: 5 * time.Millisecond, RequiredAcks: kafka.RequireOne}
	chunk := make([]kafka.Message, 0, 20000)
	for loaded := 0; loaded < o.Posts; {
		chunk = chunk[:0]
		for len(chunk) < cap(chunk) && loaded < o.Posts {
			chunk = append(chunk, next())
			loaded++
		}
		if err := w.WriteMessages(ctx, chunk...); err != nil {
			w.Close()
			return res, fmt.Errorf("loading posts: %w", err)
		}
	}
	w.Close()
	n := o.Posts
	chunk = nil
	runtime.GC()

	logf("(a) ceiling: a kafka-go group consumer that does nothing ...")
	if res.CeilingPerSec, err = ceiling(ctx, addr, n); err != nil {
		return res, err
	}
	logf("    %.0f posts/s", res.CeilingPerSec)

	logf("(b) the full pipeline: decode, classify, publish, count, commit ...")
	if res.PipelinePerSec, err = full(ctx, addr, n, o); err != nil {
		return res, err
	}
	logf("    %.0f posts/s", res.PipelinePerSec)

	if o.LatencyRate > 0 {
		logf("(c) latency at %.0f posts/s offered for %v ...", o.LatencyRate, o.LatencyTime)
		if err := latency(ctx, addr, o, &res); err != nil {
			return res, err
		}
		logf("    p50=%v p99=%v over %d posts", res.LatencyP50, res.LatencyP99, res.LatencyN)
	}
	res.PeakRSSBytes = peakRSS()
	return res, nil
}

// source returns a function yielding the posts to load: generated sample
// posts, or the lines of o.File over and over.
func source(o Options) (func() kafka.Message, error) {
	if o.File == "" {
		g, err := demo.NewGenerator(demo.Options{Seed: 42})
		if err != nil {
			return nil, err
		}
		return func() kafka.Message { m, _ := g.Next(); return m }, nil
	}
	f, err := os.Open(o.File)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer f.Close()
	var base []kafka.Message
	src := replay.LinesSource(bufio.NewReader(f), nil)
	for {
		m, ok, err := src()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		base = append(base, m)
	}
	if len(base) == 0 {
		return nil, fmt.Errorf("bench: %s has no posts", o.File)
	}
	i := 0
	return func() kafka.Message { m := base[i%len(base)]; i++; return m }, nil
}

// ceiling reads n messages with a kafka-go consumer group that does nothing
// with them and commits at the end.
func ceiling(ctx context.Context, addr string, n int) (float64, error) {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, GroupID: "bench-ceiling", GroupTopics: []string{"mentions"},
		StartOffset: kafka.FirstOffset, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 250 * time.Millisecond,
		QueueCapacity: 1024, CommitInterval: time.Second})
	defer r.Close()
	var start time.Time
	var last kafka.Message
	for i := 0; i < n; i++ {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			return 0, fmt.Errorf("ceiling consumer: %w", err)
		}
		if i == 0 {
			start = time.Now() // after the group join, as for the pipeline
		}
		last = m
	}
	el := time.Since(start)
	_ = r.CommitMessages(ctx, last)
	return float64(n-1) / el.Seconds(), nil
}

func settings(addr, topic, group string, o Options) config.Pipeline {
	p := config.Defaults(addr, "127.0.0.1:0")
	p.InputTopics = config.List{topic}
	p.Group = group
	if o.Workers > 0 {
		p.Workers = o.Workers
	}
	p.CommitInterval = 500 * time.Millisecond
	return p
}

// full runs the pipeline over the n loaded posts: from the first post fetched
// to the last one acknowledged on the output topic.
func full(ctx context.Context, addr string, n int, o Options) (float64, error) {
	var mu sync.Mutex
	var first time.Time
	count := 0
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	acked := func(_ kafka.Message, fetched time.Time) {
		mu.Lock()
		defer mu.Unlock()
		if first.IsZero() || fetched.Before(first) {
			first = fetched
		}
		count++
		if count == n {
			close(done)
		}
	}
	errc := make(chan error, 1)
	go func() { errc <- o.Run(ctx, settings(addr, "mentions", "bench-pipeline", o), acked) }()
	select {
	case <-done:
	case err := <-errc:
		return 0, fmt.Errorf("pipeline stopped early: %v", err)
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	// The run ends when the group's committed offsets cover every post, not
	// just when the last result is acknowledged.
	if err := awaitCommitted(ctx, addr, "bench-pipeline", "mentions", int64(n)); err != nil {
		return 0, err
	}
	last := time.Now()
	cancel()
	if err := <-errc; err != nil {
		return 0, fmt.Errorf("pipeline shutdown: %w", err)
	}
	return float64(n) / last.Sub(first).Seconds(), nil
}

// awaitCommitted waits until group's committed offsets on topic add up to n.
func awaitCommitted(ctx context.Context, addr, group, topic string, n int64) error {
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 5 * time.Second}
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil || len(md.Topics) != 1 {
		return fmt.Errorf("bench: metadata of %s: %v", topic, err)
	}
	var parts []int
	for _, p := range md.Topics[0].Partitions {
		parts = append(parts, p.ID)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
		if err == nil {
			var sum int64
			for _, p := range res.Topics[topic] {
				if p.CommittedOffset > 0 {
					sum += p.CommittedOffset
				}
			}
			if sum >= n {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return fmt.Errorf("bench: offsets of %d posts not committed within 60 s", n)
}

// latency offers posts at a steady rate and measures, per post, the time
// from its production to the acknowledgement of its result.
func latency(ctx context.Context, addr string, o Options, res *Result) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	acked := func(src kafka.Message, _ time.Time) {
		d := time.Since(src.Time)
		mu.Lock()
		lat = append(lat, d)
		mu.Unlock()
	}
	errc := make(chan error, 1)
	go func() { errc <- o.Run(ctx, settings(addr, "latency.in", "bench-latency", o), acked) }()
	// Let the group form before offering load.
	if err := awaitGroup(ctx, addr, "bench-latency"); err != nil {
		return err
	}
	g, err := demo.NewGenerator(demo.Options{Seed: 7})
	if err != nil {
		return err
	}
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: "latency.in", Balancer: &kafka.RoundRobin{},
		BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireOne}
	total := int(o.LatencyRate * o.LatencyTime.Seconds())
	produced := 0
	src := func() (kafka.Message, bool, error) {
		if produced >= total {
			return kafka.Message{}, false, nil
		}
		produced++
		m, _ := g.Next()
		m.Time = time.Now()
		return m, true, nil
	}
	if _, err := replay.Run(ctx, w, src, o.LatencyRate, nil); err != nil {
		w.Close()
		return err
	}
	w.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		got := len(lat)
		mu.Unlock()
		if got >= total || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		return fmt.Errorf("latency pipeline: %w", err)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) == 0 {
		return fmt.Errorf("latency run: no post acknowledged")
	}
	res.LatencyN = len(lat)
	res.LatencyP50 = lat[len(lat)/2]
	res.LatencyP99 = lat[len(lat)*99/100]
	return nil
}

// peakRSS reads the process's peak resident set size (Linux), or -1.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return -1
}

// awaitGroup waits until group is stable with partitions assigned.
func awaitGroup(ctx context.Context, addr, group string) error {
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 5 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := c.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err == nil && len(res.Groups) == 1 && res.Groups[0].GroupState == "Stable" {
			for _, m := range res.Groups[0].Members {
				if len(m.MemberAssignments.Topics) > 0 {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("consumer group %s did not form within 60 s", group)
}
