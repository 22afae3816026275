package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"unicode/utf8"
)

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// lineFields are the members of an input line that classify reads, as
// encoding/json decodes them into struct{Text *string; ID json.RawMessage}.
type lineFields struct {
	text    string
	hasText bool            // a "text" member was decoded and was not null
	id      json.RawMessage // the raw value of "id", nil without one
	// textNotString is encoding/json's UnmarshalTypeError for "text": some
	// "text" member is a number, bool, object or array.
	textNotString bool
}

// maxNestingDepth is encoding/json's limit on nested arrays and objects:
// json.Valid rejects a value nested deeper.
const maxNestingDepth = 10000

// maxMembers is how many top-level members a lineScan keeps spans for
// without allocating; more go to lineScan.more.
const maxMembers = 32

// member is the span of one top-level member, from the opening quote of its
// key to just past its value.
type member struct {
	start, end int
	drop       bool // the key is one of outputKeys
}

// lineScan is what scanLine learns in its one pass over a line.
type lineScan struct {
	fields lineFields
	// outputKey reports that a top-level key is one of outputKeys.
	outputKey bool
	// slow reports that the reading of the fields might differ from
	// encoding/json's and the caller must decode with json.Unmarshal: a
	// top-level key written with escapes, or one that matches "text" or "id"
	// only case-insensitively (encoding/json would fill the field from it).
	slow bool
	// escapedKey reports a top-level key written with escapes: it may spell
	// an output key, so the members to drop are decided on decoded keys, and
	// spans are no longer recorded.
	escapedKey bool
	// members holds the spans of the first maxMembers top-level members,
	// more the rest; nMembers counts them all.
	members  [maxMembers]member
	more     []member
	nMembers int
	text     []byte // the last "text" string, quotes included
}

// scanLine reports whether b is valid JSON, exactly as json.Valid decides,
// and when b is an object reads, in the same pass, its "text" and "id"
// members and the spans of its top-level members into sc (which must be
// zero). As with encoding/json the last of repeated members wins. A text
// with escapes or invalid UTF-8 is unquoted by json.Unmarshal on the string
// alone, as it would be inside the object. sc means nothing when scanLine
// reports false, its fields nothing when sc.slow is set, and its member
// spans nothing when sc.escapedKey is set.
//
// The walk is iterative, with an explicit stack of open arrays and objects,
// so deep nesting costs no recursion.
func scanLine(b []byte, sc *lineScan) bool {
	var small [64]bool // open containers, true for an object
	stack := small[:0]
	n := len(b)
	i := skipSpace(b, 0)
	record := i < n && b[i] == '{' // read the top-level members
	var keyStart, keyEnd, valStart int
	var keyEsc bool
values:
	for {
		// A value starts at b[i], after optional space.
		i = skipSpace(b, i)
		if i == n {
			return false
		}
		if len(stack) == 1 {
			valStart = i
		}
		switch c := b[i]; c {
		case '{', '[':
			stack = append(stack, c == '{')
			if len(stack) > maxNestingDepth {
				return false
			}
			i = skipSpace(b, i+1)
			if i < n && b[i] == c+2 { // '}' or ']'
				stack = stack[:len(stack)-1]
				i++
				break
			}
			if c == '[' {
				continue values
			}
			var ok bool
			if i, ok = scanKey(b, i, len(stack) == 1, &keyStart, &keyEnd, &keyEsc); !ok {
				return false
			}
			continue values
		case '"':
			var ok bool
			if i, _, ok = scanString(b, i); !ok {
				return false
			}
		case 't':
			if !bytes.HasPrefix(b[i:], []byte("true")) {
				return false
			}
			i += 4
		case 'f':
			if !bytes.HasPrefix(b[i:], []byte("false")) {
				return false
			}
			i += 5
		case 'n':
			if !bytes.HasPrefix(b[i:], []byte("null")) {
				return false
			}
			i += 4
		default:
			var ok bool
			if i, ok = scanNumber(b, i); !ok {
				return false
			}
		}
		// A value ends at b[i]: close the containers it ends, up to the
		// next value or the end of input.
		for {
			if len(stack) == 1 && record {
				sc.member(b, keyStart, keyEnd, keyEsc, valStart, i)
			}
			i = skipSpace(b, i)
			if len(stack) == 0 {
				if i == n && record {
					sc.finish()
				}
				return i == n
			}
			if i == n {
				return false
			}
			object := stack[len(stack)-1]
			switch b[i] {
			case ',':
				if !object {
					i++
					continue values
				}
				var ok bool
				if i, ok = scanKey(b, skipSpace(b, i+1), len(stack) == 1, &keyStart, &keyEnd, &keyEsc); !ok {
					return false
				}
				continue values
			case '}':
				if !object {
					return false
				}
			case ']':
				if object {
					return false
				}
			default:
				return false
			}
			stack = stack[:len(stack)-1]
			i++
		}
	}
}

