package cli_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outsidein/outsidein/internal/cli"
	"github.com/outsidein/outsidein/internal/kafkatest"
)

// The demo writes JSON records by default, so that the kcat command it
// prints shows them readably, and protobuf when asked.
func TestDemoOutputFormat(t *testing.T) {
	brokerLine := regexp.MustCompile(`broker:\s+(\S+)`)
	for _, tc := range []struct {
		args        []string
		contentType string
		says        string
	}{
		{nil, "application/json", "(JSON records)"},
		{[]string{"--output-format", "protobuf"}, "application/x-protobuf", "protobuf records"},
	} {
		t.Run(tc.contentType, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out kafkatest.SyncBuffer
			args := append([]string{"demo", "--http-addr", "127.0.0.1:0", "--broker-addr", "127.0.0.1:0", "--rate", "200"}, tc.args...)
			done := make(chan error, 1)
			go func() { done <- cli.Main(ctx, args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out}) }()
			var addr string
			kafkatest.WaitFor(t, 30*time.Second, "the demo to start", func() bool {
				if m := brokerLine.FindStringSubmatch(out.String()); m != nil {
					addr = m[1]
				}
				return addr != ""
			})
			if !strings.Contains(out.String(), tc.says) {
				t.Errorf("the printed kcat command does not say %q:\n%s", tc.says, out.String())
			}
			kafkatest.WaitFor(t, 30*time.Second, "classified records", func() bool { return kafkatest.Count(addr, "mentions.classified") > 0 })
			msgs := kafkatest.ReadAll(t, addr, "mentions.classified")
			m := msgs[0]
			var ct string
			for _, h := range m.Headers {
				if h.Key == "content-type" {
					ct = string(h.Value)
				}
			}
			if ct != tc.contentType {
				t.Errorf("content-type %q, want %q", ct, tc.contentType)
			}
			if isJSON := json.Valid(m.Value); isJSON != (tc.contentType == "application/json") {
				t.Errorf("record is JSON: %v, want %v: %q", isJSON, !isJSON, m.Value)
			}
			cancel()
			if err := <-done; err != nil {
				t.Errorf("demo: %v", err)
			}
		})
	}
}
