// Package config reads outsidein's settings: command-line flags, each with an
// environment variable OUTSIDEIN_<FLAG_NAME> (upper case, dashes as
// underscores) used when the flag is not given, and an optional JSON file
// with the brands.
package config

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/outsidein/outsidein/internal/brands"
)

// EnvName is the environment variable that stands in for a flag.
func EnvName(flagName string) string {
	return "OUTSIDEIN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Parse parses args into fs, then sets every flag not given on the command
// line from its environment variable, when that is set.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(EnvName(f.Name)); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%w: environment variable %s: %w", ErrUsage, EnvName(f.Name), e)
			}
		}
	})
	return err
}

// ErrUsage marks a bad command line: an unknown command or flag, a bad value, a
// missing argument. Such an error wraps it; the command exits with status 2.
var ErrUsage = errors.New("bad command line")

// List is a comma-separated flag value.
type List []string

func (l *List) String() string { return strings.Join(*l, ",") }

// Set replaces the list with the comma-separated values in s.
func (l *List) Set(s string) error {
	*l = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// Kafka holds the connection settings shared by every Kafka client.
type Kafka struct {
	Brokers  List
	ClientID string
	TLS      TLS
	SASL     SASL
}

// TLS settings; TLS is on when any of them is set.
type TLS struct {
	Enabled            bool
	CAFile             string
	CertFile           string
	KeyFile            string
	InsecureSkipVerify bool
}

// SASL settings; Mechanism is "", "plain", "scram-sha-256" or "scram-sha-512".
type SASL struct {
	Mechanism string
	Username  string
	Password  string
}

// BindKafka registers the connection flags.
func BindKafka(fs *flag.FlagSet, k *Kafka, defaultBrokers string) {
	_ = k.Brokers.Set(defaultBrokers)
	fs.Var(&k.Brokers, "brokers", "Kafka bootstrap brokers, comma-separated")
	fs.StringVar(&k.ClientID, "client-id", "outsidein", "Kafka client id")
	fs.BoolVar(&k.TLS.Enabled, "tls", false, "connect to Kafka with TLS")
	fs.StringVar(&k.TLS.CAFile, "tls-ca", "", "PEM file of the CA that signed the brokers' certificates (enables TLS)")
	fs.StringVar(&k.TLS.CertFile, "tls-cert", "", "PEM client certificate for mutual TLS (enables TLS)")
	fs.StringVar(&k.TLS.KeyFile, "tls-key", "", "PEM key of the client certificate (enables TLS)")
	fs.BoolVar(&k.TLS.InsecureSkipVerify, "tls-insecure-skip-verify", false, "do not verify the brokers' certificates (testing only; enables TLS)")
	fs.StringVar(&k.SASL.Mechanism, "sasl-mechanism", "", "SASL mechanism: plain, scram-sha-256 or scram-sha-512 (empty: no SASL)")
	fs.StringVar(&k.SASL.Username, "sasl-username", "", "SASL user name")
	fs.StringVar(&k.SASL.Password, "sasl-password", "", "SASL password (prefer the environment variable OUTSIDEIN_SASL_PASSWORD)")
}

// ConnectionFlags names the flags BindKafka registers that say how to reach and
// authenticate to a cluster (not the client id).
var ConnectionFlags = []string{"brokers", "tls", "tls-ca", "tls-cert", "tls-key", "tls-insecure-skip-verify",
	"sasl-mechanism", "sasl-username", "sasl-password"}

// Pipeline holds the settings of the consume-classify-publish pipeline.
type Pipeline struct {
	Kafka          Kafka
	Group          string
	InputTopics    List
	OutputTopic    string
	DLQTopic       string
	OutputFormat   string
	MaxTextBytes   int
	MaxRecordBytes int
	Workers        int
	BatchSize      int
	Linger         time.Duration
	CommitInterval time.Duration
	SessionTimeout time.Duration
	DrainTimeout   time.Duration
	HTTPAddr       string
	ConfigFile     string
	ModelFile      string
	MaxBrands      int
	LogLevel       string
	// Spike detector of the screen and outsidein_complaint_spike.
	SpikeBucket       time.Duration
	SpikeZ            float64
	SpikeMinComplaint int
	// ViewBackfill is how far back the screen reads the output topic when
	// it starts, to rebuild its windows.
	ViewBackfill time.Duration
	// OffsetReset is where a partition resumes when the group's position
	// lies past its end: earliest or latest.
	OffsetReset string
	// Live feed (/api/v1/stream) limits.
	StreamMaxClients    int
	StreamMaxPerAddress int
}

// BindPipeline registers the pipeline flags (and the Kafka ones).
func BindPipeline(fs *flag.FlagSet, p *Pipeline, defaultBrokers, defaultHTTP string) {
	BindKafka(fs, &p.Kafka, defaultBrokers)
	fs.StringVar(&p.Group, "group", "outsidein", "consumer group id")
	_ = p.InputTopics.Set("mentions")
	fs.Var(&p.InputTopics, "input-topics", "input topics, comma-separated")
	fs.StringVar(&p.OutputTopic, "output-topic", "mentions.classified", "topic the classified mentions are written to")
	fs.StringVar(&p.DLQTopic, "dlq-topic", "mentions.dlq", "dead-letter topic for messages that cannot be processed")
	fs.StringVar(&p.OutputFormat, "output-format", "protobuf", "format of the output records: protobuf or json")
	fs.IntVar(&p.MaxTextBytes, "max-text-bytes", 64<<10, "largest post text accepted, in bytes (at most half of --max-record-bytes); longer posts are dead-lettered")
	fs.IntVar(&p.MaxRecordBytes, "max-record-bytes", 1_000_000, "largest record sent to Kafka, in bytes: at most the output and dead-letter topics' max.message.bytes")
	fs.IntVar(&p.Workers, "workers", runtime.GOMAXPROCS(0), "classification workers (default: one per CPU)")
	fs.IntVar(&p.BatchSize, "batch-size", 1000, "most records published in one batch")
	fs.DurationVar(&p.Linger, "linger", 5*time.Millisecond, "how long a partial batch waits for more records")
	fs.DurationVar(&p.CommitInterval, "commit-interval", time.Second, "how often consumed offsets are committed")
	fs.DurationVar(&p.SessionTimeout, "session-timeout", 10*time.Second, "consumer-group session timeout: how soon a dead member's partitions move to the others")
	fs.DurationVar(&p.DrainTimeout, "drain-timeout", 15*time.Second, "at shutdown, how long to finish, publish and commit in-flight posts")
	fs.StringVar(&p.HTTPAddr, "http-addr", defaultHTTP, "address of the HTTP server (/metrics, /healthz, the screen)")
	fs.StringVar(&p.ConfigFile, "config", "", "JSON file with the brands (names, handles, hashtags, expected_motives)")
	fs.StringVar(&p.ModelFile, "model", "", "classifier model file made by outsidein train (default: the built-in model)")
	fs.IntVar(&p.MaxBrands, "max-brands", 100, "unconfigured brands that get their own metric label before the rest fold into \"other\"")
	fs.StringVar(&p.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&p.SpikeBucket, "spike-bucket", 0, "complaint spike detector's bucket width (0: 1m for serve, 4s for demo)")
	fs.Float64Var(&p.SpikeZ, "spike-z", 4, "z-score above a brand's own complaint baseline that raises a spike")
	fs.IntVar(&p.SpikeMinComplaint, "spike-min-complaints", 5, "fewest complaints in one bucket that can be a spike (volume guard)")
	fs.StringVar(&p.OffsetReset, "offset-reset", "earliest", "where a partition resumes when the group's position lies past its end (the input topic was deleted and created again): earliest or latest (the records in between are counted as skipped)")
	fs.IntVar(&p.StreamMaxClients, "stream-max-clients", 32, "most live-feed (/api/v1/stream) clients at once; more get 503")
	fs.IntVar(&p.StreamMaxPerAddress, "stream-max-per-address", 4, "most live-feed streams from one client address; a newer one replaces that address's oldest")
	fs.DurationVar(&p.ViewBackfill, "view-backfill", 24*time.Hour, "how far back the screen reads the output topic at start-up to rebuild its windows (the 24h mix needs 24h)")
}

// File is the JSON configuration file.
type File struct {
	Brands []brands.Brand `json:"brands"`
	// Channels are the channel label values kept; others count as "other".
	Channels []string `json:"channels,omitempty"`
}

// LoadFile reads a configuration file; path "" gives an empty File.
func LoadFile(path string) (File, error) {
	var f File
	if path == "" {
		return f, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return f, fmt.Errorf("reading config: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("parsing config %s: %w", path, err)
	}
	return f, nil
}

// Defaults returns the pipeline settings as the flags default them, with the
// given brokers and HTTP address.
func Defaults(brokers, httpAddr string) Pipeline {
	var p Pipeline
	fs := flag.NewFlagSet("defaults", flag.ContinueOnError)
	BindPipeline(fs, &p, brokers, httpAddr)
	return p
}
