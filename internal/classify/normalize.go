package classify

import (
	"strings"
	"sync"
	"unicode"

	"github.com/jdkato/prose/v2"
)

// Special tokens produced by normalisation. They are upper case so they cannot
// collide with a lower-cased word.
const (
	tokURL    = "URL"
	tokUser   = "@USER"
	tokNum    = "NUM"
	tokMoney  = "MONEY"
	tokPct    = "PCT"
	tokEmoPos = "EMOPOS"
	tokEmoNeg = "EMONEG"
	tokBound  = "|" // clause boundary: ends negation scope, not a feature itself
)

// tokModel is the one prose model of the process. The classifier only asks prose
// for tokens, so the model carries no tagger or entity extracter: that keeps the
// loaded classifier small, and prose never rebuilds anything per post because the
// model is passed explicitly (see tokenize).
var tokModel = &prose.Model{Name: "outsidein-tokens"}

// proseTokens splits text into tokens with prose's iterative tokenizer, without
// sentence segmentation, tagging or entity extraction.
//
// prose v2.0.0's tokenizer indexes a token with offsets found in its lower-cased
// copy, which panics when lower-casing changes the byte length (invalid UTF-8,
// "İ", the Kelvin sign, ...; found by FuzzClassify). Such a span falls back to
// whitespace splitting instead of crashing the caller.
func proseTokens(text string) (toks []prose.Token) {
	defer func() {
		if recover() != nil {
			toks = toks[:0]
			for _, f := range strings.Fields(text) {
				toks = append(toks, prose.Token{Text: f})
			}
		}
	}()
	doc, err := prose.NewDocument(text,
		prose.UsingModel(tokModel),
		prose.WithSegmentation(false),
		prose.WithTagging(false),
		prose.WithExtraction(false))
	if err != nil {
		return nil
	}
	return doc.Tokens()
}

// spanCache memoises prose's tokenisation of whitespace-delimited spans. prose
// tokenises each such span independently, so splitting a post on whitespace and
// tokenising span by span gives the same tokens as tokenising the whole post, and
// social posts repeat the same spans ("the", "@united", "my", "flight") so most
// lookups hit. The cache is sharded to keep lock contention low and bounded so a
// stream of unique spans cannot grow memory without limit.
type spanCache struct {
	shards [64]spanShard
}

type spanShard struct {
	mu sync.RWMutex
	m  map[string][]string
	// Pad a shard (24 + 8 bytes on 64-bit) to 128 so that workers reading
	// different shards do not share a cache line, or the adjacent line the
	// CPU prefetches with it, through RLock's atomic reader count.
	_ [96]byte
}

const spanCacheMaxPerShard = 2048

var spans = func() *spanCache {
	c := &spanCache{}
	for i := range c.shards {
		c.shards[i].m = make(map[string][]string, 256)
	}
	return c
}()

func (c *spanCache) tokens(span string) []string {
	sh := &c.shards[hash1("", span)&63]
	sh.mu.RLock()
	toks, ok := sh.m[span]
	sh.mu.RUnlock()
	if ok {
		return toks
	}
	if len(span) > maxProseSpan {
		toks = splitLongSpan(span)
	} else {
		pt := proseTokens(span)
		toks = make([]string, len(pt))
		for i, t := range pt {
			toks[i] = t.Text
		}
	}
	sh.mu.Lock()
	if len(sh.m) >= spanCacheMaxPerShard {
		// Full: start the shard afresh so the cache follows the stream's current
		// vocabulary instead of freezing on whatever came first.
		sh.m = make(map[string][]string, 256)
	}
	// Clone the key: span points into the caller's post text.
	sh.m[strings.Clone(span)] = toks
	sh.mu.Unlock()
	return toks
}

// maxProseSpan is the longest whitespace-delimited span given to prose. Its
// tokenizer peels punctuation off a span one character at a time, rebuilding
// the rest each time: 64 KB of "!?" took 77 s. Real words and URLs are far
// shorter; anything longer goes to splitLongSpan, which is linear.
const maxProseSpan = 128

