package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/proto"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
	"github.com/outsidein/outsidein/internal/publish"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// service is an app.Run started by a test.
type service struct {
	reg  *prometheus.Registry
	http string
	done chan error
	stop context.CancelFunc
}

func startService(t *testing.T, brokerAddr string, tune func(*config.Pipeline)) *service {
	t.Helper()
	s := launchService(t, brokerAddr, tune, nil)
	s.awaitHealthy(t)
	return s
}

// launchService runs app.Run with the test settings (and log, when not nil)
// without waiting for it to become healthy.
func launchService(t *testing.T, brokerAddr string, tune func(*config.Pipeline), log *slog.Logger) *service {
	t.Helper()
	p := config.Defaults(brokerAddr, kafkatest.FreeAddr(t))
	p.CommitInterval = 100 * time.Millisecond
	p.MaxTextBytes = 300
	if tune != nil {
		tune(&p)
	}
	f := config.File{Brands: []brands.Brand{{Name: "skyjet", Handles: []string{"skyjethelp"}}, {Name: "freshcart"}}}
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{reg: prometheus.NewRegistry(), http: p.HTTPAddr, done: make(chan error, 1), stop: cancel}
	go func() { s.done <- app.Run(ctx, p, f, app.Options{Registry: s.reg, Logger: log}) }()
	t.Cleanup(func() { s.shutdown(t) })
	return s
}

// awaitHealthy waits for /healthz to answer 200, failing if the service exits.
func (s *service) awaitHealthy(t *testing.T) {
	t.Helper()
	kafkatest.WaitFor(t, 30*time.Second, "/healthz to answer 200", func() bool {
		select {
		case err := <-s.done:
			t.Fatalf("service exited early: %v", err)
		default:
		}
		code, _ := healthBody(s.http)
		return code == http.StatusOK
	})
}

// shutdown cancels the service and checks that Run returned nil.
func (s *service) shutdown(t *testing.T) {
	t.Helper()
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("Run returned %v after its context was cancelled, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("Run did not return within 30 s of cancellation")
	}
}

func (s *service) counter(name string, labels ...string) float64 {
	mfs, err := s.reg.Gather()
	if err != nil {
		return -1
	}
	total := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
						found = true
					}
				}
				if !found {
					continue metrics
				}
			}
			total += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return total
}

