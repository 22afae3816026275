package drivers

// isStopWord reports whether the lower-cased word w carries no topic: English
// function words (articles, pronouns, auxiliaries, prepositions, conjunctions),
// contractions written without their apostrophe, and the fillers of complaint
// posts ("please", "just", "still", "thanks"). Words of fewer than three
// letters never reach it, so it lists none.
func isStopWord(w []byte) bool {
	switch string(w) {
	case
		// articles, determiners, quantifiers
		"the", "any", "all", "each", "every", "some", "such", "both", "few",
		"more", "most", "much", "many", "other", "another", "own", "same",
		"this", "that", "these", "those", "what", "which", "who", "whom",
		"whose", "whatever", "nor", "not", "only", "than", "too", "very",
		"one", "ones", "none", "nothing", "something", "anything",
		"everything", "someone", "anyone", "everyone", "nobody",
		// pronouns
		"you", "your", "yours", "yourself", "yourselves", "him", "his",
		"himself", "her", "hers", "herself", "its", "itself", "they", "them",
		"their", "theirs", "themselves", "our", "ours", "ourselves",
		"myself", "mine", "yall", "y'all",
		// auxiliaries and common verbs without topic
		"are", "was", "were", "been", "being", "have", "has", "had", "having",
		"does", "did", "doing", "done", "will", "would", "shall", "should",
		"can", "could", "may", "might", "must", "get", "gets", "getting",
		"got", "gotten", "make", "makes", "made", "let", "lets", "say",
		"says", "said", "know", "think", "want", "wants", "going", "gonna",
		"wanna", "gotta", "see", "take", "come", "give", "tell", "told",
		"put", "keep", "seems", "seem",
		// contractions without apostrophe
		"cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt",
		"werent", "wont", "wouldnt", "couldnt", "shouldnt", "havent",
		"hasnt", "hadnt", "aint", "ive", "youre", "youve", "youll", "youd",
		"theyre", "theyve", "thats", "whats", "theres", "heres",
		"hes", "shes", "itll",
		// prepositions and conjunctions
		"about", "above", "across", "after", "against", "along", "among",
		"around", "because", "before", "behind", "below", "beneath",
		"beside", "between", "beyond", "but", "despite", "during", "for",
		"from", "into", "near", "off", "onto", "out", "over", "per",
		"since", "through", "throughout", "till", "toward", "towards",
		"under", "until", "upon", "via", "with", "within", "without", "and",
		"yet", "either", "neither", "though", "although", "while", "whether",
		"unless", "whereas", "then", "there", "here", "where", "when", "why",
		"how", "also", "else", "instead",
		// adverbs and fillers of complaint posts
		"just", "still", "please", "pls", "plz", "thanks", "thank", "thx",
		"really", "even", "ever", "never", "again", "already", "now", "today",
		"yesterday", "tomorrow", "always", "literally", "actually",
		"seriously", "basically", "totally", "honestly", "maybe", "well",
		"way", "like", "lol", "lmao", "omg", "wtf", "smh", "hey", "hello",
		"yes", "yeah", "nope", "okay", "guys", "amp", "quot", "com", "etc",
		"able", "anyway":
		return true
	}
	return false
}