// splitLongSpan tokenises an over-long span in one pass: a URL stays whole,
// otherwise runs of letters and digits are words and each run of other
// characters is one token.
func splitLongSpan(span string) []string {
	if strings.HasPrefix(span, "http://") || strings.HasPrefix(span, "https://") || strings.HasPrefix(span, "www.") {
		return []string{span}
	}
	var toks []string
	start, word := 0, false
	for i, r := range span {
		w := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '_'
		if i > 0 && w != word {
			toks = append(toks, span[start:i])
			start = i
		}
		word = w
	}
	return append(toks, span[start:])
}

// forEachToken calls fn with each prose token of text, in order.
func forEachToken(text string, fn func(tok string, first bool)) {
	first := true
	start := -1
	for i, r := range text {
		if unicode.IsSpace(r) {
			if start >= 0 {
				for _, t := range spans.tokens(text[start:i]) {
					fn(t, first)
					first = false
				}
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		for _, t := range spans.tokens(text[start:]) {
			fn(t, first)
			first = false
		}
	}
}

// post is a normalised post: lower-cased word tokens plus counts of the social
// markup that was folded away.
type post struct {
	toks      []string
	handles   int
	urls      int
	hashtags  int
	addressed bool // starts with an @handle: the poster talks to someone
	retweet   bool
	elongated int
	allCaps   int
	exclaim   int
	question  int
	letters   int // letters seen in words, for language detection
	nonLatin  int // letters outside the Latin script
	script    string
}

// preCleanPairs are preClean's replacements as old, new pairs. Where several
// old strings match at one position the earliest pair wins, as with
// strings.NewReplacer, so a longer pattern must come before its prefixes.
var preCleanPairs = []string{
	"&amp;", " & ", "&gt;", ">", "&lt;", "<", "&quot;", `"`, "&#39;", "'", "&#039;", "'",
	"\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u2026", " ... ",
	"â€™", "'", "â€œ", `"`, "â€\u009d", `"`, "Ã¢â‚¬â„¢", "'", "\u00a0", " ",
	"{link}", " URLTOKEN ", "{url}", " URLTOKEN ", "[link]", " URLTOKEN ", "<link>", " URLTOKEN ",
	"{mention}", " @mention ", "[mention]", " @mention ",
	"w/o", " without ", "w/", " with ", "b/c", " because ",
	// Ellipses and dots glued between words ("ok...i", "prizes..phones").
	"...", " ... ", "..", " .. ", ".#", ". #", ".@", ". @",
	// Mangled UTF-8 read as MacRoman/CP1252, common in scraped posts.
	"Ûª", "'", "ÛÓ", " ", "ÛÒ", " ", "Û_", " ", "ÛÏ", " ", "Û÷", " ", "Û¢", " ", "Ûù", " ", "Û", " ",
	// Emoticons that prose would split into punctuation. ":/" is left out: it is
	// inside every URL.
	":-)", " EMOPOSTOKEN ", ":)", " EMOPOSTOKEN ", ";-)", " EMOPOSTOKEN ", ";)", " EMOPOSTOKEN ",
	":-D", " EMOPOSTOKEN ", ":D", " EMOPOSTOKEN ", "<3", " EMOPOSTOKEN ", "(:", " EMOPOSTOKEN ",
	":-(", " EMONEGTOKEN ", ":(", " EMONEGTOKEN ", ":'(", " EMONEGTOKEN ", "</3", " EMONEGTOKEN ",
}

// preCleanFirst lists, for each byte, the indexes into preCleanPairs (of the
// old strings) of the pairs whose old string starts with that byte, in order.
var preCleanFirst = func() (t [256][]uint16) {
	for i := 0; i < len(preCleanPairs); i += 2 {
		old := preCleanPairs[i]
		t[old[0]] = append(t[old[0]], uint16(i))
	}
	return t
}()

// preClean applies preCleanPairs in one left-to-right pass, without overlaps,
// and gives what strings.NewReplacer(preCleanPairs...).Replace gives (held to
// it by FuzzPreClean). Unlike the Replacer it returns s itself, with no copy,
// when nothing matches, which is most posts.
func preClean(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		matched := false
		for _, k := range preCleanFirst[s[i]] {
			old := preCleanPairs[k]
			if strings.HasPrefix(s[i:], old) {
				if b.Cap() == 0 {
					b.Grow(len(s) + 32)
				}
				b.WriteString(s[last:i])
				b.WriteString(preCleanPairs[k+1])
				i += len(old)
				last = i
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// normalize turns raw post text into a post.
func normalize(text string) post { return normalizeInto(text, make([]string, 0, 32)) }

// normalizeInto is normalize appending the tokens to toks, so a caller can
// reuse one slice across posts.
func normalizeInto(text string, toks []string) post {
	var p post
	p.toks = toks
	clean := preClean(text)
	first := true
	forEachToken(clean, func(s string, _ bool) {
		p.token(s, first)
		first = false
	})
	return p
}

func (p *post) token(s string, first bool) {
	{
		if first && (s == "RT" || s == "rt") {
			p.retweet = true
			return
		}
		switch {
		case s == "EMOPOSTOKEN":
			p.toks = append(p.toks, tokEmoPos)
		case s == "EMONEGTOKEN":
			p.toks = append(p.toks, tokEmoNeg)
		case s == "URLTOKEN" || strings.HasPrefix(s, "http") || strings.HasPrefix(s, "www.") || strings.Contains(s, ".com/") || strings.Contains(s, "t.co/"):
			p.urls++
			p.toks = append(p.toks, tokURL)
		case len(s) > 1 && (s[0] == '@' || strings.HasPrefix(s, ".@")):
			p.handles++
			if first {
				p.addressed = true
			}
			p.toks = append(p.toks, tokUser)
		case len(s) > 1 && s[0] == '#':
			p.hashtags++
			p.addHashtag(s[1:])
		default:
			p.addWord(s)
		}
	}
}

// addHashtag splits a hashtag on case changes and digits: #CustomerServiceFail ->
// customer service fail. A lower-case run that is a known compound is split too.
func (p *post) addHashtag(h string) {
	if h == "" {
		return
	}
	if compound, ok := hashtagCompounds[strings.ToLower(h)]; ok {
		p.toks = append(p.toks, compound...)
		return
	}
	start := 0
	var prev rune
	for i, r := range h {
		if i > start {
			split := unicode.IsUpper(r) && unicode.IsLower(prev) ||
				unicode.IsDigit(r) != unicode.IsDigit(prev)
			if split {
				p.addWord(h[start:i])
				start = i
			}
		}
		prev = r
	}
	p.addWord(h[start:])
}

// addWord normalises one prose token and appends the resulting tokens.
func (p *post) addWord(s string) {
	if s == "" {
		return
	}
	if e, ok := emoticons[s]; ok {
		p.toks = append(p.toks, e)
		return
	}
	// Emoji, alone or glued to a word: peel them off.
	if hasEmoji(s) {
		var b strings.Builder
		for _, r := range s {
			if e := emojiToken(r); e != "" {
				if b.Len() > 0 {
					p.addWord(b.String())
					b.Reset()
				}
				p.toks = append(p.toks, e)
				continue
			}
			b.WriteRune(r)
		}
		if b.Len() > 0 {
			p.addWord(b.String())
		}
		return
	}
	// Punctuation-only tokens.
	if !hasAlnum(s) {
		p.addPunct(s)
		return
	}
	if exp, ok := abbreviations[strings.ToLower(s)]; ok {
		p.toks = append(p.toks, exp...)
		return
	}
	s = trimWordPunct(s)
	if s == "" {
		return
	}
	// Numbers, money, percentages, and numbers glued to units (2hrs, 45min).
	if s[0] >= '0' && s[0] <= '9' {
		if exp, ok := abbreviations[strings.ToLower(s)]; ok {
			p.toks = append(p.toks, exp...)
			return
		}
		p.addNumber(s)
		return
	}
	upper, lower, nonLatin := 0, 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		}
		if r >= 0x250 && unicode.IsLetter(r) {
			nonLatin++
			if sc := scriptOf(r); p.script == "" || sc == "ja" {
				p.script = sc
			}
		}
	}
	p.letters += upper + lower
	p.nonLatin += nonLatin
	if upper >= 3 && lower == 0 {
		p.allCaps++
	}
	w := strings.ToLower(s)
	if sq, changed := squash(w); changed {
		p.elongated++
		w = sq
	}
	if exp, ok := abbreviations[w]; ok {
		p.toks = append(p.toks, exp...)
		return
	}
	// A dropped g ("lovin", "amazin'"): put it back when that makes a cue word.
	if n := len(w); n >= 5 && w[n-2:] == "in" {
		if _, ok := wordCues[w+"g"]; ok {
			w += "g"
		}
	}
	// Slashes and hyphens inside words: "check-in" stays, "wifi/internet" splits.
	if strings.IndexByte(w, '/') > 0 {
		for _, part := range strings.Split(w, "/") {
			p.addWord(part)
		}
		return
	}
	p.toks = append(p.toks, w)
}

// wordPunct is the punctuation trimmed off both ends of a word.
const wordPunct = `'"-_*.,~:;()[]{}<>/\|=+^`

var wordPunctSet = func() (set [256]bool) {
	for i := 0; i < len(wordPunct); i++ {
		set[wordPunct[i]] = true
	}
	return set
}()

// trimWordPunct is strings.Trim(s, wordPunct), which builds its table of the
// cutset's bytes on every call. wordPunct is ASCII, so byte by byte is exact.
func trimWordPunct(s string) string {
	i, j := 0, len(s)
	for i < j && wordPunctSet[s[i]] {
		i++
	}
	for j > i && wordPunctSet[s[j-1]] {
		j--
	}
	return s[i:j]
}

func (p *post) addPunct(s string) {
	q := strings.Count(s, "?")
	e := strings.Count(s, "!")
	last := ""
	if len(p.toks) > 0 {
		last = p.toks[len(p.toks)-1]
	}
	// prose splits "?!?" into one token per mark; a run counts once.
	if q > 0 && (last == "?" || last == "!") || q == 0 && e > 0 && (last == "!" || last == "?") {
		if q > 0 && last == "!" {
			p.toks[len(p.toks)-1] = "?"
			p.question++
		}
		return
	}
	if q > 0 {
		p.question++
	} else if e > 0 {
		p.exclaim++
	}
	switch {
	case q > 0:
		p.toks = append(p.toks, "?")
	case e > 0:
		p.toks = append(p.toks, "!")
	case s == "$":
		p.toks = append(p.toks, tokMoney)
	case s == "%":
		p.toks = append(p.toks, tokPct)
	case s == "&" || s == "+":
		p.toks = append(p.toks, "and")
	case s == "<3" || s == "♥":
		p.toks = append(p.toks, tokEmoPos)
	default:
		if strings.ContainsAny(s, ".,;:()-") {
			p.toks = append(p.toks, tokBound)
		}
	}
}

func (p *post) addNumber(s string) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',' || s[i] == ':') {
		i++
	}
	rest := strings.ToLower(s[i:])
	if len(p.toks) > 0 && p.toks[len(p.toks)-1] == tokMoney {
		// "$ 20" already produced MONEY.
	} else {
		p.toks = append(p.toks, tokNum)
	}
	switch rest {
	case "":
	case "%":
		p.toks = append(p.toks, tokPct)
	case "k":
	default:
		if exp, ok := abbreviations[rest]; ok {
			p.toks = append(p.toks, exp...)
		} else if hasAlnum(rest) {
			p.toks = append(p.toks, rest)
		}
	}
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// squash shortens runs of three or more identical letters ("sooooo" -> "so",
// "pleeeease" -> "please"). It keeps a double letter when the single form is not
// a known word (e.g. "goooood" -> "good").
func squash(w string) (string, bool) {
	run, prev, long := 0, rune(0), false
	for _, r := range w {
		if r == prev {
			run++
			if run >= 2 && unicode.IsLetter(r) {
				long = true
				break
			}
		} else {
			run = 0
		}
		prev = r
	}
	if !long {
		return w, false
	}
	var one, two strings.Builder
	prev, run = 0, 0
	for _, r := range w {
		if r == prev && unicode.IsLetter(r) {
			run++
		} else {
			run = 0
		}
		prev = r
		if run < 2 {
			two.WriteRune(r)
		}
		if run < 1 {
			one.WriteRune(r)
		}
	}
	o, t := one.String(), two.String()
	if knownWord(t) && !knownWord(o) {
		return t, true
	}
	if knownWord(o) {
		return o, true
	}
	return t, true
}

func hasEmoji(s string) bool {
	for _, r := range s {
		if r >= 0x2190 && emojiToken(r) != "" {
			return true
		}
	}
	return false
}

// emojiToken maps an emoji to EMOPOS, EMONEG, or "" when it is not an emoji or is
// neutral.
func emojiToken(r rune) string {
	switch r {
	case '❤', '♥', '💕', '💖', '💗', '💙', '💚', '💛', '💜', '🧡', '😍', '😘', '🥰', '😊', '😀', '😁', '😃',
		'😄', '😆', '😂', '🤣', '😉', '😋', '😎', '🙌', '👏', '👍', '🎉', '🎊', '🙏', '✨', '🔥', '💯',
		'😻', '🤩', '☺', '🙂', '😇', '🥳', '💪', '⭐', '🌟', '✌', '👌', '🤗', '😜', '😝', '😛':
		return tokEmoPos
	case '😡', '😠', '🤬', '😤', '😞', '😢', '😭', '😩', '😫', '👎', '💩', '🙄', '😒', '😑', '😐', '😔',
		'😕', '🙁', '☹', '😖', '😣', '😓', '😰', '😱', '🤦', '🤮', '🤢', '😬', '💔', '😪', '😟':
		return tokEmoNeg
	}
	if r >= 0x1F300 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF {
		return "EMOJI"
	}
	return ""
}

var emoticons = map[string]string{
	":)": tokEmoPos, ":-)": tokEmoPos, ":))": tokEmoPos, ":)))": tokEmoPos, ":-))": tokEmoPos,
	":D": tokEmoPos, ":-D": tokEmoPos, ";)": tokEmoPos, ";-)": tokEmoPos, ":P": tokEmoPos,
	":p": tokEmoPos, ":-P": tokEmoPos, ":-p": tokEmoPos, "=)": tokEmoPos, "=D": tokEmoPos,
	"(:": tokEmoPos, "<3": tokEmoPos, "xD": tokEmoPos, "XD": tokEmoPos, "^_^": tokEmoPos,
	":]": tokEmoPos, "8)": tokEmoPos, "B)": tokEmoPos, ":-*": tokEmoPos, ":*": tokEmoPos,
	":(": tokEmoNeg, ":-(": tokEmoNeg, ":((": tokEmoNeg, ":(((": tokEmoNeg, ":/": tokEmoNeg,
	":-/": tokEmoNeg, ":'(": tokEmoNeg, ":`(": tokEmoNeg, "D:": tokEmoNeg, ">:(": tokEmoNeg,
	":|": tokEmoNeg, ":-|": tokEmoNeg, "-_-": tokEmoNeg, "-__-": tokEmoNeg, "=(": tokEmoNeg,
	":S": tokEmoNeg, ":s": tokEmoNeg, "</3": tokEmoNeg, "ಠ_ಠ": tokEmoNeg, ":@": tokEmoNeg,
	"¯\\_(ツ)_/¯": tokEmoNeg, "¯\\(ツ)/¯": tokEmoNeg,
}

func scriptOf(r rune) string {
	switch {
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return "ja"
	case unicode.Is(unicode.Han, r):
		return "zh"
	case unicode.Is(unicode.Hangul, r):
		return "ko"
	case unicode.Is(unicode.Arabic, r):
		return "ar"
	case unicode.Is(unicode.Cyrillic, r):
		return "ru"
	case unicode.Is(unicode.Greek, r):
		return "el"
	case unicode.Is(unicode.Hebrew, r):
		return "he"
	case unicode.Is(unicode.Thai, r):
		return "th"
	case unicode.Is(unicode.Devanagari, r):
		return "hi"
	}
	return ""
}

// knownWord reports whether w is in one of the lexicons or the abbreviation table,
// which is enough to pick between "good" and "god" when squashing elongations.
func knownWord(w string) bool {
	if _, ok := abbreviations[w]; ok {
		return true
	}
	if _, ok := wordCues[w]; ok {
		return true
	}
	if _, ok := sentimentLex[w]; ok {
		return true
	}
	_, ok := commonWords[w]
	return ok
}
