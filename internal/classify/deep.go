package classify

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A model may carry a deep part beside its linear one: a network with one
// hidden layer over what a post means rather than the words it spells. Its
// input is the average of the post's pretrained word vectors (the words the
// model knows), the post's intent cues, and the share of its words that had
// a vector; its output is added to the linear scores. Word vectors carry
// over to words that no training post used ("reimbursement" lands near
// "refund"), which the linear model over words cannot do.

// DeepFile is the JSON form of a model's deep part. Floats are stored
// little-endian, base64-encoded; word vectors as int8 with a scale per word.
type DeepFile struct {
	// VectorSource names the pretrained vectors (package, version, licence).
	VectorSource string   `json:"vector_source"`
	Dim          int      `json:"dim"`
	Words        []string `json:"words"`
	Scales       string   `json:"scales"`  // float32 per word
	Vectors      string   `json:"vectors"` // int8, Dim per word
	Hidden       int      `json:"hidden"`
	W1           string   `json:"w1"` // float32, Hidden rows of DeepInputs(Dim) columns
	B1           string   `json:"b1"` // float32, Hidden
	W2           string   `json:"w2"` // float32, 6 rows (5 motives, complaint) of Hidden columns
}

// DeepInputs is the width of the deep part's input for vectors of dim
// dimensions: the averaged vector, one input per intent cue, and the share
// of known words.
func DeepInputs(dim int) int { return dim + numCues + 1 }

// Embedding is a table of quantised word vectors, as a model carries it.
type Embedding struct {
	dim   int
	index map[string]int32
	words []string
	vecs  []int8
	scale []float32
}

// NewEmbedding quantises vectors (dim per word, in words' order) to int8 with a
// scale per word.
func NewEmbedding(dim int, words []string, vectors []float32) (*Embedding, error) {
	if dim <= 0 || len(vectors) != dim*len(words) {
		return nil, fmt.Errorf("%d words need %d values of %d dimensions, got %d", len(words), dim*len(words), dim, len(vectors))
	}
	e := &Embedding{dim: dim, index: make(map[string]int32, len(words)), words: words,
		vecs: make([]int8, len(vectors)), scale: make([]float32, len(words))}
	for i, w := range words {
		if _, dup := e.index[w]; dup {
			return nil, fmt.Errorf("word %q twice", w)
		}
		e.index[w] = int32(i)
		v := vectors[i*dim : i*dim+dim]
		var mx float32
		for _, x := range v {
			mx = max(mx, float32(math.Abs(float64(x))))
		}
		s := mx / 127
		if s == 0 {
			s = 1
		}
		e.scale[i] = s
		for j, x := range v {
			e.vecs[i*dim+j] = int8(math.Round(float64(x / s)))
		}
	}
	return e, nil
}

// Inputs returns the deep part's input for text, computed exactly as
// classifying does (training uses it).
func (e *Embedding) Inputs(text string) []float32 {
	p := normalize(text)
	f := featureSet{}
	var buf [64]*tokInfo
	infos := lookupAll(p.toks, buf[:0])
	extractWith(&p, infos, &f)
	x := make([]float32, DeepInputs(e.dim))
	e.input(p.toks, &f.cues, x)
	return x
}

// input fills x with the deep input of tokens toks and cues cu.
func (e *Embedding) input(toks []string, cu *[numCues]bool, x []float32) {
	clear(x)
	d := e.dim
	known, words := 0, 0
	for _, t := range toks {
		if !isWord(t) {
			continue
		}
		words++
		i, ok := e.index[t]
		if !ok {
			continue
		}
		known++
		s := e.scale[i]
		v := e.vecs[int(i)*d : int(i)*d+d]
		for j := range v {
			x[j] += float32(v[j]) * s
		}
	}
	if known > 0 {
		inv := 1 / float32(known)
		for j := 0; j < d; j++ {
			x[j] *= inv
		}
	}
	for c := 0; c < numCues; c++ {
		if cu[c] {
			x[d+c] = 1
		}
	}
	if words > 0 {
		x[d+numCues] = float32(known) / float32(words)
	}
}

// Encode returns the table's words, scales and vectors as a DeepFile holds them.
func (e *Embedding) Encode() (words []string, scales, vectors string) {
	v := make([]byte, len(e.vecs))
	for i, x := range e.vecs {
		v[i] = byte(x)
	}
	return e.words, encodeFloats(e.scale), base64.StdEncoding.EncodeToString(v)
}

// Dim is the vectors' dimension.
func (e *Embedding) Dim() int { return e.dim }

// deepNet is a loaded deep part. The first layer is linear in the averaged
// vector, so each word's vector is multiplied by it once, at load: a post's
// hidden layer is then the average of its words' rows plus the columns of
// its cues, which costs hidden × words additions instead of
// hidden × (dim + cues) multiplications.
type deepNet struct {
	index  map[string]int32
	proj   []float32 // hidden per word: the first layer applied to its vector
	extra  []float32 // hidden rows of numCues+1 columns: the first layer's cue and known-share weights
	hidden int
	b1     []float32
	w2     []float32 // rowLen × hidden
	source string
}

