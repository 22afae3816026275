package classifycli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestClassifyKeepsFieldsAndOrder(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&in, `{"id":"p%d","brand":"acme","channel":"x","extra":{"k":[1,2]},"text":"@acme my order %d never arrived, refund please"}`+"\n", i, i)
	}
	var out, errb bytes.Buffer
	if err := Classify(context.Background(), []string{"--workers", "4"}, strings.NewReader(in.String()), &out, &errb); err != nil {
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
	err := Classify(context.Background(), nil, strings.NewReader(in), &out, &errb)
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
	if err := Classify(context.Background(), []string{"--explain", path}, nil, &out, &errb); err != nil {
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
	if err := Train(context.Background(), []string{"--data", dir, "--out", model, "--name", "t"}, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	out.Reset()
	err := Eval(context.Background(), []string{"--data", train, "--model", model, "--errors"}, nil, &out, &errb)
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

func TestUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	ctx := context.Background()
	if err := Train(ctx, nil, nil, &out, &errb); !errors.Is(err, ErrUsage) {
		t.Errorf("train without flags: %v", err)
	}
	if err := Eval(ctx, nil, nil, &out, &errb); !errors.Is(err, ErrUsage) {
		t.Errorf("eval without data: %v", err)
	}
	if err := Classify(ctx, []string{"--nope"}, nil, &out, &errb); !errors.Is(err, ErrUsage) {
		t.Errorf("classify with a bad flag: %v", err)
	}
}

func TestBench(t *testing.T) {
	var out, errb bytes.Buffer
	if err := Bench(context.Background(), []string{"--duration", "50ms"}, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if !regexp.MustCompile(`^posts_per_sec=[1-9]\d*\n$`).MatchString(out.String()) {
		t.Errorf("got %q", out.String())
	}
}
