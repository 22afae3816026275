package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
)

// healthBody returns /healthz's status and body.
func healthBody(addr string) (int, string) {
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(b))
}

func createTopic(t *testing.T, addr, topic string, partitions int) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1}}})
	if err == nil {
		err = res.Errors[topic]
	}
	if err != nil {
		t.Fatalf("creating topic %s: %v", topic, err)
	}
}

// TestMissingTopicIsNotReady starts the service on a cluster that lacks its
// input topic, then its dead-letter topic: /healthz names what is missing,
// nothing is consumed, and once the topic is created the service becomes
// ready and consumes it without a restart.
func TestMissingTopicIsNotReady(t *testing.T) {
	cases := []struct {
		name    string
		topics  []string // created at the start
		missing string
	}{
		{"input topic", []string{"mentions.classified", "mentions.dlq"}, "mentions"},
		{"dead-letter topic", []string{"mentions", "mentions.classified"}, "mentions.dlq"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := kafkatest.Broker(t, broker.Config{Topics: tc.topics, Partitions: 2})
			svc := startUnready(t, b.Addr(), func(p *config.Pipeline) { p.CommitInterval = 100 * time.Millisecond })
			kafkatest.WaitFor(t, 20*time.Second, "/healthz to name the missing topic", func() bool {
				code, body := healthBody(svc.http)
				return code == http.StatusServiceUnavailable && strings.Contains(body, "topics missing on the cluster: "+tc.missing)
			})
			_, body := healthBody(svc.http)
			t.Logf("/healthz: %s", body)

			createTopic(t, b.Addr(), tc.missing, 2)
			kafkatest.WaitFor(t, 30*time.Second, "/healthz to answer 200 once the topic exists", func() bool {
				code, _ := healthBody(svc.http)
				return code == http.StatusOK
			})
			kafkatest.Produce(t, b.Addr(), "mentions", posts(50, "late")...)
			kafkatest.WaitFor(t, 30*time.Second, "posts on the new topic published", func() bool {
				return svc.counter("outsidein_published_total") >= 50
			})
		})
	}
}

// TestAddedPartitionsAreConsumed adds partitions to the input topic while
// the service runs: posts written to the new partitions are consumed without
// a restart.
func TestAddedPartitionsAreConsumed(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Partitions: 2})
	svc := startService(t, b.Addr(), nil)
	kafkatest.Produce(t, b.Addr(), "mentions", posts(20, "before")...)
	kafkatest.WaitFor(t, 30*time.Second, "the first posts published", func() bool {
		return svc.counter("outsidein_published_total") >= 20
	})

	c := &kafka.Client{Addr: kafka.TCP(b.Addr()), Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	res, err := c.CreatePartitions(ctx, &kafka.CreatePartitionsRequest{Topics: []kafka.TopicPartitionsConfig{{Name: "mentions", Count: 4}}})
	if err == nil {
		err = res.Errors["mentions"]
	}
	if err != nil {
		t.Fatalf("adding partitions: %v", err)
	}
	// Write straight to the new partitions 2 and 3.
	var msgs []kafka.Message
	for i, m := range posts(40, "after") {
		m.Partition = 2 + i%2
		msgs = append(msgs, m)
	}
	w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: "mentions", Balancer: kafka.BalancerFunc(func(m kafka.Message, _ ...int) int { return m.Partition }),
		BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	kafkatest.WaitFor(t, 30*time.Second, "the new partitions to take writes", func() bool {
		return w.WriteMessages(ctx, msgs...) == nil
	})
	kafkatest.WaitFor(t, 60*time.Second, "posts on the new partitions published and committed", func() bool {
		res, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: "outsidein", Topics: map[string][]int{"mentions": {2, 3}}})
		if err != nil {
			return false
		}
		done := 0
		for _, p := range res.Topics["mentions"] {
			if p.CommittedOffset >= 20 {
				done++
			}
		}
		return done == 2 && svc.counter("outsidein_published_total") >= 60
	})
}
