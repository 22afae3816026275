package classify

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

// featureNames returns n made-up feature names, one per weight row.
func featureNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("w:f%d", i)
	}
	return names
}

// weightsByJSON is what parseWeights replaced: encoding/json into [][]float64,
// then the row checks and the narrowing to float32, which must stay finite.
func weightsByJSON(raw []byte, rows int) ([]float32, bool) {
	var w [][]float64
	if err := json.Unmarshal(raw, &w); err != nil || len(w) != rows {
		return nil, false
	}
	out := make([]float32, 0, rows*rowLen)
	for _, r := range w {
		if len(r) != rowLen {
			return nil, false
		}
		for _, x := range r {
			if math.IsInf(float64(float32(x)), 0) {
				return nil, false
			}
			out = append(out, float32(x))
		}
	}
	return out, true
}

func TestParseWeightsShipped(t *testing.T) {
	var in struct {
		Features []string        `json:"features"`
		Weights  json.RawMessage `json:"weights"`
	}
	if err := json.Unmarshal(shippedModel, &in); err != nil {
		t.Fatal(err)
	}
	want, ok := weightsByJSON(in.Weights, len(in.Features))
	if !ok {
		t.Fatal("encoding/json rejects the shipped weights")
	}
	got, err := parseWeights(in.Weights, in.Features)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d weights, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("weight %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestParseWeights(t *testing.T) {
	row := "[1,-2.5,3e-2,0,-0,1E+2]"
	tests := []struct {
		name string
		raw  string
		rows int
		ok   bool
	}{
		{"one row", "[" + row + "]", 1, true},
		{"two rows, spaces", " [ " + strings.ReplaceAll(row, ",", " ,\n") + " ,\t" + row + " ] ", 2, true},
		{"no rows", "[]", 0, true},
		{"too few rows", "[" + row + "]", 2, false},
		{"too many rows", "[" + row + "," + row + "]", 1, false},
		{"short row", "[[1,2,3,4,5]]", 1, false},
		{"long row", "[[1,2,3,4,5,6,7]]", 1, false},
		{"empty row", "[[]]", 1, false},
		{"null weight is 0", "[[1,2,3,4,5,null]]", 1, true},
		{"null row", "[null]", 1, false},
		{"string weight", `[[1,2,3,4,5,"6"]]`, 1, false},
		{"nested", "[[1,2,3,4,5,[6]]]", 1, false},
		{"row not an array", "[1]", 1, false},
		{"null, no features", "null", 0, true},
		{"null, features", "null", 1, false},
		{"object", `{"a":1}`, 0, false},
		{"out of range", "[[1,2,3,4,5,1e999]]", 1, false},
		{"out of float32's range", "[[1,2,3,4,5,-1e39]]", 1, false},
		{"largest float32", "[[1,2,3,4,5,3.4028234663852886e38]]", 1, true},
		{"tiny underflows to zero", "[[1,2,3,4,5,1e-999]]", 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte(tc.raw)
			if !json.Valid(raw) {
				t.Fatalf("test input is not JSON: %s", tc.raw)
			}
			want, wantOK := weightsByJSON(raw, tc.rows)
			if wantOK != tc.ok {
				t.Fatalf("encoding/json ok = %v, the table says %v", wantOK, tc.ok)
			}
			got, err := parseWeights(raw, featureNames(tc.rows))
			if (err == nil) != tc.ok {
				t.Fatalf("parseWeights error = %v, want ok %v", err, tc.ok)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("weight %d = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

// FuzzParseWeights holds parseWeights to encoding/json on any valid JSON.
func FuzzParseWeights(f *testing.F) {
	f.Add([]byte("[[1,2,3,4,5,6]]"), 1)
	f.Add([]byte(" [ [ -0.5 , 1e3,2,3,4 ,5] ,[0,0,0,0,0,0]]"), 2)
	f.Add([]byte("[[1,2,3,4,5,1e400]]"), 1)
	f.Add([]byte("[[null,2,3,4,5,6],null]"), 2)
	f.Add([]byte("null"), 0)
	f.Fuzz(func(t *testing.T, raw []byte, rows int) {
		if !json.Valid(raw) || rows < 0 || rows > 1000 {
			return
		}
		// Mostly take the row count from the input, so that values get
		// compared; the fuzzed count checks the row-count errors.
		var top []json.RawMessage
		if json.Unmarshal(raw, &top) == nil && rows%4 != 0 {
			rows = len(top)
		}
		want, wantOK := weightsByJSON(raw, rows)
		got, err := parseWeights(raw, featureNames(rows))
		if (err == nil) != wantOK {
			t.Fatalf("parseWeights(%q, %d) error = %v, encoding/json ok = %v", raw, rows, err, wantOK)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("weight %d = %v, want %v", i, got[i], want[i])
			}
		}
	})
}
