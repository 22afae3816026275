package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/bench"
	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/classifycli"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/demo"
	"github.com/outsidein/outsidein/internal/replay"
)

// Stdio are a command's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, io Stdio) error
}

func commands() map[string]command {
	cli := func(f func(context.Context, []string, io.Reader, io.Writer, io.Writer) error) func(context.Context, []string, Stdio) error {
		return func(ctx context.Context, args []string, s Stdio) error { return f(ctx, args, s.In, s.Out, s.Err) }
	}
	return map[string]command{
		"serve":       {"run the pipeline against a Kafka cluster", serve},
		"demo":        {"run the pipeline on an embedded broker fed with sample posts", runDemo},
		"classify":    {"classify JSON lines posts from a file or stdin", batchGC(cli(classifycli.Classify))},
		"train":       {"train a classifier model from labelled JSON lines", cli(classifycli.Train)},
		"eval":        {"score the classifier on labelled JSON lines", cli(classifycli.Eval)},
		"bench":       {"benchmarks: `bench classify [FILE]`, `bench pipeline [FILE]`", runBench},
		"broker":      {"run an embedded Kafka-protocol broker (kfake) for local development and benchmarks", runBroker},
		"healthcheck": {"exit 0 when the service's /healthz answers 200 (for container healthchecks)", runHealthcheck},
		"replay":      {"produce a JSON lines file (or the sample corpus) into a topic at a given rate", runReplay},
		"version": {"print the version", func(_ context.Context, args []string, s Stdio) error {
			if len(args) > 0 {
				if isHelp(args[0]) {
					fmt.Fprintln(s.Err, "usage: outsidein version")
					return nil
				}
				return fmt.Errorf("%w: version takes no arguments, got %q", ErrUsage, args[0])
			}
			_, err := fmt.Fprintln(s.Out, buildVersion())
			return err
		}},
	}
}

// batchGC runs a one-shot batch command with the collector's GC percent at
// 200 unless GOGC is set. A batch over a file makes short-lived garbage per
// post against a small live heap, so the default collector runs often: at 200,
// `classify` over 124,000 posts takes ~8% less time for ~13 MB more memory
// (internal/classify/README.md). The setting is process-wide and left in place:
// the process ends with the command.
func batchGC(run func(context.Context, []string, Stdio) error) func(context.Context, []string, Stdio) error {
	return func(ctx context.Context, args []string, s Stdio) error {
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(200)
		}
		return run(ctx, args, s)
	}
}

// ErrUsage is returned for a bad command line: no known command, a bad flag.
var ErrUsage = config.ErrUsage

// isHelp reports whether a command's first argument asks for its usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// Main runs the subcommand named by args[0].
func Main(ctx context.Context, args []string, s Stdio) error {
	cmds := commands()
	if len(args) == 0 || isHelp(args[0]) {
		usage(s.Err, cmds)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(s.Err, cmds)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, args[0])
	}
	err := c.run(ctx, args[1:], s)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "outsidein: why customers engage your brand, measured live from social posts on Kafka.")
	fmt.Fprintln(w, "\nusage: outsidein COMMAND [flags]   (outsidein COMMAND -h for its flags)\n\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func serve(ctx context.Context, args []string, s Stdio) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	var p config.Pipeline
	config.BindPipeline(fs, &p, "localhost:9092", ":8080")
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	log, err := newLogger(s.Err, p.LogLevel)
	if err != nil {
		return err
	}
	f, err := config.LoadFile(p.ConfigFile)
	if err != nil {
		return err
	}
	if p.SpikeBucket == 0 {
		p.SpikeBucket = time.Minute
	}
	return Run(ctx, p, f, Options{Logger: log})
}

