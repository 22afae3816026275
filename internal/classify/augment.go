package classify

import (
	"math/rand/v2"
	"strings"
	"unicode"
)

// Augmentation makes copies of the hand-written posts with the noise of real
// mentions that hand-written posts lack: the brand named mid-post instead of
// addressed, retweet and "via" markup, neutral hashtags, links, chatter around the
// point, lower case and typos. Labels stay the same, so the model learns that none
// of that decides the motive.

var augHashtags = []string{"#fb", "#news", "#travel", "#tech", "#mondays", "#life", "#weekend", "#nyc", "#london",
	"#fail", "#help", "#happy", "#mood", "#event", "#conference", "#music", "#foodie", "#gaming", "#family",
	"#work", "#sports", "#photo", "#tbt", "#random"}

var augChatter = []string{"anyway.", "so yeah.", "ugh mondays.", "on my lunch break.", "just saying.", "at the conference.",
	"long day.", "brb.", "sitting at home.", "it's raining again.", "lol.", "true story.", "smh.", "again.", "fyi.",
	"welp.", "oh well.", "haha.", "hmm.", "ok then."}

// augment returns a noisy variant of text for motive m.
func augment(text, motive string, r *rand.Rand) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return text
	}
	// Brand addressed at the start: name it elsewhere instead.
	if motive != MotiveService && strings.HasPrefix(words[0], "@") && len(words) > 2 && r.Float64() < 0.45 {
		h := words[0]
		rest := words[1:]
		switch r.IntN(3) {
		case 0:
			words = append(rest, h)
		case 1:
			words = append(rest, "#"+strings.TrimPrefix(h, "@"))
		default:
			name := strings.TrimPrefix(h, "@")
			k := r.IntN(len(rest))
			words = append(append(append([]string{}, rest[:k]...), name), rest[k:]...)
		}
	}
	if motive != MotiveService && r.Float64() < 0.15 {
		words = append([]string{"RT", "@mention"}, words...)
	}
	if r.Float64() < 0.25 {
		words = append(words, augChatter[r.IntN(len(augChatter))])
	} else if r.Float64() < 0.1 {
		words = append([]string{augChatter[r.IntN(len(augChatter))]}, words...)
	}
	for n := r.IntN(4); n > 0 && r.Float64() < 0.7; n-- {
		words = append(words, augHashtags[r.IntN(len(augHashtags))])
	}
	if r.Float64() < 0.25 {
		words = append(words, "{link}")
	}
	if r.Float64() < 0.1 {
		words = append(words, "via", "@mention")
	}
	for i, w := range words {
		if len(w) > 4 && r.Float64() < 0.03 && !strings.ContainsAny(w, "@#{}") {
			k := 1 + r.IntN(len(w)-2)
			words[i] = w[:k] + w[k+1:]
		}
	}
	out := strings.Join(words, " ")
	if r.Float64() < 0.4 {
		out = strings.ToLower(out)
	} else if r.Float64() < 0.2 {
		out = strings.Map(func(c rune) rune {
			if unicode.IsPunct(c) && c != '@' && c != '#' && c != '{' && c != '}' && c != '\'' {
				return -1
			}
			return c
		}, out)
	}
	return out
}

// augmented appends, for each hand-written example, copies made by augment with
// weight scaled by w. The copies' industry is prefixed "gen-" so that evaluation
// and calibration, which use hand-written posts only, leave them out.
func augmented(examples []Example, copies int, w float64, seed uint64) []Example {
	r := rand.New(rand.NewPCG(seed, 99))
	out := append([]Example(nil), examples...)
	for _, e := range examples {
		if strings.HasPrefix(e.Industry, "gen-") {
			continue
		}
		for c := 0; c < copies; c++ {
			a := e
			a.Text = augment(e.Text, e.Motive, r)
			if a.Text == e.Text {
				continue
			}
			a.Industry = "gen-" + e.Industry
			if a.Weight <= 0 {
				a.Weight = 1
			}
			a.Weight *= w
			out = append(out, a)
		}
	}
	return out
}
