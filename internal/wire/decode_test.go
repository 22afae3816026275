package wire

import (
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

func mustProto(t *testing.T, m *pb.Mention) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	good := &pb.Mention{Id: "p1", Brand: "skyjet", Channel: "twitter", Text: "@skyjet where is my bag",
		CreatedAt: timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), CustomerTier: pb.ValueTier_VALUE_TIER_HIGH}
	goodProto := mustProto(t, good)
	badUTF8Proto := append([]byte{0x2a, 0x03}, 'a', 0xff, 'b') // field 5 (text), 3 bytes, invalid UTF-8
	cases := []struct {
		name, ct  string
		value     []byte
		wantErr   error
		wantText  string
		wantBrand string
	}{
		{"json by header", "application/json", []byte(`{"id":"p1","brand":"skyjet","text":"hi there","created_at":"2026-01-02T03:04:05Z","customer_tier":"VALUE_TIER_HIGH"}`), nil, "hi there", "skyjet"},
		{"json with charset", "application/json; charset=utf-8", []byte(`{"text":"hello"}`), nil, "hello", ""},
		{"json detected", "", []byte(` {"text":"detected","unknown_field":{"a":[1,2]}}`), nil, "detected", ""},
		{"json camelCase names", "", []byte(`{"text":"x","createdAt":"2026-01-02T03:04:05Z","inReplyTo":"p0"}`), nil, "x", ""},
		{"protobuf by header", "application/x-protobuf", goodProto, nil, good.Text, "skyjet"},
		{"protobuf detected", "", goodProto, nil, good.Text, "skyjet"},
		{"not json", "application/json", []byte(`this is {not json`), ErrUndecodable, "", ""},
		{"json wrong type", "application/json", []byte(`{"text":42}`), ErrUndecodable, "", ""},
		{"truncated protobuf", "application/x-protobuf", goodProto[:len(goodProto)-3], ErrUndecodable, "", ""},
		{"missing text", "application/json", []byte(`{"id":"x"}`), ErrEmptyText, "", ""},
		{"blank text", "application/json", []byte(`{"text":"  \n\t "}`), ErrEmptyText, "", ""},
		{"nul-only text", "application/json", []byte(`{"text":"\u0000\u0000"}`), ErrEmptyText, "", ""},
		{"text too large", "application/json", []byte(`{"text":"` + strings.Repeat("a", 70000) + `"}`), ErrTextTooLarge, "", ""},
		{"invalid utf8 json", "application/json", []byte("{\"text\":\"a\xffb\"}"), ErrInvalidUTF8, "", ""},
		{"invalid utf8 protobuf", "application/x-protobuf", badUTF8Proto, ErrInvalidUTF8, "", ""},
		{"unknown content type", "text/csv", []byte(`a,b`), ErrUnknownContentType, "", ""},
		{"malformed content type", "application/json;;=", []byte(`{"text":"x"}`), ErrUnknownContentType, "", ""},
		{"brand too long", "application/json", []byte(`{"text":"x","brand":"` + strings.Repeat("b", 300) + `"}`), ErrInvalidField, "", ""},
		{"bad timestamp", "application/json", []byte(`{"text":"x","created_at":"yesterday"}`), ErrUndecodable, "", ""},
		{"deep nesting", "application/json", []byte(`{"text":"x","y":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`), ErrUndecodable, "", ""},
		{"brackets inside strings do not count", "application/json", []byte(`{"text":"` + strings.Repeat("[{", 40) + `\"]"}`), nil, strings.Repeat("[{", 40) + `"]`, ""},
		{"emoji only", "application/json", []byte(`{"text":"😡😡😡"}`), nil, "😡😡😡", ""},
		{"empty value", "", nil, ErrEmptyText, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(tc.ct, tc.value, Limits{})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				if got, want := Reason(err), reasonOf[tc.wantErr]; got != want {
					t.Fatalf("Reason = %q, want %q", got, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if m.GetText() != tc.wantText || m.GetBrand() != tc.wantBrand {
				t.Fatalf("got text %q brand %q, want %q %q", m.GetText(), m.GetBrand(), tc.wantText, tc.wantBrand)
			}
		})
	}
}

func TestDecodeKeepsTierAndTime(t *testing.T) {
	m, err := Decode("", []byte(`{"text":"x","created_at":"2026-01-02T03:04:05Z","customer_tier":"VALUE_TIER_LOW"}`), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.GetCustomerTier() != pb.ValueTier_VALUE_TIER_LOW || m.GetCreatedAt().AsTime().Year() != 2026 {
		t.Fatalf("got %v", m)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	rec := &pb.ClassifiedMention{Mention: &pb.Mention{Id: "a", Text: "t"},
		Classification: &pb.Classification{Motive: pb.Motive_MOTIVE_SERVICE, Complaint: true, Confidence: 0.9},
		SourceTopic:    "mentions", SourcePartition: 2, SourceOffset: 7}
	for _, format := range []string{"protobuf", "json"} {
		enc, err := NewEncoder(format)
		if err != nil {
			t.Fatal(err)
		}
		b, err := enc.Encode(rec)
		if err != nil {
			t.Fatal(err)
		}
		got := &pb.ClassifiedMention{}
		if format == "json" {
			if !strings.Contains(string(b), `"source_offset"`) {
				t.Fatalf("json output lacks proto field names: %s", b)
			}
			err = jsonIn.Unmarshal(b, got)
		} else {
			err = proto.Unmarshal(b, got)
		}
		if err != nil || !proto.Equal(got, rec) {
			t.Fatalf("%s round trip: %v %v", format, err, got)
		}
	}
	if _, err := NewEncoder("xml"); err == nil {
		t.Fatal("xml accepted")
	}
}
