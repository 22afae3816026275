package classify

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The loaded network, which folds each word's vector into the first layer at
// load, scores a post as the network written out does: the averaged
// quantised vectors, the cues and the known-word share through both layers.
func TestDeepForwardMatchesTheNetwork(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const dim, hidden = 8, 5
	words := []string{"refund", "order", "coupon", "love", "store", "never", "arrived"}
	vecs := make([]float32, dim*len(words))
	for i := range vecs {
		vecs[i] = float32(rng.NormFloat64())
	}
	emb, err := NewEmbedding(dim, words, vecs)
	if err != nil {
		t.Fatal(err)
	}
	in := DeepInputs(dim)
	rnd := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	w1, b1, w2 := rnd(hidden*in), rnd(hidden), rnd(rowLen*hidden)
	ws, scales, vs := emb.Encode()
	n, err := parseDeep(&DeepFile{Dim: dim, Words: ws, Scales: scales, Vectors: vs, Hidden: hidden,
		W1: EncodeFloats(w1), B1: EncodeFloats(b1), W2: EncodeFloats(w2)})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		"@acme my order never arrived, refund please!!",
		"love this store, any coupon?",
		"nothing the model knows here",
		"",
	} {
		x := emb.Inputs(text)
		var want [rowLen]float64
		h := make([]float32, hidden)
		for j := 0; j < hidden; j++ {
			a := b1[j]
			for i, xi := range x {
				a += w1[j*in+i] * xi
			}
			h[j] = max(a, 0)
		}
		for k := 0; k < rowLen; k++ {
			for j := 0; j < hidden; j++ {
				want[k] += float64(w2[k*hidden+j] * h[j])
			}
		}
		p := normalize(text)
		f := featureSet{}
		extractWith(&p, lookupAll(p.toks, nil), &f)
		var got [rowLen]float64
		n.forward(p.toks, &f.cues, make([]float32, hidden), &got)
		for k := range got {
			if math.Abs(got[k]-want[k]) > 1e-4*(1+math.Abs(want[k])) {
				t.Errorf("%q: score %d = %v, the network gives %v", text, k, got[k], want[k])
			}
		}
	}
}

func TestParseDeepRejectsBadParts(t *testing.T) {
	emb, err := NewEmbedding(2, []string{"a", "b"}, []float32{1, 0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	ws, scales, vs := emb.Encode()
	in := DeepInputs(2)
	good := func() *DeepFile {
		return &DeepFile{Dim: 2, Words: ws, Scales: scales, Vectors: vs, Hidden: 1,
			W1: EncodeFloats(make([]float32, in)), B1: EncodeFloats([]float32{0}), W2: EncodeFloats(make([]float32, rowLen))}
	}
	if _, err := parseDeep(good()); err != nil {
		t.Fatalf("a good part: %v", err)
	}
	for name, spoil := range map[string]func(*DeepFile){
		"word twice":    func(f *DeepFile) { f.Words = []string{"a", "a"} },
		"short vectors": func(f *DeepFile) { f.Dim = 3 },
		"bad base64":    func(f *DeepFile) { f.Vectors = "!!" },
		"w1 shape":      func(f *DeepFile) { f.W1 = EncodeFloats(make([]float32, in+1)) },
		"no hidden":     func(f *DeepFile) { f.Hidden = 0 },
		"NaN":           func(f *DeepFile) { f.B1 = EncodeFloats([]float32{float32(math.NaN())}) },
	} {
		f := good()
		spoil(f)
		if _, err := parseDeep(f); err == nil {
			t.Errorf("%s: parsed without an error", name)
		}
	}
}
