package bench_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/bench"
	"github.com/outsidein/outsidein/internal/config"
)

// TestPipelineBenchmarkRuns runs a small benchmark end to end: every figure
// must come out, and the latency run must see every post it offered.
func TestPipelineBenchmarkRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline three times")
	}
	o := bench.Options{Posts: 3000, Partitions: 3, LatencyRate: 1000, LatencyTime: time.Second,
		Run: func(ctx context.Context, p config.Pipeline, acked func(kafka.Message, time.Time)) error {
			return app.Run(ctx, p, config.File{}, app.Options{Registry: prometheus.NewRegistry(), Acked: acked})
		}}
	r, err := bench.Pipeline(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v ratio=%.2f", r, r.Ratio())
	if r.Posts != 3000 || r.CeilingPerSec <= 0 || r.PipelinePerSec <= 0 || r.PeakRSSBytes <= 0 {
		t.Fatalf("missing figures: %+v", r)
	}
	if r.LatencyN != 1000 || r.LatencyP50 <= 0 || r.LatencyP99 < r.LatencyP50 {
		t.Fatalf("latency run: %d posts acknowledged of 1000, p50 %v p99 %v", r.LatencyN, r.LatencyP50, r.LatencyP99)
	}
}
