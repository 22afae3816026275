package drivers

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

var skyjetNames = []string{"skyjet", "@skyjet", "@SkyJetHelp", "#flyskyjet", "sky jet"}

func TestTerms(t *testing.T) {
	cases := []struct {
		name, text string
		names      []string
		want       []string
	}{
		{"words and phrases", "Lost baggage at baggage claim", nil,
			[]string{"lost", "baggage", "lost baggage", "claim", "baggage claim"}},
		{"each term once per post", "outage outage OUTAGE. Outage!", nil,
			[]string{"outage"}},
		{"stop words break phrases", "I still can't get my refund, please just refund me", nil,
			[]string{"refund"}},
		{"contractions", "It's broken, we've waited, they'll say won't happen, y'all", nil,
			[]string{"broken", "waited", "happen"}},
		{"possessive", "the driver's phone", nil,
			[]string{"driver", "phone", "driver phone"}},
		{"brand names and handles", "@SkyJet @skyjethelp SkyJet skyjet's SKYJETHELP skyjets #SkyJetFail #flyskyjet sky jet bag", skyjetNames,
			[]string{"bag"}},
		{"name of fewer than four letters drops only itself", "tel telnova app", []string{"tel"},
			[]string{"telnova", "app", "telnova app"}},
		{"urls, addresses and placeholders", "see https://t.co/x1 www.skyjet.com skyjet.com/help help@skyjet.com {link} {url} now", nil,
			nil},
		{"mentions dropped, not joined", "rude crew @someone rude staff", nil,
			[]string{"rude", "crew", "rude crew", "staff", "rude staff"}},
		{"hashtags are words without phrases", "app #LostLuggage crash", nil,
			[]string{"app", "lostluggage", "crash"}},
		{"numbers and short tokens", "waited 3 hrs for SJ204 on 2nd gate at 7am ok", nil,
			[]string{"waited", "hrs", "gate"}},
		{"punctuation and emoji end phrases", "seat broken. 😡 crew rude🙄wifi dead", nil,
			[]string{"seat", "broken", "seat broken", "crew", "rude", "crew rude", "wifi", "dead", "wifi dead"}},
		{"hyphenated words", "online check-in broken", nil,
			[]string{"online", "check-in", "online check-in", "broken", "check-in broken"}},
		{"unicode letters lower-cased", "Café ZÜRICH", nil,
			[]string{"café", "zürich", "café zürich"}},
		{"empty", "", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Terms(nil, tc.text, tc.names)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Terms(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestTermsOfALongText(t *testing.T) {
	text := strings.Repeat("lost baggage, broken seat; rude crew! ", 200)
	got := Terms(nil, text, nil)
	want := []string{"lost", "baggage", "lost baggage", "broken", "seat", "broken seat", "rude", "crew", "rude crew"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestTermsAppendsToDst(t *testing.T) {
	got := Terms([]string{"kept"}, "kept crew", nil)
	if want := []string{"kept", "kept", "crew", "kept crew"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestTermsOfComplaints checks the invariants on every post of testdata:
// no term twice, none a name, handle, URL part, placeholder or stop word.
func TestTermsOfComplaints(t *testing.T) {
	names := []string{"skyjet", "@skyjethelp", "telnova", "@telnovacare", "freshcart", "@freshcarthelp"}
	for _, text := range readComplaints(t) {
		terms := Terms(nil, text, names)
		seen := map[string]bool{}
		for _, term := range terms {
			if seen[term] {
				t.Errorf("%q: term %q twice", text, term)
			}
			seen[term] = true
			for _, w := range strings.Fields(term) {
				if isStopWord([]byte(w)) || strings.ContainsAny(w, "@#{}/:.") ||
					strings.HasPrefix(w, "skyjet") || strings.HasPrefix(w, "telnova") || strings.HasPrefix(w, "freshcart") ||
					w == "http" || w == "https" || w == "www" {
					t.Errorf("%q: term %q", text, term)
				}
			}
		}
	}
}

func readComplaints(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/complaints.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			texts = append(texts, line)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return texts
}

func BenchmarkTerms(b *testing.B) {
	texts := readComplaints(b)
	names := []string{"skyjet", "@skyjet", "@skyjethelp"}
	var dst []string
	bytes := 0
	for _, t := range texts {
		bytes += len(t)
	}
	b.SetBytes(int64(bytes / len(texts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		dst = Terms(dst[:0], texts[i%len(texts)], names)
	}
}
