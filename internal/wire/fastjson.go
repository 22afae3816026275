package wire

import (
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// decodeJSONFast parses the common shape of a Mention in JSON - one flat
// object of string fields, unknown fields of any kind - several times faster
// than protojson. It reports false for anything it does not handle exactly as
// protojson would (nulls, numbers for enums, odd escapes, duplicate fields,
// malformed input ...): the caller then asks protojson, which decides. The
// differential fuzz test FuzzFastJSON holds the two to the same results.
// b must be valid UTF-8 (Decode checks it first).
func decodeJSONFast(b []byte, m *pb.Mention) bool {
	d := fastDecoder{b: b}
	d.space()
	if !d.eat('{') {
		return false
	}
	var seen uint16
	d.space()
	if d.eat('}') {
		return d.end()
	}
	for {
		d.space()
		key, ok := d.rawKey()
		if !ok {
			return false
		}
		d.space()
		if !d.eat(':') {
			return false
		}
		d.space()
		field := fieldOf(key)
		if field < 0 {
			if !d.skipValue(0) {
				return false
			}
		} else {
			if seen&(1<<field) != 0 {
				return false // protojson rejects duplicates
			}
			seen |= 1 << field
			s, ok := d.str()
			if !ok {
				return false
			}
			if !set(m, field, s) {
				return false
			}
		}
		d.space()
		if d.eat(',') {
			continue
		}
		if d.eat('}') {
			return d.end()
		}
		return false
	}
}

const (
	fID = iota
	fBrand
	fChannel
	fAuthor
	fText
	fLang
	fCreatedAt
	fURL
	fInReplyTo
	fCustomerTier
)

func fieldOf(key []byte) int {
	switch string(key) {
	case "id":
		return fID
	case "brand":
		return fBrand
	case "channel":
		return fChannel
	case "author":
		return fAuthor
	case "text":
		return fText
	case "lang":
		return fLang
	case "created_at", "createdAt":
		return fCreatedAt
	case "url":
		return fURL
	case "in_reply_to", "inReplyTo":
		return fInReplyTo
	case "customer_tier", "customerTier":
		return fCustomerTier
	}
	return -1
}

func set(m *pb.Mention, field int, s string) bool {
	switch field {
	case fID:
		m.Id = s
	case fBrand:
		m.Brand = s
	case fChannel:
		m.Channel = s
	case fAuthor:
		m.Author = s
	case fText:
		m.Text = s
	case fLang:
		m.Lang = s
	case fURL:
		m.Url = s
	case fInReplyTo:
		m.InReplyTo = s
	case fCustomerTier:
		v, ok := pb.ValueTier_value[s]
		if !ok {
			return false
		}
		m.CustomerTier = pb.ValueTier(v)
	case fCreatedAt:
		ts, ok := parseTimestamp(s)
		if !ok {
			return false
		}
		m.CreatedAt = ts
	}
	return true
}

// parseTimestamp accepts only the plain RFC 3339 form protojson writes
// ("2006-01-02T15:04:05[.fraction]Z" with 0, 3, 6 or 9 fraction digits) and
// leaves anything else to protojson.
func parseTimestamp(s string) (*timestamppb.Timestamp, bool) {
	n := len(s)
	if n < 20 || s[n-1] != 'Z' || s[10] != 'T' || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return nil, false
	}
	if frac := n - 20; frac != 0 && frac != 4 && frac != 7 && frac != 10 {
		return nil, false
	} else if frac > 0 && s[19] != '.' {
		return nil, false
	}
	for i := 0; i < n-1; i++ {
		switch i {
		case 4, 7, 10, 13, 16, 19:
			continue
		}
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1 || t.Year() > 9999 {
		return nil, false
	}
	return timestamppb.New(t), true
}

type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *fastDecoder) end() bool {
	d.space()
	return d.i == len(d.b)
}

// rawKey reads an object key without escapes.
func (d *fastDecoder) rawKey() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			k := d.b[start:d.i]
			d.i++
			return k, true
		}
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		d.i++
	}
	return nil, false
}

// str reads a JSON string value, decoding escapes.
func (d *fastDecoder) str() (string, bool) {
	if !d.eat('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			s := string(d.b[start:d.i])
			d.i++
			return s, true
		}
		if c == '\\' {
			return d.escaped(start)
		}
		if c < 0x20 {
			return "", false
		}
		d.i++
	}
	return "", false
}

func (d *fastDecoder) escaped(start int) (string, bool) {
	out := append(make([]byte, 0, len(d.b)-start), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xdc00 || d.i+1 >= len(d.b) || d.b[d.i] != '\\' || d.b[d.i+1] != 'u' {
					return "", false
				}
				d.i += 2
				r2, ok := d.hex4()
				if !ok {
					return "", false
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", false
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (d *fastDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(v), true
}

// skipValue passes over one JSON value of an unknown field, checking its
// syntax as strictly as protojson does.
func (d *fastDecoder) skipValue(depth int) bool {
	if depth > maxJSONDepth || d.i >= len(d.b) {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, ok := d.str()
		return ok
	case c == '{':
		d.i++
		d.space()
		if d.eat('}') {
			return true
		}
		for {
			d.space()
			if _, ok := d.str(); !ok {
				return false
			}
			d.space()
			if !d.eat(':') {
				return false
			}
			d.space()
			if !d.skipValue(depth + 1) {
				return false
			}
			d.space()
			if d.eat(',') {
				continue
			}
			return d.eat('}')
		}
	case c == '[':
		d.i++
		d.space()
		if d.eat(']') {
			return true
		}
		for {
			d.space()
			if !d.skipValue(depth + 1) {
				return false
			}
			d.space()
			if d.eat(',') {
				continue
			}
			return d.eat(']')
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return false
}

func (d *fastDecoder) literal(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// number checks the JSON number grammar.
func (d *fastDecoder) number() bool {
	d.eat('-')
	digits := func() int {
		n := 0
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.eat('0') {
		// no leading zeros
	} else if digits() == 0 {
		return false
	}
	if d.eat('.') && digits() == 0 {
		return false
	}
	if d.eat('e') || d.eat('E') {
		if !d.eat('+') {
			d.eat('-')
		}
		if digits() == 0 {
			return false
		}
	}
	// A number must end where a delimiter starts.
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}
