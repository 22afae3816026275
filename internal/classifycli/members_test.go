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

func TestScanFields(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool   // the scan decides without json.Unmarshal
		text     string // "<nil>" for no text
		id       string
		notStr   bool
		outKey   bool
	}{
		{"plain", `{"id":"a","text":"hi"}`, true, "hi", `"a"`, false, false},
		{"spaces", " { \"text\" :\t\"hi\" , \"id\" : 7 } ", true, "hi", `7`, false, false},
		{"no id", `{"text":"hi"}`, true, "hi", ``, false, false},
		{"no text", `{"id":"c"}`, true, "<nil>", `"c"`, false, false},
		{"empty", `{}`, true, "<nil>", ``, false, false},
		{"null text", `{"text":null,"id":1}`, true, "<nil>", `1`, false, false},
		{"null id", `{"text":"hi","id":null}`, true, "hi", `null`, false, false},
		{"object id", `{"id":{"a":[1,"}"]},"text":"hi"}`, true, "hi", `{"a":[1,"}"]}`, false, false},
		{"escaped text", `{"text":"a \"q\" \u00e9 \ud83d\ude4c \n","id":1}`, true, "a \"q\" é 🙌 \n", `1`, false, false},
		{"lone surrogate", `{"text":"x\ud83d y"}`, true, "x\uFFFD y", ``, false, false},
		{"invalid UTF-8", "{\"text\":\"a\xffb\"}", true, "a\uFFFDb", ``, false, false},
		{"U+FFFD itself", `{"text":"a` + "\uFFFD" + `b"}`, true, "a\uFFFDb", ``, false, false},
		{"number text", `{"text":5,"id":"n"}`, true, "<nil>", `"n"`, true, false},
		{"bool text", `{"id":"b","text":true}`, true, "<nil>", `"b"`, true, false},
		{"object text", `{"text":{"a":1},"id":"o"}`, true, "<nil>", `"o"`, true, false},
		{"array text", `{"text":["a"]}`, true, "<nil>", ``, true, false},
		{"not a string, then a string", `{"text":1,"text":"hi"}`, true, "hi", ``, true, false},
		{"last text wins", `{"text":"a","text":"b"}`, true, "b", ``, false, false},
		{"last text null", `{"text":"a","text":null}`, true, "<nil>", ``, false, false},
		{"last id wins", `{"id":1,"text":"a","id":2}`, true, "a", `2`, false, false},
		{"nested text and id", `{"x":{"text":"no","id":0},"text":"yes"}`, true, "yes", ``, false, false},
		{"output key", `{"text":"a","motive":"none"}`, true, "a", ``, false, true},
		{"output key nested", `{"text":"a","x":{"motive":"none"}}`, true, "a", ``, false, false},
		{"output key in a value", `{"text":"\"lang\": x"}`, true, "\"lang\": x", ``, false, false},
		{"Text", `{"Text":"hi"}`, false, "hi", ``, false, false},
		{"ID", `{"text":"hi","ID":3}`, false, "hi", `3`, false, false},
		{"escaped key", `{"te\u0078t":"hi"}`, false, "hi", ``, false, false},
		{"escaped other key", `{"text":"hi","mo\u0074ive":1}`, false, "hi", ``, false, false},
		{"Kelvin is not k", `{"text":"hi","` + "\u212a" + `":1}`, true, "hi", ``, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			obj := []byte(tc.in)
			if !json.Valid(obj) {
				t.Fatalf("test input is not JSON: %s", tc.in)
			}
			want, err := decodeFields(obj)
			if err != nil {
				t.Fatal(err)
			}
			check := func(how string, f lineFields) {
				t.Helper()
				text := "<nil>"
				if f.hasText {
					text = f.text
				}
				if text != tc.text || string(f.id) != tc.id || f.textNotString != tc.notStr {
					t.Errorf("%s: text %q id %s not a string %v, want %q %s %v", how, text, f.id, f.textNotString, tc.text, tc.id, tc.notStr)
				}
			}
			if !tc.notStr {
				check("json.Unmarshal", want) // the table itself is right
			}
			got, outKey, ok := scanObject(t, obj)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok {
				check("scan", got)
				if outKey != tc.outKey {
					t.Errorf("outputKey = %v, want %v", outKey, tc.outKey)
				}
			}
		})
	}
}

