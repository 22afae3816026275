package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/proto"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

func deleteTopic(t *testing.T, addr, topic string) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := c.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{topic}})
	if err == nil {
		err = res.Errors[topic]
	}
	if err != nil {
		t.Fatalf("deleting topic %s: %v", topic, err)
	}
}

// outputIDs returns the mention ids on the output topic, and the input
// offsets the dead letters name, with how often each was written.
func outputIDs(t *testing.T, addr string) map[string]int {
	t.Helper()
	ids := map[string]int{}
	for _, m := range kafkatest.ReadAll(t, addr, "mentions.classified") {
		var rec pb.ClassifiedMention
		if err := proto.Unmarshal(m.Value, &rec); err != nil {
			t.Fatal(err)
		}
		ids[rec.GetMention().GetId()]++
	}
	return ids
}

// healthLog samples a service's /healthz and consumed counter.
type healthSample struct {
	at       time.Time
	status   [2]int
	consumed float64
	pending  bool
}

// TestInputTopicRecreated deletes and recreates the input topic six times
// (OUTSIDEIN_RECREATE_CYCLES to change)
// under two running instances, as an operator might by mistake: after each
// recreation 200 posts, then 600 keyed posts, are produced. Every post of
// every new topic must reach the output topic, and any stretch in which
// posts wait and nothing is consumed must show on /healthz.
func TestInputTopicRecreated(t *testing.T) {
	if testing.Short() {
		t.Skip("six delete-and-recreate cycles")
	}
	b := kafkatest.Broker(t, broker.Config{Partitions: 6})
	svc := []*service{startService(t, b.Addr(), nil), startService(t, b.Addr(), nil)}
	kafkatest.WaitFor(t, 60*time.Second, "both instances holding partitions", func() bool {
		held := groupMembers(b.Addr(), "outsidein")
		return len(held) == 2 && held[0] > 0 && held[1] > 0
	})

	var (
		mu       sync.Mutex
		samples  []healthSample
		produced = map[string]bool{}
	)
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(250 * time.Millisecond):
			}
			s := healthSample{at: time.Now()}
			for i, v := range svc {
				s.status[i] = healthStatus(v.http)
				s.consumed += v.counter("outsidein_consumed_total")
			}
			mu.Lock()
			s.pending = len(produced) > 0
			samples = append(samples, s)
			mu.Unlock()
		}
	}()

	keyed := func(n int, prefix string, withKey bool) []kafka.Message {
		msgs := make([]kafka.Message, n)
		for i := range msgs {
			id := fmt.Sprintf("%s-%d", prefix, i)
			msgs[i] = kafka.Message{Value: []byte(fmt.Sprintf(`{"id":%q,"channel":"twitter","text":"@skyjet where is my bag %d"}`, id, i)),
				Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
			if withKey {
				msgs[i].Key = []byte(id)
			}
		}
		return msgs
	}
	lost := 0
	cycles := 6
	if n, err := strconv.Atoi(os.Getenv("OUTSIDEIN_RECREATE_CYCLES")); err == nil && n > 0 {
		cycles = n // the reproduction by hand: OUTSIDEIN_RECREATE_CYCLES=20
	}
	for cycle := 1; cycle <= cycles; cycle++ {
		deleteTopic(t, b.Addr(), "mentions")
		time.Sleep(3 * time.Second)
		createTopic(t, b.Addr(), "mentions", 6, 0)
		first := keyed(200, fmt.Sprintf("c%d-a", cycle), false)
		second := keyed(600, fmt.Sprintf("c%d-b", cycle), true)
		mu.Lock()
		for _, m := range append(append([]kafka.Message{}, first...), second...) {
			var p struct{ ID string }
			_ = jsonUnmarshal(m.Value, &p)
			produced[p.ID] = true
		}
		mu.Unlock()
		kafkatest.Produce(t, b.Addr(), "mentions", first...)
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && missingOf(t, b.Addr(), first) > 0 {
			time.Sleep(500 * time.Millisecond)
		}
		kafkatest.Produce(t, b.Addr(), "mentions", second...)
		all := append(first, second...)
		deadline = time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) && missingOf(t, b.Addr(), all) > 0 {
			time.Sleep(500 * time.Millisecond)
		}
		if n := missingOf(t, b.Addr(), all); n > 0 {
			t.Errorf("cycle %d: %d of the 800 posts never reached the output topic", cycle, n)
			lost += n
		}
		mu.Lock()
		produced = map[string]bool{}
		mu.Unlock()
	}
	close(stop)
	<-sampled

	// A stretch of more than 15 s with posts waiting and nothing consumed
	// must have been reported by /healthz (by either instance).
	var from int
	for i := 1; i <= len(samples); i++ {
		if i < len(samples) && samples[i].pending && samples[i].consumed == samples[from].consumed {
			continue
		}
		if d := samples[i-1].at.Sub(samples[from].at); samples[from].pending && d > 15*time.Second {
			reported := false
			for _, s := range samples[from:i] {
				reported = reported || s.status[0] != http.StatusOK || s.status[1] != http.StatusOK
			}
			if !reported {
				t.Errorf("nothing consumed for %v from %v with posts waiting, and /healthz said ok throughout", d.Round(time.Second), samples[from].at.Format("15:04:05"))
			}
		}
		from = i
	}
	t.Logf("lost %d posts over %d cycles", lost, cycles)
}

// missingOf returns how many of msgs have not reached the output topic.
func missingOf(t *testing.T, addr string, msgs []kafka.Message) int {
	t.Helper()
	ids := outputIDs(t, addr)
	n := 0
	for _, m := range msgs {
		var p struct{ ID string }
		_ = jsonUnmarshal(m.Value, &p)
		if ids[p.ID] == 0 {
			n++
		}
	}
	return n
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
