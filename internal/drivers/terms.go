package drivers

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terms appends to dst the candidate driver terms of one post's text and
// returns the extended slice. A term is a lower-cased word, a hashtag without
// its '#', or a two-word phrase of adjacent kept words ("baggage claim"). Each
// term appears once however often the post repeats it, so counting terms over
// posts counts posts.
//
// A word is kept when it has at least three letters, no digit, is not an
// English stop word or contraction ("please", "still", "can't", "dont") and is
// not one of the brand's names. names are the brand's own names, handles and
// hashtags, with or without '@' or '#', in any case; a word is dropped when it
// equals a name or a word of a multi-word name, or when it starts with a name
// of four letters or more ("skyjethelp", "skyjets" for "skyjet"). A trailing
// "'s" is removed before these checks. URLs (http..., www..., bare domains
// such as skyjet.com), e-mail addresses, placeholders in braces such as
// {link}, @mentions, numbers, punctuation and emoji are never terms. Phrases
// join only words separated by white space: punctuation, emoji, a dropped
// word or a hashtag ends a phrase, and a word repeated ("outage outage") is
// no phrase.
//
// Terms uses no regular expression and allocates one string for all terms of
// the post (each term is a substring of it) besides any growth of dst.
func Terms(dst []string, text string, names []string) []string {
	var (
		lowerArr [320]byte
		spanArr  [64]span
	)
	t := termScanner{lower: lowerArr[:0], spans: spanArr[:0], names: names, prev: -1}.scan(text)
	if len(t.spans) == 0 {
		return dst
	}
	norm := string(t.lower)
	first := len(dst)
	if len(t.spans) > len(spanArr) {
		// A long text: a set rather than a quadratic scan.
		seen := make(map[string]bool, len(t.spans))
		for _, sp := range t.spans {
			if term := norm[sp.lo:sp.hi]; !seen[term] {
				seen[term] = true
				dst = append(dst, term)
			}
		}
		return dst
	}
next:
	for _, sp := range t.spans {
		term := norm[sp.lo:sp.hi]
		for _, seen := range dst[first:] {
			if seen == term {
				continue next
			}
		}
		dst = append(dst, term)
	}
	return dst
}

// span is a term's place in termScanner.lower.
type span struct{ lo, hi int32 }

// termScanner writes the kept words of a text into lower, lower-cased and
// separated by single spaces, so that a phrase of two adjacent kept words is
// itself a substring of lower. Its methods take and return it by value, which
// keeps its buffers on the caller's stack.
type termScanner struct {
	lower []byte
	spans []span
	names []string
	// prev is where in lower the previous kept word starts when the next
	// word may form a phrase with it, and -1 when a phrase cannot continue.
	prev int
}

func (t termScanner) scan(text string) termScanner {
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			i++
		case c == '@':
			i = skipWordChars(text, i+1)
			t.prev = -1
		case c == '#':
			t, i = t.hashtag(text, i+1)
			t.prev = -1
		case c == '{':
			i = skipPlaceholder(text, i)
			t.prev = -1
		case isURLStart(text[i:]):
			i = skipToSpace(text, i)
			t.prev = -1
		default:
			r, size := rune(c), 1
			if c >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(text[i:])
			}
			if isLetter(r) || isDigit(r) {
				t, i = t.word(text, i)
				continue
			}
			if !unicode.IsSpace(r) {
				t.prev = -1 // punctuation, emoji, symbols
			}
			i += size
		}
	}
	return t
}

// word reads the word starting at text[i], keeps it or drops it, and returns
// where the word ends.
func (t termScanner) word(text string, i int) (termScanner, int) {
	start := len(t.lower)
	if start > 0 {
		t.lower = append(t.lower, ' ')
	}
	lo := len(t.lower)
	letters, digits, apostrophe := 0, 0, false
read:
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case isLetter(r):
			letters++
			t.lower = appendLower(t.lower, r)
		case isDigit(r):
			digits++
			t.lower = append(t.lower, byte(r))
		case (r == '\'' || r == '’') && letterAt(text, i+size):
			apostrophe = true
			t.lower = append(t.lower, '\'')
		case r == '-' && letterAt(text, i+size):
			t.lower = append(t.lower, '-')
		default:
			break read
		}
		i += size
	}
	if i < len(text) && (text[i] == '@' || text[i] == '.' && isDomainSuffix(text[i+1:])) {
		// help@skyjet.com, skyjet.com/help: an address, not words.
		t.lower = t.lower[:start]
		t.prev = -1
		return t, skipToSpace(text, i)
	}
	w := t.lower[lo:]
	if apostrophe {
		switch {
		case hasSuffix(w, "'s"):
			w = w[:len(w)-2]
			letters--
			t.lower = t.lower[:lo+len(w)]
		case hasSuffix(w, "n't"), hasSuffix(w, "'re"), hasSuffix(w, "'ve"),
			hasSuffix(w, "'ll"), hasSuffix(w, "'d"), hasSuffix(w, "'m"):
			letters = 0 // a contraction is a function word
		}
	}
	if letters < 3 || digits > 0 || isStopWord(w) || isName(w, t.names) {
		t.lower = t.lower[:start]
		t.prev = -1
		return t, i
	}
	hi := len(t.lower)
	t.spans = append(t.spans, span{int32(lo), int32(hi)})
	if t.prev >= 0 && string(t.lower[t.prev:lo-1]) != string(w) {
		t.spans = append(t.spans, span{int32(t.prev), int32(hi)})
	}
	t.prev = lo
	return t, i
}

