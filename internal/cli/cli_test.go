package cli_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/cli"
	"github.com/outsidein/outsidein/internal/config"
)

func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	run := func() error {
		var out bytes.Buffer
		return cli.Main(context.Background(), []string{"healthcheck", "--url", srv.URL}, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
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
		err := cli.Main(context.Background(), args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
		if !errors.Is(err, config.ErrUsage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %s: err = %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	var out bytes.Buffer
	err := cli.Main(context.Background(), []string{"frobnicate"}, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
	if !errors.Is(err, config.ErrUsage) || !strings.Contains(out.String(), "serve") {
		t.Fatalf("err = %v, usage printed: %q", err, out.String())
	}
}

// TestDemoRefusesConnectionSettings: the demo runs its own broker, so settings for
// another cluster, on the command line or in the environment, are refused, not ignored.
func TestDemoRefusesConnectionSettings(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"brokers flag", []string{"--brokers", "10.0.0.1:9092"}, nil, "--brokers (OUTSIDEIN_BROKERS)"},
		{"tls flag", []string{"--tls"}, nil, "--tls (OUTSIDEIN_TLS)"},
		{"sasl from the environment", nil, map[string]string{"OUTSIDEIN_SASL_MECHANISM": "plain"}, "--sasl-mechanism (OUTSIDEIN_SASL_MECHANISM)"},
		// A shell that exports serve's variables at their defaults still runs the demo
		// (until the context ends).
		{"defaults from the environment are fine", nil, map[string]string{"OUTSIDEIN_TLS": "false", "OUTSIDEIN_SASL_MECHANISM": ""}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out bytes.Buffer
			args := append([]string{"demo", "--http-addr", "127.0.0.1:0", "--broker-addr", "127.0.0.1:0"}, tc.args...)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := cli.Main(ctx, args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
			if tc.want == "" {
				if err != nil || !strings.Contains(out.String(), "outsidein demo running") {
					t.Fatalf("err = %v, want the demo to run until the context ends; output:\n%s", err, out.String())
				}
				return
			}
			if !errors.Is(err, config.ErrUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a usage error naming %q", err, tc.want)
			}
		})
	}
}

// TestHelpAndBadFlags: -h prints a command's flags and succeeds; an unknown flag is a
// usage error, for every command.
func TestHelpAndBadFlags(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {"demo"}, {"classify"}, {"train"}, {"eval"}, {"bench"}, {"bench", "classify"}, {"bench", "pipeline"}, {"healthcheck"}, {"replay"}, {"broker"}, {"version"}} {
		name := strings.Join(cmd, " ")
		var out bytes.Buffer
		if err := cli.Main(context.Background(), append(append([]string{}, cmd...), "-h"), cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out}); err != nil {
			t.Errorf("%s -h: %v", name, err)
		}
		if !strings.Contains(out.String(), "usage") && !strings.Contains(out.String(), "Usage") {
			t.Errorf("%s -h printed no usage: %q", name, out.String())
		}
		if name == "bench" {
			continue // its next word names the benchmark
		}
		out.Reset()
		err := cli.Main(context.Background(), append(append([]string{}, cmd...), "--no-such-flag"), cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
		if !errors.Is(err, config.ErrUsage) || !strings.Contains(err.Error(), "no-such-flag") {
			t.Errorf("%s --no-such-flag: err = %v, want a usage error naming the flag", name, err)
		}
	}
}

// TestBadValuesAreUsageErrors: a value no command can work with is a usage
// error (exit status 2) naming the flag, before anything starts.
func TestBadValuesAreUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--output-format", "xml"}, "--output-format"},
		{[]string{"serve", "--workers", "-3"}, "--workers"},
		{[]string{"serve", "--workers", "0"}, "--workers"},
		{[]string{"serve", "--log-level", "loud"}, "--log-level"},
		{[]string{"serve", "stray"}, "no arguments"},
		{[]string{"demo", "--rate", "-5"}, "--rate"},
		{[]string{"demo", "--rate", "0"}, "--rate"},
		{[]string{"demo", "--workers", "-3"}, "--workers"},
		{[]string{"demo", "--partitions", "0"}, "--partitions"},
		{[]string{"demo", "--burst-every", "-1s"}, "--burst-every"},
		{[]string{"replay", "--rate", "-1"}, "--rate"},
		{[]string{"broker", "--partitions", "0"}, "--partitions"},
		{[]string{"classify", "--workers", "0"}, "--workers"},
		{[]string{"bench", "classify", "--workers", "-1"}, "--workers"},
		{[]string{"bench", "classify", "--duration", "0s"}, "--duration"},
		{[]string{"bench", "pipeline", "--posts", "0"}, "--posts"},
		{[]string{"bench", "pipeline", "--workers", "-2"}, "--workers"},
		{[]string{"bench", "pipeline", "--latency-rate", "-1"}, "--latency-rate"},
		{[]string{"train", "--data", "x", "--out", "m", "--epochs", "-1"}, "--epochs"},
		{[]string{"eval", "--data", "a", "b"}, "one data file"},
		{[]string{"healthcheck", "--timeout", "0s"}, "--timeout"},
		{[]string{"version", "extra"}, "no arguments"},
		{nil, "no command"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := cli.Main(ctx, tc.args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
			if !errors.Is(err, config.ErrUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a usage error containing %q", err, tc.want)
			}
		})
	}
}

// TestVersion prints the module version, the VCS revision, the Go version and
// the built-in model's version.
func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := cli.Main(context.Background(), []string{"version"}, cli.Stdio{Out: &out, Err: &out}); err != nil {
		t.Fatal(err)
	}
	clf, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"outsidein ", "revision ", "go        " + runtime.Version(), "model     " + clf.Version()} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("version output lacks %q:\n%s", want, out.String())
		}
	}
}
