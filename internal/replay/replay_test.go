package replay_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/replay"
)

func TestReplayProducesEveryLine(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{})
	in := "{\"id\":\"a\",\"text\":\"one\"}\n\n{\"id\":\"b\",\"text\":\"two\"}\n{\"text\":\"three\"}\n"
	w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: "mentions", BatchTimeout: time.Millisecond}
	defer w.Close()
	var seen []int
	n, err := replay.Run(context.Background(), w, replay.LinesSource(strings.NewReader(in), nil), 1000, func(k int) { seen = append(seen, k) })
	if err != nil || n != 3 {
		t.Fatalf("Run = %d, %v; want 3 posts", n, err)
	}
	if len(seen) == 0 || seen[len(seen)-1] != 3 {
		t.Fatalf("progress saw %v", seen)
	}
	got := kafkatest.ReadAll(t, b.Addr(), "mentions")
	if len(got) != 3 {
		t.Fatalf("topic holds %d records, want 3", len(got))
	}
	keys := map[string]bool{}
	for _, m := range got {
		keys[string(m.Key)] = true
		if len(m.Headers) != 1 || string(m.Headers[0].Value) != "application/json" {
			t.Errorf("record %q lacks the JSON content-type header", m.Value)
		}
	}
	if !keys["a"] || !keys["b"] {
		t.Errorf("ids not used as keys: %v", keys)
	}
}

func TestReplayRejectsNonJSONLine(t *testing.T) {
	src := replay.LinesSource(strings.NewReader("{\"text\":\"ok\"}\nnot json\n"), nil)
	if _, ok, err := src(); !ok || err != nil {
		t.Fatalf("first line: %v %v", ok, err)
	}
	if _, _, err := src(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v, want one naming line 2", err)
	}
}

func TestLoopStartsOver(t *testing.T) {
	rewinds := 0
	src := replay.LinesSource(strings.NewReader("{\"text\":\"x\"}\n"), func() (io.Reader, error) {
		rewinds++
		return strings.NewReader("{\"text\":\"x\"}\n"), nil
	})
	for i := 0; i < 5; i++ {
		if _, ok, err := src(); !ok || err != nil {
			t.Fatalf("post %d: %v %v", i, ok, err)
		}
	}
	if rewinds != 4 {
		t.Fatalf("rewinds = %d, want 4", rewinds)
	}
	empty := replay.LinesSource(strings.NewReader(""), func() (io.Reader, error) { return strings.NewReader(""), nil })
	if _, _, err := empty(); err == nil {
		t.Fatal("looping over an empty file must fail, not spin")
	}
}

func TestBar(t *testing.T) {
	var buf bytes.Buffer
	bar := replay.Bar(&buf, 4)
	bar(2)
	bar(4)
	if !strings.Contains(buf.String(), "2/4") || !strings.Contains(buf.String(), "4/4") || !strings.Contains(buf.String(), strings.Repeat("#", 40)) {
		t.Fatalf("bar drew %q", buf.String())
	}
}
