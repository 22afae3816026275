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
