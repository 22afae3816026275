package wire

import (
	"errors"
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// FuzzDecode checks that no input crashes Decode, that every error maps to a
// known reason, and that whatever is accepted is valid and re-encodes.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		`{"id":"1","brand":"skyjet","channel":"twitter","text":"@skyjet my bag never arrived #fail","created_at":"2026-01-02T03:04:05Z"}`,
		`{"text":"any promo codes? 🙏","customer_tier":"VALUE_TIER_HIGH","in_reply_to":"9"}`,
		`{"text":"\u202eright to left\u200b"}`,
		`{"text":""}`, `not json`, `{"text":1}`, `[]`, `{`,
	}
	pbSeed, _ := proto.Marshal(&pb.Mention{Id: "x", Text: "love it", Brand: "freshcart", CustomerTier: pb.ValueTier_VALUE_TIER_LOW})
	for _, ct := range []string{"", ContentTypeJSON, ContentTypeProtobuf} {
		for _, s := range seeds {
			f.Add(ct, []byte(s))
		}
		f.Add(ct, pbSeed)
	}
	f.Fuzz(func(t *testing.T, ct string, value []byte) {
		m, err := Decode(ct, value, Limits{MaxTextBytes: 4096})
		if err != nil {
			known := false
			for sentinel := range reasonOf {
				known = known || errors.Is(err, sentinel)
			}
			if !known {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		if m.GetText() == "" || len(m.GetText()) > 4096 || !utf8.ValidString(m.GetText()) {
			t.Fatalf("accepted invalid text %q", m.GetText())
		}
		if _, err := proto.Marshal(m); err != nil {
			t.Fatalf("accepted mention does not re-encode: %v", err)
		}
	})
}

// FuzzFastJSON holds the fast JSON path to protojson's results: whenever it
// accepts an input, protojson must accept it too and decode the same Mention.
func FuzzFastJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"1","brand":"skyjet","text":"my bag \u00e9\ud83d\ude00 \"quoted\"\n","created_at":"2026-01-02T03:04:05.123Z","customer_tier":"VALUE_TIER_HIGH"}`,
		`{"text":"x","unknown":{"a":[1,2.5e3,-0,true,false,null,"s"]},"inReplyTo":"9","createdAt":"2026-01-02T03:04:05Z"}`,
		`{"text":"x","text":"y"}`, `{"text":null}`, `{"customer_tier":1,"text":"a"}`, `{"text":"a",}`, `{"text":"a"} x`,
		`{"x":01,"text":"a"}`, `{"x":1.,"text":"a"}`, `{"text":"\ud800"}`, `{"text":"\u0000"}`, `{"created_at":"2026-01-02T03:04:05.1Z","text":"a"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !utf8.Valid(b) {
			return // Decode checks UTF-8 before either path runs
		}
		fast := &pb.Mention{}
		if !decodeJSONFast(b, fast) {
			return
		}
		slow := &pb.Mention{}
		if err := jsonIn.Unmarshal(b, slow); err != nil {
			t.Fatalf("fast path accepted what protojson rejects (%v): %q", err, b)
		}
		if !proto.Equal(fast, slow) {
			t.Fatalf("fast path decoded %v, protojson %v, from %q", fast, slow, b)
		}
	})
}