func runDemo(ctx context.Context, args []string, s Stdio) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	var p config.Pipeline
	config.BindPipeline(fs, &p, "", "127.0.0.1:8080")
	brokerAddr := fs.String("broker-addr", "127.0.0.1:9092", "address the embedded Kafka broker listens on")
	rate := fs.Float64("rate", 50, "sample posts produced per second")
	partitions := fs.Int("partitions", 6, "partitions of each topic")
	dataDir := fs.String("data-dir", "", "keep the embedded broker's log in this folder (default: in memory)")
	burstEvery := fs.Duration("burst-every", 2*time.Minute, "time between complaint bursts for one brand (0: none)")
	firstBurst := fs.Duration("first-burst", 15*time.Second, "when the first complaint burst starts (after the screen's spike detector has learned a baseline)")
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	// The demo runs its own broker: settings for another cluster would be ignored.
	var foreign []string
	fs.Visit(func(f *flag.Flag) {
		if slices.Contains(config.ConnectionFlags, f.Name) && f.Value.String() != f.DefValue {
			foreign = append(foreign, "--"+f.Name+" ("+config.EnvName(f.Name)+")")
		}
	})
	if len(foreign) > 0 {
		return fmt.Errorf("%w: demo runs its own embedded broker and takes no Kafka connection settings, got %s; use serve to connect to a cluster", ErrUsage, strings.Join(foreign, ", "))
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
	b, err := broker.Start(broker.Config{Addr: *brokerAddr, Topics: topics, Partitions: int32(*partitions), DataDir: *dataDir})
	if err != nil {
		return err
	}
	defer b.Close()
	p.Kafka.Brokers = config.List{b.Addr()}
	gen, err := demo.NewGenerator(demo.Options{BurstEvery: *burstEvery, FirstBurst: *firstBurst, Seed: uint64(time.Now().UnixNano())})
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
		_, err := replay.Run(ctx, w, func() (kafka.Message, bool, error) { m, _ := gen.Next(); return m, true, nil }, *rate, nil)
		prodErr <- err
	}()
	ready := func(httpAddr string) {
		fmt.Fprintf(s.Out, "outsidein demo running\n  screen:   http://%s/\n  metrics:  http://%s/metrics\n  health:   http://%s/healthz\n  broker:   %s (topics %s)\n"+
			"  produce:  echo '{\"brand\":\"skyjet\",\"text\":\"@skyjet where is my bag?\"}' | kcat -P -b %s -t %s -H content-type=application/json\n"+
			"  read:     kcat -C -b %s -t %s -o beginning   (protobuf; add --output-format json for JSON)\n"+
			"sample posts at %.0f/s; Ctrl-C stops.\n",
			httpAddr, httpAddr, httpAddr, b.Addr(), strings.Join(topics, ", "), b.Addr(), p.InputTopics[0], b.Addr(), p.OutputTopic, *rate)
	}
	if p.SpikeBucket == 0 {
		p.SpikeBucket = 4 * time.Second // so that the demo's bursts show within seconds
	}
	runErr := Run(ctx, p, f, Options{Logger: log, Ready: ready})
	cancel()
	if err := <-prodErr; err != nil && runErr == nil {
		return fmt.Errorf("demo producer: %w", err)
	}
	return runErr
}

func runReplay(ctx context.Context, args []string, s Stdio) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	var k config.Kafka
	config.BindKafka(fs, &k, "localhost:9092")
	topic := fs.String("topic", "mentions", "topic to produce to")
	rate := fs.Float64("rate", 50, "posts per second (0: as fast as possible)")
	loop := fs.Bool("loop", false, "start over at the end, until stopped")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: outsidein replay [flags] [FILE]\n\nProduces the JSON lines of FILE (default: generated sample posts) into a topic.")
		fs.PrintDefaults()
	}
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	_, transport, err := k.Clients()
	if err != nil {
		return err
	}
	w := &kafka.Writer{Addr: kafka.TCP(k.Brokers...), Topic: *topic, Balancer: &kafka.Hash{}, Transport: transport,
		BatchTimeout: 5 * time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()

	var src replay.Source
	total := 0
	if fs.NArg() == 0 {
		gen, err := demo.NewGenerator(demo.Options{BurstEvery: 5 * time.Minute, FirstBurst: time.Minute, Seed: uint64(time.Now().UnixNano())})
		if err != nil {
			return err
		}
		n := 0
		src = func() (kafka.Message, bool, error) {
			if !*loop && n >= 1000 {
				return kafka.Message{}, false, nil
			}
			n++
			m, _ := gen.Next()
			return m, true, nil
		}
		if !*loop {
			total = 1000
		}
	} else {
		path := fs.Arg(0)
		fh, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		defer fh.Close()
		var rewind func() (io.Reader, error)
		if *loop {
			rewind = func() (io.Reader, error) { _, err := fh.Seek(0, io.SeekStart); return fh, err }
		} else if total, err = countLines(path); err != nil {
			return err
		}
		src = replay.LinesSource(fh, rewind)
	}
	var progress replay.Progress
	if isTerminal(s.Err) {
		progress = replay.Bar(s.Err, total)
	}
	n, err := replay.Run(ctx, w, src, *rate, progress)
	fmt.Fprintf(s.Out, "produced %d posts to %s\n", n, *topic)
	return err
}

func countLines(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("replay: %w", err)
	}
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runBench(ctx context.Context, args []string, s Stdio) error {
	const use = "bench classify [flags] [FILE] | bench pipeline [flags] [FILE]   (bench classify -h, bench pipeline -h for their flags)"
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", ErrUsage, use)
	}
	if isHelp(args[0]) {
		fmt.Fprintln(s.Err, "usage: outsidein "+use)
		return nil
	}
	switch args[0] {
	case "classify":
		return classifycli.Bench(ctx, args[1:], s.In, s.Out, s.Err)
	case "pipeline":
		return benchPipeline(ctx, args[1:], s)
	}
	return fmt.Errorf("%w: unknown benchmark %q (classify, pipeline)", ErrUsage, args[0])
}

