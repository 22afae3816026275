package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kmsg"
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
// survives the fetch errors the Kafka reader reports, reconnects and
// resumes, and loses nothing.
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
	// Keep the broker down until the Kafka reader has given up its own
	// retries and reported the error to the fetch loop: the service must
	// ride that out too, not exit.
	outage := time.Now()
	kafkatest.WaitFor(t, 60*time.Second, "the reader to report a fetch error", func() bool {
		select {
		case err := <-svc.done:
			svc.done <- err // for shutdown's check
			t.Fatalf("service exited during the outage: %v", err)
		default:
		}
		return svc.counter("outsidein_fetch_errors_total") >= 1
	})
	t.Logf("first fetch error reported %v into the outage", time.Since(outage).Round(100*time.Millisecond))
	if got := healthStatus(svc.http); got != http.StatusServiceUnavailable {
		t.Fatalf("/healthz answered %d after a fetch error, want 503 (still running, not ready)", got)
	}

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

// TestOutputTopicUnavailable fails every produce to the output topic for a
// while: the service retries with backoff, commits nothing past what was
// published, and delivers everything once the topic is back.
func TestOutputTopicUnavailable(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{})
	var down atomic.Bool
	b.Control(int16(kmsg.Produce), func(r kmsg.Request) (kmsg.Response, error, bool) {
		req := r.(*kmsg.ProduceRequest)
		for _, tp := range req.Topics {
			if tp.Topic == "mentions.classified" && down.Load() {
				return nil, errors.New("output topic unavailable (test)"), true
			}
		}
		return nil, nil, false
	})
	svc := startService(t, b.Addr(), func(p *config.Pipeline) { p.CommitInterval = 100 * time.Millisecond })
	kafkatest.Produce(t, b.Addr(), "mentions", posts(300, "up")...)
	kafkatest.WaitFor(t, 30*time.Second, "the first posts committed", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	before := committed(t, b.Addr(), "outsidein", "mentions")

	down.Store(true)
	kafkatest.Produce(t, b.Addr(), "mentions", posts(300, "down")...)
	kafkatest.WaitFor(t, 30*time.Second, "publish retries", func() bool {
		return svc.counter("outsidein_publish_retries_total") >= 3
	})
	kafkatest.WaitFor(t, 15*time.Second, "the lag gauge to show the stuck posts", func() bool {
		return svc.gauge("outsidein_consumer_lag") >= 300
	})
	if got := committed(t, b.Addr(), "outsidein", "mentions"); got != before {
		t.Fatalf("committed offsets moved from %d to %d while nothing could be published", before, got)
	}
	if got := kafkatest.Count(b.Addr(), "mentions.classified"); got != 300 {
		t.Fatalf("output topic grew to %d during the outage", got)
	}

	down.Store(false)
	kafkatest.WaitFor(t, 60*time.Second, "everything committed after the outage", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	missing, redone := coverage(t, b.Addr())
	t.Logf("after the output outage: %d missing, %d redone, %v retries", missing, redone, svc.counter("outsidein_publish_retries_total"))
	if missing != 0 {
		t.Fatalf("%d posts lost", missing)
	}
	if redone > 300 {
		t.Fatalf("%d posts redone: more than the 300 in flight during the outage", redone)
	}
}

// TestRebalanceLosesNothing runs three members in one group, stops one and
// later adds another while posts flow.
func TestRebalanceLosesNothing(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Partitions: 6})
	fast := func(p *config.Pipeline) {
		p.CommitInterval = 100 * time.Millisecond
		p.SessionTimeout = 6 * time.Second
	}
	startService(t, b.Addr(), fast)
	m2 := startService(t, b.Addr(), fast)
	startService(t, b.Addr(), fast)
	// Posts flow in slices while one member leaves and another joins.
	slices := make(chan error)
	go func() {
		defer close(slices)
		w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: "mentions", BatchTimeout: time.Millisecond}
		defer w.Close()
		for i := range 15 {
			slices <- w.WriteMessages(context.Background(), posts(200, fmt.Sprintf("r%d", i))...)
		}
	}()
	i := 0
	for err := range slices {
		if err != nil {
			t.Fatalf("producing slice %d: %v", i, err)
		}
		switch i {
		case 3:
			m2.shutdown(t) // loses a member mid-stream
		case 8:
			startService(t, b.Addr(), fast) // gains one
		}
		i++
	}
	kafkatest.WaitFor(t, 90*time.Second, "every post committed", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	missing, redone := coverage(t, b.Addr())
	t.Logf("after losing and gaining a member: %d missing, %d redone", missing, redone)
	if missing != 0 {
		t.Fatalf("%d posts lost in rebalances", missing)
	}
	if redone > 3000 {
		t.Fatalf("%d posts redone of 3000", redone)
	}
}

// TestBrandFloodIsCapped sends posts for many distinct brands: the brand
// label never grows past the configured brands, the cap, "other" and
// "unknown".
func TestBrandFloodIsCapped(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{})
	svc := startService(t, b.Addr(), func(p *config.Pipeline) { p.MaxBrands = 10 })
	var msgs []kafka.Message
	for i := 0; i < 400; i++ {
		msgs = append(msgs, kafka.Message{Value: []byte(fmt.Sprintf(`{"brand":"flood-%d","text":"hello brand %d"}`, i, i))})
	}
	kafkatest.Produce(t, b.Addr(), "mentions", msgs...)
	kafkatest.WaitFor(t, 30*time.Second, "the flood counted", func() bool {
		return svc.counter("outsidein_mentions_total") >= 400
	})
	mfs, err := svc.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]map[string]bool{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == "brand" {
					if labels[mf.GetName()] == nil {
						labels[mf.GetName()] = map[string]bool{}
					}
					labels[mf.GetName()][lp.GetValue()] = true
				}
			}
		}
	}
	for name, values := range labels {
		// 2 configured + 10 admitted + other (+ unknown)
		if len(values) > 2+10+2 {
			t.Errorf("%s has %d brand label values, cap is 14", name, len(values))
		}
	}
	if len(labels["outsidein_mentions_total"]) < 12 || !labels["outsidein_mentions_total"]["other"] {
		t.Errorf("brand labels %v: want the admitted ones and other", labels["outsidein_mentions_total"])
	}
	if got := svc.counter("outsidein_mentions_total", "brand", "other"); got != 390 {
		t.Errorf("other = %v, want 390", got)
	}
	kafkatest.WaitFor(t, 30*time.Second, "the flood committed", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	if missing, redone := coverage(t, b.Addr()); missing != 0 || redone != 0 {
		t.Fatalf("%d posts missing, %d redone", missing, redone)
	}
}
