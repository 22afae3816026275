package classify

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"

	"github.com/outsidein/outsidein/internal/motive"
)

const numMotives = motive.Count

// ErrBadModel reports a model file that cannot be used.
var ErrBadModel = errors.New("invalid model file")

//go:embed model/shipped.json
var shippedModel []byte

// ModelFile is the JSON form of a trained model: what training writes and
// Load reads.
type ModelFile struct {
	Name string `json:"name"`
	// Classes are the motives of columns 0..4 of each weight row; column 5 is
	// the complaint logit.
	Classes            []motive.Motive `json:"classes"`
	Temperature        float64         `json:"temperature"`
	NoneThreshold      float64         `json:"none_threshold"`
	ComplaintThreshold float64         `json:"complaint_threshold"`
	// ServiceComplaintThreshold applies instead when the motive is service.
	ServiceComplaintThreshold float64     `json:"service_complaint_threshold"`
	Bias                      []float64   `json:"bias"`
	Features                  []string    `json:"features"`
	Weights                   [][]float64 `json:"weights"`
	Trained                   TrainInfo   `json:"trained"`
	// Deep, when present, is a network whose scores add to the linear ones.
	Deep *DeepFile `json:"deep,omitempty"`
}

// TrainInfo records how a model was trained.
type TrainInfo struct {
	Examples int            `json:"examples"`
	Counts   map[string]int `json:"counts"`
	Epochs   int            `json:"epochs"`
	L2       float64        `json:"l2"`
	// Command is the train command line that made the model, files by
	// their base names; Inputs are those files' digests.
	Command string  `json:"command,omitempty"`
	Inputs  []Input `json:"inputs,omitempty"`
}

// Input is a file a model was trained from.
type Input struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

const rowLen = numMotives + 1

// model is the loaded, read-only form used for scoring.
type model struct {
	name      string
	version   string
	temp      float64
	noneThr   float64
	complThr  float64
	svcThr    float64
	bias      [rowLen]float64
	index     map[uint64]int32
	weights   []float32 // rowLen per feature
	names     []string
	classes   [numMotives]motive.Motive // model column -> motive
	deep      *deepNet                  // nil without a deep part
	fileBytes int
}

