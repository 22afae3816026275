package config

import (
	"fmt"
	"log/slog"
	"runtime"
	"slices"
)

// MinRecordBytes is the smallest --max-record-bytes: room for a dead letter
// without its payload (outsidein's headers only).
const MinRecordBytes = 4096

// OutputFormats are the values --output-format takes.
var OutputFormats = []string{"protobuf", "json"}

// Validate reports the first pipeline setting that cannot work, as an
// ErrUsage error naming its flag. It does not read files or reach brokers:
// those fail later, when the pipeline starts.
func (p Pipeline) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrUsage}, args...)...)
	}
	var level slog.Level
	switch {
	case len(p.InputTopics) == 0:
		return bad("--input-topics is empty")
	case p.OutputTopic == "" || p.DLQTopic == "":
		return bad("--output-topic and --dlq-topic must be set")
	case slices.Contains(p.InputTopics, p.OutputTopic) || slices.Contains(p.InputTopics, p.DLQTopic):
		return bad("the output and dead-letter topics must not be input topics (it would consume its own output)")
	case p.Group == "":
		return bad("--group must be set")
	case !slices.Contains(OutputFormats, p.OutputFormat):
		return bad("--output-format %q: want protobuf or json", p.OutputFormat)
	case p.MaxRecordBytes < MinRecordBytes:
		return bad("--max-record-bytes %d is less than %d", p.MaxRecordBytes, MinRecordBytes)
	case p.MaxTextBytes < 1:
		return bad("--max-text-bytes %d is less than 1", p.MaxTextBytes)
	case p.MaxTextBytes > p.MaxRecordBytes/2:
		return bad("--max-text-bytes %d is more than half of --max-record-bytes %d: a classified record carries the text and must fit a Kafka message", p.MaxTextBytes, p.MaxRecordBytes)
	case p.Workers < 1:
		return bad("--workers %d: want at least 1 (default: one per CPU, %d here)", p.Workers, runtime.GOMAXPROCS(0))
	case p.BatchSize < 1:
		return bad("--batch-size %d: want at least 1", p.BatchSize)
	case p.Linger < 0:
		return bad("--linger %v is negative", p.Linger)
	case p.CommitInterval <= 0:
		return bad("--commit-interval %v: want more than 0", p.CommitInterval)
	case p.SessionTimeout <= 0:
		return bad("--session-timeout %v: want more than 0", p.SessionTimeout)
	case p.DrainTimeout <= 0:
		return bad("--drain-timeout %v: want more than 0", p.DrainTimeout)
	case p.MaxBrands < 1:
		return bad("--max-brands %d: want at least 1", p.MaxBrands)
	case level.UnmarshalText([]byte(p.LogLevel)) != nil:
		return bad("--log-level %q: want debug, info, warn or error", p.LogLevel)
	case p.SpikeBucket < 0:
		return bad("--spike-bucket %v is negative", p.SpikeBucket)
	case !(p.SpikeZ > 0):
		return bad("--spike-z %v: want more than 0", p.SpikeZ)
	case p.SpikeMinComplaint < 1:
		return bad("--spike-min-complaints %d: want at least 1", p.SpikeMinComplaint)
	case p.OffsetReset != "earliest" && p.OffsetReset != "latest":
		return bad("--offset-reset %q: want earliest or latest", p.OffsetReset)
	case p.StreamMaxClients < 1:
		return bad("--stream-max-clients %d: want at least 1", p.StreamMaxClients)
	case p.StreamMaxPerAddress < 1:
		return bad("--stream-max-per-address %d: want at least 1", p.StreamMaxPerAddress)
	case p.ViewBackfill <= 0:
		return bad("--view-backfill %v: want more than 0", p.ViewBackfill)
	}
	return p.Kafka.Validate()
}

// Validate reports Kafka settings that contradict each other, as an ErrUsage
// error. An empty broker list is left to Clients: the demo fills it in.
func (k Kafka) Validate() error {
	if (k.TLS.CertFile == "") != (k.TLS.KeyFile == "") {
		return fmt.Errorf("%w: a TLS client certificate needs both --tls-cert and --tls-key (got cert %q, key %q)", ErrUsage, k.TLS.CertFile, k.TLS.KeyFile)
	}
	if _, err := k.Mechanism(); err != nil {
		return fmt.Errorf("%w: --sasl-mechanism: %w", ErrUsage, err)
	}
	return nil
}
