package classify

import (
	"strings"
	"testing"
)

// preCleanReplacer is the strings.Replacer preClean replaced; it stays as the
// reference preClean must agree with.
var preCleanReplacer = strings.NewReplacer(preCleanPairs...)

func TestPreCleanPairs(t *testing.T) {
	if len(preCleanPairs)%2 != 0 {
		t.Fatalf("%d strings in preCleanPairs, want old, new pairs", len(preCleanPairs))
	}
	if len(preCleanPairs) > 1<<16 {
		t.Fatalf("%d strings in preCleanPairs: preCleanFirst holds indexes as uint16", len(preCleanPairs))
	}
	for i := 0; i < len(preCleanPairs); i += 2 {
		if preCleanPairs[i] == "" {
			t.Errorf("pair %d has an empty old string", i/2)
		}
	}
}

func TestPreClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"nothing to replace", "my bag never arrived", "my bag never arrived"},
		{"html entities", "a&amp;b &gt; &lt; &quot;x&quot;", `a & b > < "x"`},
		{"apostrophe entities", "don&#39;t won&#039;t", "don't won't"},
		{"entity prefix only", "&#3 &#03 &am &", "&#3 &#03 &am &"},
		{"curly quotes", "\u2018it\u2019s\u201c \u201dok\u2026", `'it's" "ok ... `},
		{"mojibake", "donâ€™t â€œhiâ€\u009d itÃ¢â‚¬â„¢s", `don't "hi" it's`},
		{"mojibake prefix", "â€ Ã¢â‚¬", "â€ Ã¢â‚¬"},
		{"no-break space", "a\u00a0b", "a b"},
		{"links", "{link}{url}[link]<link>", " URLTOKEN  URLTOKEN  URLTOKEN  URLTOKEN "},
		{"mentions", "hi {mention} [mention]", "hi  @mention   @mention "},
		{"w/o before w/", "w/o w/ w/o/", " without   with   without /"},
		{"b/c", "b/c b/ bc", " because  b/ bc"},
		{"dots", "ok...i prizes..phones. end.", "ok ... i prizes .. phones. end."},
		{"four dots", "a....b", "a ... .b"},
		{"five dots", "a.....b", "a ...  .. b"},
		{"dot before tag and handle", "yes.#win .@acme", "yes. #win . @acme"},
		{"Û variants", "Ûª ÛÓ ÛÒ Û_ ÛÏ Û÷ Û¢ Ûù Û Ûx", "'" + strings.Repeat(" ", 18) + "x"},
		{"Û at end", "endÛ", "end "},
		{"emoticons", ":-) :) ;-) ;) :-D :D <3 (:", strings.Repeat(" EMOPOSTOKEN  ", 7) + " EMOPOSTOKEN "},
		{"sad emoticons", ":-( :( :'( </3", " EMONEGTOKEN   EMONEGTOKEN   EMONEGTOKEN   EMONEGTOKEN "},
		{"smile vs nose", ":-):)", " EMOPOSTOKEN  EMOPOSTOKEN "},
		{"heart inside broken heart", "</3<3", " EMONEGTOKEN  EMOPOSTOKEN "},
		{"link before <3", "<link><3", " URLTOKEN  EMOPOSTOKEN "},
		{"adjacent", "&amp;&amp;w/", " &  &  with "},
		{"at start and end", ":)middle:(", " EMOPOSTOKEN middle EMONEGTOKEN "},
		{"no overlap", ":):", " EMOPOSTOKEN :"},
		{"url keeps :/", "https://t.co/x", "https://t.co/x"},
		{"invalid UTF-8", "\xc3\x9b\xff\xe2\x80", " \xff\xe2\x80"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := preClean(tc.in); got != tc.want {
				t.Errorf("preClean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if ref := preCleanReplacer.Replace(tc.in); ref != tc.want {
				t.Errorf("Replacer gives %q, want %q (fix the table)", ref, tc.want)
			}
		})
	}
}

// Every pattern on its own, glued to letters, twice in a row and next to each
// other pattern.
func TestPreCleanEveryPattern(t *testing.T) {
	for i := 0; i < len(preCleanPairs); i += 2 {
		old := preCleanPairs[i]
		ins := []string{old, "x" + old + "y", old + old, old[:len(old)-1], old[1:]}
		for j := 0; j < len(preCleanPairs); j += 2 {
			ins = append(ins, old+preCleanPairs[j], preCleanPairs[j]+old)
		}
		for _, in := range ins {
			if got, want := preClean(in), preCleanReplacer.Replace(in); got != want {
				t.Errorf("preClean(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func TestPreCleanNoAllocWithoutMatch(t *testing.T) {
	s := "@acme my order never arrived, refund please! #fail http://t.co/abc"
	if got := preClean(s); got != s {
		t.Fatalf("preClean changed %q to %q", s, got)
	}
	if n := testing.AllocsPerRun(100, func() { preClean(s) }); n != 0 {
		t.Errorf("%v allocations, want 0", n)
	}
}

func TestTrimWordPunct(t *testing.T) {
	for _, s := range []string{
		"", "word", "'quoted'", `"x"`, "--a--", "...", "(ok)", "<3", `a\b`, "||=+^x^+=||",
		"é.", ".é", "\xff.", ".\xff", "a.b", "__init__", "{[(x)]}", "~*~", ":;,", "/path/",
	} {
		if got, want := trimWordPunct(s), strings.Trim(s, wordPunct); got != want {
			t.Errorf("trimWordPunct(%q) = %q, want %q", s, got, want)
		}
	}
}