// scanObject runs scanLine on obj, a valid JSON object, and returns what it
// read and whether it decided without json.Unmarshal.
func scanObject(t *testing.T, obj []byte) (f lineFields, outputKey, ok bool) {
	t.Helper()
	var sc lineScan
	if !scanLine(obj, &sc) {
		t.Fatalf("scanLine rejects a valid object: %q", obj)
	}
	return sc.fields, sc.outputKey, !sc.slow
}

// FuzzLineFields holds scanLine to the json.Unmarshal path it replaces: on
// any input it decides, it must read the same text, id and error, and leave
// the same members for the output line.
func FuzzLineFields(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","text":"hi"}`, ` {"text" : "a \"b\" \u00e9\ud83d" , "id":[1,{"x":"}"}]} `, `{"text":5,"id":{"a":null}}`,
		`{"text":"a","text":null,"ID":1}`, `{"Text":"x","motive":"m","te\u0078t":"y"}`, "{\"text\":\"\xff\"}",
		`{"id":1,"text":"b","id":2,"lang":"en"}`, `{}`, `not json`, `{"text":`, `{"text":"x"} {}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		obj := bytes.TrimSpace([]byte(s))
		want, err := decodeFields(obj)
		if len(obj) == 0 || obj[0] != '{' || !json.Valid(obj) {
			if err == nil && len(obj) > 0 && obj[0] == '{' {
				t.Fatalf("json.Valid rejects what json.Unmarshal decodes: %q", s)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid object but %v: %q", err, s)
		}
		var sc lineScan
		if !scanLine(obj, &sc) {
			t.Fatalf("scanLine rejects a valid object: %q", s)
		}
		refGot, refOutKey, refOK := refScanFields(obj)
		if refOK != !sc.slow {
			t.Fatalf("decided %v, the old scan %v: %q", !sc.slow, refOK, s)
		}
		if sc.slow {
			return
		}
		got, outKey := sc.fields, sc.outputKey
		if outKey != refOutKey || got.hasText != refGot.hasText || got.text != refGot.text ||
			!bytes.Equal(got.id, refGot.id) || got.textNotString != refGot.textNotString {
			t.Fatalf("read %+v %v, the old scan %+v %v: %q", got, outKey, refGot, refOutKey, s)
		}
		if got.textNotString != want.textNotString {
			t.Fatalf("not a string %v, want %v: %q", got.textNotString, want.textNotString, s)
		}
		if !bytes.Equal(got.id, want.id) {
			t.Fatalf("id %s, want %s: %q", got.id, want.id, s)
		}
		if !want.textNotString && (got.hasText != want.hasText || got.text != want.text) {
			t.Fatalf("text %v %q, want %v %q: %q", got.hasText, got.text, want.hasText, want.text, s)
		}
		// The old path strips whenever mayHaveOutputKey; the scan only when
		// a top-level key is an output key, copying the spans it kept. Both
		// must keep the same bytes.
		oldKept, newKept := obj, obj
		if mayHaveOutputKey(obj) {
			kept, ok := withoutMembers(obj, outputKeys)
			if !ok {
				t.Fatalf("scan decided a line withoutMembers cannot: %q", s)
			}
			oldKept = kept
		}
		if outKey {
			var out bytes.Buffer
			sc.writeKept(obj, &out)
			out.WriteByte('}')
			newKept = out.Bytes()
		}
		if !bytes.Equal(oldKept, newKept) {
			t.Fatalf("kept %s, want %s", newKept, oldKept)
		}
	})
}
