package process

import (
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/outsidein/outsidein/internal/brands"
	"github.com/outsidein/outsidein/internal/classify"
	"github.com/outsidein/outsidein/internal/motive"
	"github.com/outsidein/outsidein/internal/publish"
	"github.com/outsidein/outsidein/internal/wire"
	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

type countRecorder struct{ n int }

func (c *countRecorder) Labels(b, ch string) (string, string) { return b, ch }
func (c *countRecorder) Record(_, _ string, _ motive.Motive, _ bool, _, _ time.Duration) {
	c.n++
}

func newStage(t testing.TB) (*Stage, *countRecorder) {
	t.Helper()
	clf, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := brands.NewCatalog([]brands.Brand{{Name: "skyjet"}})
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := wire.NewEncoder("protobuf")
	rec := &countRecorder{}
	return &Stage{Classifier: clf, Brands: cat, Counter: rec, Encoder: enc, Limits: wire.Limits{MaxTextBytes: 64 << 10},
		OutputTopic: "out", DLQTopic: "dlq", MaxRecordBytes: 200_000}, rec
}

func jsonMsg(v string) kafka.Message {
	return kafka.Message{Topic: "mentions", Partition: 1, Offset: 42, Value: []byte(v),
		Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}}}
}

// TestHostileInput asserts the exact outcome of each kind of bad input:
// classified, or dead-lettered with which reason.
func TestHostileInput(t *testing.T) {
	good, _ := proto.Marshal(&pb.Mention{Id: "p", Text: "@skyjet where is my bag", Brand: "skyjet"})
	nested := `{"text":"deep","x":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}`
	// An unknown field of 300 KB rides along into the classified record.
	unknown := protowire.AppendBytes(protowire.AppendTag(append([]byte(nil), good...), 999, protowire.BytesType), make([]byte, 300_000))
	longKey := jsonMsg(`{"text":"@skyjet where is my bag"}`)
	longKey.Key = make([]byte, 300_000)
	cases := []struct {
		name   string
		msg    kafka.Message
		reason string // "" = classified
	}{
		{"plain post", jsonMsg(`{"text":"@skyjet any deals this weekend?"}`), ""},
		{"truncated protobuf", kafka.Message{Value: good[:len(good)-5], Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/x-protobuf")}}}, wire.ReasonUndecodable},
		{"JSON with wrong types", jsonMsg(`{"text":["a"],"brand":7}`), wire.ReasonUndecodable},
		{"1 MB text", jsonMsg(`{"text":"` + strings.Repeat("a", 1<<20) + `"}`), wire.ReasonTextTooLarge},
		{"60 KB of punctuation", jsonMsg(`{"text":"` + strings.Repeat("!?", 30<<10) + `"}`), ""},
		{"NUL bytes inside text", jsonMsg(`{"text":"my\u0000order\u0000never came"}`), ""},
		{"only NUL bytes", jsonMsg(`{"text":"\u0000\u0000"}`), wire.ReasonEmptyText},
		{"invalid UTF-8", jsonMsg("{\"text\":\"caf\xe9\"}"), wire.ReasonInvalidUTF8},
		{"deeply nested JSON", jsonMsg(nested), wire.ReasonUndecodable},
		{"right-to-left text", jsonMsg(`{"text":"\u202eدلیل تاخیر پرواز چیست\u202c @skyjet"}`), ""},
		{"zero-width characters", jsonMsg(`{"text":"@sky\u200bjet my\u200d bag\ufeff is lost"}`), ""},
		{"emoji only", jsonMsg(`{"text":"😡😡😡✈️"}`), ""},
		{"unknown content type", kafka.Message{Value: []byte("x"), Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/xml")}}}, wire.ReasonUnknownContentType},
		{"empty message", kafka.Message{}, wire.ReasonEmptyText},
		{"unknown protobuf field of 300 KB", kafka.Message{Value: unknown, Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/x-protobuf")}}}, wire.ReasonRecordTooLarge},
		{"key of 300 KB", longKey, wire.ReasonRecordTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, rec := newStage(t)
			out := s.Process(tc.msg)
			if tc.reason == "" {
				if out.Topic != "out" || rec.n != 1 {
					t.Fatalf("not classified: topic %q, counted %d, headers %v", out.Topic, rec.n, out.Headers)
				}
				var cm pb.ClassifiedMention
				if err := proto.Unmarshal(out.Value, &cm); err != nil || cm.GetClassification().GetMotive() == pb.Motive_MOTIVE_UNSPECIFIED {
					t.Fatalf("output record %v, %v", &cm, err)
				}
				return
			}
			if out.Topic != "dlq" || rec.n != 0 {
				t.Fatalf("not dead-lettered: topic %q, counted %d", out.Topic, rec.n)
			}
			var got string
			for _, h := range out.Headers {
				if h.Key == publish.HeaderReason {
					got = string(h.Value)
				}
			}
			if got != tc.reason {
				t.Fatalf("reason %q, want %q", got, tc.reason)
			}
			if string(out.Value) != string(tc.msg.Value) {
				t.Fatal("dead letter value changed")
			}
		})
	}
}

func TestBrandFromTextAndSource(t *testing.T) {
	s, _ := newStage(t)
	out := s.Process(jsonMsg(`{"id":"x","text":"flying #SkyJet today","channel":" Twitter "}`))
	var cm pb.ClassifiedMention
	if err := proto.Unmarshal(out.Value, &cm); err != nil {
		t.Fatal(err)
	}
	m := cm.GetMention()
	if m.GetBrand() != "skyjet" || m.GetChannel() != "twitter" || cm.GetSourceTopic() != "mentions" || cm.GetSourcePartition() != 1 || cm.GetSourceOffset() != 42 {
		t.Fatalf("record %v", &cm)
	}
	if string(out.Key) != "x" {
		t.Fatalf("key %q, want the mention id", out.Key)
	}
}

type panicky struct{}

func (panicky) Classify(string) classify.Result { panic("boom") }

func TestPanicInAStageIsADeadLetter(t *testing.T) {
	s, rec := newStage(t)
	s.Classifier = panicky{}
	out := s.Process(jsonMsg(`{"text":"fine post"}`))
	if out.Topic != "dlq" || rec.n != 0 {
		t.Fatalf("topic %q counted %d, want a dead letter", out.Topic, rec.n)
	}
	for _, h := range out.Headers {
		if h.Key == publish.HeaderReason && string(h.Value) != wire.ReasonProcessingFailed {
			t.Fatalf("reason %q", h.Value)
		}
	}
}
