package cli

import (
	"context"
	"fmt"

	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
)

// brokerCommand runs an embedded Kafka-protocol broker until ctx ends.
func brokerCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("broker", "broker [flags]", "Runs an embedded Kafka-protocol broker (kfake) for local development and benchmarks.", s.Err)
	addr := fs.String("addr", "127.0.0.1:9092", "listen address (port 0: any free port)")
	partitions := fs.Int("partitions", 6, "partitions of each topic")
	var topics config.List
	_ = topics.Set("mentions,mentions.classified,mentions.dlq")
	fs.Var(&topics, "topics", "topics to create, comma-separated")
	dataDir := fs.String("data-dir", "", "keep the log in this folder (default: in memory)")
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("broker takes no arguments, got %q", fs.Arg(0))
	case *partitions < 1:
		return usageErr("--partitions %d: want at least 1", *partitions)
	}
	b, err := broker.Start(broker.Config{Addr: *addr, Topics: topics, Partitions: int32(*partitions), DataDir: *dataDir})
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintf(s.Out, "broker listening on %s (topics %s)\n", b.Addr(), topics.String())
	<-ctx.Done()
	return nil
}
