// Package wire decodes the posts outsidein reads from Kafka and encodes the
// records it writes, in protobuf or JSON (protojson with proto field names).
package wire

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Content types outsidein reads and writes.
const (
	ContentTypeJSON     = "application/json"
	ContentTypeProtobuf = "application/x-protobuf"
)

// Reasons a post is dead-lettered: the fixed set of values of the `reason`
// label and of the dead-letter header.
const (
	ReasonUndecodable        = "undecodable"
	ReasonEmptyText          = "empty_text"
	ReasonTextTooLarge       = "text_too_large"
	ReasonInvalidUTF8        = "invalid_utf8"
	ReasonUnknownContentType = "unknown_content_type"
	ReasonInvalidField       = "invalid_field"
	// ReasonProcessingFailed: the post decoded but a later stage failed on
	// it (a bug); it is kept on the dead-letter topic instead of crashing
	// the consumer.
	ReasonProcessingFailed = "processing_failed"
	// ReasonRecordTooLarge: the classified record would be larger than the
	// output topic takes (--max-record-bytes): a long key, unknown protobuf
	// fields or escaped control characters can make it so.
	ReasonRecordTooLarge = "record_too_large"
)

// Reasons lists every dead-letter reason, for pre-created metric series.
var Reasons = []string{ReasonUndecodable, ReasonEmptyText, ReasonTextTooLarge,
	ReasonInvalidUTF8, ReasonUnknownContentType, ReasonInvalidField, ReasonProcessingFailed, ReasonRecordTooLarge}

// Sentinel errors for the conditions a caller acts on; every error Decode
// returns wraps exactly one of them (see Reason).
var (
	ErrUndecodable        = errors.New("undecodable message")
	ErrEmptyText          = errors.New("missing or empty text")
	ErrTextTooLarge       = errors.New("text too large")
	ErrInvalidUTF8        = errors.New("invalid UTF-8")
	ErrUnknownContentType = errors.New("unknown content type")
	ErrInvalidField       = errors.New("invalid field")
)

var reasonOf = map[error]string{
	ErrUndecodable:        ReasonUndecodable,
	ErrEmptyText:          ReasonEmptyText,
	ErrTextTooLarge:       ReasonTextTooLarge,
	ErrInvalidUTF8:        ReasonInvalidUTF8,
	ErrUnknownContentType: ReasonUnknownContentType,
	ErrInvalidField:       ReasonInvalidField,
}

// Reason maps an error from Decode to its dead-letter reason; any other error
// is "undecodable".
func Reason(err error) string {
	for sentinel, reason := range reasonOf {
		if errors.Is(err, sentinel) {
			return reason
		}
	}
	return ReasonUndecodable
}

// Limits bounds what Decode accepts.
type Limits struct {
	// MaxTextBytes is the largest text accepted, in bytes (0: 64 KiB).
	MaxTextBytes int
}

// Field limits: generous for real posts, small enough to keep labels, logs
// and output records sane.
const (
	maxIDBytes    = 512
	maxShortField = 256
	maxURLBytes   = 4096
)

var jsonIn = protojson.UnmarshalOptions{DiscardUnknown: true}

// maxJSONDepth bounds nesting: a Mention is flat, and pathological nesting
// in ignored fields only costs every consumer downstream.
const maxJSONDepth = 32

// jsonDepth returns the deepest nesting of objects and arrays in b, outside
// strings.
func jsonDepth(b []byte) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > deepest {
				deepest = depth
			}
		case '}', ']':
			depth--
		}
	}
	return deepest
}

// Decode parses one Kafka message value as a Mention. contentType is the
// message's content-type header ("" when absent: the format is detected from
// the first byte). The returned Mention has passed validation; an error wraps
// one of the sentinel errors above.
func Decode(contentType string, value []byte, lim Limits) (*pb.Mention, error) {
	format, err := formatOf(contentType, value)
	if err != nil {
		return nil, err
	}
	m := &pb.Mention{}
	switch format {
	case ContentTypeJSON:
		if !utf8.Valid(value) {
			return nil, fmt.Errorf("decoding JSON: %w", ErrInvalidUTF8)
		}
		if depth := jsonDepth(value); depth > maxJSONDepth {
			return nil, fmt.Errorf("decoding JSON: %w: nested %d levels deep, limit %d", ErrUndecodable, depth, maxJSONDepth)
		}
		if !decodeJSONFast(value, m) {
			m.Reset()
			if err := jsonIn.Unmarshal(value, m); err != nil {
				return nil, fmt.Errorf("decoding JSON: %w: %v", ErrUndecodable, err)
			}
		}
	default:
		if err := proto.Unmarshal(value, m); err != nil {
			if strings.Contains(err.Error(), "invalid UTF-8") {
				// The protobuf runtime reports this condition only in its text.
				return nil, fmt.Errorf("decoding protobuf: %w: %v", ErrInvalidUTF8, err)
			}
			return nil, fmt.Errorf("decoding protobuf: %w: %v", ErrUndecodable, err)
		}
	}
	if err := Validate(m, lim); err != nil {
		return nil, err
	}
	return m, nil
}

func formatOf(contentType string, value []byte) (string, error) {
	if contentType == "" {
		if trimmed := bytes.TrimLeft(value, " \t\r\n\ufeff"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"') {
			return ContentTypeJSON, nil
		}
		return ContentTypeProtobuf, nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("content type %q: %w", contentType, ErrUnknownContentType)
	}
	switch mt {
	case ContentTypeJSON, "text/json":
		return ContentTypeJSON, nil
	case ContentTypeProtobuf, "application/protobuf", "application/vnd.google.protobuf", "application/x-protobuffer":
		return ContentTypeProtobuf, nil
	}
	return "", fmt.Errorf("content type %q: %w", contentType, ErrUnknownContentType)
}

// Validate checks a decoded Mention: non-empty valid UTF-8 text within the
// size limit, and short fields of bounded size.
func Validate(m *pb.Mention, lim Limits) error {
	max := lim.MaxTextBytes
	if max <= 0 {
		max = 64 << 10
	}
	if len(m.GetText()) > max {
		return fmt.Errorf("text of %d bytes, limit %d: %w", len(m.GetText()), max, ErrTextTooLarge)
	}
	if !utf8.ValidString(m.GetText()) {
		return fmt.Errorf("text: %w", ErrInvalidUTF8)
	}
	if strings.TrimSpace(strings.ReplaceAll(m.GetText(), "\x00", "")) == "" {
		return ErrEmptyText
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"id", m.GetId(), maxIDBytes},
		{"brand", m.GetBrand(), maxShortField},
		{"channel", m.GetChannel(), maxShortField},
		{"author", m.GetAuthor(), maxShortField},
		{"lang", m.GetLang(), 35},
		{"in_reply_to", m.GetInReplyTo(), maxIDBytes},
		{"url", m.GetUrl(), maxURLBytes},
	} {
		if len(f.v) > f.max {
			return fmt.Errorf("%s of %d bytes, limit %d: %w", f.name, len(f.v), f.max, ErrInvalidField)
		}
		if !utf8.ValidString(f.v) {
			return fmt.Errorf("%s: %w", f.name, ErrInvalidUTF8)
		}
	}
	if ts := m.GetCreatedAt(); ts != nil {
		if err := ts.CheckValid(); err != nil {
			return fmt.Errorf("created_at: %w: %v", ErrInvalidField, err)
		}
	}
	return nil
}