func parseModel(data []byte) (*model, error) {
	// The weights are most of the file; encoding/json spends most of a
	// start-up's 50 ms decoding them, so they are kept raw and read by
	// parseWeights.
	var in struct {
		ModelFile
		Weights json.RawMessage `json:"weights"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	mf := &in.ModelFile
	if len(mf.Classes) != numMotives || len(mf.Bias) != rowLen {
		return nil, fmt.Errorf("%w: want %d classes and %d biases, one weight row per feature", ErrBadModel, numMotives, rowLen)
	}
	weights, err := parseWeights(in.Weights, mf.Features)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	m := &model{
		name:      mf.Name,
		temp:      mf.Temperature,
		noneThr:   mf.NoneThreshold,
		complThr:  mf.ComplaintThreshold,
		svcThr:    mf.ServiceComplaintThreshold,
		index:     make(map[uint64]int32, len(mf.Features)),
		weights:   weights,
		names:     mf.Features,
		fileBytes: len(data),
	}
	if m.temp <= 0 {
		m.temp = 1
	}
	if m.complThr <= 0 || m.complThr >= 1 {
		m.complThr = 0.5
	}
	if m.svcThr <= 0 || m.svcThr >= 1 {
		m.svcThr = m.complThr
	}
	var seen [numMotives]bool
	for _, c := range mf.Classes {
		if seen[c] {
			return nil, fmt.Errorf("%w: class %s twice", ErrBadModel, c)
		}
		seen[c] = true
	}
	copy(m.classes[:], mf.Classes)
	if mf.Deep != nil {
		if m.deep, err = parseDeep(mf.Deep); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
		}
	}
	copy(m.bias[:], mf.Bias)
	for i, name := range mf.Features {
		ns, val, ok := splitName(name)
		if !ok {
			return nil, fmt.Errorf("%w: bad feature name %q", ErrBadModel, name)
		}
		h := hashName(ns, val)
		if _, dup := m.index[h]; dup {
			return nil, fmt.Errorf("%w: duplicate feature %q", ErrBadModel, name)
		}
		m.index[h] = int32(i)
	}
	sum := sha256.Sum256(data)
	name := mf.Name
	if name == "" {
		name = "model"
	}
	m.version = name + "-" + hex.EncodeToString(sum[:])[:10]
	return m, nil
}

// splitName splits "w:foo" into ("w:", "foo").
func splitName(name string) (string, string, bool) {
	if len(name) < 3 || name[1] != ':' {
		return "", "", false
	}
	return name[:2], name[2:], true
}

// hashName hashes a feature name the way extract does: bigrams "b:x|y" hash as
// hash2, everything else as hash1 of the whole value (which is the same bytes).
func hashName(ns, val string) uint64 { return hash1(ns, val) }

var (
	defaultOnce sync.Once
	defaultClf  *Classifier
	defaultErr  error
)

// Default returns the shipped model, embedded in the binary. It is parsed once per
// process; every call returns the same *Classifier.
func Default() (*Classifier, error) {
	defaultOnce.Do(func() {
		var m *model
		m, defaultErr = parseModel(shippedModel)
		if defaultErr != nil {
			defaultErr = fmt.Errorf("loading shipped model: %w", defaultErr)
			return
		}
		defaultClf = newClassifier(m)
	})
	return defaultClf, defaultErr
}

// Load reads a model file written by Train (or `outsidein train`).
func Load(path string) (*Classifier, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading model: %w", err)
	}
	m, err := parseModel(data)
	if err != nil {
		return nil, fmt.Errorf("loading model %s: %w", path, err)
	}
	return newClassifier(m), nil
}

// LoadBytes parses a model from its JSON encoding.
func LoadBytes(data []byte) (*Classifier, error) {
	m, err := parseModel(data)
	if err != nil {
		return nil, err
	}
	return newClassifier(m), nil
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// parseWeights reads a model's "weights" member (raw, as json.RawMessage holds
// it: nil when the member is absent), one row of rowLen numbers per
// feature ([[w0,...,w5],...]), into one flat slice, as encoding/json would read
// it into [][]float64 and then narrow it to float32. raw has passed
// json.Unmarshal, so it is valid JSON; anything but that shape is an error,
// and so is a weight out of float32's range (it would score as infinity).
// names are the features, one per row, named in errors.
func parseWeights(raw []byte, names []string) ([]float32, error) {
	rows := len(names)
	row := func(n int) string {
		if n < rows {
			return fmt.Sprintf("row %d (feature %q)", n, names[n])
		}
		return fmt.Sprintf("row %d", n)
	}
	out := make([]float32, 0, rows*rowLen)
	i := skipJSONSpace(raw, 0)
	if rest := raw[i:]; len(rest) == 0 || string(rest) == "null" {
		// No weights member, or null: no rows, as encoding/json reads it.
		if rows != 0 {
			return nil, fmt.Errorf("weights: 0 rows for %d features, want one per feature", rows)
		}
		return out, nil
	}
	if raw[i] != '[' {
		return nil, errors.New("weights: want an array of rows")
	}
	i = skipJSONSpace(raw, i+1)
	n := 0
	for i < len(raw) && raw[i] != ']' {
		if raw[i] != '[' {
			return nil, fmt.Errorf("weights: %s is not an array", row(n))
		}
		i = skipJSONSpace(raw, i+1)
		cols := 0
		for i < len(raw) && raw[i] != ']' {
			j := i
			for j < len(raw) && raw[j] != ',' && raw[j] != ']' && raw[j] != ' ' && raw[j] != '\t' && raw[j] != '\n' && raw[j] != '\r' {
				j++
			}
			var w float64 // null stays 0, as encoding/json leaves it
			if tok := raw[i:j]; string(tok) != "null" {
				if c := raw[i]; c != '-' && (c < '0' || c > '9') {
					return nil, fmt.Errorf("weights: %s: %.20q is not a number", row(n), tok)
				}
				var err error
				if w, err = strconv.ParseFloat(string(tok), 64); err != nil {
					return nil, fmt.Errorf("weights: %s: %v", row(n), err)
				}
				if math.IsInf(float64(float32(w)), 0) {
					return nil, fmt.Errorf("weights: %s: %s is out of range", row(n), tok)
				}
			}
			out = append(out, float32(w))
			cols++
			i = skipJSONSpace(raw, j)
			if i < len(raw) && raw[i] == ',' {
				i = skipJSONSpace(raw, i+1)
			}
		}
		if cols != rowLen {
			return nil, fmt.Errorf("weights: %s has %d weights, want %d", row(n), cols, rowLen)
		}
		n++
		i = skipJSONSpace(raw, i+1) // past the row's ']'
		if i < len(raw) && raw[i] == ',' {
			i = skipJSONSpace(raw, i+1)
		}
	}
	if n != rows {
		return nil, fmt.Errorf("weights: %d rows for %d features, want one per feature", n, rows)
	}
	return out, nil
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