func benchPipeline(ctx context.Context, args []string, s Stdio) error {
	fs := flag.NewFlagSet("bench pipeline", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	var o bench.Options
	fs.IntVar(&o.Posts, "posts", 200000, "posts loaded for the throughput runs")
	fs.IntVar(&o.Partitions, "partitions", 6, "partitions of the input topic")
	fs.Float64Var(&o.LatencyRate, "latency-rate", 10000, "offered posts/s for the latency run (0: skip it)")
	fs.DurationVar(&o.LatencyTime, "latency-time", 10*time.Second, "length of the latency run")
	fs.IntVar(&o.Workers, "workers", 0, "classification workers (0: one per CPU)")
	inProcess := fs.Bool("in-process-broker", false, "run the broker in this process (its memory then counts in the peak RSS)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the whole run to this file")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: outsidein bench pipeline [flags] [FILE]\n\nFILE: JSON lines posts (default: generated sample posts).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	o.File = fs.Arg(0)
	o.Log = s.Err
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if !*inProcess {
		addr, stop, err := startBrokerProcess(o.Partitions, bench.Topics)
		if err != nil {
			return err
		}
		defer stop()
		o.BrokerAddr = addr
	}
	log := slog.New(slog.NewTextHandler(s.Err, &slog.HandlerOptions{Level: slog.LevelWarn}))
	o.Run = func(ctx context.Context, p config.Pipeline, acked func(kafka.Message, time.Time)) error {
		return Run(ctx, p, config.File{}, Options{Registry: prometheus.NewRegistry(), Logger: log, Acked: acked})
	}
	r, err := bench.Pipeline(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "posts=%d partitions=%d cpus=%d %s\n", r.Posts, o.Partitions, runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(s.Out, "ceiling (no-op kafka-go group consumer): %.0f posts/s\n", r.CeilingPerSec)
	fmt.Fprintf(s.Out, "pipeline (decode, classify, publish, count, commit): %.0f posts/s\n", r.PipelinePerSec)
	if r.LatencyN > 0 {
		fmt.Fprintf(s.Out, "latency at %.0f posts/s offered (produce to acknowledged result): p50=%v p99=%v n=%d\n",
			o.LatencyRate, r.LatencyP50.Round(10*time.Microsecond), r.LatencyP99.Round(10*time.Microsecond), r.LatencyN)
	}
	where := "this process: ceiling and pipeline consumers; the broker runs in its own"
	if *inProcess {
		where = "broker, its data and the consumers in one process"
	}
	fmt.Fprintf(s.Out, "peak RSS (%s): %.0f MB\n", where, float64(r.PeakRSSBytes)/(1<<20))
	fmt.Fprintf(s.Out, "pipeline_posts_per_sec=%.0f ceiling_posts_per_sec=%.0f ratio=%.2f\n", r.PipelinePerSec, r.CeilingPerSec, r.Ratio())
	return nil
}

func runBroker(ctx context.Context, args []string, s Stdio) error {
	fs := flag.NewFlagSet("broker", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	addr := fs.String("addr", "127.0.0.1:9092", "listen address (port 0: any free port)")
	partitions := fs.Int("partitions", 6, "partitions of each topic")
	var topics config.List
	_ = topics.Set("mentions,mentions.classified,mentions.dlq")
	fs.Var(&topics, "topics", "topics to create, comma-separated")
	dataDir := fs.String("data-dir", "", "keep the log in this folder (default: in memory)")
	if err := config.Parse(fs, args); err != nil {
		return err
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

// startBrokerProcess runs `outsidein broker` as a child process on a free
// port and returns its address and a function that stops it.
func startBrokerProcess(partitions int, topics []string) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, fmt.Errorf("finding this binary to start the broker: %w", err)
	}
	cmd := exec.Command(exe, "broker", "--addr", "127.0.0.1:0", "--partitions", strconv.Itoa(partitions), "--topics", strings.Join(topics, ","))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting the broker process: %w", err)
	}
	stop := func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("broker process: %w", err)
	}
	var addr string
	if _, err := fmt.Sscanf(line, "broker listening on %s", &addr); err != nil {
		stop()
		return "", nil, fmt.Errorf("broker process said %q", line)
	}
	return addr, stop, nil
}

func runHealthcheck(ctx context.Context, args []string, s Stdio) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "health endpoint to ask")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("healthcheck: %s: %s %s", *url, res.Status, strings.TrimSpace(string(body)))
	}
	return nil
}