// gauge sums a gauge's series like counter does.
func (s *service) gauge(name string, labels ...string) float64 { return s.counter(name, labels...) }

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func TestEndToEnd(t *testing.T) {
	kcat := kafkatest.NeedTool(t, "kcat", "kcat")
	b := kafkatest.Broker(t, broker.Config{})
	svc := startService(t, b.Addr(), nil)

	// Good posts: JSON through kcat (an independent librdkafka client) ...
	jsonPosts := []string{
		`{"id":"j1","brand":"skyjet","channel":"twitter","text":"@skyjet my bag never arrived and nobody answers, I want a refund"}`,
		`{"id":"j2","channel":"instagram","text":"@SkyJetHelp any promo codes for flights to Lisbon this summer?"}`,
		`{"id":"j3","brand":"FreshCart","channel":"twitter","text":"love the new freshcart app, so easy","created_at":"2026-01-01T10:00:00Z"}`,
	}
	// ... and malformed ones, each with the reason it must be dead-lettered for.
	badJSON := map[string]string{
		`this is {not json`:                                        "undecodable",
		`{"id":"e1","text":"   "}`:                                 "empty_text",
		`{"id":"e2","brand":"skyjet"}`:                             "empty_text",
		`{"id":"e3","text":42}`:                                    "undecodable",
		`{"id":"e4","text":"` + strings.Repeat("long ", 80) + `"}`: "text_too_large",
	}
	var in strings.Builder
	for _, p := range jsonPosts {
		in.WriteString(p + "\n")
	}
	for p := range badJSON {
		in.WriteString(p + "\n")
	}
	cmd := exec.Command(kcat, "-P", "-b", b.Addr(), "-t", "mentions", "-H", "content-type=application/json")
	cmd.Stdin = strings.NewReader(in.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kcat: %v\n%s", err, out)
	}

	// Protobuf posts and bad messages through kafka-go.
	protoPosts := []*pb.Mention{
		{Id: "p1", Brand: "freshcart", Channel: "facebook", Text: "freshcart delivered the wrong order again, third time this month", CustomerTier: pb.ValueTier_VALUE_TIER_HIGH},
		{Id: "p2", Channel: "reddit", Text: "what time does freshcart stop delivering on sundays?"},
		{Id: "p3", Brand: "newbrand", Channel: "myspace", Text: "newbrand giveaway! RT to win a free phone"},
	}
	var msgs []kafka.Message
	for _, p := range protoPosts {
		v, err := proto.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, kafka.Message{Key: []byte(p.Id), Value: v, Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/x-protobuf")}}})
	}
	badKafka := map[string]struct {
		value  []byte
		ct     string
		reason string
	}{
		"b-utf8":  {[]byte("{\"text\":\"bad \xff byte\"}"), "application/json", "invalid_utf8"},
		"b-ctype": {[]byte("text,brand\nhi,skyjet"), "text/csv", "unknown_content_type"},
		"b-trunc": {msgs[0].Value[:len(msgs[0].Value)-4], "application/x-protobuf", "undecodable"},
		"b-field": {[]byte(`{"text":"hello","brand":"` + strings.Repeat("x", 300) + `"}`), "", "invalid_field"},
	}
	for key, bad := range badKafka {
		m := kafka.Message{Key: []byte(key), Value: bad.value}
		if bad.ct != "" {
			m.Headers = []kafka.Header{{Key: "content-type", Value: []byte(bad.ct)}}
		}
		msgs = append(msgs, m)
	}
	kafkatest.Produce(t, b.Addr(), "mentions", msgs...)

	good := len(jsonPosts) + len(protoPosts)
	bad := len(badJSON) + len(badKafka)
	kafkatest.WaitFor(t, 30*time.Second, "every post published or dead-lettered", func() bool {
		return svc.counter("outsidein_published_total")+svc.counter("outsidein_dead_letters_total") >= float64(good+bad)
	})

	// Exact counts on /metrics, read over HTTP as Prometheus would.
	res, err := http.Get("http://" + svc.http + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{"outsidein_build_info{", "outsidein_consumer_lag{", "outsidein_classify_duration_seconds_bucket", "outsidein_mention_age_seconds_bucket"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	exact := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"outsidein_consumed_total", []string{"topic", "mentions"}, float64(good + bad)},
		{"outsidein_published_total", []string{"topic", "mentions.classified"}, float64(good)},
		{"outsidein_mentions_total", nil, float64(good)},
		{"outsidein_mentions_total", []string{"brand", "skyjet"}, 2},
		{"outsidein_mentions_total", []string{"brand", "freshcart"}, 3},
		{"outsidein_mentions_total", []string{"brand", "newbrand", "channel", "other"}, 1},
		{"outsidein_mentions_total", []string{"channel", "twitter"}, 2},
		{"outsidein_dead_letters_total", []string{"reason", "undecodable"}, 3},
		{"outsidein_dead_letters_total", []string{"reason", "empty_text"}, 2},
		{"outsidein_dead_letters_total", []string{"reason", "text_too_large"}, 1},
		{"outsidein_dead_letters_total", []string{"reason", "invalid_utf8"}, 1},
		{"outsidein_dead_letters_total", []string{"reason", "unknown_content_type"}, 1},
		{"outsidein_dead_letters_total", []string{"reason", "invalid_field"}, 1},
	}
	for _, e := range exact {
		if got := svc.counter(e.name, e.labels...); got != e.want {
			t.Errorf("%s%v = %v, want %v", e.name, e.labels, got, e.want)
		}
	}

	// Exact records on the output topic, decoded.
	inputs := kafkatest.ReadAll(t, b.Addr(), "mentions")
	out := kafkatest.ReadAll(t, b.Addr(), "mentions.classified")
	if len(out) != good {
		t.Fatalf("output topic holds %d records, want %d", len(out), good)
	}
	wantBrand := map[string]string{"j1": "skyjet", "j2": "skyjet", "j3": "freshcart", "p1": "freshcart", "p2": "freshcart", "p3": "newbrand"}
	complaints := 0.0
	for _, m := range out {
		var rec pb.ClassifiedMention
		if err := proto.Unmarshal(m.Value, &rec); err != nil {
			t.Fatalf("output record is not a ClassifiedMention: %v", err)
		}
		id := rec.GetMention().GetId()
		if rec.GetMention().GetBrand() != wantBrand[id] {
			t.Errorf("%s: brand %q, want %q", id, rec.GetMention().GetBrand(), wantBrand[id])
		}
		c := rec.GetClassification()
		if c.GetMotive() == pb.Motive_MOTIVE_UNSPECIFIED || c.GetModelVersion() == "" || c.GetConfidence() <= 0 || c.GetConfidence() > 1 {
			t.Errorf("%s: incomplete classification %v", id, c)
		}
		if c.GetComplaint() {
			complaints++
		}
		src := inputs[indexOf(inputs, rec.GetSourcePartition(), rec.GetSourceOffset())]
		if !strings.Contains(string(src.Value), id) {
			t.Errorf("%s: source %s/%d/%d holds %q", id, rec.GetSourceTopic(), rec.GetSourcePartition(), rec.GetSourceOffset(), src.Value)
		}
		if header(m, "content-type") != "application/x-protobuf" {
			t.Errorf("%s: output content-type %q", id, header(m, "content-type"))
		}
		delete(wantBrand, id)
	}
	if len(wantBrand) != 0 {
		t.Errorf("posts missing from the output topic: %v", wantBrand)
	}
	if got := svc.counter("outsidein_complaints_total"); got != complaints {
		t.Errorf("outsidein_complaints_total = %v, output records flag %v complaints", got, complaints)
	}

	// Each malformed message on the dead-letter topic, unchanged, with its reason.
	dlq := kafkatest.ReadAll(t, b.Addr(), "mentions.dlq")
	if len(dlq) != bad {
		t.Fatalf("dead-letter topic holds %d records, want %d", len(dlq), bad)
	}
	for _, m := range dlq {
		want, ok := badJSON[string(m.Value)]
		if !ok {
			bk, found := badKafka[string(m.Key)]
			if !found || string(bk.value) != string(m.Value) {
				t.Errorf("unexpected dead letter key=%q value=%q", m.Key, m.Value)
				continue
			}
			want = bk.reason
		}
		if got := header(m, publish.HeaderReason); got != want {
			t.Errorf("dead letter %q: reason %q, want %q", m.Value, got, want)
		}
		part, off := header(m, publish.HeaderSourcePartition), header(m, publish.HeaderSourceOffset)
		var p int32
		var o int64
		fmt.Sscan(part, &p)
		fmt.Sscan(off, &o)
		if header(m, publish.HeaderSourceTopic) != "mentions" || string(inputs[indexOf(inputs, p, o)].Value) != string(m.Value) {
			t.Errorf("dead letter %q: source headers %s/%s do not point at it", m.Value, part, off)
		}
	}

	// Offsets are committed: the group's committed offsets reach the end.
	kafkatest.WaitFor(t, 10*time.Second, "committed offsets to reach the end of every partition", func() bool {
		return committedLag(t, b.Addr(), "outsidein", "mentions") == 0
	})
	svc.shutdown(t)
}

func indexOf(msgs []kafka.Message, partition int32, offset int64) int {
	for i, m := range msgs {
		if m.Partition == int(partition) && m.Offset == offset {
			return i
		}
	}
	panic(fmt.Sprintf("no input message at %d/%d", partition, offset))
}

// committed is the sum over partitions of the group's committed offsets, or
// -1 when the broker cannot say.
func committed(t *testing.T, addr, group, topic string) int64 {
	t.Helper()
	c, _, err := kafkatest.GroupOffsets(addr, group, topic)
	if err != nil {
		return -1
	}
	return c
}

// committedLag is the sum over partitions of end offset minus the group's
// committed offset, or -1 when the broker cannot say.
func committedLag(t *testing.T, addr, group, topic string) int64 {
	t.Helper()
	_, lag, err := kafkatest.GroupOffsets(addr, group, topic)
	if err != nil {
		return -1
	}
	return lag
}
