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
	"strings"
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
	// HeaderDropped is set on a dead letter whose key, value and own headers
	// were dropped because the record was larger than Kafka accepts; it says
	// how large they were. The original stays at the source offset.
	HeaderDropped = "outsidein-dlq-dropped"
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
	// BatchBytes is the largest request kafka-go sends to one partition, and
	// so the largest record (0: 1,000,000, under Kafka's default
	// max.message.bytes of 1,048,588 with room for the batch's framing). It
	// must not exceed the topics' max.message.bytes: the broker rejects a
	// larger batch whole.
	BatchBytes int64
	// MaxBackoff caps the wait between retries (0: 5 s).
	MaxBackoff time.Duration
	Logger     *slog.Logger
}

// Writer publishes batches of messages, each to its own Topic.
type Writer struct {
	w *kafka.Writer
	// single sends batches of exactly one message: w mixes the messages of
	// concurrent calls in one partition batch, so a refusal from w does not
	// say which message was too large.
	single  *kafka.Writer
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
	if cfg.BatchBytes <= 0 {
		cfg.BatchBytes = 1_000_000
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	// kafka-go allocates BatchSize messages for every partition batch it
	// starts; the caller batches already, so keep this small.
	return &Writer{w: newKafkaWriter(cfg, cfg.PartitionBatch), single: newKafkaWriter(cfg, 1), cfg: cfg, metrics: m}
}

func newKafkaWriter(cfg Config, batchSize int) *kafka.Writer {
	w := &kafka.Writer{
		Addr:         kafka.TCP(cfg.Brokers...),
		Balancer:     &kafka.Hash{},
		BatchSize:    batchSize,
		BatchBytes:   cfg.BatchBytes,
		BatchTimeout: cfg.BatchTimeout,
		RequiredAcks: kafka.RequireAll,
		MaxAttempts:  3,
	}
	if cfg.Transport != nil {
		w.Transport = cfg.Transport
	}
	return w
}

// Publish writes msgs and returns nil once the broker acknowledged all of
// them. Failures are retried with exponential backoff (only the messages that
// failed) until ctx ends, when it returns ctx's error. A dead letter too
// large for Kafka is published without its payload (see Shrink), so that it
// cannot block its partition; a classified record too large keeps being
// retried (the caller keeps them under BatchBytes: process.Stage's
// MaxRecordBytes).
func (w *Writer) Publish(ctx context.Context, msgs []kafka.Message) error {
	backoff := 50 * time.Millisecond
	pending := msgs
	owned := false // pending is our own copy, not the caller's slice
	for {
		for i := range pending {
			if RecordSize(pending[i]) > w.cfg.BatchBytes && pending[i].Topic != w.cfg.OutputTopic {
				if !owned {
					pending, owned = append([]kafka.Message(nil), pending...), true
				}
				pending[i] = w.shrink(pending[i], fmt.Errorf("larger than the %d bytes a request may carry", w.cfg.BatchBytes))
			}
		}
		err := w.w.WriteMessages(ctx, pending...)
		if err == nil {
			w.count(pending)
			return nil
		}
		var werrs kafka.WriteErrors
		if errors.As(err, &werrs) && len(werrs) == len(pending) {
			var failed []kafka.Message
			fresh := 0 // dead letters shrunk in this round: sent again at once
			var done []kafka.Message
			for i, e := range werrs {
				switch {
				case e == nil:
					done = append(done, pending[i])
				case errors.Is(e, kafka.MessageSizeTooLarge) && !hasDropped(pending[i]):
					// The broker refused the batch it was in: try the
					// message on its own, and shrink a dead letter that is
					// still too large.
					err := w.single.WriteMessages(ctx, pending[i])
					switch {
					case err == nil:
						done = append(done, pending[i])
					case tooLarge(err) && pending[i].Topic != w.cfg.OutputTopic:
						failed = append(failed, w.shrink(pending[i], err))
						fresh++
					default:
						failed = append(failed, pending[i])
					}
				default:
					failed = append(failed, pending[i])
				}
			}
			w.count(done)
			pending, owned = failed, true
			if len(pending) == 0 {
				return nil
			}
			if fresh == len(pending) {
				continue
			}
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

func (w *Writer) shrink(m kafka.Message, cause error) kafka.Message {
	out := Shrink(m)
	w.cfg.Logger.Warn("dead letter too large for Kafka: published without its payload; the original stays at its source offset",
		"bytes", RecordSize(m), "source", fmt.Sprintf("%s/%s/%s", header(m, HeaderSourceTopic), header(m, HeaderSourcePartition), header(m, HeaderSourceOffset)),
		"err", cause)
	return out
}

// RecordSize is an upper bound of the bytes m takes in a Kafka record batch.
func RecordSize(m kafka.Message) int64 {
	n := int64(len(m.Key) + len(m.Value) + 32)
	for _, h := range m.Headers {
		n += int64(len(h.Key) + len(h.Value) + 10)
	}
	return n
}

// Shrink returns dead letter m without its key, value and the source's
// headers: only outsidein's headers (reason, error, source topic, partition
// and offset) and HeaderDropped, which says how large the rest was.
func Shrink(m kafka.Message) kafka.Message {
	// DeadLetter's own headers come first, and the source's are renamed
	// when named like them.
	var headers []kafka.Header
	for _, h := range m.Headers {
		switch h.Key {
		case HeaderReason, HeaderSourceTopic, HeaderSourcePartition, HeaderSourceOffset, HeaderError:
			headers = append(headers, h)
		}
	}
	dropped := fmt.Sprintf("key %d bytes, value %d bytes, %d headers: the record was larger than Kafka accepts", len(m.Key), len(m.Value), len(m.Headers)-len(headers))
	headers = append(headers, kafka.Header{Key: HeaderDropped, Value: []byte(dropped)})
	return kafka.Message{Topic: m.Topic, Headers: headers}
}

// tooLarge reports whether err, or any of its write errors, is the broker's
// MessageSizeTooLarge.
func tooLarge(err error) bool {
	var werrs kafka.WriteErrors
	if errors.As(err, &werrs) {
		for _, e := range werrs {
			if errors.Is(e, kafka.MessageSizeTooLarge) {
				return true
			}
		}
	}
	return errors.Is(err, kafka.MessageSizeTooLarge)
}

// hasDropped reports whether m is a dead letter Shrink made: its last header
// is HeaderDropped (a source header of that name is renamed by DeadLetter).
func hasDropped(m kafka.Message) bool {
	return len(m.Headers) > 0 && m.Headers[len(m.Headers)-1].Key == HeaderDropped
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func (w *Writer) count(msgs []kafka.Message) {
	for _, m := range msgs {
		if m.Topic == w.cfg.OutputTopic {
			w.metrics.published.WithLabelValues(m.Topic).Inc()
			continue
		}
		reason := "undecodable"
		if r := header(m, HeaderReason); r != "" {
			reason = r
		}
		w.metrics.deadLetters.WithLabelValues(reason).Inc()
	}
}

// Close flushes and closes the underlying kafka-go writer.
func (w *Writer) Close() error { return errors.Join(w.w.Close(), w.single.Close()) }

// OriginalPrefix is put before the name of a source header that is named
// like outsidein's own (outsidein-...), so that a dead letter's outsidein-
// headers are only ever the ones DeadLetter wrote.
const OriginalPrefix = "x-original-"

// DeadLetter builds the dead-letter message for src: its key and value
// unchanged; first headers naming the reason and the source, then src's
// headers, those named like outsidein's renamed with OriginalPrefix (a post
// could otherwise carry a forged outsidein-dlq-reason that a consumer reads
// first).
func DeadLetter(topic string, src kafka.Message, reason string, cause error) kafka.Message {
	headers := make([]kafka.Header, 0, len(src.Headers)+5)
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
	for _, h := range src.Headers {
		if len(h.Key) >= len(ownPrefix) && strings.EqualFold(h.Key[:len(ownPrefix)], ownPrefix) {
			h.Key = OriginalPrefix + h.Key
		}
		headers = append(headers, h)
	}
	return kafka.Message{Topic: topic, Key: src.Key, Value: src.Value, Headers: headers}
}

// ownPrefix starts the names of the headers outsidein writes.
const ownPrefix = "outsidein-"
