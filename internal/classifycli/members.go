package classifycli

import "bytes"

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
