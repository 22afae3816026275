package wire

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Encoder writes ClassifiedMention records in one format.
type Encoder struct {
	json bool
}

// NewEncoder returns an Encoder for format "protobuf" (the default when
// empty) or "json".
func NewEncoder(format string) (Encoder, error) {
	switch format {
	case "", "protobuf", "proto":
		return Encoder{}, nil
	case "json":
		return Encoder{json: true}, nil
	}
	return Encoder{}, fmt.Errorf("output format %q: want protobuf or json", format)
}

var jsonOut = protojson.MarshalOptions{UseProtoNames: true}

// ContentType is the content-type header value of what Encode writes.
func (e Encoder) ContentType() string {
	if e.json {
		return ContentTypeJSON
	}
	return ContentTypeProtobuf
}

// Encode serialises one record.
func (e Encoder) Encode(m *pb.ClassifiedMention) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	if e.json {
		b, err = jsonOut.Marshal(m)
	} else {
		b, err = proto.Marshal(m)
	}
	if err != nil {
		return nil, fmt.Errorf("encoding classified mention: %w", err)
	}
	return b, nil
}

// DecodeClassified reads a ClassifiedMention record as Encode wrote it, in
// the format its content-type header names (detected from the first byte
// when the header is absent).
func DecodeClassified(contentType string, value []byte) (*pb.ClassifiedMention, error) {
	format, err := formatOf(contentType, value)
	if err != nil {
		return nil, err
	}
	m := &pb.ClassifiedMention{}
	if format == ContentTypeJSON {
		err = protojson.UnmarshalOptions{DiscardUnknown: true}.Unmarshal(value, m)
	} else {
		err = proto.Unmarshal(value, m)
	}
	if err != nil {
		return nil, fmt.Errorf("decoding classified mention: %w", err)
	}
	return m, nil
}
