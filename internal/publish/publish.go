// Package publish writes outsidein's records to Kafka: classified mentions to
// the output topic and rejected messages to the dead-letter topic, retrying
// with backoff until the broker acknowledges them.
package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/segmentio/kafka-go"
)

// Dead-letter headers: the reason and where the message was read from.
const (
	HeaderReason          = "outsidein-dlq-reason"
	HeaderError           = "outsidein-dlq-error"
	HeaderSourceTopic     = "outsidein-source-topic"
	HeaderSourcePartition = "outsidein-source-partition"
	HeaderSourceOffset    = "outsidein-source-offset"
)

// Metrics are the publisher's Prometheus metrics.
type Metrics struct {
	published   *prometheus.CounterVec
	deadLetters *prometheus.CounterVec
	retries     prometheus.Counter
}

// NewMetrics registers the publisher's metrics with reg; reasons are the
// dead-letter reasons whose series start at zero.
func NewMetrics(reg prometheus.Registerer, reasons []string) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		published: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_published_total",
			Help: "Classified mentions acknowledged by the broker on the output topic."}, []string{"topic"}),
		deadLetters: f.NewCounterVec(prometheus.CounterOpts{Name: "outsidein_dead_letters_total",
			Help: "Rejected messages acknowledged on the dead-letter topic, by reason."}, []string{"reason"}),
		retries: f.NewCounter(prometheus.CounterOpts{Name: "outsidein_publish_retries_total",
			Help: "Publish attempts that failed and were retried."}),
	}
	for _, r := range reasons {
		m.deadLetters.WithLabelValues(r)
	}
	return m
}

// Config configures a Writer.
type Config struct {
	Brokers   []string
	Transport *kafka.Transport // TLS/SASL; nil for a plain connection
	// OutputTopic is counted as published; every other topic as dead letters.
	OutputTopic string
	// BatchTimeout bounds how long kafka-go waits to fill a partition batch
	// (0: 2 ms; the caller already batches).
	BatchTimeout time.Duration
	// PartitionBatch is the most messages kafka-go sends to one partition in
	// one request (0: 256).
	PartitionBatch int
	// MaxBackoff caps the wait between retries (0: 5 s).
	MaxBackoff time.Duration
	Logger     *slog.Logger
}

// Writer publishes batches of messages, each to its own Topic.
type Writer struct {
	w       *kafka.Writer
	cfg     Config
	metrics *Metrics
}

// NewWriter returns a Writer; it connects on first use.
func NewWriter(cfg Config, m *Metrics) *Writer {
	if cfg.BatchTimeout <= 0 {
		cfg.BatchTimeout = 2 * time.Millisecond
	}
	if cfg.PartitionBatch <= 0 {
		cfg.PartitionBatch = 256
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	w := &kafka.Writer{
		Addr:     kafka.TCP(cfg.Brokers...),
		Balancer: &kafka.Hash{},
		// kafka-go allocates BatchSize messages for every partition batch it
		// starts; the caller batches already, so keep this small.
		BatchSize:    cfg.PartitionBatch,
		BatchBytes:   8 << 20,
		BatchTimeout: cfg.BatchTimeout,
		RequiredAcks: kafka.RequireAll,
		MaxAttempts:  3,
	}
	if cfg.Transport != nil {
		w.Transport = cfg.Transport
	}
	return &Writer{w: w, cfg: cfg, metrics: m}
}

// Publish writes msgs and returns nil once the broker acknowledged all of
// them. Failures are retried with exponential backoff (only the messages that
// failed) until ctx ends, when it returns ctx's error.
func (w *Writer) Publish(ctx context.Context, msgs []kafka.Message) error {
	backoff := 50 * time.Millisecond
	pending := msgs
	for {
		err := w.w.WriteMessages(ctx, pending...)
		if err == nil {
			w.count(pending)
			return nil
		}
		var werrs kafka.WriteErrors
		if errors.As(err, &werrs) && len(werrs) == len(pending) {
			var failed []kafka.Message
			var done []kafka.Message
			for i, e := range werrs {
				if e != nil {
					failed = append(failed, pending[i])
				} else {
					done = append(done, pending[i])
				}
			}
			w.count(done)
			pending = failed
		}
		if ctx.Err() != nil {
			return fmt.Errorf("publishing %d messages: %w", len(pending), ctx.Err())
		}
		w.metrics.retries.Inc()
		w.cfg.Logger.Warn("publish failed, retrying", "messages", len(pending), "backoff", backoff, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("publishing %d messages: %w", len(pending), ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, w.cfg.MaxBackoff)
	}
}

func (w *Writer) count(msgs []kafka.Message) {
	for _, m := range msgs {
		if m.Topic == w.cfg.OutputTopic {
			w.metrics.published.WithLabelValues(m.Topic).Inc()
			continue
		}
		reason := "undecodable"
		for _, h := range m.Headers {
			if h.Key == HeaderReason {
				reason = string(h.Value)
			}
		}
		w.metrics.deadLetters.WithLabelValues(reason).Inc()
	}
}

// Close flushes and closes the underlying kafka-go writer.
func (w *Writer) Close() error { return w.w.Close() }

// DeadLetter builds the dead-letter message for src: its key, value and
// headers unchanged, plus headers naming the reason and the source.
func DeadLetter(topic string, src kafka.Message, reason string, cause error) kafka.Message {
	headers := make([]kafka.Header, 0, len(src.Headers)+5)
	headers = append(headers, src.Headers...)
	headers = append(headers,
		kafka.Header{Key: HeaderReason, Value: []byte(reason)},
		kafka.Header{Key: HeaderSourceTopic, Value: []byte(src.Topic)},
		kafka.Header{Key: HeaderSourcePartition, Value: []byte(strconv.Itoa(src.Partition))},
		kafka.Header{Key: HeaderSourceOffset, Value: []byte(strconv.FormatInt(src.Offset, 10))},
	)
	if cause != nil {
		msg := cause.Error()
		if len(msg) > 512 {
			msg = msg[:512]
		}
		headers = append(headers, kafka.Header{Key: HeaderError, Value: []byte(msg)})
	}
	return kafka.Message{Topic: topic, Key: src.Key, Value: src.Value, Headers: headers}
}
