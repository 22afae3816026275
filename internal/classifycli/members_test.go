package classifycli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestWithoutMembers(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"nothing to drop", `{"id":"a", "text":"hi"}`, `{"id":"a", "text":"hi"}`, true},
		{"first", `{"motive":"service","text":"hi"}`, `{"text":"hi"}`, true},
		{"middle", `{"id":1,"motive":"service","text":"hi"}`, `{"id":1,"text":"hi"}`, true},
		{"last", `{"text":"hi","complaint":true}`, `{"text":"hi"}`, true},
		{"only", `{"model":"m"}`, `{}`, true},
		{"every kind of value", `{"a":{"motive":[1,{"b":"}"}]},"motive":null,"b":[true,"]"],"complaint":-1.5e3,"c":false}`,
			`{"a":{"motive":[1,{"b":"}"}]},"b":[true,"]"],"c":false}`, true},
		{"spaces", "{ \"text\" : \"a \\\" b\" ,\t\"lang\" : \"en\" , \"x\" : 2 }", "{\"text\" : \"a \\\" b\",\"x\" : 2}", true},
		{"key name in a string value", `{"text":"\"motive\": hi","motive":"x"}`, `{"text":"\"motive\": hi"}`, true},
		{"escaped key", `{"mo\u0074ive":"x","text":"hi"}`, ``, false},
		{"empty", `{}`, `{}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !json.Valid([]byte(tc.in)) {
				t.Fatalf("test input is not JSON: %s", tc.in)
			}
			got, ok := withoutMembers([]byte(tc.in), outputKeys)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok && string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
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
			if err := Classify(context.Background(), nil, strings.NewReader(tc.in+"\n"), &out, &errb); err != nil {
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

// FuzzWithoutMembers holds the scanner to the map path it replaces: for any
// JSON object, the kept members decode to the same map, in the input's order.
func FuzzWithoutMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"text":"a","motive":"b"}`, `{"a":[1,{"b":"}"}],"lang":null,"c":"\"model\""}`, "{ \"x\" : 1 ,\n\"complaint\":true }"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want map[string]json.RawMessage
		if json.Unmarshal([]byte(s), &want) != nil || want == nil {
			return
		}
		got, ok := withoutMembers([]byte(s), outputKeys)
		if !ok {
			return
		}
		for _, k := range outputKeys {
			delete(want, string(k[1:len(k)-1]))
		}
		var gotMap map[string]json.RawMessage
		if err := json.Unmarshal(got, &gotMap); err != nil {
			t.Fatalf("output is not a JSON object: %v\nin  %s\nout %s", err, s, got)
		}
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(gotMap)
		if !bytes.Equal(wantJSON, gotJSON) {
			t.Fatalf("in  %s\nout %s\nwant %s", s, gotJSON, wantJSON)
		}
	})
}
