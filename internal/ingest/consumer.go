// Package ingest runs the Kafka consumer group: fetch -> hand each message to
// a pool of workers -> publish what they return -> commit. A partition is
// committed only up to its lowest unfinished offset, so a crash anywhere
// loses nothing (at-least-once delivery).
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/segmentio/kafka-go"
)

// Processor turns one fetched message into the message to publish: the
// classified record for the output topic, or a dead letter. It must not
// fail: whatever cannot be processed becomes a dead letter.
type Processor interface {
	Process(m kafka.Message) kafka.Message
}

// Publisher writes messages to their topics. It returns nil only once all
// of them are acknowledged, and retries until then or until ctx ends.
type Publisher interface {
	Publish(ctx context.Context, msgs []kafka.Message) error
}

// Config configures a Consumer.
type Config struct {
	Brokers  []string
	GroupID  string
	Topics   []string
	ClientID string
	// RequiredTopics must exist on the cluster, besides Topics, for the
	// consumer to report ready: the output and dead-letter topics. Checked
	// only when Client is set.
	RequiredTopics []string
	// Dialer carries TLS and SASL settings; nil for a plain connection.
	Dialer *kafka.Dialer
	// Client, when set, refreshes the lag gauge every ProbeInterval from the
	// partitions' end offsets, so that lag shows even while fetching stalls,
	// and checks that Topics and RequiredTopics exist.
	Client *kafka.Client
	// Workers is the number of processing goroutines (0: GOMAXPROCS).
	Workers int
	// BatchSize is the most messages published in one batch (0: 1000).
	BatchSize int
	// Linger is how long a partial batch waits for more (0: 5 ms).
	Linger time.Duration
	// Publishers is how many batches may be in flight at once (0: 4).
	Publishers int
	// CommitInterval is how often commits are flushed (0: 1 s).
	CommitInterval time.Duration
	// SessionTimeout is how long the group waits for a silent member before
	// moving its partitions (0: kafka-go's 30 s).
	SessionTimeout time.Duration
	// DrainTimeout bounds the shutdown: publishing and committing what is
	// in flight when the context ends (0: 15 s).
	DrainTimeout time.Duration
	// ProbeInterval is how often the broker is probed for /healthz (0: 2 s).
	ProbeInterval time.Duration
	// OffsetReset is where a partition resumes when the group's position
	// lies past its end: ResetEarliest (the default) or ResetLatest.
	OffsetReset string
	// ErrorGrace is how long the reader may keep reporting an error before
	// /healthz answers 503 with it (0: 10 s).
	ErrorGrace time.Duration
	Logger     *slog.Logger
	// Acked, when set, is called for every message once its result is
	// acknowledged by the broker, with the time a worker took it up (benchmarks).
	Acked func(src kafka.Message, started time.Time)
}

// Metrics are the consumer's Prometheus metrics.
type Metrics struct {
	consumed     *prometheus.CounterVec
	lag          *prometheus.GaugeVec
	ready        prometheus.Gauge
	fetchErr     prometheus.Counter
	skipped      *prometheus.CounterVec
	readerErrors *prometheus.CounterVec
}

// NewMetrics registers the consumer's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		consumed: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_consumed_total",
			Help: "Messages fetched from the input topics."}, []string{"topic"}),
		lag: f.NewGaugeVec(prometheus.GaugeOpts{Name: "outsidein_consumer_lag",
			Help: "Messages of a partition not yet done: its end offset minus the lowest offset not yet published (or, between refreshes, the next offset to fetch)."}, []string{"topic", "partition"}),
		ready: f.NewGauge(prometheus.GaugeOpts{Name: "outsidein_consumer_ready",
			Help: "1 when the consumer has joined its group, the broker answers and its topics exist, else 0."}),
		fetchErr: f.NewCounter(prometheus.CounterOpts{Name: "outsidein_fetch_errors_total",
			Help: "Errors the Kafka reader reported while fetching (the fetch is retried)."}),
		skipped: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_skipped_records_total",
			Help: "Input records never consumed: deleted by the topic's retention before they were read (the consumer resumed at the log start), or passed over by --offset-reset latest."}, []string{"topic"}),
		readerErrors: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_reader_errors_total",
			Help: "Errors the Kafka reader reported, by reason (offset_out_of_range, unknown_topic, authorization, broker_unreachable, partitions_unassigned, other)."}, []string{"reason"}),
	}
}

