package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/publish"
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

// createTopic creates topic with its own max.message.bytes when maxMessageBytes > 0.
func createTopic(t *testing.T, addr, topic string, partitions, maxMessageBytes int) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tc := kafka.TopicConfig{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1}
	if maxMessageBytes > 0 {
		tc.ConfigEntries = []kafka.ConfigEntry{{ConfigName: "max.message.bytes", ConfigValue: fmt.Sprint(maxMessageBytes)}}
	}
	res, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{tc}})
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
				return code == http.StatusServiceUnavailable && strings.Contains(body, "topics missing on the cluster (or hidden from this user): "+tc.missing)
			})
			_, body := healthBody(svc.http)
			t.Logf("/healthz: %s", body)

			createTopic(t, b.Addr(), tc.missing, 2, 0)
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

// TestOversizedDeadLetters gives the dead-letter topic a smaller
// max.message.bytes than the input topic and sends posts too long to
// classify: dead letters that fit alone but not in one batch are published
// whole, one too large for the topic is published without its payload
// (naming where the original is), and nothing blocks or goes missing.
func TestOversizedDeadLetters(t *testing.T) {
	b := kafkatest.Broker(t, broker.Config{Topics: []string{"mentions", "mentions.classified"}, Partitions: 3})
	createTopic(t, b.Addr(), "mentions.dlq", 3, 20000)
	svc := startService(t, b.Addr(), nil) // text limit 300 bytes: longer posts are dead letters

	post := func(id string, textBytes int) kafka.Message {
		text := "@skyjet " + strings.Repeat("late again ", textBytes/11)
		return kafka.Message{Key: []byte(id), Value: []byte(fmt.Sprintf(`{"id":%q,"text":%q}`, id, text)),
			Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
	}
	var msgs []kafka.Message
	for i := 0; i < 60; i++ { // 2 KB each: 20 to a partition make a 40 KB batch
		msgs = append(msgs, post(fmt.Sprintf("long-%d", i), 2000))
	}
	for i := 0; i < 3; i++ { // 30 KB each: too large for the dead-letter topic
		msgs = append(msgs, post(fmt.Sprintf("huge-%d", i), 30000))
	}
	msgs = append(msgs, posts(30, "ok")...)
	kafkatest.Produce(t, b.Addr(), "mentions", msgs...)
	kafkatest.WaitFor(t, 60*time.Second, "every post committed", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	if missing, _ := coverage(t, b.Addr()); missing != 0 {
		t.Fatalf("%d posts reached neither the output nor the dead-letter topic", missing)
	}
	whole, dropped := 0, 0
	for _, m := range kafkatest.ReadAll(t, b.Addr(), "mentions.dlq") {
		id := header(m, publish.HeaderSourceOffset)
		switch d := header(m, publish.HeaderDropped); {
		case d == "" && strings.Contains(string(m.Value), `"long-`):
			whole++
		case d != "" && len(m.Value) == 0 && header(m, publish.HeaderReason) == "text_too_large":
			dropped++
			t.Logf("offset %s: %s: %s", id, publish.HeaderDropped, d)
		default:
			t.Errorf("unexpected dead letter at offset %s: %d bytes, %s=%q", id, len(m.Value), publish.HeaderDropped, d)
		}
	}
	if whole != 60 || dropped != 3 {
		t.Fatalf("dead letters: %d whole (want 60), %d without payload (want 3)", whole, dropped)
	}
	if got := svc.counter("outsidein_published_total"); got != 30 {
		t.Fatalf("published %v classified posts, want 30", got)
	}
}

// TestRecordsAtTheTopicLimit sets --max-record-bytes to the output topic's
// max.message.bytes and sends posts whose classified records come within a
// few hundred bytes of it: each is published or dead-lettered as
// record_too_large, none is refused by the broker and retried forever.
func TestRecordsAtTheTopicLimit(t *testing.T) {
	const limit = 20000
	b := kafkatest.Broker(t, broker.Config{Topics: []string{"mentions", "mentions.dlq"}, Partitions: 2})
	createTopic(t, b.Addr(), "mentions.classified", 2, limit)
	svc := startService(t, b.Addr(), func(p *config.Pipeline) { p.MaxRecordBytes = limit })
	var msgs []kafka.Message
	for k := limit - 400; k <= limit; k += 8 { // the key is copied into the record
		m := posts(1, fmt.Sprintf("k%d", k))[0]
		m.Key = make([]byte, k-200)
		msgs = append(msgs, m)
	}
	kafkatest.Produce(t, b.Addr(), "mentions", msgs...)
	kafkatest.WaitFor(t, 60*time.Second, "every post committed", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	if missing, _ := coverage(t, b.Addr()); missing != 0 {
		t.Fatalf("%d posts reached neither the output nor the dead-letter topic", missing)
	}
	published, tooLarge := svc.counter("outsidein_published_total"), svc.counter("outsidein_dead_letters_total", "reason", "record_too_large")
	t.Logf("%d posts: %v published, %v dead-lettered as record_too_large", len(msgs), published, tooLarge)
	if published == 0 || tooLarge == 0 || int(published+tooLarge) != len(msgs) {
		t.Fatalf("%d posts: %v published, %v record_too_large; want both kinds, adding up", len(msgs), published, tooLarge)
	}
}
