package app_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/outsidein/outsidein/internal/app"
)

func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	run := func() error {
		var out bytes.Buffer
		return app.Main(context.Background(), []string{"healthcheck", "--url", srv.URL}, app.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
	}
	if err := run(); err != nil {
		t.Fatalf("healthy service: %v", err)
	}
	status = http.StatusServiceUnavailable
	if err := run(); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("unhealthy service: err = %v, want one naming 503", err)
	}
}

func TestTextLimitFitsAKafkaMessage(t *testing.T) {
	var out bytes.Buffer
	cases := []struct{ args, want string }{
		{"--max-text-bytes 600000", "--max-text-bytes 600000 is more than half of --max-record-bytes 1000000"},
		{"--max-record-bytes 100000 --max-text-bytes 65536", "--max-text-bytes 65536 is more than half of --max-record-bytes 100000"},
		{"--max-record-bytes 100", "--max-record-bytes 100 is less than"},
		{"--max-text-bytes 0", "--max-text-bytes 0 is less than 1"},
	}
	for _, tc := range cases {
		args := append([]string{"serve", "--brokers", "127.0.0.1:1", "--http-addr", "127.0.0.1:0"}, strings.Fields(tc.args)...)
		err := app.Main(context.Background(), args, app.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
		if !errors.Is(err, app.ErrUsage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %s: err = %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	var out bytes.Buffer
	err := app.Main(context.Background(), []string{"frobnicate"}, app.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
	if !errors.Is(err, app.ErrUsage) || !strings.Contains(out.String(), "serve") {
		t.Fatalf("err = %v, usage printed: %q", err, out.String())
	}
}
