package classify

import (
	"strings"
	"testing"
)

func TestLongSpansBypassProse(t *testing.T) {
	cases := []struct {
		name, span string
		want       []string
	}{
		{"punctuation run", strings.Repeat("!?", 100), []string{strings.Repeat("!?", 100)}},
		{"words glued by punctuation", strings.Repeat("a", 70) + "!!!" + strings.Repeat("b", 70), []string{strings.Repeat("a", 70), "!!!", strings.Repeat("b", 70)}},
		{"long URL", "https://example.com/" + strings.Repeat("x", 200), []string{"https://example.com/" + strings.Repeat("x", 200)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := spans.tokens(tc.span)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("tokens = %q, want %q", got, tc.want)
			}
		})
	}
}

// BenchmarkHostileText classifies 64 KB posts made of one repeated
// character class, which prose alone tokenises in quadratic time.
func BenchmarkHostileText(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, unit := range []string{"!?", "#Ab", "😡", "my bag is lost again "} {
		text := strings.Repeat(unit, (64<<10)/len(unit))
		b.Run(unit, func(b *testing.B) {
			for b.Loop() {
				c.Classify(text)
			}
		})
	}
}
