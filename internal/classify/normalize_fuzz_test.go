package classify

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzNormalize checks the social-text normaliser on its own: it must not
// panic, and every token it returns must be non-empty, valid UTF-8, free of
// white space and lower case, but for the upper-case placeholders the
// normaliser puts in for handles, URLs, numbers and emoji.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"@SkyJetHelp my bag never arrived!!! 3rd time #NeverAgain 😡 {link}",
		"RT @mention: Win a FREE phone!!! http://t.co/abc &amp; more",
		"sooooo goooood :) :( <3 pls thx u r the best",
		"#CamelCaseHashtag2026 can't won't I'm",
		"\u202eright to left\u200b\ufeff", "ÃƒÂ©tÃƒÂ© Û¢", "", "   ", "!!!???",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p := normalize(text)
		for _, tok := range p.toks {
			if tok == "" || !utf8.ValidString(tok) || strings.IndexFunc(tok, unicode.IsSpace) >= 0 {
				t.Fatalf("bad token %q from %q", tok, text)
			}
			if strings.ToLower(tok) != tok && !isPlaceholder(tok) {
				t.Fatalf("token %q is not lower case (from %q)", tok, text)
			}
		}
	})
}

func isPlaceholder(tok string) bool {
	switch strings.TrimPrefix(tok, "@") {
	case "USER", "EMOJI", "EMONEG", "EMONEGTOKEN", "EMOPOS", "EMOPOSTOKEN", "MONEY", "NUM", "PCT", "URL", "URLTOKEN":
		return true
	}
	return false
}
