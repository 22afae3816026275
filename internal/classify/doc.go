// Package classify tags a brand mention with the poster's motive for engaging the
// brand (discounts, information, community, service or none), a complaint flag, a
// sentiment score and its language.
//
// Text is tokenised with github.com/jdkato/prose/v2 through one process-wide,
// tokenisation-only prose model (never rebuilt per post), normalised for social
// media (handles, hashtags, URLs, emoticons, elongations, abbreviations), turned
// into hashed word, bigram and intent-lexicon features, and scored by a trained
// multinomial logistic regression with temperature-calibrated confidence. A second
// logistic output on the same features gives the complaint flag.
//
// The shipped model is embedded with go:embed; see README.md for the one command
// that rebuilds it from the corpus under corpus/.
package classify
