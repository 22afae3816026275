package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/outsidein/outsidein/internal/bench"
	"github.com/outsidein/outsidein/internal/classify"
)

func TestScanLineValid(t *testing.T) {
	deep := func(n int, open, close string) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	tests := []string{
		``, ` `, `{}`, `[]`, `{ }`, `[ ]`, ` {"a":1} `, `{"a":1}x`, `{"a":1} {}`, `{"a":1,}`, `[1,]`, `[,1]`, `{,}`,
		`{"a" 1}`, `{"a":}`, `{"a"}`, `{a:1}`, `{"a":1 "b":2}`, `{"a":[1}`, `{"a":{]}`, `[1]]`, `{"a":1}}`,
		`0`, `-0`, `01`, `-01`, `1.`, `1.5`, `.5`, `-`, `1e`, `1e+`, `1e5`, `1E-05`, `1.0e+1`, `+1`, `1.e1`, `0x1`, `-a`,
		`true`, `tru`, `truex`, `false`, `fals`, `null`, `nul`, `nulll`, `True`, `NaN`,
		`""`, `"a`, `"\"`, `"\\"`, `"\/\b\f\n\r\t"`, `"\u00e9"`, `"\u00E9"`, `"\u00g9"`, `"\u00e"`, `"\x"`, `"\'"`,
		"\"\x1f\"", "\"\x7f\"", "\"\xff\xfe\"", "\"\t\"", "\"a\nb\"", "\"\x00\"",
		"{\"a\":1}\v", "\f{}", "\u00a0{}", "\t\r\n{}\t\r\n",
		`{"a":"b","a":"c"}`, `{"Text":"x"}`, `{"te\u0078t":"x"}`, `{"":1}`, `[[],{},[{}],{"a":[]}]`,
		deep(maxNestingDepth, "[", "]"), deep(maxNestingDepth+1, "[", "]"),
		`{"a":` + deep(maxNestingDepth-1, "[", "]") + `}`, `{"a":` + deep(maxNestingDepth, "[", "]") + `}`,
		strings.Repeat(`{"a":`, maxNestingDepth) + "1" + strings.Repeat("}", maxNestingDepth),
		strings.Repeat(`{"a":`, maxNestingDepth+1) + "1" + strings.Repeat("}", maxNestingDepth+1),
		strings.Repeat("[", 20000),
	}
	for i, s := range tests {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			var sc lineScan
			if got, want := scanLine([]byte(s), &sc), json.Valid([]byte(s)); got != want {
				t.Errorf("scanLine = %v, json.Valid = %v: %.80q", got, want, s)
			}
		})
	}
}

// TestScanLineOutputKeys holds scanLine's switch to outputKeys.
func TestScanLineOutputKeys(t *testing.T) {
	keys := [][]byte{[]byte(`"motives"`), []byte(`"Lang"`), []byte(`""`)}
	for _, k := range append(keys, outputKeys...) {
		line := []byte(`{"text":"hi",` + string(k) + `:1}`)
		var sc lineScan
		if !scanLine(line, &sc) {
			t.Fatalf("rejects %s", line)
		}
		if want := isOneOf(k, outputKeys); sc.outputKey != want || sc.members[1].drop != want {
			t.Errorf("%s: outputKey %v drop %v, want %v", k, sc.outputKey, sc.members[1].drop, want)
		}
	}
}

// FuzzValidate holds scanLine's verdict to json.Valid's on any bytes.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,-2.5e+3,true,false,null,"\u00e9\n"]}`, `[{"a":{}}]`, `01`, `1.`, `"\x"`,
		"\"\xff\"", `{"a":1}x`, `tru`, strings.Repeat("[", 10001) + strings.Repeat("]", 10001)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var sc lineScan
		if got, want := scanLine(b, &sc), json.Valid(b); got != want {
			t.Fatalf("scanLine = %v, json.Valid = %v: %q", got, want, b)
		}
		for i := 0; i+8 <= len(b); i++ {
			want := false
			for _, c := range b[i : i+8] {
				want = want || !plainInString[c]
			}
			if got := specialInString(binary.LittleEndian.Uint64(b[i:])); got != want {
				t.Fatalf("specialInString = %v, want %v: %q", got, want, b[i:i+8])
			}
		}
	})
}

// TestClassifyLineManyMembers covers lines with more members than a lineScan
// keeps spans for.
func TestClassifyLineManyMembers(t *testing.T) {
	c, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{maxMembers - 2, maxMembers - 1, maxMembers, maxMembers + 1, 3 * maxMembers} {
		var b strings.Builder
		b.WriteString(`{"text":"@acme my order never arrived"`)
		for i := 1; i < n; i++ {
			if i%5 == 0 {
				b.WriteString(`, "lang" : "en"`)
			} else {
				b.WriteString(`,"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i))
			}
		}
		b.WriteString("}")
		var got bytes.Buffer
		classifyLine(c, []byte(b.String()), 1, false, &got)
		keys := topKeys(t, strings.TrimSpace(got.String()))
		want := []string{"text"}
		for i := 1; i < n; i++ {
			if i%5 != 0 {
				want = append(want, "k"+strconv.Itoa(i))
			}
		}
		want = append(want, "motive", "complaint", "confidence", "sentiment", "lang", "model")
		if strings.Join(keys, " ") != strings.Join(want, " ") {
			t.Errorf("%d members: keys\n%v, want\n%v", n, keys, want)
		}
	}
}

// BenchmarkScanLine measures the one pass over the lines of
// $OUTSIDEIN_BENCH_FILE (the built-in benchmark posts without it), beside
// what encoding/json takes to validate and decode the same lines.
func BenchmarkScanLine(b *testing.B) {
	data := bench.Posts()
	if name := os.Getenv("OUTSIDEIN_BENCH_FILE"); name != "" {
		var err error
		if data, err = os.ReadFile(name); err != nil {
			b.Fatal(err)
		}
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.Run("one-pass", func(b *testing.B) {
		for b.Loop() {
			for _, l := range lines {
				var sc lineScan
				scanLine(l, &sc)
				if sc.outputKey {
					var out bytes.Buffer
					sc.writeKept(l, &out)
				}
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			for _, l := range lines {
				var m map[string]json.RawMessage
				_ = json.Unmarshal(l, &m)
			}
		}
	})
}

func isOneOf(key []byte, keys [][]byte) bool {
	for _, k := range keys {
		if bytes.Equal(key, k) {
			return true
		}
	}
	return false
}