// Consumer is a consumer-group member. Create it with New, run it with Run.
type Consumer struct {
	cfg     Config
	proc    Processor
	pub     Publisher
	metrics *Metrics
	log     *slog.Logger
	track   *tracker
	joined  atomic.Bool
	// problem is why the last probe failed ("" when it passed).
	problem atomic.Pointer[string]
	// fetchErr is the last error the reader reported before the group was
	// joined (say, the group is not authorized), for /healthz.
	fetchErr atomic.Pointer[string]
	// issues are the reader's recent errors, for /healthz.
	issues issues
	// session numbers the readers Run makes: a position reset ends one
	// session (its reader) and starts the next.
	session atomic.Int64
	// resets are the partitions whose position is to be reset, asked at
	// resetAt; resetSignal wakes the running session.
	resetMu     sync.Mutex
	resets      map[topicPartition]bool
	resetAt     time.Time
	resetSignal chan struct{}
}

// New returns a Consumer; it connects when Run is called.
func New(cfg Config, proc Processor, pub Publisher, m *Metrics) (*Consumer, error) {
	if len(cfg.Brokers) == 0 || cfg.GroupID == "" || len(cfg.Topics) == 0 {
		return nil, errors.New("consumer needs brokers, a group and at least one topic")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
	}
	if cfg.Publishers <= 0 {
		cfg.Publishers = 4
	}
	if cfg.Linger <= 0 {
		cfg.Linger = 5 * time.Millisecond
	}
	if cfg.CommitInterval <= 0 {
		cfg.CommitInterval = time.Second
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 15 * time.Second
	}
	if cfg.ProbeInterval <= 0 {
		cfg.ProbeInterval = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	switch cfg.OffsetReset {
	case "":
		cfg.OffsetReset = ResetEarliest
	case ResetEarliest, ResetLatest:
	default:
		return nil, fmt.Errorf("offset reset policy %q: want %s or %s", cfg.OffsetReset, ResetEarliest, ResetLatest)
	}
	if cfg.ErrorGrace <= 0 {
		cfg.ErrorGrace = 10 * time.Second
	}
	c := &Consumer{cfg: cfg, proc: proc, pub: pub, metrics: m, log: cfg.Logger, track: newTracker(),
		resets: map[topicPartition]bool{}, resetSignal: make(chan struct{}, 1)}
	for _, r := range ReaderErrorReasons {
		m.readerErrors.WithLabelValues(r)
	}
	for _, t := range cfg.Topics {
		m.skipped.WithLabelValues(t) // at 0 from the start, so that a loss shows as an increase
	}
	notProbed := "the broker has not been probed yet"
	c.problem.Store(&notProbed)
	return c, nil
}

// NotReady says why the consumer is not ready (for /healthz): the broker
// does not answer, a topic is missing, or the group is not joined yet. It
// returns "" when the consumer is ready.
func (c *Consumer) NotReady() string {
	if p := *c.problem.Load(); p != "" {
		return p
	}
	if p := c.issues.persistent(time.Now(), c.cfg.ErrorGrace); p != "" {
		return p
	}
	if !c.joined.Load() {
		if e := c.fetchErr.Load(); e != nil {
			return "the consumer has not joined its group yet; the last error: " + *e
		}
		return "the consumer has not joined its group yet"
	}
	return ""
}

type result struct {
	src     kafka.Message
	out     kafka.Message
	started time.Time // when a worker took it up; set only when Config.Acked is
}

// Run consumes until ctx ends, then stops fetching, finishes the posts in
// flight, publishes and commits them, closes the reader and returns nil. It
// returns an error only when the consumer cannot go on. A partition whose
// position lies past its end (its topic was deleted and created again) is
// reset by the OffsetReset policy: the session ends as on shutdown, the new
// position is committed, and a new reader joins the group.
func (c *Consumer) Run(ctx context.Context) error {
	for {
		if c.cfg.Client != nil && !c.awaitTopics(ctx) {
			return nil
		}
		restart, err := c.runSession(ctx)
		if err != nil || !restart || ctx.Err() != nil {
			return err
		}
	}
}

// runSession runs one reader until ctx ends or a partition's position is
// to be reset (then restart is true).
func (c *Consumer) runSession(ctx context.Context) (restart bool, err error) {
	id := c.session.Add(1)
	reader := kafka.NewReader(kafka.ReaderConfig{
		Brokers:        c.cfg.Brokers,
		GroupID:        c.cfg.GroupID,
		GroupTopics:    c.cfg.Topics,
		Dialer:         c.cfg.Dialer,
		CommitInterval: c.cfg.CommitInterval,
		SessionTimeout: c.cfg.SessionTimeout,
		StartOffset:    kafka.FirstOffset,
		// A topic created, or partitions added, while running rebalances
		// the group, so that they are consumed without a restart.
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
		MinBytes:               1,
		MaxBytes:               16 << 20,
		MaxWait:                250 * time.Millisecond,
		QueueCapacity:          1024,
		ErrorLogger: kafka.LoggerFunc(func(msg string, args ...any) {
			c.readerErrorLog(id, msg, args...)
		}),
	})
	// A reset ends the session the way a shutdown does.
	sessCtx, endSession := context.WithCancel(ctx)
	defer endSession()
	resetWatch := make(chan struct{})
	go func() {
		defer close(resetWatch)
		select {
		case <-c.resetSignal:
			restart = true
			endSession()
		case <-sessCtx.Done():
		}
	}()
	parent := ctx
	ctx = sessCtx

	jobs := make(chan kafka.Message, c.cfg.Workers*256)
	results := make(chan result, c.cfg.Workers*256)
	var fetchErr error

	var wg sync.WaitGroup
	monitorCtx, stopMonitor := context.WithCancel(context.Background())
	wg.Add(1)
	go func() { defer wg.Done(); c.monitor(monitorCtx, reader) }()

	fetchCtx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	var fetchers, startChecks sync.WaitGroup
	fetchers.Add(1)
	go func() {
		defer fetchers.Done()
		defer close(jobs)
		fetchErr = c.fetch(fetchCtx, reader, jobs, &startChecks)
	}()
	var workers sync.WaitGroup
	for i := 0; i < c.cfg.Workers; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for m := range jobs {
				r := result{src: m}
				if c.cfg.Acked != nil {
					r.started = time.Now()
				}
				r.out = c.proc.Process(m)
				results <- r
			}
		}()
	}
	go func() { workers.Wait(); close(results) }()

	// The publisher outlives ctx: after the fetcher stops it drains what is
	// in flight, within DrainTimeout.
	pubCtx, cancelPub := context.WithCancel(context.Background())
	stopDrainClock := context.AfterFunc(ctx, func() { time.AfterFunc(c.cfg.DrainTimeout, cancelPub) })
	pubErr := c.publishLoop(pubCtx, reader, results)
	stopDrainClock()
	cancelPub()
	// When publishing failed, stop fetching and discard what is in flight:
	// it was not committed, so it is redone by whoever reads next.
	stopFetch()
	go func() {
		for range results {
		}
	}()
	fetchers.Wait()
	startChecks.Wait()
	stopMonitor()
	wg.Wait()
	endSession()
	<-resetWatch
	if restart && pubErr == nil {
		resets, at := c.takeResets()
		// Commits already asked for go out on kafka-go's next commit tick;
		// the reset must come after them, or the higher of the two wins.
		select {
		case <-time.After(time.Until(at.Add(c.cfg.CommitInterval + 100*time.Millisecond))):
		case <-time.After(c.cfg.DrainTimeout):
		}
		c.applyResets(context.Background(), reader, resets)
	}
	closeErr := reader.Close() // flushes the pending commits
	c.joined.Store(false)
	c.metrics.ready.Set(0)

	switch {
	case fetchErr != nil && !errors.Is(fetchErr, context.Canceled):
		return false, fmt.Errorf("fetching: %w", fetchErr)
	case restart && parent.Err() == nil:
		if pubErr != nil {
			// What was in flight is not committed: the next reader redoes it.
			c.log.Warn("publishing what was in flight before a position reset failed; it is redone", "err", pubErr)
		}
		return true, nil
	case pubErr != nil && parent.Err() == nil:
		return false, fmt.Errorf("publishing: %w", pubErr)
	case pubErr != nil:
		return false, fmt.Errorf("draining in-flight posts at shutdown: %w", pubErr)
	case closeErr != nil:
		return false, fmt.Errorf("closing reader: %w", closeErr)
	}
	return false, nil
}

