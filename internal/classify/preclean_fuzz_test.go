package classify

import (
	"strings"
	"testing"
)

// FuzzPreClean holds preClean to the strings.Replacer it replaced.
func FuzzPreClean(f *testing.F) {
	for _, s := range []string{
		"", "@SkyJetHelp my bag never arrived!!! {link}", "don&#39;t &amp; won&#039;t &#3",
		"ok...i prizes..phones....", "w/o w/ b/c", "ÛªÛÓÛÒÛ_ÛÏÛ÷Û¢ÛùÛ", "donâ€™t â€œhiâ€\u009d Ã¢â‚¬â„¢",
		":-):):-D:D;-);)<3</3(::-(:(:'(", "\u2018\u2019\u201c\u201d\u2026\u00a0", "\xc3\xff\xe2\x80",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := preClean(s), preCleanReplacer.Replace(s); got != want {
			t.Fatalf("preClean(%q) = %q, Replacer gives %q", s, got, want)
		}
	})
}

// FuzzTrimWordPunct holds trimWordPunct to strings.Trim.
func FuzzTrimWordPunct(f *testing.F) {
	for _, s := range []string{"", "'quoted'", "(ok)...", "é.", "\xff--", "__x__"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimWordPunct(s), strings.Trim(s, wordPunct); got != want {
			t.Fatalf("trimWordPunct(%q) = %q, want %q", s, got, want)
		}
	})
}
