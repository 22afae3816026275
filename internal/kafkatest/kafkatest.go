// Package kafkatest provides what the tests of a Kafka pipeline need: an
// embedded broker, a producer and a reader of whole topics, all over TCP with
// kafka-go, and a way to await a condition.
package kafkatest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
)

// Topics are the pipeline's default topics.
var Topics = []string{"mentions", "mentions.classified", "mentions.dlq"}

// Broker starts an embedded broker with the default topics (3 partitions
// each) on a free loopback port, closed when the test ends.
func Broker(t testing.TB, cfg broker.Config) *broker.Broker {
	t.Helper()
	if cfg.Topics == nil {
		cfg.Topics = Topics
	}
	if cfg.Partitions == 0 {
		cfg.Partitions = 3
	}
	b, err := broker.Start(cfg)
	if err != nil {
		t.Fatalf("starting embedded broker: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// FreeAddr returns a loopback address with a port that was free just now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Produce writes msgs to topic and waits for the broker's acknowledgement.
func Produce(t testing.TB, addr, topic string, msgs ...kafka.Message) {
	t.Helper()
	w := &kafka.Writer{Addr: kafka.TCP(addr), Topic: topic, Balancer: &kafka.RoundRobin{},
		BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatalf("producing to %s: %v", topic, err)
	}
}

// ReadAll returns every record in topic, all partitions, ordered by
// partition and offset.
func ReadAll(t testing.TB, addr, topic string) []kafka.Message {
	t.Helper()
	msgs, err := readAll(addr, topic)
	if err != nil {
		t.Fatalf("reading %s: %v", topic, err)
	}
	return msgs
}

// Count returns how many records topic holds (sum of its partitions' high
// watermarks minus their start offsets), or -1 when the broker cannot say.
func Count(addr, topic string) int64 {
	ends, err := offsets(addr, topic)
	if err != nil {
		return -1
	}
	var n int64
	for _, e := range ends {
		n += e[1] - e[0]
	}
	return n
}

func offsets(addr, topic string) (map[int][2]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, err
	}
	if len(md.Topics) != 1 || md.Topics[0].Error != nil {
		return nil, fmt.Errorf("metadata of %s: %+v", topic, md.Topics)
	}
	var reqs []kafka.OffsetRequest
	for _, p := range md.Topics[0].Partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
	}
	res, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, err
	}
	out := map[int][2]int64{}
	for _, po := range res.Topics[topic] {
		if po.Error != nil {
			return nil, po.Error
		}
		out[po.Partition] = [2]int64{po.FirstOffset, po.LastOffset}
	}
	return out, nil
}

func readAll(addr, topic string) ([]kafka.Message, error) {
	ends, err := offsets(addr, topic)
	if err != nil {
		return nil, err
	}
	parts := make([]int, 0, len(ends))
	for p := range ends {
		parts = append(parts, p)
	}
	sort.Ints(parts)
	var all []kafka.Message
	for _, p := range parts {
		first, last := ends[p][0], ends[p][1]
		if last <= first {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: topic, Partition: p, MaxWait: 100 * time.Millisecond})
		if err := r.SetOffset(first); err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				cancel()
				r.Close()
				return nil, fmt.Errorf("partition %d: %w", p, err)
			}
			all = append(all, m)
			if m.Offset >= last-1 {
				break
			}
		}
		cancel()
		r.Close()
	}
	return all, nil
}

// WaitFor polls cond every 50 ms until it holds, failing the test after
// timeout with what.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// NeedTool returns the path of an outside program a test needs. It skips the
// test when the program is absent, unless CI is set, where absence fails it.
func NeedTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found: CI must install the Debian package %s", name, debianPackage)
	}
	t.Skipf("%s not installed (apt-get install %s); skipping", name, debianPackage)
	return ""
}

// GroupOffsets returns, summed over topic's partitions, the offsets group
// has committed and its lag: end offset minus committed offset (a partition
// with no commit counts from its start).
func GroupOffsets(addr, group, topic string) (committed, lag int64, err error) {
	ends, err := offsets(addr, topic)
	if err != nil {
		return 0, 0, err
	}
	parts := make([]int, 0, len(ends))
	for p := range ends {
		parts = append(parts, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	res, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		return 0, 0, err
	}
	done := map[int]int64{}
	for _, p := range res.Topics[topic] {
		done[p.Partition] = p.CommittedOffset
	}
	for p, e := range ends {
		at := max(done[p], e[0])
		committed += max(done[p], 0)
		lag += e[1] - at
	}
	return committed, lag, nil
}

// SyncBuffer is a bytes.Buffer safe for concurrent use: a service's log or
// output written by its goroutines and read by the test.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
