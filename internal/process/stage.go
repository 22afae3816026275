// Package process is the per-post stage of the pipeline: decode and validate
// a Kafka message, find its brand, classify it, count it, and build the
// output record, or the dead letter when the message is bad.
package process

import (
	"fmt"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/motive"
	"github.com/outsidein/outsidein/internal/publish"
	"github.com/outsidein/outsidein/internal/wire"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Classifier tags a post's text.
type Classifier interface {
	Classify(text string) classify.Result
}

// Counter records a classified post; brand and channel come from Labels.
type Counter interface {
	Labels(brand, channel string) (string, string)
	Record(brand, channel string, m motive.Motive, complaint bool, classifyTime, age time.Duration)
}

// Stage implements the pipeline's Processor.
type Stage struct {
	Classifier  Classifier
	Brands      *brands.Catalog
	Counter     Counter
	Encoder     wire.Encoder
	Limits      wire.Limits
	OutputTopic string
	DLQTopic    string
	// MaxRecordBytes is the largest classified record (publish.RecordSize)
	// sent to the output topic; a larger one is dead-lettered as
	// record_too_large (0: no limit).
	MaxRecordBytes int64
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Process returns the message to publish for src: the encoded
// ClassifiedMention on the output topic, or src unchanged on the dead-letter
// topic with headers naming the reason.
func (s *Stage) Process(src kafka.Message) (out kafka.Message) {
	defer func() {
		if r := recover(); r != nil {
			out = publish.DeadLetter(s.DLQTopic, src, wire.ReasonProcessingFailed, fmt.Errorf("panic: %v", r))
		}
	}()
	m, err := wire.Decode(header(src, "content-type"), src.Value, s.Limits)
	if err != nil {
		return publish.DeadLetter(s.DLQTopic, src, wire.Reason(err), err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	m.Brand = s.Brands.Resolve(m.GetBrand(), m.GetText())
	m.Channel = strings.ToLower(strings.TrimSpace(m.GetChannel()))
	if m.Channel == "" {
		m.Channel = "unknown"
	}
	start := now()
	r := s.Classifier.Classify(m.GetText())
	done := now()
	rec := &pb.ClassifiedMention{
		Mention: m,
		Classification: &pb.Classification{
			Motive:       r.Motive.Proto(),
			Complaint:    r.Complaint,
			Confidence:   r.Confidence,
			Sentiment:    r.Sentiment,
			ModelVersion: r.Model,
			Lang:         r.Lang,
		},
		ProcessedAt:     timestamppb.New(done),
		SourceTopic:     src.Topic,
		SourcePartition: int32(src.Partition),
		SourceOffset:    src.Offset,
	}
	value, err := s.Encoder.Encode(rec)
	if err != nil {
		return publish.DeadLetter(s.DLQTopic, src, wire.ReasonUndecodable, err)
	}
	key := src.Key
	if len(key) == 0 && m.GetId() != "" {
		key = []byte(m.GetId())
	}
	out = kafka.Message{
		Topic:   s.OutputTopic,
		Key:     key,
		Value:   value,
		Headers: []kafka.Header{{Key: "content-type", Value: []byte(s.Encoder.ContentType())}},
	}
	if n := publish.RecordSize(out); s.MaxRecordBytes > 0 && n > s.MaxRecordBytes {
		return publish.DeadLetter(s.DLQTopic, src, wire.ReasonRecordTooLarge,
			fmt.Errorf("the classified record would take %d bytes, more than the %d of --max-record-bytes", n, s.MaxRecordBytes))
	}
	created := src.Time
	if ts := m.GetCreatedAt(); ts != nil {
		created = ts.AsTime()
	}
	age := time.Duration(-1)
	if !created.IsZero() {
		age = done.Sub(created)
	}
	brand, channel := s.Counter.Labels(m.Brand, m.Channel)
	s.Counter.Record(brand, channel, r.Motive, r.Complaint, done.Sub(start), age)
	return out
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if strings.EqualFold(h.Key, key) {
			return string(h.Value)
		}
	}
	return ""
}
