package ingest

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
)

// TestKafkaFormats checks that the kafka-go in use still logs a partition
// reader stuck past its partition's end with the formats and arguments
// readerErrorLog recognises: after an upgrade that changed them, the stall
// would go unnoticed again.
func TestKafkaFormats(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/segmentio/kafka-go").Output()
	if err != nil {
		t.Fatalf("locating kafka-go's source: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "reader.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`log.Printf("` + kafkaInitErrorFormat + `", r.partition, r.topic, err)`,
		`log.Printf("` + kafkaPastEndFormat + `", r.partition, r.topic, toHumanOffset(offset))`,
	} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("kafka-go's reader.go no longer has\n  %s\nupdate readerErrorLog", want)
		}
	}
}

func TestClassifyReaderError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		text string
		want string
	}{
		{"offset out of range", kafka.OffsetOutOfRange, "", ReasonOffsetOutOfRange},
		{"wrapped unknown topic", fmt.Errorf("fetching: %w", kafka.UnknownTopicOrPartition), "", ReasonUnknownTopic},
		{"group not authorized", kafka.GroupAuthorizationFailed, "", ReasonAuthorization},
		{"topic not authorized", kafka.TopicAuthorizationFailed, "", ReasonAuthorization},
		{"dial text", nil, "dial tcp 127.0.0.1:9092: connect: connection refused", ReasonUnreachable},
		{"past the end text", nil, "the kafka reader is reading passed the last offset for partition 3 of mentions at offset 500", ReasonOffsetOutOfRange},
		{"anything else", nil, "something odd", ReasonOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.text
			if text == "" {
				text = tc.err.Error()
			}
			if got := classifyReaderError(tc.err, text); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// An error reported for longer than the grace makes the consumer not ready,
// with the reason; a passing one does not; an old one is forgotten.
func TestReaderIssuesReachHealth(t *testing.T) {
	var s issues
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	k := issueKey{ReasonOffsetOutOfRange, topicPartition{"mentions", 3}}
	s.note(k, "Offset Out Of Range", t0)
	if got := s.persistent(t0.Add(time.Second), 10*time.Second); got != "" {
		t.Errorf("after one error: %q, want nothing yet", got)
	}
	for i := 1; i <= 12; i++ {
		s.note(k, "Offset Out Of Range", t0.Add(time.Duration(i)*time.Second))
	}
	got := s.persistent(t0.Add(12*time.Second), 10*time.Second)
	if !strings.Contains(got, "offset_out_of_range on mentions[3] for 12s") {
		t.Errorf("after 12 s of errors: %q", got)
	}
	if got := s.persistent(t0.Add(23*time.Second), 10*time.Second); got != "" {
		t.Errorf("11 s after the last error: %q, want it cleared", got)
	}
}

// An offset-out-of-range report from the running reader asks for a reset of
// its partition once, forgets the partition's offsets in flight, and is
// counted; one from an earlier reader only counts.
func TestOffsetOutOfRangeAsksForReset(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	c, err := New(Config{Brokers: []string{"b:9092"}, GroupID: "g", Topics: []string{"mentions"},
		Logger: slog.New(slog.DiscardHandler)}, nil, nil, m)
	if err != nil {
		t.Fatal(err)
	}
	c.session.Store(2)
	c.track.start("mentions", 3, 500)
	c.readerErrorLog(1, kafkaInitErrorFormat, 3, "mentions", kafka.OffsetOutOfRange)
	if len(c.resets) != 0 {
		t.Fatalf("a report from an earlier reader asked for a reset: %v", c.resets)
	}
	for range 3 {
		c.readerErrorLog(2, kafkaInitErrorFormat, 3, "mentions", kafka.OffsetOutOfRange)
	}
	if !c.resets[topicPartition{"mentions", 3}] || len(c.resetSignal) != 1 {
		t.Fatalf("resets %v, signals %d; want mentions[3] once", c.resets, len(c.resetSignal))
	}
	if _, moved := c.track.finish("mentions", 3, 500); moved {
		t.Error("an offset fetched before the reset still moves the commit point")
	}
	if got := testutil.ToFloat64(m.readerErrors.WithLabelValues(ReasonOffsetOutOfRange)); got != 4 {
		t.Errorf("outsidein_reader_errors_total{reason=offset_out_of_range} = %v, want 4", got)
	}
}
