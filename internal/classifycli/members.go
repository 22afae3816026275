package classifycli

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// withoutMembers returns the JSON object obj without its top-level members
// whose key is one of keys (each written with its quotes, as in outputKeys),
// keeping every other member's bytes and their order (obj itself when nothing
// is dropped). obj must be a valid JSON
// object (the caller has decoded it). It reports false when it cannot decide
// on the raw bytes, for a key written with escapes; the caller then takes the
// slow path through a map.
func withoutMembers(obj []byte, keys [][]byte) ([]byte, bool) {
	out := make([]byte, 0, len(obj))
	out = append(out, '{')
	kept, dropped := 0, 0
	i := skipSpace(obj, 0)
	if i == len(obj) || obj[i] != '{' {
		return nil, false
	}
	i = skipSpace(obj, i+1)
	for i < len(obj) && obj[i] != '}' {
		keyStart := i
		keyEnd := skipString(obj, i)
		key := obj[keyStart:keyEnd]
		if bytes.IndexByte(key, '\\') >= 0 {
			return nil, false
		}
		i = skipSpace(obj, keyEnd)
		i = skipSpace(obj, i+1) // past ':'
		valEnd := skipValue(obj, i)
		if isOneOf(key, keys) {
			dropped++
		} else {
			if kept > 0 {
				out = append(out, ',')
			}
			out = append(out, obj[keyStart:valEnd]...)
			kept++
		}
		i = skipSpace(obj, valEnd)
		if i < len(obj) && obj[i] == ',' {
			i = skipSpace(obj, i+1)
		}
	}
	if dropped == 0 {
		return obj, true
	}
	return append(out, '}'), true
}

func isOneOf(key []byte, keys [][]byte) bool {
	for _, k := range keys {
		if bytes.Equal(key, k) {
			return true
		}
	}
	return false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the JSON string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just past the JSON value that starts at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default: // number, true, false, null
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		return i
	}
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

// scanFields reads obj's "text" and "id" members off the raw bytes, much
// faster than json.Unmarshal. obj must be a valid JSON object (json.Valid). It
// reports false where its reading might differ from encoding/json's and the
// caller must decode with json.Unmarshal: a key written with escapes, or a
// key that matches "text" or "id" only case-insensitively (encoding/json
// would fill the field from it). As with encoding/json the last of repeated
// members wins. A text with escapes or invalid UTF-8 is unquoted by
// json.Unmarshal on the string alone, as it would be inside the object.
// outputKey reports whether a top-level key is one of outputKeys.
func scanFields(obj []byte) (f lineFields, outputKey, ok bool) {
	var text []byte // the last "text" string, quotes included
	i := skipSpace(obj, 0)
	if i == len(obj) || obj[i] != '{' {
		return f, false, false
	}
	i = skipSpace(obj, i+1)
	for i < len(obj) && obj[i] != '}' {
		keyEnd := skipString(obj, i)
		key := obj[i+1 : keyEnd-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return f, false, false
		}
		quotedKey := obj[i:keyEnd]
		i = skipSpace(obj, keyEnd)
		i = skipSpace(obj, i+1) // past ':'
		valEnd := skipValue(obj, i)
		val := obj[i:valEnd]
		switch string(key) {
		case "text":
			switch val[0] {
			case '"':
				text = val
			case 'n': // null leaves the field nil
				text = nil
			default:
				text = nil
				f.textNotString = true
			}
		case "id":
			f.id = val
		default:
			if bytes.EqualFold(key, []byte("text")) || bytes.EqualFold(key, []byte("id")) {
				return f, false, false
			}
			if isOneOf(quotedKey, outputKeys) {
				outputKey = true
			}
		}
		i = skipSpace(obj, valEnd)
		if i < len(obj) && obj[i] == ',' {
			i = skipSpace(obj, i+1)
		}
	}
	if text != nil {
		f.hasText = true
		s := text[1 : len(text)-1]
		if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
			f.text = string(s)
		} else if err := json.Unmarshal(text, &f.text); err != nil {
			// Cannot happen for a string from a valid object.
			return f, false, false
		}
	}
	return f, outputKey, true
}
