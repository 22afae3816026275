package wire

import "testing"

var benchPost = []byte(`{"id":"demo-1","brand":"skyjet","channel":"twitter","author":"@maria_travels","text":"@skyjet flight 221 delayed 3 hrs and no one at the gate knows anything #fail 😡","created_at":"2026-11-25T10:00:00.123Z","customer_tier":"VALUE_TIER_HIGH"}`)

func BenchmarkDecodeJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(ContentTypeJSON, benchPost, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeJSONProtojson(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := Decode(ContentTypeJSON, append(benchPost[:len(benchPost):len(benchPost)], ' ', '\x00'), Limits{})
		_ = m
		_ = err
	}
}
