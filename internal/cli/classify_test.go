package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/outsidein/outsidein/internal/bench"
	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/motive"
)

func TestClassifyKeepsFieldsAndOrder(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&in, `{"id":"p%d","brand":"acme","channel":"x","extra":{"k":[1,2]},"text":"@acme my order %d never arrived, refund please"}`+"\n", i, i)
	}
	var out, errb bytes.Buffer
	if err := classifyCommand(context.Background(), []string{"--workers", "4"}, Stdio{In: strings.NewReader(in.String()), Out: &out, Err: &errb}); err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1000 {
		t.Fatalf("%d lines, want 1000", len(lines))
	}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d: %v: %s", i, err, l)
		}
		if m["id"] != fmt.Sprintf("p%d", i) || m["channel"] != "x" || m["brand"] != "acme" || m["extra"] == nil {
			t.Fatalf("line %d lost fields or order: %s", i, l)
		}
		for _, k := range []string{"motive", "complaint", "confidence", "sentiment", "lang", "model"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("line %d has no %s: %s", i, k, l)
			}
		}
		if _, ok := m["explain"]; ok {
			t.Fatalf("explain without --explain: %s", l)
		}
	}
}

func TestClassifyBadLines(t *testing.T) {
	in := `{"id":"a","text":"@acme hi"}
not json
{"id":"c"}
{"id":"d","text":""}
{"id":"e","text":"@acme love you guys"}
`
	var out, errb bytes.Buffer
	err := classifyCommand(context.Background(), nil, Stdio{In: strings.NewReader(in), Out: &out, Err: &errb})
	if !errors.Is(err, ErrBadLines) {
		t.Fatalf("err %v, want ErrBadLines", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 5:\n%s", len(lines), out.String())
	}
	wantErr := []bool{false, true, true, true, false}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d not JSON: %s", i, l)
		}
		if _, has := m["error"]; has != wantErr[i] {
			t.Errorf("line %d: error field %v, want %v: %s", i, has, wantErr[i], l)
		}
	}
	if !strings.Contains(lines[2], `"id":"c"`) {
		t.Errorf("error line lost the id: %s", lines[2])
	}
}

func TestClassifyExplainAndFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, []byte(`{"text":"@acme thanks for losing my bag again #fail"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := classifyCommand(context.Background(), []string{"--explain", path}, Stdio{Out: &out, Err: &errb}); err != nil {
		t.Fatal(err, errb.String())
	}
	var m struct {
		Complaint bool
		Explain   []struct {
			Feature string
			Weight  float64
		}
	}
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if !m.Complaint || len(m.Explain) == 0 {
		t.Fatalf("got %s", out.String())
	}
}

func TestTrainEvalRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var data strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&data, `{"text":"any promo code %d?","motive":"discounts","complaint":false}`+"\n", i)
		fmt.Fprintf(&data, `{"text":"my order %d never arrived","motive":"service","complaint":true}`+"\n", i)
	}
	train := filepath.Join(dir, "train.jsonl")
	model := filepath.Join(dir, "m.json")
	if err := os.WriteFile(train, []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := trainCommand(context.Background(), []string{"--data", dir, "--out", model, "--name", "t"}, Stdio{Out: &out, Err: &errb}); err != nil {
		t.Fatal(err, errb.String())
	}
	out.Reset()
	err := evalCommand(context.Background(), []string{"--data", train, "--model", model, "--errors"}, Stdio{Out: &out, Err: &errb})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	re := regexp.MustCompile(`^macro_f1=(\d\.\d{3}) accuracy=(\d\.\d{3}) complaint_f1=(\d\.\d{3}) n=40$`)
	mm := re.FindStringSubmatch(last)
	if mm == nil {
		t.Fatalf("last line %q", last)
	}
	if mm[2] != "1.000" || mm[3] != "1.000" {
		t.Errorf("a model should fit its own easy training data: %s", last)
	}
	if !strings.Contains(out.String(), "confusion") {
		t.Error("no confusion matrix")
	}
}

// TestTrainWithCorpus trains on the built-in corpus: alone it must rebuild the
// shipped model exactly (so the embedded corpus is the one the model came
// from), and with a user's own posts at a higher weight the model must learn
// what those posts teach.
func TestTrainWithCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twice on the whole corpus")
	}
	ctx := context.Background()
	dir := t.TempDir()

	base := filepath.Join(dir, "base.json")
	var out, errb bytes.Buffer
	if err := trainCommand(ctx, []string{"--with-corpus", "--out", base}, Stdio{Out: &out, Err: &errb}); err != nil {
		t.Fatal(err, errb.String())
	}
	c, err := classify.Load(base)
	if err != nil {
		t.Fatal(err)
	}
	corpusN := trainedCount(t, out.String())

	// A brand whose fans show off their "qorvex" (its collectible): the built-in
	// corpus has never seen the word, and the shipped model reads the post as
	// a service case; the brand's own labelled posts say community.
	var own strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&own, `{"text":"@acme got my qorvex today %d","motive":"community","complaint":false,"industry":"retail"}`+"\n", i)
	}
	ownFile := filepath.Join(dir, "own.jsonl")
	if err := os.WriteFile(ownFile, []byte(own.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	probe := "@acme got my qorvex today"
	if r := c.Classify(probe); r.Motive == motive.Community {
		t.Fatalf("probe %q is already community with the corpus alone; pick another", probe)
	}
	adapted := filepath.Join(dir, "adapted.json")
	out.Reset()
	if err := trainCommand(ctx, []string{"--with-corpus", "--data", ownFile, "--weight", "5", "--out", adapted}, Stdio{Out: &out, Err: &errb}); err != nil {
		t.Fatal(err, errb.String())
	}
	if n := trainedCount(t, out.String()); n != corpusN+30 {
		t.Errorf("trained on %d examples, want %d (corpus) + 30", n, corpusN)
	}
	a, err := classify.Load(adapted)
	if err != nil {
		t.Fatal(err)
	}
	if r := a.Classify(probe); r.Motive != motive.Community {
		t.Errorf("adapted model: %q is %s, want community", probe, r.Motive)
	}

	for _, w := range []string{"0", "-1", "NaN", "+Inf"} {
		if err := trainCommand(ctx, []string{"--with-corpus", "--weight", w, "--out", filepath.Join(dir, "x.json")}, Stdio{Out: &out, Err: &errb}); !errors.Is(err, config.ErrUsage) {
			t.Errorf("--weight %s: %v, want a usage error", w, err)
		}
	}
}

// trainedCount reads N from train's "trained VERSION on N examples" line.
func trainedCount(t *testing.T, out string) int {
	t.Helper()
	m := regexp.MustCompile(`trained \S+ on (\d+) examples`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no training summary in %q", out)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	ctx := context.Background()
	if err := trainCommand(ctx, nil, Stdio{Out: &out, Err: &errb}); !errors.Is(err, config.ErrUsage) {
		t.Errorf("train without flags: %v", err)
	}
	if err := evalCommand(ctx, nil, Stdio{Out: &out, Err: &errb}); !errors.Is(err, config.ErrUsage) {
		t.Errorf("eval without data: %v", err)
	}
	if err := classifyCommand(ctx, []string{"--nope"}, Stdio{Out: &out, Err: &errb}); !errors.Is(err, config.ErrUsage) {
		t.Errorf("classify with a bad flag: %v", err)
	}
}

func TestBench(t *testing.T) {
	var out, errb bytes.Buffer
	if err := benchClassify(context.Background(), []string{"--duration", "50ms"}, Stdio{Out: &out, Err: &errb}); err != nil {
		t.Fatal(err, errb.String())
	}
	if !regexp.MustCompile(`^posts_per_sec=[1-9]\d*\n$`).MatchString(out.String()) {
		t.Errorf("got %q", out.String())
	}
}

// topKeys lists the top-level keys of a JSON object in order, repeats included.
func topKeys(t *testing.T, line string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", line)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
	}
	return keys
}

// Input fields named like the ones classify writes are replaced, not repeated,
// and the other fields keep their order (sorted on the escaped-key path).
func TestClassifyReplacesOutputFields(t *testing.T) {
	tests := []struct{ name, in, wantKeys string }{
		{"labelled", `{"id":"a","text":"@acme my order never arrived","motive":"none","complaint":false,"brand":"acme"}`, "id text brand"},
		// A key written with escapes takes the slow path through a map, which
		// sorts the kept keys.
		{"escaped key", `{"text":"@acme any promo code?","mo\u0074ive":"x","id":"b"}`, "id text"},
		{"old output", `{"z":1,"text":"@acme hi","model":"old","lang":"fr","confidence":1,"sentiment":0,"explain":[],"error":"e"}`, "z text"},
		{"plain", `{"b":2,"a":1,"text":"@acme love you"}`, "b a text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := classifyCommand(context.Background(), nil, Stdio{In: strings.NewReader(tc.in + "\n"), Out: &out, Err: &errb}); err != nil {
				t.Fatalf("%v: %s", err, errb.String())
			}
			got := strings.Join(topKeys(t, strings.TrimSpace(out.String())), " ")
			want := tc.wantKeys + " motive complaint confidence sentiment lang model"
			if got != want {
				t.Errorf("keys %q, want %q\n%s", got, want, out.String())
			}
		})
	}
}

// FuzzClassifyLine: whatever the line, classify writes exactly one JSON
// object: an error naming the line, or the input's members that are not
// output fields, unchanged, followed by the classifier's fields.
func FuzzClassifyLine(f *testing.F) {
	for _, s := range []string{`{"text":"@acme hi"}`, `{"id":7,"text":"my order never came","motive":"x"}`, `{"text":null}`,
		`{"text":1}`, `[1]`, `null`, `{"a":{"text":"x"},"text":"\u00e9t\u00e9 \ud83d\ude00"}`, `{"mo\u0074ive":"x","text":"y"}`, `{`} {
		f.Add(s)
	}
	c, err := classify.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.TrimSpace(line) == "" || strings.ContainsAny(line, "\r\n") {
			return // the reader splits lines and skips blank ones
		}
		var out bytes.Buffer
		ok := classifyLine(c, []byte(line), 3, false, &out)
		if !strings.HasSuffix(out.String(), "\n") || strings.Count(out.String(), "\n") != 1 {
			t.Fatalf("output is not one line: %q", out.String())
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output is not a JSON object: %v: %s", err, out.String())
		}
		if !ok {
			if string(got["line"]) != "3" || got["error"] == nil {
				t.Fatalf("error line without line number or error: %s", out.String())
			}
			return
		}
		var in map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			t.Fatalf("a line that is not an object was classified: %q", line)
		}
		for k, v := range in {
			if isOneOf([]byte(strconv.Quote(k)), outputKeys) {
				continue
			}
			if !bytes.Equal(compact(t, got[k]), compact(t, v)) {
				t.Fatalf("member %q: got %s, want %s", k, got[k], v)
			}
		}
		for _, k := range []string{"motive", "complaint", "confidence", "sentiment", "lang", "model"} {
			if got[k] == nil {
				t.Fatalf("no %s in %s", k, out.String())
			}
		}
	})
}

func compact(t *testing.T, v json.RawMessage) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		t.Fatalf("%v: %s", err, v)
	}
	return b.Bytes()
}

// BenchmarkClassifyFile runs the `outsidein classify` path (JSON in, JSON out,
// two workers) over the built-in benchmark posts.
func BenchmarkClassifyFile(b *testing.B) {
	c, err := classify.Default()
	if err != nil {
		b.Fatal(err)
	}
	input := bench.Posts()
	n := bytes.Count(input, []byte("\n"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := classifyLines(context.Background(), c, bytes.NewReader(input), io.Discard, 2, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}

// The shipped model records the train command that made it and the digests
// of the files it read; run again on the same files, the command gives the
// same model. The corpus is in the repository; the real-post set and the
// word vectors are not (their licences): set OUTSIDEIN_REALSET to
// tools/realset/build.py's output and OUTSIDEIN_VECTORS to the vectors
// (tools/realset/ship-model.sh says where they come from) to check a model
// that used them.
func TestShippedModelRebuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the shipped model")
	}
	data, err := os.ReadFile(filepath.Join("..", "classify", "model", "shipped.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mf classify.ModelFile
	if err := json.Unmarshal(data, &mf); err != nil {
		t.Fatal(err)
	}
	args, err := splitCommand(mf.Trained.Command)
	if err != nil || len(args) < 2 || args[0] != "outsidein" || args[1] != "train" {
		t.Fatalf("the shipped model records no train command: %q (%v)", mf.Trained.Command, err)
	}
	args = args[2:]
	for i := 0; i+1 < len(args); i++ {
		env := map[string]string{"--data": "OUTSIDEIN_REALSET", "--vectors": "OUTSIDEIN_VECTORS"}[args[i]]
		if env == "" {
			continue
		}
		path := os.Getenv(env)
		if path == "" {
			t.Skipf("the shipped model was trained on %s %s, not in the repository; set %s to check that it rebuilds", args[i], args[i+1], env)
		}
		want := ""
		for _, in := range mf.Trained.Inputs {
			if in.Name == args[i+1] {
				want = in.SHA256
			}
		}
		if got, err := digest(path); err != nil || got != want {
			t.Fatalf("%s=%s has digest %s (%v), the shipped model was trained on %s with %s", env, path, got, err, args[i+1], want)
		}
		args[i+1] = path
	}
	var out, errb bytes.Buffer
	if err := trainCommand(context.Background(), append(args, "--out", filepath.Join(t.TempDir(), "m.json")), Stdio{Out: &out, Err: &errb}); err != nil {
		t.Fatal(err, errb.String())
	}
	shipped, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "trained "+shipped.Version()+" ") {
		t.Errorf("%s gives %q, want the shipped %s (regenerate the model: go generate ./internal/classify/train)", mf.Trained.Command, out.String(), shipped.Version())
	}
}

// splitCommand splits a command line as provenance writes it: words
// separated by spaces, a value with spaces or quotes in Go's double quotes.
func splitCommand(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, err
			}
			v, _ := strconv.Unquote(q)
			out = append(out, v)
			s = s[len(q):]
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		out = append(out, word)
		s = rest
	}
	return out, nil
}

// A trained model records its command with files by base name and without
// --out, in a form splitCommand reads back, and its files' digests.
func TestTrainRecordsProvenance(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "posts.jsonl")
	if err := os.WriteFile(data, []byte(`{"text":"any promo code?","motive":"discounts","complaint":false}`+"\n"+
		`{"text":"my order never came","motive":"service","complaint":true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.json")
	var o, e bytes.Buffer
	if err := trainCommand(context.Background(), []string{"--data", data, "--name", `my "odd" name`, "--epochs", "2", "--natural-priors", "--out", out}, Stdio{Out: &o, Err: &e}); err != nil {
		t.Fatal(err, e.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var mf classify.ModelFile
	if err := json.Unmarshal(raw, &mf); err != nil {
		t.Fatal(err)
	}
	args, err := splitCommand(mf.Trained.Command)
	want := []string{"outsidein", "train", "--data", "posts.jsonl", "--epochs", "2", "--name", `my "odd" name`, "--natural-priors"}
	if err != nil || strings.Join(args, "|") != strings.Join(want, "|") {
		t.Errorf("command %q splits into %q (%v), want %q", mf.Trained.Command, args, err, want)
	}
	d, err := digest(data)
	if err != nil || len(mf.Trained.Inputs) != 1 || mf.Trained.Inputs[0] != (classify.Input{Name: "posts.jsonl", SHA256: d}) {
		t.Errorf("inputs %+v, want posts.jsonl with %s", mf.Trained.Inputs, d)
	}
}
