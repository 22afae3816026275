package ingest

import (
	"bytes"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestKafkaSkipFormat checks that the kafka-go in use still logs a skip over
// deleted records with the format and arguments readerErrorLog counts: after
// an upgrade that changed them, the skips would only be logged.
func TestKafkaSkipFormat(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/segmentio/kafka-go").Output()
	if err != nil {
		t.Fatalf("locating kafka-go's source: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "reader.go"))
	if err != nil {
		t.Fatal(err)
	}
	want := `log.Printf("` + kafkaSkipFormat + `", r.partition, r.topic, toHumanOffset(offset), first, first-offset)`
	if !bytes.Contains(src, []byte(want)) {
		t.Fatalf("kafka-go's reader.go no longer has\n  %s\nupdate kafkaSkipFormat and readerErrorLog", want)
	}
}

func TestReaderErrorLog(t *testing.T) {
	var logs bytes.Buffer
	m := NewMetrics(prometheus.NewRegistry())
	c, err := New(Config{Brokers: []string{"b:9092"}, GroupID: "g", Topics: []string{"mentions"},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}, nil, nil, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		msg     string
		args    []any
		skipped float64 // the counter's total after this call
		log     string
	}{
		{"a skip is counted", kafkaSkipFormat, []any{2, "mentions", "10", int64(30), int64(20)}, 20,
			`partition=2 group_offset=10 log_start=30 skipped=20`},
		{"another message is only logged", "the kafka reader got an error while attempting to determine whether it was reading before the first offset or after the last offset of partition %d of %s: %s",
			[]any{1, "mentions", "EOF"}, 20, `msg="kafka reader" msg="the kafka reader got an error`},
		{"unexpected arguments are only logged", kafkaSkipFormat, []any{"2", "mentions", "10", 30, 20}, 20, `msg="kafka reader"`},
	} {
		logs.Reset()
		c.readerErrorLog(c.session.Load(), tc.msg, tc.args...)
		if got := testutil.ToFloat64(m.skipped.WithLabelValues("mentions")); got != tc.skipped {
			t.Errorf("%s: outsidein_skipped_records_total = %v, want %v", tc.name, got, tc.skipped)
		}
		if !strings.Contains(logs.String(), tc.log) {
			t.Errorf("%s: log %q lacks %q", tc.name, logs.String(), tc.log)
		}
	}
}