func parseDeep(f *DeepFile) (*deepNet, error) {
	scales, err := decodeFloats(f.Scales)
	if err != nil {
		return nil, fmt.Errorf("deep scales: %w", err)
	}
	raw, err := base64.StdEncoding.DecodeString(f.Vectors)
	if err != nil {
		return nil, fmt.Errorf("deep vectors: %w", err)
	}
	if f.Dim <= 0 || len(scales) != len(f.Words) || len(raw) != f.Dim*len(f.Words) {
		return nil, fmt.Errorf("deep: %d words, %d scales, %d vector values of %d dimensions do not match", len(f.Words), len(scales), len(raw), f.Dim)
	}
	in := DeepInputs(f.Dim)
	var w1 []float32
	n := &deepNet{hidden: f.Hidden, source: f.VectorSource}
	if w1, err = decodeFloats(f.W1); err == nil {
		if n.b1, err = decodeFloats(f.B1); err == nil {
			n.w2, err = decodeFloats(f.W2)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("deep weights: %w", err)
	}
	if f.Hidden <= 0 || len(w1) != f.Hidden*in || len(n.b1) != f.Hidden || len(n.w2) != rowLen*f.Hidden {
		return nil, errors.New("deep: weight shapes do not match the hidden layer")
	}
	for _, ws := range [][]float32{scales, w1, n.b1, n.w2} {
		for _, w := range ws {
			if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
				return nil, errors.New("deep: a weight is not a finite number")
			}
		}
	}
	d, h := f.Dim, f.Hidden
	n.index = make(map[string]int32, len(f.Words))
	n.proj = make([]float32, h*len(f.Words))
	for i, w := range f.Words {
		if _, dup := n.index[w]; dup {
			return nil, fmt.Errorf("deep: word %q twice", w)
		}
		n.index[w] = int32(i)
		v := raw[i*d : i*d+d]
		out := n.proj[i*h : i*h+h]
		for j := range out {
			row := w1[j*in : j*in+d]
			var a float32
			for k, b := range v {
				a += row[k] * float32(int8(b))
			}
			out[j] = a * scales[i]
		}
	}
	n.extra = make([]float32, h*(numCues+1))
	for j := 0; j < h; j++ {
		copy(n.extra[j*(numCues+1):(j+1)*(numCues+1)], w1[j*in+d:(j+1)*in])
	}
	return n, nil
}

// isWord reports whether a normalised token is a word the deep part looks
// up (not a special token, number or punctuation).
func isWord(t string) bool { return t != "" && t != tokBound && t[0] >= 'a' && t[0] <= 'z' }

// forward adds the network's scores for tokens toks and cues cu to z,
// leaving the hidden layer's activations in h.
func (n *deepNet) forward(toks []string, cu *[numCues]bool, h []float32, z *[rowLen]float64) {
	clear(h)
	known, words := 0, 0
	for _, t := range toks {
		if !isWord(t) {
			continue
		}
		words++
		i, ok := n.index[t]
		if !ok {
			continue
		}
		known++
		row := n.proj[int(i)*n.hidden : int(i)*n.hidden+n.hidden]
		for j, x := range row {
			h[j] += x
		}
	}
	var inv, share float32
	if known > 0 {
		inv = 1 / float32(known)
	}
	if words > 0 {
		share = float32(known) / float32(words)
	}
	for j := range h {
		a := n.b1[j] + h[j]*inv
		ex := n.extra[j*(numCues+1) : (j+1)*(numCues+1)]
		for c, on := range cu {
			if on {
				a += ex[c]
			}
		}
		a += ex[numCues] * share
		h[j] = max(a, 0)
	}
	for k := 0; k < rowLen; k++ {
		var s float32
		row := n.w2[k*n.hidden : k*n.hidden+n.hidden]
		for j, hj := range h {
			s += row[j] * hj
		}
		z[k] += float64(s)
	}
}

// attribute returns how much each known word of toks and each cue of cu
// moved score column k against the mean of the motive columns others (or,
// for the complaint column, on its own), through the hidden units that
// fired (h from forward): words in "deep:WORD" features, cues in
// "deep:c:CUE". It lists the largest first.
func (n *deepNet) attribute(toks []string, cu *[numCues]bool, h []float32, k int, others []int) []Feature {
	// g[j] is how much a unit of hidden pre-activation j moves the score
	// difference, zero for units that did not fire.
	g := make([]float32, n.hidden)
	for j := range g {
		if h[j] <= 0 {
			continue
		}
		g[j] = n.w2[k*n.hidden+j]
		if len(others) > 0 {
			var wo float32
			for _, o := range others {
				wo += n.w2[o*n.hidden+j]
			}
			g[j] -= wo / float32(len(others))
		}
	}
	known := 0
	for _, t := range toks {
		if _, ok := n.index[t]; ok && isWord(t) {
			known++
		}
	}
	var feats []Feature
	seen := map[string]bool{}
	for _, t := range toks {
		i, ok := n.index[t]
		if !ok || seen[t] || !isWord(t) {
			continue
		}
		seen[t] = true
		var c float32
		for j, x := range n.proj[int(i)*n.hidden : int(i)*n.hidden+n.hidden] {
			c += g[j] * x
		}
		feats = append(feats, Feature{Name: "deep:" + t, Weight: round4(float64(c) / float64(known))})
	}
	for c, on := range cu {
		if !on {
			continue
		}
		var a float32
		for j := range g {
			a += g[j] * n.extra[j*(numCues+1)+c]
		}
		feats = append(feats, Feature{Name: "deep:" + nsCue + cueNames[c], Weight: round4(float64(a))})
	}
	sortFeatures(feats)
	return feats
}

func encodeFloats(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// EncodeFloats encodes float32s as a DeepFile holds them.
func EncodeFloats(v []float32) string { return encodeFloats(v) }

func decodeFloats(s string) ([]float32, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(b)%4 != 0 {
		return nil, errors.New("not a whole number of float32s")
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// Words returns the words of text the deep part looks up, in order: the
// normalised tokens that are words (training uses it to pick the vectors a
// model needs).
func Words(text string) []string {
	p := normalize(text)
	var out []string
	for _, t := range p.toks {
		if isWord(t) {
			out = append(out, t)
		}
	}
	return out
}
