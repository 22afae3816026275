package cli

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/demo"
	"github.com/outsidein/outsidein/internal/replay"
)

// demoSettings are the demo's own flags, besides the pipeline's.
type demoSettings struct {
	brokerAddr string
	rate       float64
	partitions int
	dataDir    string
	burstEvery time.Duration
	firstBurst time.Duration
}

func (d demoSettings) validate() error {
	switch {
	case !(d.rate > 0):
		return usageErr("--rate %v: want more than 0 posts per second", d.rate)
	case d.partitions < 1:
		return usageErr("--partitions %d: want at least 1", d.partitions)
	case d.burstEvery < 0:
		return usageErr("--burst-every %v is negative (0: no bursts)", d.burstEvery)
	case d.firstBurst < 0:
		return usageErr("--first-burst %v is negative", d.firstBurst)
	}
	return nil
}

// demoCommand runs the pipeline on an embedded broker fed with generated sample
// posts until ctx ends.
func demoCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("demo", "demo [flags]", "Runs the whole pipeline on an embedded Kafka broker fed with sample posts.", s.Err)
	var p config.Pipeline
	config.BindPipeline(fs, &p, "", "127.0.0.1:8080")
	// The demo writes JSON, so that the kcat command it prints shows
	// readable records; serve keeps protobuf.
	p.OutputFormat = "json"
	fs.Lookup("output-format").DefValue = "json"
	var d demoSettings
	fs.StringVar(&d.brokerAddr, "broker-addr", "127.0.0.1:9092", "address the embedded Kafka broker listens on")
	fs.Float64Var(&d.rate, "rate", 50, "sample posts produced per second")
	fs.IntVar(&d.partitions, "partitions", 6, "partitions of each topic")
	fs.StringVar(&d.dataDir, "data-dir", "", "keep the embedded broker's log in this folder (default: in memory)")
	fs.DurationVar(&d.burstEvery, "burst-every", 2*time.Minute, "time between complaint bursts for one brand (0: none)")
	fs.DurationVar(&d.firstBurst, "first-burst", 15*time.Second, "when the first complaint burst starts (after the screen's spike detector has learned a baseline)")
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("demo takes no arguments, got %q", fs.Arg(0))
	}
	// The demo runs its own broker: settings for another cluster would be ignored.
	var foreign []string
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(config.ConnectionFlags, f.Name) && f.Value.String() != f.DefValue {
			foreign = append(foreign, "--"+f.Name+" ("+config.EnvName(f.Name)+")")
		}
	})
	if len(foreign) > 0 {
		return usageErr("demo runs its own embedded broker and takes no Kafka connection settings, got %s; use serve to connect to a cluster", strings.Join(foreign, ", "))
	}
	if p.SpikeBucket == 0 {
		p.SpikeBucket = 4 * time.Second // so that the demo's bursts show within seconds
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := d.validate(); err != nil {
		return err
	}
	log, err := newLogger(s.Err, p.LogLevel)
	if err != nil {
		return err
	}
	var f config.File
	if p.ConfigFile != "" {
		f, err = config.LoadFile(p.ConfigFile)
	} else {
		f, err = demo.Config()
	}
	if err != nil {
		return err
	}
	topics := append(append([]string{}, p.InputTopics...), p.OutputTopic, p.DLQTopic)
	b, err := broker.Start(broker.Config{Addr: d.brokerAddr, Topics: topics, Partitions: int32(d.partitions), DataDir: d.dataDir})
	if err != nil {
		return err
	}
	defer b.Close()
	p.Kafka.Brokers = config.List{b.Addr()}
	gen, err := demo.NewGenerator(demo.Options{BurstEvery: d.burstEvery, FirstBurst: d.firstBurst, Seed: uint64(time.Now().UnixNano())})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prodErr := make(chan error, 1)
	go func() {
		w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: p.InputTopics[0], Balancer: &kafka.Hash{},
			BatchTimeout: 5 * time.Millisecond, RequiredAcks: kafka.RequireOne}
		defer w.Close()
		_, err := replay.Run(ctx, w, func() (kafka.Message, bool, error) { m, _ := gen.Next(); return m, true, nil }, d.rate, nil)
		prodErr <- err
	}()
	ready := func(httpAddr string) {
		fmt.Fprintf(s.Out, "outsidein demo running\n  screen:   http://%s/\n  metrics:  http://%s/metrics\n  health:   http://%s/healthz\n  broker:   %s (topics %s)\n"+
			"  produce:  echo '{\"brand\":\"skyjet\",\"text\":\"@skyjet where is my bag?\"}' | kcat -P -b %s -t %s -H content-type=application/json\n"+
			"  read:     kcat -C -b %s -t %s -o beginning   (%s)\n"+
			"sample posts at %.0f/s; Ctrl-C stops.\n",
			httpAddr, httpAddr, httpAddr, b.Addr(), strings.Join(topics, ", "), b.Addr(), p.InputTopics[0], b.Addr(), p.OutputTopic, readFormat(p.OutputFormat), d.rate)
	}
	runErr := app.Run(ctx, p, f, app.Options{Logger: log, Ready: ready})
	cancel()
	if err := <-prodErr; err != nil && runErr == nil {
		return fmt.Errorf("demo producer: %w", err)
	}
	return runErr
}

// readFormat says what the demo's kcat command shows in format.
func readFormat(format string) string {
	if format == "json" {
		return "JSON records"
	}
	return format + " records: binary on a terminal; the default, --output-format json, is readable"
}