// The wait between fetch attempts after the reader reported an error.
const (
	fetchBackoffMin = 100 * time.Millisecond
	fetchBackoffMax = time.Second
)

func (c *Consumer) fetch(ctx context.Context, reader *kafka.Reader, jobs chan<- kafka.Message, startChecks *sync.WaitGroup) error {
	lagLabels := map[topicPartition]prometheus.Gauge{} // one per partition this process has fetched from
	wait := fetchBackoffMin
	for {
		m, err := reader.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return context.Canceled
			}
			if errors.Is(err, io.EOF) { // the reader was closed
				return err
			}
			// kafka-go's reader reports a broker error after its own
			// retries but keeps reconnecting in the background: an outage
			// is not the end of the stream. /healthz shows it meanwhile.
			// The wait is short: the error may be one partition's, while
			// the others have messages.
			c.metrics.fetchErr.Inc()
			c.noteReaderError(classifyReaderError(err, err.Error()), topicPartition{}, err.Error())
			c.log.Warn("fetch failed; retrying", "in", wait, "err", err)
			msg := err.Error()
			c.fetchErr.Store(&msg)
			select {
			case <-ctx.Done():
				return context.Canceled
			case <-time.After(wait):
			}
			wait = min(wait*2, fetchBackoffMax)
			continue
		}
		wait = fetchBackoffMin
		if c.fetchErr.Load() != nil {
			c.fetchErr.Store(nil)
		}
		c.joined.Store(true)
		c.track.start(m.Topic, m.Partition, m.Offset)
		c.metrics.consumed.WithLabelValues(m.Topic).Inc()
		tp := topicPartition{m.Topic, m.Partition}
		g := lagLabels[tp]
		if g == nil { // the first message of this partition in this process
			g = c.metrics.lag.WithLabelValues(m.Topic, strconv.Itoa(m.Partition))
			lagLabels[tp] = g
			// Its records below may have been deleted by retention before
			// the group read them, and kafka-go then starts at the log start
			// without a word (a skip while running is reported through
			// readerErrorLog). Checked aside, off the fetch path.
			if c.cfg.Client != nil {
				startChecks.Add(1)
				go func() {
					defer startChecks.Done()
					c.checkSkipped(ctx, tp, m.Offset)
				}()
			}
		}
		if lag := m.HighWaterMark - m.Offset - 1; lag >= 0 {
			g.Set(float64(lag))
		}
		select {
		case jobs <- m:
		case <-ctx.Done():
			return context.Canceled
		}
	}
}

