package classify

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"handle and url", "@AcmeHelp my order http://t.co/abc", "@USER my order URL"},
		{"placeholders", "{link} via {mention}", "URL via @USER"},
		{"camel hashtag", "#CustomerServiceFail again", "customer service fail again"},
		{"known compound hashtag", "#neveragain", "never again"},
		{"elongation", "sooooo goooood", "so good"},
		{"abbreviations", "pls dm me thx u r great", "please dm me thanks you are great"},
		{"contractions", "I can't believe it doesn't work", "i can not believe it does not work"},
		{"emoticons and emoji", "love it :) 😍 but :( 😡", "love it EMOPOS EMOPOS but EMONEG EMONEG"},
		{"numbers and units", "waited 2hrs for $20", "waited NUM hours for MONEY"},
		{"question marks", "why??? really!!", "why ? really !"},
		{"html entities", "me &amp; you", "me and you"},
		{"clause boundary", "late, again", "late | again"},
		{"dropped g on cue words", "lovin it, amazin' crew, still waitin", "loving it | amazing crew | still waiting"},
		{"other -in words kept", "my login at the cabin", "my login at the cabin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := normalize(tc.in)
			if got := strings.Join(p.toks, " "); got != tc.want {
				t.Errorf("normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeCounts(t *testing.T) {
	p := normalize("@acme @bob why is my #order late?! see http://x.co #fail #help")
	if !p.addressed || p.handles != 2 || p.hashtags != 3 || p.urls != 1 || p.question != 1 || p.exclaim != 0 {
		t.Errorf("got %+v", p)
	}
	if normalize("RT @someone: big news").addressed {
		t.Error("a retweet is not addressed to the brand")
	}
}

// The span cache must not change what prose produces: tokenising span by span
// equals tokenising the whole text.
func TestSpanTokensMatchProse(t *testing.T) {
	for _, text := range []string{
		`@united "thanks" for losing my bag (again)... don't you think?! $100 :) #fail`,
		"they'll say I'm wrong, but it's 5pm\nand\tstill nothing!!",
		"U.S. flights, e.g. to N.Y. won't leave :-( ¯\\(ツ)/¯",
	} {
		var want []string
		for _, tok := range proseTokens(text) {
			want = append(want, tok.Text)
		}
		for pass := 0; pass < 2; pass++ { // second pass is served from the cache
			var got []string
			forEachToken(text, func(s string, _ bool) { got = append(got, s) })
			if !reflect.DeepEqual(got, want) {
				t.Errorf("pass %d: %q\n got %q\nwant %q", pass, text, got, want)
			}
		}
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"@acme my flight was cancelled and nobody is helping", "en"},
		{"Hola, quiero saber cuando llega mi pedido por favor, gracias", "es"},
		{"Bonjour, est-ce que vous avez des codes promo pour les étudiants?", "fr"},
		{"Warum ist mein Paket noch nicht da? Das ist nicht gut", "de"},
		{"東京行きの便は遅れていますか", "ja"},
		{"Почему мой заказ ещё не пришёл?", "ru"},
		{"lol", "en"},
	}
	for _, tc := range tests {
		p := normalize(tc.text)
		if got := detectLang(&p); got != tc.want {
			t.Errorf("detectLang(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestSentiment(t *testing.T) {
	pos := sentiment(normalize("I love this, the staff were amazing :)").toks)
	neg := sentiment(normalize("worst service ever, totally unacceptable and rude").toks)
	negated := sentiment(normalize("not good, not happy").toks)
	if !(pos > 0.3 && neg < -0.3 && negated < 0) {
		t.Errorf("pos=%v neg=%v negated=%v", pos, neg, negated)
	}
	for _, s := range []float64{pos, neg, negated} {
		if s < -1 || s > 1 {
			t.Errorf("sentiment %v out of [-1,1]", s)
		}
	}
}

func TestCues(t *testing.T) {
	tests := []struct {
		text string
		cue  int
		want bool
	}{
		{"thanks for losing my bag", cSarcasm, true},
		{"thanks for fixing my account so fast", cThanksHelp, true},
		{"thanks for fixing my account so fast", cSarcasm, false},
		{"my order still has not arrived", cProblem, true},
		{"my order still has not arrived", cFail, true},
		{"do you ship to canada", cAuxQ, true},
		{"you should add a dark mode", cSuggest, true},
		{"any promo codes for students?", cValueQ, true},
		{"been on hold for 2 hours", cWait, true},
		{"what a lovely day", cProblem, false},
	}
	for _, tc := range tests {
		p := normalize(tc.text)
		var f featureSet
		extract(&p, &f)
		if f.cues[tc.cue] != tc.want {
			t.Errorf("%q: cue %s = %v, want %v", tc.text, cueNames[tc.cue], f.cues[tc.cue], tc.want)
		}
	}
}
