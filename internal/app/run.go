// Package app wires outsidein's pipeline together: Run starts the consumer
// group, classifier, publisher, metrics and HTTP server, and returns once
// they have stopped. The command line lives in internal/cli.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/build"
	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/ingest"
	"github.com/outsidein/outsidein/internal/process"
	"github.com/outsidein/outsidein/internal/publish"
	"github.com/outsidein/outsidein/internal/screen"
	"github.com/outsidein/outsidein/internal/tally"
	"github.com/outsidein/outsidein/internal/view"
	"github.com/outsidein/outsidein/internal/web"
	"github.com/outsidein/outsidein/internal/wire"
)

// Options are what Run needs besides the settings.
type Options struct {
	// Registry collects the service's metrics (nil: a new one).
	Registry *prometheus.Registry
	Logger   *slog.Logger
	// Ready, when set, is called once the HTTP server listens.
	Ready func(httpAddr string)
	// Screen tunes the command-center screen (zero: its defaults).
	Screen screen.Options
	// Acked, when set, sees every message once its result is acknowledged
	// (benchmarks measure latency with it).
	Acked func(src kafka.Message, fetched time.Time)
}

// batchFraming is kept free under --max-record-bytes for the record batch's
// own header (61 bytes in Kafka's v2 format), which the broker counts
// against max.message.bytes too.
const batchFraming = 128

// Run runs the pipeline with settings p and brand configuration f until ctx
// ends, then drains, commits and returns nil. Any other return is a failure
// to start or to go on.
func Run(ctx context.Context, p config.Pipeline, f config.File, o Options) error {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	if err := p.Validate(); err != nil {
		return err
	}
	recordBytes := int64(p.MaxRecordBytes - batchFraming)
	reg := o.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	clf, err := loadClassifier(p.ModelFile)
	if err != nil {
		return err
	}
	catalog, err := brands.NewCatalog(f.Brands)
	if err != nil {
		return fmt.Errorf("brand configuration: %w", err)
	}
	enc, err := wire.NewEncoder(p.OutputFormat)
	if err != nil {
		return err
	}
	dialer, transport, err := p.Kafka.Clients()
	if err != nil {
		return fmt.Errorf("kafka settings: %w", err)
	}

	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	promauto.With(reg).NewGaugeVec(prometheus.GaugeOpts{Name: "outsidein_build_info",
		Help: "Always 1; labels name the build and the classifier model."}, []string{"version", "goversion", "model"}).
		WithLabelValues(build.Read().Version, runtime.Version(), clf.Version()).Set(1)
	var names []string
	for _, b := range catalog.Brands() {
		names = append(names, b.Name)
	}
	counts := tally.New(reg, tally.Config{Brands: names, MaxExtraBrands: p.MaxBrands, Channels: f.Channels})
	writer := publish.NewWriter(publish.Config{Brokers: p.Kafka.Brokers, Transport: transport,
		OutputTopic: p.OutputTopic, BatchBytes: recordBytes, Logger: log}, publish.NewMetrics(reg, wire.Reasons))
	scrOpts := o.Screen
	if scrOpts.Bucket == 0 {
		scrOpts.Bucket = p.SpikeBucket
	}
	if scrOpts.Detector.Z == 0 {
		scrOpts.Detector.Z = p.SpikeZ
	}
	if scrOpts.Detector.MinCount == 0 {
		scrOpts.Detector.MinCount = p.SpikeMinComplaint
	}
	if scrOpts.MaxBrands == 0 {
		scrOpts.MaxBrands = p.MaxBrands
	}
	if scrOpts.MaxClients == 0 {
		scrOpts.MaxClients = p.StreamMaxClients
	}
	if scrOpts.MaxPerAddress == 0 {
		scrOpts.MaxPerAddress = p.StreamMaxPerAddress
	}
	// The screen is fed from the output topic, every partition, outside the
	// consumer group: every replica shows the whole cluster.
	var follower *view.Follower
	scrOpts.Progress = func() screen.Progress {
		st := follower.Status()
		return screen.Progress{CaughtUp: st.CaughtUp, Lag: st.Lag}
	}
	scr := screen.New(reg, catalog.Brands(), scrOpts)
	kafkaClient := &kafka.Client{Addr: kafka.TCP(p.Kafka.Brokers...), Transport: transport, Timeout: 5 * time.Second}
	follower = view.New(view.Config{Brokers: p.Kafka.Brokers, Topic: p.OutputTopic, Dialer: dialer, Client: kafkaClient,
		Backfill: p.ViewBackfill, Logger: log}, scr, view.NewMetrics(reg))
	stage := &process.Stage{Classifier: clf, Brands: catalog, Counter: counts, Encoder: enc,
		Limits: wire.Limits{MaxTextBytes: p.MaxTextBytes}, OutputTopic: p.OutputTopic, DLQTopic: p.DLQTopic,
		MaxRecordBytes: recordBytes}
	consumer, err := ingest.New(ingest.Config{
		Brokers: p.Kafka.Brokers, GroupID: p.Group, Topics: p.InputTopics, ClientID: p.Kafka.ClientID,
		RequiredTopics: []string{p.OutputTopic, p.DLQTopic},
		Dialer:         dialer, Client: kafkaClient,
		Workers: p.Workers, BatchSize: p.BatchSize, Linger: p.Linger,
		CommitInterval: p.CommitInterval, SessionTimeout: p.SessionTimeout, DrainTimeout: p.DrainTimeout, Logger: log, Acked: o.Acked,
		OffsetReset: p.OffsetReset,
	}, stage, writer, ingest.NewMetrics(reg))
	if err != nil {
		return err
	}

	srv := web.New(p.HTTPAddr, reg, consumer, log)
	scr.Register(srv.Handle)
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	log.Info("outsidein started", "http", ln.Addr().String(), "brokers", p.Kafka.Brokers.String(),
		"group", p.Group, "input", p.InputTopics.String(), "output", p.OutputTopic, "dlq", p.DLQTopic, "model", clf.Version())
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}

	// A failing HTTP server stops the consumer too: a service that cannot
	// be scraped or probed must not run on unseen.
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	httpCtx, stopHTTP := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var httpErr error
	wg.Add(3)
	go func() {
		defer wg.Done()
		if httpErr = srv.Serve(httpCtx, ln); httpErr != nil {
			stopRun()
		}
	}()
	// The screen stops with ctx (or a failing consumer), ending the live
	// feed's streams before the HTTP server shuts down.
	scrCtx, stopScreen := context.WithCancel(ctx)
	defer stopScreen()
	go func() { defer wg.Done(); scr.Run(scrCtx) }()
	go func() { defer wg.Done(); follower.Run(scrCtx) }()

	runErr := consumer.Run(runCtx)
	closeErr := writer.Close()
	stopScreen()
	stopHTTP()
	wg.Wait()
	switch {
	case runErr != nil:
		return runErr
	case closeErr != nil:
		return fmt.Errorf("closing publisher: %w", closeErr)
	case httpErr != nil:
		return httpErr
	}
	log.Info("outsidein stopped cleanly")
	return nil
}

func loadClassifier(path string) (*classify.Classifier, error) {
	if path == "" {
		c, err := classify.Default()
		if err != nil {
			return nil, fmt.Errorf("loading built-in model: %w", err)
		}
		return c, nil
	}
	c, err := classify.Load(path)
	if err != nil {
		return nil, fmt.Errorf("loading model %s: %w", path, err)
	}
	return c, nil
}
