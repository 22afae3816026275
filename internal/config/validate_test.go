package config

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestValidate: the defaults pass, and each setting that cannot work is a
// usage error naming its flag.
func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		args string
		want string // "" for valid
	}{
		{"defaults", "", ""},
		{"json output", "--output-format json", ""},
		{"unknown output format", "--output-format xml", "--output-format"},
		{"zero workers", "--workers 0", "--workers"},
		{"negative workers", "--workers -3", "--workers"},
		{"zero batch", "--batch-size 0", "--batch-size"},
		{"negative linger", "--linger -1s", "--linger"},
		{"zero commit interval", "--commit-interval 0s", "--commit-interval"},
		{"zero session timeout", "--session-timeout 0s", "--session-timeout"},
		{"zero drain timeout", "--drain-timeout 0s", "--drain-timeout"},
		{"zero brands", "--max-brands 0", "--max-brands"},
		{"bad log level", "--log-level loud", "--log-level"},
		{"negative spike bucket", "--spike-bucket -1m", "--spike-bucket"},
		{"zero spike z", "--spike-z 0", "--spike-z"},
		{"zero spike minimum", "--spike-min-complaints 0", "--spike-min-complaints"},
		{"record too small", "--max-record-bytes 100", "--max-record-bytes 100 is less than"},
		{"latest offset reset", "--offset-reset latest", ""},
		{"unknown offset reset", "--offset-reset newest", "--offset-reset"},
		{"zero stream clients", "--stream-max-clients 0", "--stream-max-clients"},
		{"zero streams per address", "--stream-max-per-address 0", "--stream-max-per-address"},
		{"zero view backfill", "--view-backfill 0s", "--view-backfill"},
		{"no text", "--max-text-bytes 0", "--max-text-bytes 0 is less than 1"},
		{"text over half a record", "--max-text-bytes 600000", "more than half of --max-record-bytes"},
		{"no input topic", "--input-topics ,", "--input-topics"},
		{"output is an input", "--input-topics mentions,mentions.classified", "must not be input topics"},
		{"empty group", "--group=", "--group"},
		{"certificate without key", "--tls-cert c.pem", "--tls-key"},
		{"unknown SASL mechanism", "--sasl-mechanism gssapi", "--sasl-mechanism"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p Pipeline
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			BindPipeline(fs, &p, "localhost:9092", ":8080")
			if err := fs.Parse(strings.Fields(tc.args)); err != nil {
				t.Fatal(err)
			}
			err := p.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate: %v, want a usage error containing %q", err, tc.want)
			}
		})
	}
}
