package publish_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/publish"
)

// TestPublishSizes publishes records around the request size limit to an
// embedded broker: a dead letter over it goes out without its payload, one
// under it whole, and a classified record over it is never shrunk.
func TestPublishSizes(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Partitions: 1})
	const limit = 4000
	src := kafka.Message{Topic: "mentions", Partition: 0, Offset: 7, Key: []byte("k"),
		Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
	dead := func(textBytes int) kafka.Message {
		m := src
		m.Value = []byte(strings.Repeat("x", textBytes))
		return publish.DeadLetter("mentions.dlq", m, "text_too_large", errors.New("text of 9000 bytes exceeds the limit"))
	}
	// A source that carries outsidein's own header names, one of them huge.
	forged := src
	forged.Value = []byte("x")
	forged.Headers = append(forged.Headers, kafka.Header{Key: publish.HeaderError, Value: make([]byte, 9000)},
		kafka.Header{Key: publish.HeaderDropped, Value: []byte("forged")})
	forgedDead := publish.DeadLetter("mentions.dlq", forged, "undecodable", errors.New("not JSON"))
	cases := []struct {
		name    string
		msg     kafka.Message
		wantErr bool // Publish still retrying when its context ends
		topic   string
		dropped bool
		value   int
	}{
		{"dead letter under the limit", dead(3000), false, "mentions.dlq", false, 3000},
		{"dead letter over the limit", dead(9000), false, "mentions.dlq", true, 0},
		{"dead letter over the limit in the source's headers named like outsidein's", forgedDead, false, "mentions.dlq", true, 0},
		{"classified record over the limit", kafka.Message{Topic: "mentions.classified", Value: make([]byte, 9000)}, true, "mentions.classified", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(kafkatest.ReadAll(t, b.Addr(), tc.topic))
			w := publish.NewWriter(publish.Config{Brokers: []string{b.Addr()}, OutputTopic: "mentions.classified", BatchBytes: limit,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, publish.NewMetrics(prometheus.NewRegistry(), nil))
			defer w.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := w.Publish(ctx, []kafka.Message{tc.msg})
			if (err != nil) != tc.wantErr {
				t.Fatalf("Publish = %v, want error %v", err, tc.wantErr)
			}
			got := kafkatest.ReadAll(t, b.Addr(), tc.topic)[before:]
			if tc.wantErr {
				if len(got) != 0 {
					t.Fatalf("%d records written, want none", len(got))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d records written, want 1", len(got))
			}
			m := got[0]
			d := header(m, publish.HeaderDropped)
			if (d != "") != tc.dropped || len(m.Value) != tc.value {
				t.Fatalf("record: value %d bytes, %s=%q; want value %d bytes, dropped %v", len(m.Value), publish.HeaderDropped, d, tc.value, tc.dropped)
			}
			for _, k := range []string{publish.HeaderReason, publish.HeaderSourceTopic, publish.HeaderSourcePartition, publish.HeaderSourceOffset, publish.HeaderError} {
				if header(m, k) == "" {
					t.Errorf("header %s missing", k)
				}
			}
			if tc.dropped && (header(m, "content-type") != "" || len(m.Key) != 0 || len(m.Headers) != 6) {
				t.Errorf("shrunk dead letter kept the source's key or headers: %d headers", len(m.Headers))
			}
		})
	}
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// TestDeadLetterHeaders: a dead letter carries outsidein's own headers once
// and first; a source header named like one of them (a forged
// outsidein-dlq-reason, say) is kept, renamed x-original-..., after them.
func TestDeadLetterHeaders(t *testing.T) {
	tests := []struct {
		name   string
		source []kafka.Header
		want   []string // header keys of the dead letter, in order
	}{
		{"plain", []kafka.Header{{Key: "content-type", Value: []byte("application/json")}},
			[]string{publish.HeaderReason, publish.HeaderSourceTopic, publish.HeaderSourcePartition, publish.HeaderSourceOffset, publish.HeaderError, "content-type"}},
		{"forged reason and offset", []kafka.Header{{Key: "outsidein-dlq-reason", Value: []byte("none_fake")},
			{Key: "content-type", Value: []byte("application/json")}, {Key: "Outsidein-Source-Offset", Value: []byte("12345")}},
			[]string{publish.HeaderReason, publish.HeaderSourceTopic, publish.HeaderSourcePartition, publish.HeaderSourceOffset, publish.HeaderError,
				"x-original-outsidein-dlq-reason", "content-type", "x-original-Outsidein-Source-Offset"}},
		{"no headers", nil,
			[]string{publish.HeaderReason, publish.HeaderSourceTopic, publish.HeaderSourcePartition, publish.HeaderSourceOffset, publish.HeaderError}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := kafka.Message{Topic: "mentions", Partition: 2, Offset: 7, Value: []byte("{}"), Headers: tc.source}
			m := publish.DeadLetter("mentions.dlq", src, "empty_text", errors.New("no text"))
			var keys []string
			for _, h := range m.Headers {
				keys = append(keys, h.Key)
			}
			if strings.Join(keys, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("headers %q, want %q", keys, tc.want)
			}
			if header(m, publish.HeaderReason) != "empty_text" || header(m, publish.HeaderSourceOffset) != "7" {
				t.Errorf("first reason %q offset %q, want empty_text and 7", header(m, publish.HeaderReason), header(m, publish.HeaderSourceOffset))
			}
			s := publish.Shrink(m)
			var own []string
			for _, h := range s.Headers {
				own = append(own, h.Key)
			}
			if want := []string{publish.HeaderReason, publish.HeaderSourceTopic, publish.HeaderSourcePartition, publish.HeaderSourceOffset, publish.HeaderError, publish.HeaderDropped}; strings.Join(own, " ") != strings.Join(want, " ") {
				t.Errorf("shrunk headers %q, want %q", own, want)
			}
		})
	}
}