// hashtag reads the tag after a '#' at text[i-1] and keeps it as a word that
// forms no phrase.
func (t termScanner) hashtag(text string, i int) (termScanner, int) {
	start := len(t.lower)
	if start > 0 {
		t.lower = append(t.lower, ' ')
	}
	lo := len(t.lower)
	letters, other := 0, 0
read:
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case isLetter(r):
			letters++
			t.lower = appendLower(t.lower, r)
		case isDigit(r) || r == '_':
			other++
			t.lower = append(t.lower, byte(r))
		default:
			break read
		}
		i += size
	}
	w := t.lower[lo:]
	if letters < 3 || other > 0 || isStopWord(w) || isName(w, t.names) {
		t.lower = t.lower[:start]
		return t, i
	}
	t.spans = append(t.spans, span{int32(lo), int32(len(t.lower))})
	return t, i
}

// isName reports whether the lower-cased word w is one of the brand's names:
// equal to a name (spaces removed, so "sky jet" also matches "skyjet") or to
// a word of a multi-word name, or starting with a name of four letters or
// more.
func isName(w []byte, names []string) bool {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if len(n) > 0 && (n[0] == '@' || n[0] == '#') {
			n = n[1:]
		}
		if nameMatches(w, n) {
			return true
		}
		if !containsSpace(n) {
			continue
		}
		for n != "" {
			j := 0
			for j < len(n) && n[j] != ' ' {
				j++
			}
			if j > 0 && nameMatches(w, n[:j]) {
				return true
			}
			for j < len(n) && n[j] == ' ' {
				j++
			}
			n = n[j:]
		}
	}
	return false
}

// nameMatches reports whether w equals the name n lower-cased with its
// spaces removed, or starts with it when n has four letters or more.
func nameMatches(w []byte, n string) bool {
	if len(w) == 0 || len(n) == 0 || n[0] < utf8.RuneSelf && n[0]|0x20 != w[0] {
		return false // the usual case, decided without decoding
	}
	k, letters := 0, 0
	for _, r := range n {
		if r == ' ' {
			continue
		}
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			if k >= len(w) || w[k] != byte(r) {
				return false
			}
			k++
		} else {
			got, size := utf8.DecodeRune(w[k:])
			if got != r {
				return false
			}
			k += size
		}
		letters++
	}
	return letters > 0 && (k == len(w) || letters >= 4)
}

func containsSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return true
		}
	}
	return false
}

func hasSuffix(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func appendLower(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(b, byte(r))
	}
	return utf8.AppendRune(b, unicode.ToLower(r))
}

// letterAt reports whether a letter starts at text[i].
func letterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r := rune(text[i])
	if r >= utf8.RuneSelf {
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	return isLetter(r)
}

func skipWordChars(text string, i int) int {
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !isLetter(r) && !isDigit(r) && r != '_' {
			break
		}
		i += size
	}
	return i
}

func skipToSpace(text string, i int) int {
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// skipPlaceholder skips a placeholder such as {link} that starts at text[i],
// or only the brace when no short placeholder follows.
func skipPlaceholder(text string, i int) int {
	for j := i + 1; j < len(text) && j <= i+32; j++ {
		switch c := text[j]; {
		case c == '}':
			return j + 1
		case c == ' ' || c == '{':
			return i + 1
		}
	}
	return i + 1
}

// isURLStart reports whether s starts with http://, https:// or www. in any
// case.
func isURLStart(s string) bool {
	return hasPrefixFold(s, "http://") || hasPrefixFold(s, "https://") || hasPrefixFold(s, "www.")
}

// isDomainSuffix reports whether s, the text after a word's '.', starts with
// a common top-level domain that ends the word (skyjet.com/help).
func isDomainSuffix(s string) bool {
	var tld [3]byte
	j := 0
	for ; j < len(s) && isLetter(rune(s[j])); j++ {
		if j == len(tld) {
			return false
		}
		tld[j] = s[j] | 0x20 // ASCII lower case
	}
	switch string(tld[:j]) {
	case "com", "net", "org", "io", "co", "ly", "app":
		return true
	}
	return false
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix in
// any case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
