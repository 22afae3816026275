package classify

// tokInfo gathers everything the hot path needs to know about a known token, so
// that extracting features costs one map lookup per token instead of one per
// lexicon.
type tokInfo struct {
	cues  uint64
	flags uint32
	next  map[string]bool // for suggestion prefixes: the words that complete one
	sent  float64         // sentiment lexicon score, 0 when absent
	lang  string          // language whose function word this is, "" when none
}

const (
	fOwn uint32 = 1 << iota
	fPersonal
	fSecondPerson
	fAux
	fAuxFollower
	fFailAfterNeg
	fSarcOpen
	fHelpOutcome
	fTimeUnit
	fClauseStarter
	fThanks
	fNegator
	fSentNegator
	fIntensifier
)

var lexInfo = func() map[string]*tokInfo {
	m := map[string]*tokInfo{}
	get := func(w string) *tokInfo {
		ti := m[w]
		if ti == nil {
			ti = &tokInfo{}
			m[w] = ti
		}
		return ti
	}
	for w, c := range wordCues {
		get(w).cues |= c
	}
	flag := func(set map[string]bool, fl uint32) {
		for w, ok := range set {
			if ok {
				get(w).flags |= fl
			}
		}
	}
	flag(ownWords, fOwn)
	flag(personalProblem, fPersonal)
	flag(map[string]bool{"you": true, "your": true, "yours": true}, fSecondPerson)
	flag(auxVerbs, fAux)
	flag(auxFollowers, fAuxFollower)
	flag(failAfterNegator, fFailAfterNeg)
	flag(sarcasmOpeners, fSarcOpen)
	flag(helpOutcomes, fHelpOutcome)
	flag(timeUnits, fTimeUnit)
	flag(clauseStarters, fClauseStarter)
	flag(map[string]bool{"thanks": true, "thank": true, "appreciate": true}, fThanks)
	flag(map[string]bool{"not": true}, fNegator)
	for w := range wordCues {
		if wordCues[w]&(1<<cNegator) != 0 {
			get(w).flags |= fNegator
		}
	}
	for w, v := range sentimentLex {
		get(w).sent = v
	}
	for w, l := range langWords {
		get(w).lang = l
	}
	flag(map[string]bool{"not": true, "no": true, "nothing": true, "without": true}, fSentNegator)
	flag(map[string]bool{"very": true, "so": true, "really": true, "super": true, "extremely": true, "totally": true}, fIntensifier)
	for w, next := range suggestPrefixes {
		get(w).next = next
	}
	return m
}()

var emptyInfo = &tokInfo{}

func infoOf(t string) *tokInfo {
	if ti, ok := lexInfo[t]; ok {
		return ti
	}
	return emptyInfo
}

// lookupAll returns the info of each token, reusing buf.
func lookupAll(toks []string, buf []*tokInfo) []*tokInfo {
	buf = buf[:0]
	for _, t := range toks {
		buf = append(buf, infoOf(t))
	}
	return buf
}
