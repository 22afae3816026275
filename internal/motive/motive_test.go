package motive

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// The motives are the wire enum's values but UNSPECIFIED, in its order.
func TestDerivedFromTheWireEnum(t *testing.T) {
	if want := len(pb.Motive_name) - 1; Count != want {
		t.Fatalf("Count = %d, the wire enum has %d motives", Count, want)
	}
	want := []string{"discounts", "information", "community", "service", "none"}
	for i, m := range All {
		if m.String() != want[i] {
			t.Errorf("All[%d] = %q, want %q", i, m, want[i])
		}
		if got := m.Proto(); pb.Motive_name[int32(got)] != "MOTIVE_"+strings.ToUpper(want[i]) {
			t.Errorf("%s.Proto() = %v", m, got)
		}
		if FromProto(m.Proto()) != m {
			t.Errorf("FromProto(%v) = %v, want %v", m.Proto(), FromProto(m.Proto()), m)
		}
	}
}

func TestFromProtoUnknownIsNone(t *testing.T) {
	for _, p := range []pb.Motive{pb.Motive_MOTIVE_UNSPECIFIED, pb.Motive(99), pb.Motive(-1)} {
		if got := FromProto(p); got != None {
			t.Errorf("FromProto(%d) = %v, want none", p, got)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Motive
		err  bool
	}{
		{"discounts", Discounts, false},
		{"service", Service, false},
		{"none", None, false},
		{"Service", None, true},
		{"deals", None, true},
		{"", None, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if (err != nil) != tc.err || got != tc.want {
				t.Fatalf("Parse(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
			}
			if err != nil && !errors.Is(err, ErrUnknown) {
				t.Fatalf("error %v is not ErrUnknown", err)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	var v struct {
		M Motive `json:"motive"`
	}
	if err := json.Unmarshal([]byte(`{"motive":"community"}`), &v); err != nil || v.M != Community {
		t.Fatalf("unmarshal: %v, %v", v.M, err)
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"motive":"community"}` {
		t.Fatalf("marshal: %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"motive":"deals"}`), &v); !errors.Is(err, ErrUnknown) {
		t.Fatalf("unknown motive: %v", err)
	}
	if _, err := json.Marshal(struct{ M Motive }{Motive(7)}); err == nil {
		t.Fatal("marshal of an out-of-range motive succeeded")
	}
}
