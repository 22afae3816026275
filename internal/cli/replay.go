package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/demo"
	"github.com/outsidein/outsidein/internal/replay"
)

// replayCommand produces the JSON lines of a file (default: generated sample
// posts) into a topic at a rate.
func replayCommand(ctx context.Context, args []string, s Stdio) error {
	fs := newFlags("replay", "replay [flags] [FILE]", "Produces the JSON lines of FILE (default: generated sample posts) into a topic.", s.Err)
	var k config.Kafka
	config.BindKafka(fs, &k, "localhost:9092")
	topic := fs.String("topic", "mentions", "topic to produce to")
	rate := fs.Float64("rate", 50, "posts per second (0: as fast as possible)")
	loop := fs.Bool("loop", false, "start over at the end, until stopped")
	if err := config.Parse(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 1:
		return usageErr("replay takes at most one file, got %d arguments", fs.NArg())
	case *rate < 0:
		return usageErr("--rate %v is negative (0: as fast as possible)", *rate)
	case *topic == "":
		return usageErr("--topic must be set")
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
