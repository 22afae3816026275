package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func benchTexts(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	data, err := os.ReadFile(filepath.Join("..", "bench", "posts.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var p struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			tb.Fatal(err)
		}
		texts = append(texts, p.Text)
	}
	if len(texts) == 0 {
		tb.Fatal("no built-in posts")
	}
	return texts
}

// BenchmarkClassify measures one core classifying tweet-length posts.
func BenchmarkClassify(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	texts := benchTexts(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Classify(texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkClassifyParallel measures all cores sharing one classifier.
func BenchmarkClassifyParallel(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	texts := benchTexts(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Classify(texts[i%len(texts)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkProseTokens isolates prose's tokenizer, the floor of the hot path.
func BenchmarkProseTokens(b *testing.B) {
	texts := benchTexts(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		proseTokens(texts[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkModelHeap loads the shipped model and reports the heap it holds.
func BenchmarkModelHeap(b *testing.B) {
	for i := 0; i < b.N; i++ {
		mb := modelHeapMB(b)
		b.ReportMetric(mb, "heap-MB")
	}
}

func modelHeapMB(tb testing.TB) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := parseModel(shippedModel)
	if err != nil {
		tb.Fatal(err)
	}
	c := newClassifier(m)
	c.Classify("warm up the pools")
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(c)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}
