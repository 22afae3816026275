package classifycli

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/outsidein/outsidein/internal/classify"
)

// BenchmarkClassifyFile runs the `outsidein classify` path (JSON in, JSON out,
// all cores) over the built-in posts.
func BenchmarkClassifyFile(b *testing.B) {
	c, err := classify.Default()
	if err != nil {
		b.Fatal(err)
	}
	input := classify.BuiltinPosts()
	n := bytes.Count(input, []byte("\n"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := run(context.Background(), c, bytes.NewReader(input), io.Discard, 2, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}
