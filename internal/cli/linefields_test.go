package cli

import (
	"bytes"
	"encoding/json"
	"testing"
)

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

// FuzzLineFields holds scanLine to encoding/json: on any input it decides,
// it must read the same text, id and error as json.Unmarshal, and keep the
// members a map keeps once the output keys are deleted.
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
		if sc.slow {
			return
		}
		got, outKey := sc.fields, sc.outputKey
		if got.textNotString != want.textNotString {
			t.Fatalf("not a string %v, want %v: %q", got.textNotString, want.textNotString, s)
		}
		if !bytes.Equal(got.id, want.id) {
			t.Fatalf("id %s, want %s: %q", got.id, want.id, s)
		}
		if !want.textNotString && (got.hasText != want.hasText || got.text != want.text) {
			t.Fatalf("text %v %q, want %v %q: %q", got.hasText, got.text, want.hasText, want.text, s)
		}
		// The members kept for the output line are the input's without the
		// output keys, as a map decodes them.
		var wantKept map[string]json.RawMessage
		if err := json.Unmarshal(obj, &wantKept); err != nil {
			t.Fatal(err)
		}
		dropped := false
		for _, k := range outputKeys {
			key := string(k[1 : len(k)-1])
			if _, ok := wantKept[key]; ok {
				dropped = true
				delete(wantKept, key)
			}
		}
		if outKey != dropped {
			t.Fatalf("outputKey %v, want %v: %q", outKey, dropped, s)
		}
		kept := obj
		if outKey {
			var out bytes.Buffer
			sc.writeKept(obj, &out)
			out.WriteByte('}')
			kept = out.Bytes()
		}
		var gotKept map[string]json.RawMessage
		if err := json.Unmarshal(kept, &gotKept); err != nil {
			t.Fatalf("kept members are not an object: %v: %s", err, kept)
		}
		gotJSON, _ := json.Marshal(gotKept)
		wantJSON, _ := json.Marshal(wantKept)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Fatalf("kept %s, want %s: %q", gotJSON, wantJSON, s)
		}
	})
}
