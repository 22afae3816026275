package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/publish"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

func healthStatus(addr string) int {
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// coverage reads the input, output and dead-letter topics and returns how
// many input offsets reached neither, and how many were written more than once.
func coverage(t *testing.T, addr string) (missing, redone int) {
	t.Helper()
	seen := map[[2]int64]int{}
	for _, m := range kafkatest.ReadAll(t, addr, "mentions.classified") {
		var rec pb.ClassifiedMention
		if err := proto.Unmarshal(m.Value, &rec); err != nil {
			t.Fatal(err)
		}
		seen[[2]int64{int64(rec.GetSourcePartition()), rec.GetSourceOffset()}]++
	}
	for _, m := range kafkatest.ReadAll(t, addr, "mentions.dlq") {
		var p, o int64
		fmt.Sscan(header(m, publish.HeaderSourcePartition), &p)
		fmt.Sscan(header(m, publish.HeaderSourceOffset), &o)
		seen[[2]int64{p, o}]++
	}
	for _, m := range kafkatest.ReadAll(t, addr, "mentions") {
		switch c := seen[[2]int64{int64(m.Partition), m.Offset}]; {
		case c == 0:
			missing++
		case c > 1:
			redone += c - 1
		}
	}
	return missing, redone
}

// TestBrokerOutage stops the broker mid-stream and starts it again on the
// same address with its data: the service reports the outage on /healthz,
// waits, reconnects and resumes, and loses nothing.
func TestBrokerOutage(t *testing.T) {
	dir := t.TempDir()
	addr := kafkatest.FreeAddr(t)
	cfg := broker.Config{Addr: addr, DataDir: dir, Topics: kafkatest.Topics, Partitions: 3}
	b1, err := broker.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := startService(t, addr, func(p *config.Pipeline) { p.CommitInterval = 100 * time.Millisecond })
	kafkatest.Produce(t, addr, "mentions", posts(500, "before")...)
	kafkatest.WaitFor(t, 30*time.Second, "posts before the outage published", func() bool {
		return svc.counter("outsidein_published_total") >= 500
	})
	// Let the commits of those posts land before the broker goes.
	kafkatest.WaitFor(t, 10*time.Second, "commits before the outage", func() bool {
		return committedLag(t, addr, "outsidein", "mentions") == 0
	})

	b1.Close()
	kafkatest.WaitFor(t, 20*time.Second, "/healthz to report the outage", func() bool { return healthStatus(svc.http) == http.StatusServiceUnavailable })

	b2, err := broker.Start(cfg)
	if err != nil {
		t.Fatalf("restarting the broker on %s: %v", addr, err)
	}
	t.Cleanup(b2.Close)
	kafkatest.WaitFor(t, 30*time.Second, "/healthz to recover", func() bool { return healthStatus(svc.http) == http.StatusOK })
	kafkatest.Produce(t, addr, "mentions", posts(500, "after")...)
	kafkatest.WaitFor(t, 60*time.Second, "every post after the restart committed", func() bool {
		return kafkatest.Count(addr, "mentions") == 1000 && committedLag(t, addr, "outsidein", "mentions") == 0
	})
	missing, redone := coverage(t, addr)
	t.Logf("after the outage: %d missing, %d redone", missing, redone)
	if missing != 0 {
		t.Fatalf("%d posts lost across the broker restart", missing)
	}
	if redone > 500 {
		t.Fatalf("%d posts redone: more than were ever in flight", redone)
	}
}