// publishLoop batches results and hands the batches to Publishers
// goroutines, so that several batches are on the wire at once. Each
// publisher publishes its batch, then marks the source offsets done and
// commits the partitions whose commit point moved; the tracker keeps the
// commit point below any batch still in flight, whatever order they finish in.
func (c *Consumer) publishLoop(ctx context.Context, reader *kafka.Reader, results <-chan result) error {
	batches := make(chan []result, c.cfg.Publishers)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	failed := make(chan struct{})
	for i := 0; i < c.cfg.Publishers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]kafka.Message, 0, c.cfg.BatchSize)
			for batch := range batches {
				if err := c.publishBatch(ctx, reader, batch, out); err != nil {
					errOnce.Do(func() { firstErr = err; close(failed) })
					return
				}
			}
		}()
	}
	send := func(batch []result) bool {
		select {
		case batches <- batch:
			return true
		case <-failed:
			return false
		}
	}
	batch := make([]result, 0, c.cfg.BatchSize)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
loop:
	for {
		select {
		case r, ok := <-results:
			if !ok {
				if len(batch) > 0 {
					send(batch)
				}
				break loop
			}
			if len(batch) == 0 {
				timer.Reset(c.cfg.Linger)
			}
			batch = append(batch, r)
			if len(batch) >= c.cfg.BatchSize {
				timer.Stop()
				if !send(batch) {
					break loop
				}
				batch = make([]result, 0, c.cfg.BatchSize)
			}
		case <-timer.C:
			if len(batch) > 0 {
				if !send(batch) {
					break loop
				}
				batch = make([]result, 0, c.cfg.BatchSize)
			}
		case <-failed:
			break loop
		}
	}
	close(batches)
	wg.Wait()
	return firstErr
}

