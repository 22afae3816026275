package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/bench"
	"github.com/outsidein/outsidein/internal/config"
)

const benchUse = "bench classify [flags] [FILE] | bench pipeline [flags] [FILE]   (bench classify -h, bench pipeline -h for their flags)"

// benchCommand runs the benchmark its first argument names.
func benchCommand(ctx context.Context, args []string, s Stdio) error {
	if len(args) == 0 {
		return usageErr("%s", benchUse)
	}
	if isHelp(args[0]) {
		fmt.Fprintln(s.Err, "usage: outsidein "+benchUse)
		return nil
	}
	switch args[0] {
	case "classify":
		return benchClassify(ctx, args[1:], s)
	case "pipeline":
		return benchPipeline(ctx, args[1:], s)
	}
	return usageErr("unknown benchmark %q (classify, pipeline)", args[0])
}

// benchClassify classifies every post of a JSON lines file (the built-in
// benchmark posts when none is given) on all cores, repeating the set for at
// least --duration, and prints posts_per_sec=N.
func benchClassify(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("bench classify", "bench classify [--model FILE] [--duration D] [--workers N] [FILE]", "", s.Err)
	modelPath := fs.String("model", "", "model `FILE` (default: the shipped model)")
	dur := fs.Duration("duration", 2*time.Second, "minimum time to run")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 1:
		return usageErr("bench classify takes at most one file, got %d arguments", fs.NArg())
	case *dur <= 0:
		return usageErr("--duration %v: want more than 0", *dur)
	case *workers < 1:
		return usageErr("--workers %d: want at least 1", *workers)
	}
	c, err := loadClassifier(*modelPath)
	if err != nil {
		return err
	}
	input := bench.Posts()
	if fs.NArg() > 0 {
		input, err = os.ReadFile(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("reading input: %w", err)
		}
	}
	if len(input) > 0 && input[len(input)-1] != '\n' {
		input = append(input, '\n')
	}
	n := bytes.Count(input, []byte("\n"))
	if n == 0 {
		return errors.New("no posts in input")
	}
	// Repeat a small file so each pass is long enough that starting the
	// workers does not weigh on the figure.
	if reps := 50000 / n; reps > 1 {
		input = bytes.Repeat(input, reps)
		n *= reps
	}
	// Warm up (loads the model, fills pools), then time whole passes over the file
	// through the same path as `outsidein classify`.
	if _, err := classifyLines(ctx, c, bytes.NewReader(input), io.Discard, *workers, false); err != nil {
		return err
	}
	start := time.Now()
	posts := 0
	for time.Since(start) < *dur {
		if _, err := classifyLines(ctx, c, bytes.NewReader(input), io.Discard, *workers, false); err != nil {
			return err
		}
		posts += n
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	el := time.Since(start).Seconds()
	fmt.Fprintf(s.Err, "bench: %d posts in %.2fs on %d workers, model %s\n", posts, el, *workers, c.Version())
	fmt.Fprintf(s.Out, "posts_per_sec=%d\n", int(float64(posts)/el))
	return nil
}

// benchPipeline measures the whole pipeline on an embedded broker.
func benchPipeline(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("bench pipeline", "bench pipeline [flags] [FILE]", "FILE: JSON lines posts (default: generated sample posts).", s.Err)
	var o bench.Options
	fs.IntVar(&o.Posts, "posts", 200000, "posts loaded for the throughput runs")
	fs.IntVar(&o.Partitions, "partitions", 6, "partitions of the input topic")
	fs.Float64Var(&o.LatencyRate, "latency-rate", 10000, "offered posts/s for the latency run (0: skip it)")
	fs.DurationVar(&o.LatencyTime, "latency-time", 10*time.Second, "length of the latency run")
	fs.IntVar(&o.Workers, "workers", runtime.GOMAXPROCS(0), "classification workers")
	inProcess := fs.Bool("in-process-broker", false, "run the broker in this process (its memory then counts in the peak RSS)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the whole run to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 1:
		return usageErr("bench pipeline takes at most one file, got %d arguments", fs.NArg())
	case o.Posts < 1:
		return usageErr("--posts %d: want at least 1", o.Posts)
	case o.Partitions < 1:
		return usageErr("--partitions %d: want at least 1", o.Partitions)
	case o.LatencyRate < 0:
		return usageErr("--latency-rate %v is negative (0: skip the latency run)", o.LatencyRate)
	case o.LatencyRate > 0 && o.LatencyTime <= 0:
		return usageErr("--latency-time %v: want more than 0", o.LatencyTime)
	case o.Workers < 1:
		return usageErr("--workers %d: want at least 1", o.Workers)
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
		return app.Run(ctx, p, config.File{}, app.Options{Registry: prometheus.NewRegistry(), Logger: log, Acked: acked})
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
