package app_test

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/kafkatest"
)

// TestMetricsPassPromtool scrapes a running service's /metrics, after posts
// of every outcome went through, and checks it with `promtool check metrics`
// (naming and help conventions).
func TestMetricsPassPromtool(t *testing.T) {
	promtool := kafkatest.NeedTool(t, "promtool", "prometheus")
	b := kafkatest.Broker(t, broker.Config{})
	svc := startService(t, b.Addr(), nil)
	msgs := posts(50, "m")
	msgs[0].Value = []byte("not json")
	kafkatest.Produce(t, b.Addr(), "mentions", msgs...)
	kafkatest.WaitFor(t, 30*time.Second, "posts published", func() bool {
		return svc.counter("outsidein_published_total")+svc.counter("outsidein_dead_letters_total") >= 50
	})
	res, err := http.Get("http://" + svc.http + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"outsidein_mentions_total", "outsidein_dead_letters_total", "outsidein_complaint_spike", "outsidein_build_info"} {
		if !strings.Contains(string(body), "\n"+name) {
			t.Errorf("scrape lacks %s", name)
		}
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(string(body))
	if out, err := cmd.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}

	// The check can fail: a counter without _total is reported.
	bad := exec.Command(promtool, "check", "metrics")
	bad.Stdin = strings.NewReader("# HELP outsidein_bad_count A counter named badly.\n# TYPE outsidein_bad_count counter\noutsidein_bad_count 1\n")
	if out, err := bad.CombinedOutput(); err == nil && len(strings.TrimSpace(string(out))) == 0 {
		t.Fatal("promtool accepted a counter without the _total suffix: the check above proves nothing")
	}
}
