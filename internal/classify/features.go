package classify

import "strings"

// Feature namespaces. A feature's name is its namespace followed by its value,
// e.g. "w:refund", "b:my|order", "c:problem"; features are looked up by a 64-bit
// FNV-1a hash of that name so the hot path never builds strings.
const (
	nsWord    = "w:"
	nsBigram  = "b:"
	nsNegated = "n:"
	nsFirst   = "f:"
	nsCue     = "c:"
	nsMeta    = "m:"
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hash1(ns, a string) uint64 { return hashAdd(hashAdd(fnvOffset, ns), a) }

func hash2(ns, a, b string) uint64 {
	return hashAdd(hashAdd(hashAdd(hashAdd(fnvOffset, ns), a), "|"), b)
}

// featureSet collects the hashed features of one post; names are kept only when
// wanted (training and --explain).
type featureSet struct {
	hashes    []uint64
	names     []string
	wantNames bool
	cues      [numCues]bool
	// noSentimentWords leaves out the word features of praise and
	// negative-emotion words and the bigrams that end in one, so that their
	// sentiment reaches the model through the cues (praise, negative emotion,
	// sarcasm and their pairs); bigrams that start with one ("great|flight") stay. Training sets
	// it (see TrainOptions.SentimentWords); classifying needs no switch, because
	// a model trained this way has no weights for those features.
	noSentimentWords bool
}

// sentimentCues are the cues whose words are left out by noSentimentWords.
const sentimentCues = 1<<cPraise | 1<<cNegEmo

func (f *featureSet) add1(ns, a string) {
	f.hashes = append(f.hashes, hash1(ns, a))
	if f.wantNames {
		f.names = append(f.names, ns+a)
	}
}

func (f *featureSet) add2(ns, a, b string) {
	f.hashes = append(f.hashes, hash2(ns, a, b))
	if f.wantNames {
		f.names = append(f.names, ns+a+"|"+b)
	}
}

func (f *featureSet) cue(c int) { f.cues[c] = true }

var clauseStarters = map[string]bool{"|": true, "?": true, "!": true, tokUser: true, tokURL: true}

var auxVerbs = map[string]bool{
	"do": true, "does": true, "did": true, "is": true, "are": true, "can": true, "could": true, "will": true,
	"would": true, "any": true, "anyone": true, "has": true, "have": true, "should": true, "was": true,
	"were": true, "may": true, "got": true, "anybody": true,
}

var auxFollowers = map[string]bool{
	"you": true, "there": true, "i": true, "it": true, "we": true, "they": true, "this": true, "the": true,
	"a": true, "anyone": true, "y'all": true, "your": true, "my": true, "he": true, "she": true, "that": true,
	"these": true, "those": true, "any": true, "someone": true, "somebody": true, "u": true, "know": true,
	"one": true, "he's": true, "all": true,
}

var failAfterNegator = map[string]bool{
	"work": true, "working": true, "works": true, "load": true, "loading": true, "loads": true, "arrive": true,
	"arrived": true, "received": true, "receive": true, "get": true, "gotten": true, "respond": true,
	"responded": true, "responding": true, "show": true, "showing": true, "shown": true, "help": true,
	"helped": true, "helping": true, "connect": true, "connecting": true, "answer": true, "answered": true,
	"answering": true, "reply": true, "replied": true, "replying": true, "fixed": true, "resolved": true,
	"refunded": true, "delivered": true, "come": true, "came": true, "here": true, "happy": true, "open": true,
	"opening": true, "sent": true, "charge": true, "honored": true, "honor": true, "accepted": true,
	"acceptable": true, "ok": true, "good": true, "impressed": true, "heard": true, "update": true,
	"updated": true, "processed": true, "call": true, "called": true, "returned": true,
}

var sarcasmOpeners = map[string]bool{
	"thanks": true, "thank": true, "great": true, "love": true, "nice": true, "awesome": true, "way": true,
	"wonderful": true, "fantastic": true, "yay": true, "congrats": true, "congratulations": true,
	"appreciate": true, "perfect": true, "brilliant": true, "bravo": true, "amazing": true, "cool": true,
	"lovely": true, "excellent": true,
}

var helpOutcomes = map[string]bool{
	"help": true, "helping": true, "fixing": true, "fixed": true, "resolving": true, "resolved": true,
	"sorting": true, "sorted": true, "rebooking": true, "rebooked": true, "quick": true, "fast": true,
	"response": true, "responding": true, "assistance": true, "support": true, "getting": true, "taking": true,
	"replacing": true, "refunding": true, "refund": true, "finding": true, "found": true, "returning": true,
	"handling": true, "patience": true, "reply": true, "understanding": true, "accommodating": true, "solving": true,
}

var timeUnits = map[string]bool{
	"hours": true, "days": true, "weeks": true, "months": true, "minutes": true, "years": true,
}

// freeOf are the words that make a following "free" mean "without".
var freeOf = map[string]bool{
	"gluten": true, "dairy": true, "sugar": true, "alcohol": true, "fragrance": true, "cruelty": true,
	"plastic": true, "hands": true, "duty": true, "tax": true, "fee": true, "interest": true, "risk": true,
	"hassle": true, "stress": true, "smoke": true, "scent": true, "nut": true, "caffeine": true, "fat": true,
	"lactose": true, "meat": true, "carbon": true, "ad": true, "ads": true, "commission": true, "toll": true,
	"paraben": true, "sulfate": true, "bpa": true, "latex": true, "soy": true, "egg": true, "peanut": true,
	"worry": true, "contact": true, "cash": true, "paper": true, "debt": true, "crime": true, "feel": true,
}

var ownWords = map[string]bool{"my": true, "our": true, "mine": true}

var personalProblem = map[string]bool{"i": true, "we": true, "me": true, "us": true, "my": true, "our": true}

var suggestPrefixes = map[string]map[string]bool{
	"you":    {"should": true, "guys": true, "need": true, "must": true, "could": true},
	"should": {"add": true, "make": true, "have": true, "bring": true, "offer": true, "do": true, "start": true},
	"please": {"add": true, "bring": true, "make": true, "consider": true, "release": true, "start": true},
	"would":  {"be": true, "love": true, "like": true},
	"bring":  {"back": true},
	"why":    {"not": true},
	"how":    {"about": true},
	"i":      {"wish": true, "hope": true},
	"need":   {"more": true, "a": true},
}

// FeatureNames returns the names of the features the classifier looks up for
// text, in order and with repeats ("w:refund", "b:my|order", "c:problem"):
// what training counts and weighs. sentimentWords keeps praise and
// negative-emotion words as word features (see featureSet.noSentimentWords).
func FeatureNames(text string, sentimentWords bool) []string {
	p := normalize(text)
	f := featureSet{wantNames: true, noSentimentWords: !sentimentWords}
	extract(&p, &f)
	return f.names
}

// Lexical reports whether a feature is a word or bigram feature, which a
// model learns from its training vocabulary, rather than an intent cue ("c:")
// or a fact of the post's shape ("m:"), which every model knows.
func Lexical(name string) bool {
	return !strings.HasPrefix(name, nsCue) && !strings.HasPrefix(name, nsMeta)
}

// extract fills f with the features of p.
func extract(p *post, f *featureSet) {
	var buf [64]*tokInfo
	extractWith(p, lookupAll(p.toks, buf[:0]), f)
}

// extractWith is extract with the tokens' infos already looked up.
func extractWith(p *post, infos []*tokInfo, f *featureSet) {
	toks := p.toks
	neg := 0 // tokens left in negation scope
	prev, prevStem := "", ""
	prevInfo := emptyInfo
	firstDone := false
	own := -10 // index of the last my/our
	firstPerson := false
	secondPerson := false
	questionStart := false
	lastSarcOpen := -10
	lastThanks := -10
	for i, t := range toks {
		ti := infos[i]
		if t == tokBound || t == "?" || t == "!" {
			neg = 0
			if t != tokBound {
				f.add1(nsWord, t)
				if prev != "" && prev != tokBound {
					f.add2(nsBigram, prevStem, t)
				}
			}
			prev, prevStem, prevInfo = t, t, ti
			continue
		}
		if !firstDone && t != tokUser {
			f.add1(nsFirst, t)
			firstDone = true
		}
		st := stem(t)
		if !f.noSentimentWords || ti.cues&sentimentCues == 0 {
			f.add1(nsWord, st)
			if prev != "" && prev != tokBound {
				f.add2(nsBigram, prevStem, st)
			}
		}
		if neg > 0 {
			f.add1(nsNegated, st)
			neg--
		}
		cues := ti.cues
		if t == "free" && freeOf[prev] {
			// "gluten free", "fee free": without something, not a freebie.
			cues &^= 1 << cFree
		}
		for c := cues; c != 0; {
			b := trailingZeros(c)
			f.cues[b] = true
			c &^= 1 << uint(b)
		}
		fl := ti.flags
		atClauseStart := i == 0 || prevInfo.flags&fClauseStarter != 0
		switch {
		case fl&fOwn != 0:
			own = i
		case i-own <= 3 && ti.cues&(1<<cOrderNoun) != 0:
			f.cue(cOwnObj)
		}
		if fl&fPersonal != 0 {
			firstPerson = true
		}
		if fl&fSecondPerson != 0 {
			secondPerson = true
		}
		if atClauseStart && fl&fAux != 0 && i+1 < len(toks) && infos[i+1].flags&fAuxFollower != 0 {
			f.cue(cAuxQ)
			questionStart = true
		}
		if atClauseStart && ti.cues&(1<<cQWord) != 0 {
			questionStart = true
		}
		if fl&fNegator != 0 {
			neg = 3
			if i+1 < len(toks) && infos[i+1].flags&fFailAfterNeg != 0 || i+2 < len(toks) && infos[i+2].flags&fFailAfterNeg != 0 {
				f.cue(cFail)
			}
			if prev == "still" {
				f.cue(cFail)
				f.cue(cPersist)
			}
		}
		switch t {
		case tokPct:
			// "20% off" is a deal; "70% of users" is a statistic.
			if i+1 < len(toks) && (toks[i+1] == "off" || toks[i+1] == "discount" || toks[i+1] == "sale" || toks[i+1] == "cashback") {
				f.cue(cPrice)
				f.cue(cValue)
			} else {
				f.cue(cStat)
			}
		case tokNum:
			if i+1 < len(toks) && infos[i+1].flags&fTimeUnit != 0 {
				f.cue(cWait)
				f.add1(nsMeta, "numtime")
			}
		case "hold":
			if prev == "on" {
				f.cue(cWait)
				f.add1(nsMeta, "onhold")
			}
		case "wait":
			// "can't wait" is excitement, not waiting.
			if prev == "not" && i >= 2 && (toks[i-2] == "can" || toks[i-2] == "could") {
				f.cue(cExcite)
			} else {
				f.cue(cWait)
			}
		case "down":
			// "is down", "went down again": an outage, not a direction.
			switch prev {
			case "is", "was", "are", "were", "been", "still", "went", "goes", "keeps", "go", "going", "being":
				f.cue(cFail)
			}
		}
		if fl&fSarcOpen != 0 {
			lastSarcOpen = i
		}
		if fl&fThanks != 0 {
			lastThanks = i
		}
		if ti.cues&(1<<cFail) != 0 && i-lastSarcOpen <= 5 && i > lastSarcOpen {
			f.cue(cSarcasm)
		}
		if fl&fHelpOutcome != 0 && i-lastThanks <= 4 && i > lastThanks {
			f.cue(cThanksHelp)
		}
		if prevInfo.next != nil && prevInfo.next[t] {
			f.cue(cSuggest)
			f.add2(nsMeta, "sugg", prev+" "+t)
		}
		prev, prevStem, prevInfo = t, st, ti
	}
	if p.question > 0 {
		f.cue(cQMark)
	}
	question := p.question > 0 || questionStart
	cu := &f.cues
	if firstPerson {
		cu[cFirstPerson] = true
	}
	if secondPerson {
		cu[cSecondPerson] = true
	}
	if cu[cFail] && (firstPerson || cu[cOwnObj]) || cu[cOwnObj] && cu[cPersist] || cu[cWait] && firstPerson {
		cu[cProblem] = true
	}
	if cu[cNegEmo] && cu[cPraise] && (cu[cFail] || p.elongated > 0) {
		cu[cSarcasm] = true
	}
	if question {
		switch {
		case cu[cOwnObj] || cu[cProblem]:
			cu[cOwnQuestion] = true
		default:
			cu[cGenQuestion] = true
		}
		if cu[cValue] || cu[cCode] || cu[cPoints] || cu[cFree] || cu[cPrice] || cu[cWin] {
			cu[cValueQ] = true
		}
	}
	if cu[cThanksHelp] && cu[cFail] {
		// "thanks for helping with my lost bag" is still a service case; the fail cue
		// carries the complaint signal.
		cu[cThanksHelp] = true
	}
	if !p.addressed && !secondPerson && !question && !cu[cPraise] && !cu[cFail] && !cu[cNegEmo] {
		cu[cNoEngage] = true
	}
	if len(toks) < 6 && !question && !cu[cFail] && !cu[cPraise] && !cu[cNegEmo] && !cu[cValue] && !cu[cFree] {
		cu[cBoring] = true
	}
	for c := 0; c < numCues; c++ {
		if cu[c] {
			f.add1(nsCue, cueNames[c])
		}
	}
	// Pairs of cues that mean more together than apart.
	pair := func(a, b int) {
		if cu[a] && cu[b] {
			f.add2(nsCue, cueNames[a], cueNames[b])
		}
	}
	pair(cProblem, cComp)
	pair(cProblem, cHelp)
	pair(cProblem, cContact)
	pair(cValue, cQMark)
	pair(cFree, cWin)
	pair(cPraise, cFail)
	pair(cThanks, cFail)
	pair(cThanks, cHelp)
	pair(cGenQuestion, cInfoTopic)
	pair(cOwnQuestion, cOrderNoun)
	pair(cNews, cNoEngage)
	pair(cPraise, cProductNoun)
	pair(cEvent, cFree)
	pair(cPraise, cEvent)
	pair(cFirstPerson, cFail)
	pair(cNegator, cPraise)
	pair(cSecondPerson, cSuggest)
	pair(cComp, cPrice)
	pair(cPoints, cFail)
	pair(cCode, cFail)
	pair(cFree, cNoEngage)
	pair(cWin, cNoEngage)
	pair(cValue, cFirstPerson)
	pair(cPoints, cFirstPerson)
	if !cu[cFail] && !cu[cNegEmo] && !cu[cThanksHelp] {
		// A good experience with one's own flight, order or stay, shared for its
		// own sake, is affinity rather than a service case.
		pair(cOwnObj, cPraise)
		pair(cOrderNoun, cPraise)
	}
	if p.addressed {
		f.add1(nsMeta, "addressed")
	} else {
		f.add1(nsMeta, "notaddressed")
	}
	if p.retweet {
		f.add1(nsMeta, "rt")
	}
	if p.urls > 0 {
		f.add1(nsMeta, "url")
		if !p.addressed {
			f.add1(nsMeta, "url_notaddressed")
		}
	}
	// Counts of hashtags and handles are left out on purpose: in hand-written
	// corpora they mark spam, while real posts about events and launches carry
	// many of both, so they do not carry over.
	if p.elongated > 0 {
		f.add1(nsMeta, "elongated")
	}
	if p.allCaps > 0 {
		f.add1(nsMeta, "allcaps")
	}
	if p.exclaim > 1 {
		f.add1(nsMeta, "exclaims")
	}
	if p.question > 1 {
		f.add1(nsMeta, "questions")
	}
	if n := len(toks); n < 6 {
		f.add1(nsMeta, "short")
	} else if n > 25 {
		f.add1(nsMeta, "long")
	}
}

func trailingZeros(x uint64) int {
	n := 0
	for x&1 == 0 {
		x >>= 1
		n++
	}
	return n
}

// stem strips common English inflections so "cancelled", "cancels" and
// "cancelling" share a feature. It is deliberately light: social text is too noisy
// for a full stemmer to pay off, and the special tokens pass through unchanged.
func stem(w string) string {
	n := len(w)
	if n <= 4 || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	switch {
	case n > 6 && strings.HasSuffix(w, "ations"):
		return w[:n-5]
	case n > 5 && strings.HasSuffix(w, "ation"):
		return w[:n-4]
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
	case n > 5 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	case n > 4 && strings.HasSuffix(w, "ly"):
		return w[:n-2]
	case strings.HasSuffix(w, "ss"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:n-1]
	default:
		return w
	}
	// undouble: "cancell" -> "cancel", "stopp" -> "stop"
	if m := len(w); m > 3 && w[m-1] == w[m-2] && w[m-1] != 's' && w[m-1] != 'l' {
		return w[:m-1]
	}
	if m := len(w); m > 4 && w[m-1] == 'l' && w[m-2] == 'l' {
		return w[:m-1]
	}
	return w
}
