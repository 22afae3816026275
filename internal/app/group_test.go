package app_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/proto"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/publish"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

func posts(n int, prefix string) []kafka.Message {
	texts := []string{
		"@skyjet my flight got cancelled and nobody can rebook me",
		"@freshcart any discount codes this week?",
		"what time does @skyjet open check-in for international flights",
		"love love love @freshcart, best grocery app",
	}
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		id := fmt.Sprintf("%s-%d", prefix, i)
		msgs[i] = kafka.Message{Key: []byte(id), Value: []byte(fmt.Sprintf(`{"id":%q,"channel":"twitter","text":%q}`, id, texts[i%len(texts)])),
			Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
	}
	return msgs
}

// groupMembers returns how many partitions each member of group holds.
func groupMembers(addr, group string) []int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := (&kafka.Client{Addr: kafka.TCP(addr)}).DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil || len(res.Groups) != 1 || res.Groups[0].GroupState != "Stable" {
		return nil
	}
	var held []int
	for _, m := range res.Groups[0].Members {
		n := 0
		for _, t := range m.MemberAssignments.Topics {
			n += len(t.Partitions)
		}
		held = append(held, n)
	}
	return held
}

func TestTwoInstancesShareTheGroup(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Partitions: 6})
	a := startService(t, b.Addr(), nil)
	c := startService(t, b.Addr(), nil)
	kafkatest.WaitFor(t, 60*time.Second, "both instances to hold partitions in a stable group", func() bool {
		held := groupMembers(b.Addr(), "outsidein")
		return len(held) == 2 && held[0] > 0 && held[1] > 0 && held[0]+held[1] == 6
	})
	const n = 600
	kafkatest.Produce(t, b.Addr(), "mentions", posts(n, "g")...)
	kafkatest.WaitFor(t, 60*time.Second, "all posts published", func() bool {
		return a.counter("outsidein_published_total")+c.counter("outsidein_published_total") >= n
	})
	ca, cc := a.counter("outsidein_mentions_total"), c.counter("outsidein_mentions_total")
	if ca+cc != n || ca == 0 || cc == 0 {
		t.Fatalf("instances counted %v + %v, want both > 0 and exactly %d in all", ca, cc, n)
	}
	if pa, pc := a.counter("outsidein_published_total"), c.counter("outsidein_published_total"); pa+pc != n {
		t.Fatalf("published %v + %v, want %d", pa, pc, n)
	}
	if got := kafkatest.Count(b.Addr(), "mentions.classified"); got != n {
		t.Fatalf("output topic holds %d records, want %d", got, n)
	}
}

// TestKilledConsumerLosesNothing kills a real `outsidein serve` process with
// SIGKILL mid-stream, restarts it, and checks that every input offset reached
// the output or the dead-letter topic.
func TestKilledConsumerLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "outsidein")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/outsidein/outsidein/cmd/outsidein").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b := kafkatest.Broker(t, broker.Config{Partitions: 4})
	logs := filepath.Join(t.TempDir(), "serve.log")
	logf, err := os.Create(logs)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--brokers", b.Addr(), "--http-addr", kafkatest.FreeAddr(t),
			"--commit-interval", "200ms", "--batch-size", "20", "--linger", "20ms", "--workers", "1", "--session-timeout", "6s")
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	// A backlog is waiting when the consumer starts, and it is throttled
	// (small batches, one worker) so that the kill lands with many posts
	// fetched and not yet published.
	const n = 20000
	msgs := posts(n, "k")
	for i := 0; i < n; i += 97 { // some malformed ones too
		msgs[i].Value = []byte(`{"id":"broken",`)
	}
	for i := 0; i < n; i += 5000 {
		kafkatest.Produce(t, b.Addr(), "mentions", msgs[i:i+5000]...)
	}
	first := start()
	kafkatest.WaitFor(t, 60*time.Second, "the first consumer to publish and commit some posts", func() bool {
		return kafkatest.Count(b.Addr(), "mentions.classified") > 500 && committed(t, b.Addr(), "outsidein", "mentions") > 0
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	atKill := kafkatest.Count(b.Addr(), "mentions.classified") + kafkatest.Count(b.Addr(), "mentions.dlq")
	committedAtKill := committed(t, b.Addr(), "outsidein", "mentions")
	if atKill >= n {
		t.Fatalf("the kill landed after all %d posts were done; it proves nothing", n)
	}
	second := start()
	defer func() { _ = second.Process.Signal(syscall.SIGTERM); _ = second.Wait() }()
	kafkatest.WaitFor(t, 90*time.Second, "the restarted consumer to commit up to the end", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	seen := map[[2]int64]int{}
	for _, m := range kafkatest.ReadAll(t, b.Addr(), "mentions.classified") {
		var rec pb.ClassifiedMention
		if err := proto.Unmarshal(m.Value, &rec); err != nil {
			t.Fatal(err)
		}
		seen[[2]int64{int64(rec.GetSourcePartition()), rec.GetSourceOffset()}]++
	}
	for _, m := range kafkatest.ReadAll(t, b.Addr(), "mentions.dlq") {
		var p, o int64
		fmt.Sscan(header(m, publish.HeaderSourcePartition), &p)
		fmt.Sscan(header(m, publish.HeaderSourceOffset), &o)
		seen[[2]int64{p, o}]++
	}
	if len(seen) == 0 {
		t.Fatal("nothing on the output or dead-letter topics")
	}
	missing, dups := 0, 0
	for _, m := range kafkatest.ReadAll(t, b.Addr(), "mentions") {
		c := seen[[2]int64{int64(m.Partition), m.Offset}]
		if c == 0 {
			missing++
		}
		if c > 1 {
			dups += c - 1
		}
	}
	t.Logf("killed with %d of %d done; after restart: %d missing, %d redone (log: %s)", atKill, n, missing, dups, logs)
	if missing != 0 {
		out, _ := os.ReadFile(logs)
		t.Fatalf("%d posts lost after SIGKILL and restart; service log:\n%s", missing, out)
	}
	// Only what was done but not yet committed at the kill may be redone.
	if inFlight := atKill - committedAtKill; int64(dups) > inFlight {
		t.Fatalf("%d posts redone, but only %d were done and uncommitted at the kill", dups, inFlight)
	}
}
