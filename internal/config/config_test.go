package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEnvironmentStandsInForFlags(t *testing.T) {
	t.Setenv("OUTSIDEIN_INPUT_TOPICS", "a, b")
	t.Setenv("OUTSIDEIN_GROUP", "from-env")
	t.Setenv("OUTSIDEIN_COMMIT_INTERVAL", "250ms")
	t.Setenv("OUTSIDEIN_SASL_MECHANISM", "scram-sha-512")
	var p Pipeline
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	BindPipeline(fs, &p, "localhost:9092", ":8080")
	if err := Parse(fs, []string{"--group", "from-flag", "--brokers", "k1:9092,k2:9092"}); err != nil {
		t.Fatal(err)
	}
	if p.Group != "from-flag" {
		t.Errorf("group = %q: a given flag must win over its variable", p.Group)
	}
	if len(p.InputTopics) != 2 || p.InputTopics[1] != "b" || p.CommitInterval != 250*time.Millisecond || p.Kafka.SASL.Mechanism != "scram-sha-512" {
		t.Errorf("variables not applied: %+v", p)
	}
	if len(p.Kafka.Brokers) != 2 || p.OutputTopic != "mentions.classified" {
		t.Errorf("flags or defaults lost: %+v", p)
	}
}

func TestBadEnvironmentValueIsAnError(t *testing.T) {
	t.Setenv("OUTSIDEIN_WORKERS", "many")
	var p Pipeline
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	BindPipeline(fs, &p, "", "")
	if err := Parse(fs, nil); err == nil {
		t.Fatal("OUTSIDEIN_WORKERS=many accepted")
	}
}

func TestKafkaClients(t *testing.T) {
	cases := []struct {
		name    string
		k       Kafka
		wantErr bool
		tls     bool
		sasl    string
	}{
		{"plain connection", Kafka{Brokers: List{"b:9092"}}, false, false, ""},
		{"no brokers", Kafka{}, true, false, ""},
		{"tls on", Kafka{Brokers: List{"b:9092"}, TLS: TLS{Enabled: true}}, false, true, ""},
		{"missing CA file", Kafka{Brokers: List{"b:9092"}, TLS: TLS{CAFile: "/nonexistent.pem"}}, true, false, ""},
		{"skip verify alone turns TLS on", Kafka{Brokers: List{"b:9092"}, TLS: TLS{InsecureSkipVerify: true}}, false, true, ""},
		{"key without certificate", Kafka{Brokers: List{"b:9092"}, TLS: TLS{KeyFile: "/nonexistent.key"}}, true, false, ""},
		{"certificate without key", Kafka{Brokers: List{"b:9092"}, TLS: TLS{CertFile: "/nonexistent.pem"}}, true, false, ""},
		{"missing certificate files", Kafka{Brokers: List{"b:9092"}, TLS: TLS{CertFile: "/nonexistent.pem", KeyFile: "/nonexistent.key"}}, true, false, ""},
		{"sasl plain", Kafka{Brokers: List{"b:9092"}, SASL: SASL{Mechanism: "plain", Username: "u", Password: "p"}}, false, false, "PLAIN"},
		{"scram 256", Kafka{Brokers: List{"b:9092"}, SASL: SASL{Mechanism: "scram-sha-256", Username: "u", Password: "p"}}, false, false, "SCRAM-SHA-256"},
		{"scram 512", Kafka{Brokers: List{"b:9092"}, SASL: SASL{Mechanism: "SCRAM-SHA-512", Username: "u", Password: "p"}}, false, false, "SCRAM-SHA-512"},
		{"unknown mechanism", Kafka{Brokers: List{"b:9092"}, SASL: SASL{Mechanism: "gssapi"}}, true, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, tr, err := tc.k.Clients()
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (d.TLS != nil) != tc.tls || (tr.TLS != nil) != tc.tls {
				t.Errorf("TLS on dialer/transport = %v/%v, want %v", d.TLS != nil, tr.TLS != nil, tc.tls)
			}
			got := ""
			if d.SASLMechanism != nil {
				got = d.SASLMechanism.Name()
			}
			if got != tc.sasl {
				t.Errorf("SASL mechanism %q, want %q", got, tc.sasl)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"brands":[{"name":"skyjet","handles":["skyjet"],"expected_motives":{"service":1}}]}`), 0o600)
	f, err := LoadFile(good)
	if err != nil || len(f.Brands) != 1 || f.Brands[0].ExpectedMotives["service"] != 1 {
		t.Fatalf("LoadFile = %+v, %v", f, err)
	}
	typo := filepath.Join(dir, "typo.json")
	os.WriteFile(typo, []byte(`{"brands":[{"name":"skyjet","handle":["skyjet"]}]}`), 0o600)
	if _, err := LoadFile(typo); err == nil {
		t.Fatal("unknown field accepted: a typo would silently drop configuration")
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Fatal("missing file accepted")
	}
}

// TestTLSCertificateNeedsItsKey: a certificate without its key, or the reverse, is
// refused with a message naming both flags, before any file is read.
func TestTLSCertificateNeedsItsKey(t *testing.T) {
	for _, tls := range []TLS{{CertFile: "client.pem"}, {KeyFile: "client.key"}} {
		k := Kafka{Brokers: List{"b:9092"}, TLS: tls}
		if err := k.Validate(); !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "needs both --tls-cert and --tls-key") {
			t.Errorf("Validate %+v: err = %v, want a usage error naming both flags", tls, err)
		}
		if _, _, err := k.Clients(); !errors.Is(err, ErrUsage) {
			t.Errorf("Clients %+v: err = %v, want the same usage error", tls, err)
		}
	}
}
