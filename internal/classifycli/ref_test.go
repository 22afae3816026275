package classifycli

// The line handling classifyLine had before scanLine: json.Valid, a member
// walk for text and id, and withoutMembers to drop the output keys. It stays
// here as the reference FuzzClassifyLine and FuzzLineFields hold scanLine to;
// FuzzWithoutMembers holds withoutMembers to encoding/json.

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/outsidein/outsidein/internal/classify"
)

// refClassifyLine is classifyLine as it was before scanLine, the reference
// FuzzClassifyLine holds it to.
func refClassifyLine(c *classify.Classifier, line []byte, n int, explain bool, out *bytes.Buffer) bool {
	if line == nil {
		return true
	}
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		writeError(out, n, nil, "invalid JSON object")
		return false
	}
	f, outputKey, ok := refScanFields(trimmed)
	if !ok {
		var err error
		if f, err = decodeFields(trimmed); err != nil {
			writeError(out, n, nil, "invalid JSON object")
			return false
		}
		outputKey = mayHaveOutputKey(trimmed)
	}
	res, feats, ok := classifyFields(c, f, n, explain, out)
	if !ok {
		return false
	}
	if outputKey {
		if kept, ok := withoutMembers(trimmed, outputKeys); ok {
			trimmed = kept
		} else {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(trimmed, &obj); err == nil {
				for _, k := range outputKeys {
					delete(obj, string(k[1:len(k)-1]))
				}
				trimmed, _ = json.Marshal(obj)
			}
		}
	}
	body := bytes.TrimSpace(trimmed[:len(trimmed)-1])
	out.Write(body)
	if len(body) > 1 {
		out.WriteByte(',')
	}
	writeFields(out, res, feats, explain)
	return true
}

// refScanFields is the member scan that ran after json.Valid before scanLine.
// obj must be a valid JSON object.
func refScanFields(obj []byte) (f lineFields, outputKey, ok bool) {
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
			return f, false, false
		}
	}
	return f, outputKey, true
}

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

// mayHaveOutputKey reports whether line may carry a field Classify sets: one of
// outputKeys appears in it, or a key written with escapes might spell one.
func mayHaveOutputKey(line []byte) bool {
	if bytes.IndexByte(line, '\\') >= 0 {
		return true
	}
	for _, k := range outputKeys {
		if bytes.Contains(line, k) {
			return true
		}
	}
	return false
}
