package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// health is a settable Health: the reason it is not ready, "" when it is.
type health struct{ why atomic.Value }

func (h *health) NotReady() string { return h.why.Load().(string) }

func TestEndpoints(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "outsidein_test_total", Help: "A test counter."}))
	h := &health{}
	h.why.Store("")
	s := New("127.0.0.1:0", reg, h, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ln, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	get := func(method, path string) (*http.Response, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader("x"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	cases := []struct {
		name, method, path string
		notReady           string
		want               int
		body               string
	}{
		{"not ready before joining", "GET", "/healthz", "the consumer has not joined its group yet", 503, "not ready: the consumer has not joined its group yet"},
		{"not ready names the missing topic", "GET", "/healthz", "topics missing on the cluster: nope", 503, "not ready: topics missing on the cluster: nope"},
		{"ready", "GET", "/healthz", "", 200, "ok"},
		{"alive regardless", "GET", "/livez", "the broker is unreachable", 200, "ok"},
		{"metrics", "GET", "/metrics", "", 200, "outsidein_test_total 0"},
		{"no writes", "POST", "/metrics", "", 405, ""},
		{"no deletes", "DELETE", "/healthz", "", 405, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.why.Store(tc.notReady)
			res, body := get(tc.method, tc.path)
			if res.StatusCode != tc.want || !strings.Contains(body, tc.body) {
				t.Fatalf("%s %s = %d %q, want %d containing %q", tc.method, tc.path, res.StatusCode, body, tc.want, tc.body)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Fatalf("CSP = %q", csp)
			}
		})
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v after cancel, want nil", err)
	}
}
