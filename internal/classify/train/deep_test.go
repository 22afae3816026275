package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/motive"
)

// clusterWords returns n made-up words for each of two meanings and their
// vectors: a word's vector lies near its meaning's direction.
func clusterWords(n int) (service, discounts []string, vecs map[string][]float32) {
	vecs = map[string][]float32{"the": {0.1, 0.1, 0.1, 0.1}, "about": {0.1, 0, 0.1, 0}}
	for i := 0; i < n; i++ {
		s, d := fmt.Sprintf("zorb%cx%c", 'a'+i/26, 'a'+i%26), fmt.Sprintf("quil%cx%c", 'a'+i/26, 'a'+i%26)
		jitter := float32(i%5) * 0.05
		vecs[s] = []float32{1 - jitter, jitter, 0.2 - jitter, 0}
		vecs[d] = []float32{jitter, 1 - jitter, 0, 0.2 - jitter}
		service, discounts = append(service, s), append(discounts, d)
	}
	return service, discounts, vecs
}

// writeVectors writes vecs in GloVe's text format, words in order, and
// returns the file's path.
func writeVectors(t *testing.T, words []string, vecs map[string][]float32) string {
	t.Helper()
	var b strings.Builder
	for _, w := range words {
		fmt.Fprint(&b, w)
		for _, x := range vecs[w] {
			fmt.Fprintf(&b, " %g", x)
		}
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "vectors.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A deep part carries what training posts taught about words to words no
// training post used whose vectors lie near them, and says so in the
// explanation; the model file holds only the vectors it needs.
func TestDeepPartCarriesOverToUnseenWords(t *testing.T) {
	service, discounts, vecs := clusterWords(40)
	// Training uses the first 30 words of each meaning; the last 10 are
	// unseen, and only the commonest 2 words are kept besides.
	order := append([]string{"the", "about"}, append(append([]string{}, service...), discounts...)...)
	v, err := ReadVectors(writeVectors(t, order, vecs), "test vectors")
	if err != nil {
		t.Fatal(err)
	}
	var ex []Example
	for i := 0; i < 30; i++ {
		ex = append(ex,
			Example{Text: "about the " + service[i], Motive: motive.Service},
			Example{Text: "about the " + discounts[i], Motive: motive.Discounts})
	}
	opt := Options{Name: "deep", Epochs: 30, Vectors: v, Hidden: 8, CommonWords: 2, Priors: map[motive.Motive]float64{}}
	data, err := Train(ex, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Train(ex, opt)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("training with vectors is not deterministic (%v)", err)
	}
	var mf classify.ModelFile
	if err := json.Unmarshal(data, &mf); err != nil {
		t.Fatal(err)
	}
	if mf.Deep == nil || mf.Deep.VectorSource != "test vectors" || mf.Deep.Hidden != 8 {
		t.Fatalf("deep part %+v", mf.Deep)
	}
	if want := 2 + 60; len(mf.Deep.Words) != want || slices.Contains(mf.Deep.Words, service[35]) {
		t.Errorf("kept %d vectors (%v), want %d: the training words and the commonest", len(mf.Deep.Words), mf.Deep.Words, want)
	}

	// Add the unseen words' vectors, as a model trained with a larger
	// vocabulary would hold them.
	var all []float32
	words := append(append([]string{}, mf.Deep.Words...), append(service[30:], discounts[30:]...)...)
	for _, w := range words {
		all = append(all, vecs[w]...)
	}
	emb, err := classify.NewEmbedding(4, words, all)
	if err != nil {
		t.Fatal(err)
	}
	mf.Deep.Words, mf.Deep.Scales, mf.Deep.Vectors = emb.Encode()
	if data, err = json.Marshal(mf); err != nil {
		t.Fatal(err)
	}
	c, err := classify.LoadBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := 30; i < 40; i++ {
		for word, want := range map[string]motive.Motive{service[i]: motive.Service, discounts[i]: motive.Discounts} {
			r, feats := c.Explain("about the " + word)
			credited := slices.ContainsFunc(feats, func(f classify.Feature) bool { return f.Name == "deep:"+word && f.Weight > 0 })
			if r.Motive != want || !credited {
				t.Errorf("unseen %q: %s, want %s; deep:%s credited: %v", word, r.Motive, want, word, credited)
			}
		}
	}
}

func TestReadVectorsRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"ragged":  "refund 1 0 0\ncoupon 0 1\n",
		"not-num": "refund 1 x 0\n",
		"empty":   "\n",
		"json":    `{"dimensions": 3, "words": [], "vectors": {}}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadVectors(path, ""); err == nil {
			t.Errorf("%s: read without an error", name)
		}
	}
}
