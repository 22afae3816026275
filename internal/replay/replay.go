// Package replay produces posts into a Kafka topic at a steady rate: JSON
// lines from a file (`outsidein replay`) or the demo's generated stream.
package replay

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// Source yields the next message to produce; ok is false when it is spent.
type Source func() (m kafka.Message, ok bool, err error)

// Progress is told how many messages were produced so far.
type Progress func(produced int)

// Writer writes messages to Kafka.
type Writer interface {
	WriteMessages(ctx context.Context, msgs ...kafka.Message) error
}

// Run produces from src to w at rate messages per second (0: as fast as
// possible), in batches every tick, until src is spent or ctx ends. It
// returns the count produced; a cancelled ctx is not an error.
func Run(ctx context.Context, w Writer, src Source, rate float64, progress Progress) (int, error) {
	const tick = 50 * time.Millisecond
	produced := 0
	batch := make([]kafka.Message, 0, 512)
	start := time.Now()
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		// How many messages are due by now at the given rate.
		due := 512
		if rate > 0 {
			due = int(rate*time.Since(start).Seconds()) + 1 - produced
			if due > 5000 {
				due = 5000
			}
		}
		batch = batch[:0]
		spent := false
		for len(batch) < due {
			m, ok, err := src()
			if err != nil {
				return produced, err
			}
			if !ok {
				spent = true
				break
			}
			batch = append(batch, m)
		}
		if len(batch) > 0 {
			if err := w.WriteMessages(ctx, batch...); err != nil {
				if ctx.Err() != nil {
					return produced, nil
				}
				return produced, fmt.Errorf("producing: %w", err)
			}
			produced += len(batch)
			if progress != nil {
				progress(produced)
			}
		}
		if spent {
			return produced, nil
		}
		if rate > 0 {
			select {
			case <-ctx.Done():
				return produced, nil
			case <-ticker.C:
			}
		} else if ctx.Err() != nil {
			return produced, nil
		}
	}
}

// LinesSource reads JSON lines from r; each line becomes a message with a
// JSON content-type header. Blank lines are skipped; a line that is not a
// JSON object is an error naming its line number. With loop, rewind is called
// at the end to start over (nil: no looping).
func LinesSource(r io.Reader, rewind func() (io.Reader, error)) Source {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	line := 0
	return func() (kafka.Message, bool, error) {
		for {
			if !sc.Scan() {
				if err := sc.Err(); err != nil {
					return kafka.Message{}, false, fmt.Errorf("reading line %d: %w", line+1, err)
				}
				if rewind == nil {
					return kafka.Message{}, false, nil
				}
				nr, err := rewind()
				if err != nil {
					return kafka.Message{}, false, err
				}
				sc = bufio.NewScanner(nr)
				sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
				if line == 0 {
					return kafka.Message{}, false, errors.New("input has no lines")
				}
				line = 0
				continue
			}
			line++
			text := strings.TrimSpace(sc.Text())
			if text == "" {
				continue
			}
			var probe struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal([]byte(text), &probe); err != nil {
				return kafka.Message{}, false, fmt.Errorf("line %d is not a JSON object: %w", line, err)
			}
			m := kafka.Message{Value: []byte(text), Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
			if probe.ID != "" {
				m.Key = []byte(probe.ID)
			}
			return m, true, nil
		}
	}
}

// Bar draws a progress bar on a terminal.
func Bar(w io.Writer, total int) Progress {
	return func(n int) {
		if total <= 0 {
			fmt.Fprintf(w, "\r%d posts produced", n)
			return
		}
		const width = 40
		done := n * width / total
		if done > width {
			done = width
		}
		fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", done), strings.Repeat(".", width-done), n, total)
		if n >= total {
			fmt.Fprintln(w)
		}
	}
}