// scanKey reads an object key and its colon at b[i] and returns the index
// just past the colon. When top is set it stores the key's span and whether
// it holds escapes.
func scanKey(b []byte, i int, top bool, start, end *int, esc *bool) (int, bool) {
	if i == len(b) || b[i] != '"' {
		return i, false
	}
	j, e, ok := scanString(b, i)
	if !ok {
		return j, false
	}
	if top {
		*start, *end, *esc = i, j, e
	}
	j = skipSpace(b, j)
	if j == len(b) || b[j] != ':' {
		return j, false
	}
	return j + 1, true
}

// plainInString marks the bytes a JSON string holds as they are: all but
// control characters, '"' and '\\'. Like encoding/json, it takes invalid
// UTF-8.
var plainInString = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString returns the index just past the JSON string that starts at b[i],
// whether it holds escapes, and whether it is valid.
func scanString(b []byte, i int) (int, bool, bool) {
	esc := false
	for i++; i < len(b); {
		for i+8 <= len(b) && !specialInString(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		for i < len(b) && plainInString[b[i]] {
			i++
		}
		if i == len(b) {
			break
		}
		switch b[i] {
		case '"':
			return i + 1, esc, true
		case '\\':
			esc = true
			if i+1 == len(b) {
				return i, esc, false
			}
			switch b[i+1] {
			case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return i, esc, false
				}
				i += 6
			default:
				return i, esc, false
			}
		default: // a control character
			return i, esc, false
		}
	}
	return i, esc, false
}

// specialInString reports whether any of the 8 bytes in w is a control
// character, '"' or '\\'. The tests are the exact "has a byte below n" and
// "has a zero byte" of Bit Twiddling Hacks: a borrow only crosses into the
// next byte from a byte that matches.
func specialInString(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^('"'*ones), w^('\\'*ones) // zero where w has one
	below := (w - 0x20*ones) &^ w
	quoteZero := (quote - ones) &^ quote
	backslashZero := (backslash - ones) &^ backslash
	return (below|quoteZero|backslashZero)&highs != 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanNumber returns the index just past the JSON number that starts at b[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(b []byte, i int) (int, bool) {
	n := len(b)
	if b[i] == '-' {
		i++
	}
	switch {
	case i == n:
		return i, false
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return i, false
	}
	if i < n && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < n && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// member reads one top-level member: its key is b[keyStart:keyEnd] (quotes
// included), its value b[valStart:valEnd].
func (sc *lineScan) member(b []byte, keyStart, keyEnd int, keyEsc bool, valStart, valEnd int) {
	if sc.escapedKey {
		return
	}
	if keyEsc {
		sc.slow, sc.escapedKey = true, true
		return
	}
	key := b[keyStart+1 : keyEnd-1]
	val := b[valStart:valEnd]
	drop := false
	switch string(key) {
	case "text":
		switch val[0] {
		case '"':
			sc.text = val
		case 'n': // null leaves the field nil
			sc.text = nil
		default:
			sc.text = nil
			sc.fields.textNotString = true
		}
	case "id":
		sc.fields.id = val
	case "motive", "complaint", "confidence", "sentiment", "lang", "model", "explain", "error":
		// The keys of outputKeys, spelled out so the compiler can switch on
		// them; TestScanLineOutputKeys holds the two lists together.
		sc.outputKey = true
		drop = true
	default:
		if len(key) == 4 && bytes.EqualFold(key, []byte("text")) || len(key) == 2 && bytes.EqualFold(key, []byte("id")) {
			sc.slow = true
		}
	}
	m := member{start: keyStart, end: valEnd, drop: drop}
	if sc.nMembers < len(sc.members) {
		sc.members[sc.nMembers] = m
	} else {
		sc.more = append(sc.more, m)
	}
	sc.nMembers++
}

// finish unquotes the text once the whole object has been read.
func (sc *lineScan) finish() {
	if sc.slow || sc.text == nil {
		return
	}
	sc.fields.hasText = true
	s := sc.text[1 : len(sc.text)-1]
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		sc.fields.text = string(s)
		return
	}
	var ok bool
	if sc.fields.text, ok = unquote(sc.text); !ok {
		// Cannot happen for a valid string.
		sc.slow = true
	}
}

// unquote decodes a JSON string as json.Unmarshal does. It stands apart so
// that only lines that need it pay for the string json.Unmarshal fills.
func unquote(quoted []byte) (string, bool) {
	var s string
	err := json.Unmarshal(quoted, &s)
	return s, err == nil
}

// writeKept writes obj's opening brace and its top-level members that are
// not output keys, separated by commas, and reports how many it wrote. It
// needs the spans of every member (not sc.escapedKey).
func (sc *lineScan) writeKept(obj []byte, out *bytes.Buffer) int {
	out.WriteByte('{')
	kept := 0
	for _, list := range [2][]member{sc.members[:min(sc.nMembers, maxMembers)], sc.more} {
		for _, m := range list {
			if m.drop {
				continue
			}
			if kept > 0 {
				out.WriteByte(',')
			}
			out.Write(obj[m.start:m.end])
			kept++
		}
	}
	return kept
}