func (c *Consumer) publishBatch(ctx context.Context, reader *kafka.Reader, batch []result, out []kafka.Message) error {
	out = out[:0]
	for _, r := range batch {
		out = append(out, r.out)
	}
	if err := c.pub.Publish(ctx, out); err != nil {
		return err
	}
	if c.cfg.Acked != nil {
		for _, r := range batch {
			c.cfg.Acked(r.src, r.started)
		}
	}
	commits := map[topicPartition]kafka.Message{}
	for _, r := range batch {
		if off, moved := c.track.finish(r.src.Topic, r.src.Partition, r.src.Offset); moved {
			commits[topicPartition{r.src.Topic, r.src.Partition}] = kafka.Message{Topic: r.src.Topic, Partition: r.src.Partition, Offset: off}
		}
	}
	if len(commits) == 0 {
		return nil
	}
	msgs := make([]kafka.Message, 0, len(commits))
	for _, m := range commits {
		msgs = append(msgs, m)
	}
	if err := reader.CommitMessages(ctx, msgs...); err != nil {
		// Not fatal: the next commit covers these offsets, and an
		// uncommitted post is redone, never lost.
		c.log.Warn("commit failed; will be covered by the next one", "err", err)
	}
	return nil
}

// monitor keeps /healthz and the ready gauge current, and the lag gauge
// while the broker answers.
func (c *Consumer) monitor(ctx context.Context, reader *kafka.Reader) {
	tick := time.NewTicker(c.cfg.ProbeInterval)
	defer tick.Stop()
	var joinedOnce bool
	var unassignedSince time.Time
	for {
		if !joinedOnce && reader.Stats().Rebalances > 0 {
			joinedOnce = true
			c.joined.Store(true)
		}
		if c.check(ctx) == "" && c.cfg.Client != nil {
			c.refreshLag(ctx)
			c.checkAssignment(ctx, &unassignedSince)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// awaitTopics checks every ProbeInterval until the broker answers and every
// topic exists, so that the group is joined with the input topics' partitions
// to assign (a topic created after the join would wait for the next
// rebalance). It returns false when ctx ends first.
func (c *Consumer) awaitTopics(ctx context.Context) bool {
	tick := time.NewTicker(c.cfg.ProbeInterval)
	defer tick.Stop()
	for c.check(ctx) != "" {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
	return true
}

// check probes the broker and, when Client is set, the topics; it records
// the outcome for /healthz and the ready gauge, logs a change, and returns
// the problem ("" when there is none).
func (c *Consumer) check(ctx context.Context) string {
	dialer := c.cfg.Dialer
	if dialer == nil {
		dialer = &kafka.Dialer{Timeout: 5 * time.Second}
	}
	problem := c.probe(ctx, dialer)
	if problem == "" && c.cfg.Client != nil {
		problem = c.missingTopics(ctx)
	}
	if ctx.Err() != nil {
		return problem // shutting down: the probe failed for that reason
	}
	if was := *c.problem.Load(); problem != was {
		if problem == "" {
			c.log.Info("broker reachable, topics exist")
		} else {
			c.log.Warn("not ready", "reason", problem)
		}
	}
	c.problem.Store(&problem)
	if c.NotReady() == "" {
		c.metrics.ready.Set(1)
	} else {
		c.metrics.ready.Set(0)
	}
	return problem
}

// checkSkipped reports the records of a partition deleted by retention before
// the group read them, when this process started the partition at offset got:
// those from the group's committed offset to the log start. It says nothing
// when nothing was committed (a new group starts at the log start by design)
// or when the group's offset cannot be read.
func (c *Consumer) checkSkipped(ctx context.Context, tp topicPartition, got int64) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := c.cfg.Client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: c.cfg.GroupID, Topics: map[string][]int{tp.topic: {tp.partition}}})
	if err == nil {
		err = res.Error
	}
	from := int64(-1)
	if err == nil {
		for _, p := range res.Topics[tp.topic] {
			if p.Partition == tp.partition {
				from, err = p.CommittedOffset, p.Error
			}
		}
	}
	if err != nil || from < 0 || got <= from {
		if err != nil && ctx.Err() == nil {
			c.log.Debug("could not read the group's offset to check for deleted records", "topic", tp.topic, "partition", tp.partition, "err", err)
		}
		return
	}
	offs, err := c.cfg.Client.ListOffsets(ctx, &kafka.ListOffsetsRequest{
		Topics: map[string][]kafka.OffsetRequest{tp.topic: {kafka.FirstOffsetOf(tp.partition)}}})
	if err != nil {
		if ctx.Err() == nil {
			c.log.Debug("could not read the log start to check for deleted records", "topic", tp.topic, "partition", tp.partition, "err", err)
		}
		return
	}
	for _, p := range offs.Topics[tp.topic] {
		if p.Partition == tp.partition && p.Error == nil && from < p.FirstOffset {
			c.skippedRecords(tp.topic, tp.partition, from, min(got, p.FirstOffset))
		}
	}
}

// skippedRecords counts and logs the records [from, to) of a partition that
// were deleted before they were read.
func (c *Consumer) skippedRecords(topic string, partition int, from, to int64) {
	c.metrics.skipped.WithLabelValues(topic).Add(float64(to - from))
	c.log.Warn("input records were deleted by retention before they were consumed; resumed at the log start",
		"topic", topic, "partition", partition, "group_offset", from, "log_start", to, "skipped", to-from)
}

// kafkaSkipFormat is the message kafka-go's reader (v0.4.51, reader.go) logs to
// its ErrorLogger when it finds, while running, that the records it was about
// to read were deleted; its arguments are partition (int), topic, from (a
// kafka-go offset type), to and count (int64).
// TestKafkaSkipFormat checks it against the kafka-go source in use.
const kafkaSkipFormat = "the kafka reader is reading before the first offset for partition %d of %s, skipping from offset %d to %d (%d messages)"

// refreshLag sets the lag of every partition this member has fetched from:
// its end offset minus its lowest offset not yet done, so that posts stuck
// in flight (say, while the output topic is down) count as lag.
func (c *Consumer) refreshLag(ctx context.Context) {
	pos := c.track.positions()
	if len(pos) == 0 {
		return
	}
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for tp := range pos {
		req.Topics[tp.topic] = append(req.Topics[tp.topic], kafka.LastOffsetOf(tp.partition))
	}
	lctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := c.cfg.Client.ListOffsets(lctx, req)
	if err != nil {
		return
	}
	for topic, parts := range res.Topics {
		for _, p := range parts {
			tp := topicPartition{topic, p.Partition}
			next, ok := pos[tp]
			if p.Error != nil || !ok {
				continue
			}
			// A position past the partition's end is negative lag: a signal
			// (the topic was recreated, the reader is stuck), never shown as 0.
			lag := p.LastOffset - next
			c.metrics.lag.WithLabelValues(topic, strconv.Itoa(p.Partition)).Set(float64(lag))
			if lag < 0 {
				c.issues.note(issueKey{ReasonOffsetOutOfRange, tp},
					fmt.Sprintf("position %d is past the partition's end %d", next, p.LastOffset), time.Now())
			}
		}
	}
}

// probe dials the brokers until one answers a metadata request; it returns
// "" when one does, else why none did.
func (c *Consumer) probe(ctx context.Context, dialer *kafka.Dialer) string {
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var lastErr error
	for _, b := range c.cfg.Brokers {
		conn, err := dialer.DialContext(pctx, "tcp", b)
		if err != nil {
			lastErr = err
			continue
		}
		_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
		_, err = conn.Brokers()
		conn.Close()
		if err == nil {
			return ""
		}
		lastErr = err
	}
	return fmt.Sprintf("the broker is unreachable: %v", lastErr)
}

// missingTopics asks the cluster for the input and required topics, without
// creating any; it returns "" when all exist, else which do not.
func (c *Consumer) missingTopics(ctx context.Context) string {
	topics := append(append([]string{}, c.cfg.Topics...), c.cfg.RequiredTopics...)
	mctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := c.cfg.Client.Metadata(mctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return fmt.Sprintf("asking the broker for the topics: %v", err)
	}
	// The answer comes from the client's metadata cache, which lists all the
	// topics the user may describe: a topic hidden by ACLs looks missing.
	var missing []string
	for _, t := range res.Topics {
		if t.Error != nil {
			missing = append(missing, t.Name)
		}
	}
	if len(missing) > 0 {
		return "topics missing on the cluster (or hidden from this user): " + strings.Join(missing, ", ")
	}
	return ""
}
