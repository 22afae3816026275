package classify

import "strings"

// The lexicons describe intents (seeking value, asking, reporting a problem,
// praising, suggesting) in words any industry uses. Brand and product names stay out
// of them on purpose: the model must carry over to brands it was not trained on.

// abbreviations maps social-media spellings to standard tokens.
var abbreviations = map[string][]string{
	"u": {"you"}, "ya": {"you"}, "yu": {"you"}, "youu": {"you"}, "ur": {"your"}, "yr": {"your"}, "yur": {"your"},
	"urs": {"yours"}, "yall": {"you", "all"}, "y'all": {"you", "all"}, "r": {"are"}, "y": {"why"},
	"pls": {"please"}, "plz": {"please"}, "plse": {"please"}, "pleasee": {"please"}, "pleeze": {"please"}, "pleez": {"please"}, "plss": {"please"}, "plis": {"please"},
	"thx": {"thanks"}, "thnx": {"thanks"}, "thanx": {"thanks"}, "thks": {"thanks"}, "tx": {"thanks"}, "tnx": {"thanks"},
	"ty": {"thanks"}, "tysm": {"thanks"}, "thnks": {"thanks"}, "thankss": {"thanks"}, "thank-you": {"thank", "you"}, "thankyou": {"thank", "you"},
	"cust": {"customer"}, "svc": {"service"}, "srvc": {"service"}, "serv": {"service"}, "custserv": {"customer", "service"},
	"custsvc": {"customer", "service"}, "cs": {"customer", "service"}, "csr": {"agent"}, "rep": {"agent"}, "reps": {"agents"},
	"representative": {"agent"}, "representatives": {"agents"},
	"acct": {"account"}, "acc": {"account"}, "pkg": {"package"}, "pkgs": {"packages"}, "appt": {"appointment"},
	"msg": {"message"}, "msgs": {"messages"}, "dms": {"dm"}, "dm'd": {"dm"}, "dmed": {"dm"}, "dm'ed": {"dm"},
	"b4": {"before"}, "2day": {"today"}, "2nite": {"tonight"}, "tonite": {"tonight"}, "2morrow": {"tomorrow"},
	"tmrw": {"tomorrow"}, "tmr": {"tomorrow"}, "tmrow": {"tomorrow"}, "tomorow": {"tomorrow"}, "tommorow": {"tomorrow"}, "tommorrow": {"tomorrow"},
	"bc": {"because"}, "cuz": {"because"}, "coz": {"because"}, "cos": {"because"}, "bcuz": {"because"}, "bcoz": {"because"}, "becuz": {"because"},
	"rn": {"right", "now"}, "atm": {"right", "now"}, "hrs": {"hours"}, "hr": {"hour"}, "hrz": {"hours"}, "h": {"hours"},
	"mins": {"minutes"}, "min": {"minutes"}, "minute": {"minutes"}, "hour": {"hours"}, "secs": {"seconds"}, "wks": {"weeks"}, "wk": {"week"},
	"yrs": {"years"}, "mos": {"months"}, "mo": {"month"}, "days": {"days"}, "day": {"days"}, "week": {"weeks"}, "month": {"months"},
	"gonna": {"going", "to"}, "wanna": {"want", "to"}, "gotta": {"got", "to"}, "lemme": {"let", "me"}, "gimme": {"give", "me"},
	"dont": {"do", "not"}, "doesnt": {"does", "not"}, "didnt": {"did", "not"}, "cant": {"can", "not"}, "cannot": {"can", "not"},
	"wont": {"will", "not"}, "isnt": {"is", "not"}, "arent": {"are", "not"}, "wasnt": {"was", "not"}, "werent": {"were", "not"},
	"havent": {"have", "not"}, "hasnt": {"has", "not"}, "hadnt": {"had", "not"}, "couldnt": {"could", "not"},
	"wouldnt": {"would", "not"}, "shouldnt": {"should", "not"}, "aint": {"is", "not"}, "n't": {"not"}, "nt": {"not"},
	"im": {"i", "am"}, "i'm": {"i", "am"}, "i'd": {"i", "would"}, "you'd": {"you", "would"}, "we'd": {"we", "would"},
	"they'd": {"they", "would"}, "it'd": {"it", "would"}, "that'd": {"that", "would"}, "id've": {"i", "would", "have"},
	"you've": {"you", "have"}, "we've": {"we", "have"}, "they've": {"they", "have"}, "could've": {"could", "have"},
	"would've": {"would", "have"}, "should've": {"should", "have"}, "youve": {"you", "have"}, "theyre": {"they", "are"},
	"youre": {"you", "are"}, "thats": {"that", "is"}, "whats": {"what", "is"}, "theres": {"there", "is"}, "ive": {"i", "have"}, "i've": {"i", "have"}, "'m": {"am"}, "'re": {"are"}, "'ll": {"will"},
	"'ve": {"have"}, "'d": {"would"}, "'s": {}, "s": {}, "ca": {"can"}, "wo": {"will"}, "sha": {"shall"},
	"ppl": {"people"}, "pple": {"people"}, "luv": {"love"}, "lov": {"love"}, "luvv": {"love"}, "gr8": {"great"}, "grt": {"great"},
	"wat": {"what"}, "wut": {"what"}, "wht": {"what"}, "hw": {"how"}, "wen": {"when"}, "whn": {"when"}, "whr": {"where"}, "wher": {"where"},
	"abt": {"about"}, "bout": {"about"}, "nvr": {"never"}, "evr": {"ever"}, "agn": {"again"}, "k": {"ok"}, "kk": {"ok"}, "okay": {"ok"}, "okey": {"ok"},
	"ph": {"phone"}, "txt": {"text"}, "bday": {"birthday"}, "fav": {"favorite"}, "fave": {"favorite"}, "favs": {"favorite"},
	"favourite": {"favorite"}, "favorites": {"favorite"}, "favourites": {"favorite"}, "colour": {"color"},
	"canceled": {"cancelled"}, "cancled": {"cancelled"}, "canceld": {"cancelled"}, "cancelation": {"cancellation"}, "canceling": {"cancelling"},
	"recieve": {"receive"}, "recieved": {"received"}, "definately": {"definitely"}, "untill": {"until"}, "wierd": {"weird"},
	"seperate": {"separate"}, "beleive": {"believe"}, "thier": {"their"}, "adress": {"address"}, "garentee": {"guarantee"},
	"refundd": {"refund"}, "refound": {"refund"}, "refunds": {"refund"}, "reimbursment": {"reimbursement"},
	"pts": {"points"}, "pt": {"points"}, "promos": {"promo"}, "promo-code": {"promo", "code"}, "promocode": {"promo", "code"}, "promocodes": {"promo", "code"},
	"discountcode": {"discount", "code"}, "coupons": {"coupon"}, "vouchers": {"voucher"}, "giveaways": {"giveaway"}, "give-away": {"giveaway"},
	"freebies": {"freebie"}, "bogo": {"buy", "one", "get", "one"}, "deals": {"deal"}, "discounts": {"discount"}, "offers": {"offer"},
	"info": {"information"}, "pic": {"picture"}, "pics": {"picture"}, "vid": {"video"}, "app's": {"app"},
	"wifi": {"wifi"}, "wi-fi": {"wifi"}, "internet": {"internet"}, "sooo": {"so"}, "soo": {"so"}, "sooooo": {"so"},
	"thanks!": {"thanks"}, "lmk": {"let", "me", "know"}, "idk": {"i", "do", "not", "know"}, "dunno": {"do", "not", "know"},
	"btw": {"by", "the", "way"}, "imo": {"in", "my", "opinion"}, "imho": {"in", "my", "opinion"}, "tbh": {"to", "be", "honest"},
	"asap": {"asap"}, "aye": {"yes"}, "yep": {"yes"}, "yup": {"yes"}, "yeah": {"yes"}, "ya'll": {"you", "all"}, "nope": {"no"}, "nah": {"no"},
	"ppls": {"people"}, "srsly": {"seriously"}, "omfg": {"omg"}, "wtff": {"wtf"}, "smfh": {"smh"}, "f***": {"fuck"}, "f**k": {"fuck"},
	"cust.": {"customer"}, "svc.": {"service"}, "amt": {"amount"}, "qty": {"quantity"}, "approx": {"about"},
	"tho": {"though"}, "thru": {"through"}, "ofc": {"of", "course"}, "w": {"with"}, "wo/": {"without"}, "nxt": {"next"}, "b": {"be"}, "c": {"see"}, "n": {"and"}, "da": {"the"}, "teh": {"the"}, "de": {"de"},
}

// hashtagCompounds splits common all-lower-case hashtags.
var hashtagCompounds = map[string][]string{
	"customerservice": {"customer", "service"}, "customerservicefail": {"customer", "service", "fail"},
	"servicefail": {"service", "fail"}, "epicfail": {"epic", "fail"}, "fail": {"fail"}, "nothappy": {"not", "happy"},
	"neveragain": {"never", "again"}, "badservice": {"bad", "service"}, "worstservice": {"worst", "service"},
	"giveaway": {"giveaway"}, "contest": {"contest"}, "win": {"win"}, "freebie": {"freebie"}, "sale": {"sale"},
	"blackfriday": {"black", "friday"}, "cybermonday": {"cyber", "monday"}, "promocode": {"promo", "code"},
	"discountcode": {"discount", "code"}, "couponcode": {"coupon", "code"}, "dealoftheday": {"deal", "of", "the", "day"},
	"flashsale": {"flash", "sale"}, "freeshipping": {"free", "shipping"}, "competition": {"competition"},
	"loveit": {"love", "it"}, "loveyou": {"love", "you"}, "bestever": {"best", "ever"}, "happycustomer": {"happy", "customer"},
	"thankyou": {"thank", "you"}, "thanks": {"thanks"}, "delayed": {"delayed"}, "cancelled": {"cancelled"},
	"lostluggage": {"lost", "luggage"}, "lostbag": {"lost", "bag"}, "stillwaiting": {"still", "waiting"},
	"onhold": {"on", "hold"}, "unacceptable": {"unacceptable"}, "disappointed": {"disappointed"}, "help": {"help"},
	"newproduct": {"new", "product"}, "launch": {"launch"}, "news": {"news"}, "question": {"question"},
	"fanboy": {"fan"}, "fangirl": {"fan"}, "brandlove": {"brand", "love"}, "spam": {"spam"}, "followback": {"follow", "back"},
	"teamfollowback": {"follow", "back"}, "f4f": {"follow", "back"}, "l4l": {"follow", "back"}, "ad": {"ad"}, "sponsored": {"sponsored"},
}

// Cue identifiers. A post fires a cue feature "c:NAME" for each that applies.
const (
	cValue = iota
	cFree
	cWin
	cPoints
	cPrice
	cCode
	cQWord
	cAuxQ
	cQMark
	cInfoTopic
	cOwnObj
	cFail
	cPersist
	cWait
	cHelp
	cContact
	cComp
	cPraise
	cThanks
	cSuggest
	cEvent
	cNegEmo
	cSarcasm
	cNegator
	cBroadcast
	cSpam
	cNews
	cFirstPerson
	cSecondPerson
	cOrderNoun
	cProblem
	cOwnQuestion
	cGenQuestion
	cValueQ
	cThanksHelp
	cExcite
	cOpinion
	cCommerce
	cProductNoun
	cNoEngage
	cSwear
	cBoring
	cLaugh
	cDesire
	cStat
	cSchedule
	numCues
)

var cueNames = [numCues]string{
	"value", "free", "win", "points", "price", "code", "qword", "auxq", "qmark", "infotopic",
	"ownobj", "fail", "persist", "wait", "help", "contact", "comp", "praise", "thanks", "suggest",
	"event", "negemo", "sarcasm", "negator", "broadcast", "spam", "news", "firstperson", "secondperson",
	"ordernoun", "problem", "ownquestion", "genquestion", "valueq", "thankshelp", "excite", "opinion",
	"commerce", "productnoun", "noengage", "swear", "boring", "laugh", "desire", "stat", "schedule",
}

func words(cue int, list string, m map[string]uint64) {
	for _, w := range strings.Fields(list) {
		m[w] |= 1 << uint(cue)
	}
}

// wordCues maps a normalised token to the cues it fires on its own.
var wordCues = func() map[string]uint64 {
	m := map[string]uint64{}
	words(cValue, "swag goodies gift gifts giftcard bundle trial markdowns deals bargains reduced discounted deal discount sale offer coupon voucher bargain clearance cheap cheaper cheapest savings save saving "+
		"bogo cashback rebate markdown steal half-off off promo promotion promotional specials special doorbuster", m)
	words(cFree, "free freebie freebies complimentary", m)
	words(cWin, "sweepstake giveaway's raffles enter-to-win win winner winners won winning giveaway contest sweepstakes prize prizes raffle enter entered entering "+
		"competition chance draw lucky", m)
	words(cPoints, "points miles rewards reward loyalty member membership status tier cashback bonus perks perk "+
		"redeem redeemed redeeming redemption earn earned earning stamps stamp card-holder elite", m)
	words(cPrice, "price prices priced pricing fare fares cost costs dollars bucks cheap cheaper expensive affordable "+
		"budget MONEY rate rates", m)
	words(cCode, "code codes coupon promo voucher referral", m)
	words(cQWord, "how when where what which who why whats whens wheres hows whos", m)
	words(cInfoTopic, "when's where's price-list timetable itinerary hours? allowance eligible eligibility requirement procedure process instructions available availability launch launching launched launches release released releasing "+
		"open opening opens hours schedule schedules policy policies size limit allowed allow require required "+
		"requirements new update updates updated version feature features announce announced announcing announcement "+
		"coming support supports compatible compatibility stock restock ship shipping deliver delivery located "+
		"location locations store stores menu ingredients specs spec details information route routes plan plans "+
		"options option carry accept accepts offer offering offerings bring brings change changes changing upgrade "+
		"rollout rolling preorder pre-order available? anywhere nearest nearby", m)
	words(cFail, "misrouted overdue mishandled faulty defective cracked shattered torn bent leak leaking rejected voided duplicated unauthorized fraudulent diverted grounded missed malfunction malfunctioning unavailable unreachable stopped failing inaccurate mistake mistakes messed screwed botched lied lying ruined waiting cancelled delayed delay delays lost losing lose broken broke breaks crashed crashes crashing crash "+
		"overcharged charged double-charged declined missing stuck late damaged wrong failed fails fail failing "+
		"locked outage outages error errors glitch glitches bug bugs buggy freezing frozen freezes froze "+
		"disconnected disconnecting dropped dropping dead slow leaking leaked spoiled stale expired rude ignored "+
		"ignoring refused refuse denied overbooked bumped stranded misplaced stolen hacked scam scammed cheated "+
		"ripped billing incorrect unresponsive unusable lag lagging laggy kicked banned suspended "+
		"cancel cancelling cancellation", m)
	words(cPersist, "still again never yet already anymore keeps kept continue continues constantly every always "+
		"repeatedly third second fourth multiple times", m)
	words(cWait, "waiting waited hold queue hours days weeks months minutes forever", m)
	words(cHelp, "advise advice guidance assist helpful help helping assist assistance fix fixed resolve resolved sort sorted solve solved support "+
		"escalate troubleshoot", m)
	words(cContact, "callback reach reached reaching hotline chatbot bot inbox dm message reply respond response answer call called calling phone email emailed contact "+
		"agent agents someone anyone chat chatted callback", m)
	words(cComp, "refund refunded refunding reimburse reimbursed reimbursement compensation compensate "+
		"compensated credit credited chargeback replacement replace exchange", m)
	words(cPraise, "lifesaver hero heroes thrilled stellar flawless seamless painless effortless exceptional spectacular marvelous rad dope fab gem classy obsessed addicted beautifully wonderfully fabulous terrific splendid magnificent excellence blessed champion champs mvp underrated goat love loved loving loves awesome amazing great best fantastic excellent favorite fan fans proud "+
		"cool brilliant beautiful gorgeous incredible perfect adore wonderful outstanding superb delicious "+
		"stunning epic legend legendary genius impressive impressed kudos rock rocks rocked wow yay nice "+
		"happy glad enjoy enjoyed enjoying fun lovely sweet slick smooth", m)
	words(cThanks, "thanks thank thankful grateful appreciate appreciated cheers", m)
	words(cSuggest, "suggestion suggest suggestions idea ideas wish consider", m)
	words(cEvent, "expo convention summit meetups hackathon workshop launchparty afterparty party meetup event events booth panel session keynote conference festival concert show "+
		"tonight today weekend launch-party popup pop-up lounge stage demo tour join joining attending attend "+
		"going line queue crowd", m)
	words(cNegEmo, "livid fuming outraged disgrace shambles farce clowns ripoff rip-off robbery criminal inexcusable infuriating exhausted stressed miserable hellish unprofessional clueless liars mess chaos sucky unhappy upset mad pissed gutted devastated heartbroken fuming joke dreadful abysmal worst terrible horrible awful ridiculous unacceptable disappointed disappointing disappointment "+
		"frustrated frustrating frustration angry furious pathetic useless joke sucks suck sucked shame "+
		"disgusting disgusted fail fed annoyed annoying absurd incompetent incompetence shameful appalling "+
		"nightmare hate hated hates worse bad poor garbage trash rubbish lousy horrendous atrocious insane "+
		"wtf smh ugh seriously unbelievable unreal embarrassing EMONEG", m)
	words(cNegator, "not no never nothing nobody none neither nor without hardly", m)
	words(cBroadcast, "shop buy order now today only hurry limited link bio visit click tap swipe available "+
		"introducing presenting", m)
	words(cSpam, "follow followers retweet rt spam bot bots subscribe likes dm-me crypto bitcoin forex earn "+
		"nsfw xxx onlyfans casino betting", m)
	words(cNews, "announces announced report reports reportedly according via launches unveils unveiled acquires "+
		"acquisition ceo stock shares earnings revenue partnership partners lawsuit article interview "+
		"headline breaking blog post", m)
	words(cFirstPerson, "i my me mine we our us myself", m)
	words(cSecondPerson, "you your yours", m)
	words(cOrderNoun, "order orders package packages parcel delivery shipment bag bags luggage suitcase flight "+
		"flights booking reservation ticket tickets seat account card bill invoice payment charge statement "+
		"subscription plan refund claim phone device laptop router modem connection internet wifi service "+
		"signal line meal food pizza drink coffee item items purchase product game console save app password "+
		"login transfer deposit loan mortgage policy appointment car rental room stay trip return", m)
	words(cExcite, "excited exciting can't-wait cannot-wait stoked pumped thrilled hyped hype finally", m)
	words(cOpinion, "think thinks thought opinion believe feel feels looks seems seem design gorgeous ugly "+
		"overrated underrated better prefer honestly really", m)
	words(cCommerce, "buy bought buying purchase purchased shop shopping order ordered checkout cart", m)
	words(cProductNoun, "product products app phone laptop device tablet console game gadget model version "+
		"collection line range flavour flavor menu", m)
	words(cLaugh, "lol lols lmao lmfao rofl haha hahaha hahahaha hehe heh jk", m)
	words(cDesire, "want wants wanted wish wishing crave craving jealous envy covet dying", m)
	words(cStat, "million millions billion billions thousand percent users downloads customers subscribers "+
		"survey study data stats statistics average record", m)
	words(cSchedule, "starts starting begins beginning tomorrow tonight monday tuesday wednesday thursday friday "+
		"saturday sunday am pm noon midnight room hall schedule agenda livestream live streaming", m)
	words(cSwear, "fuck fucking shit shitty crap crappy damn bullshit ass hell wtf", m)
	return m
}()

// commonWords are ordinary words that squash() should recognise (so "goooood" ->
// "good" and "sooo" -> "so").
var commonWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields("so good too cool all yes no see soon feel sweet need week been keep sleep " +
		"look book booked looking took food mood moon noon off well will all tell sell call still full kill bill " +
		"hello happy sorry really omg lol haha hahaha ok oh ah yay hey wow ugh") {
		m[w] = struct{}{}
	}
	return m
}()

// sentimentLex scores words for the sentiment output, from -3 to 3.
var sentimentLex = func() map[string]float64 {
	m := map[string]float64{}
	add := func(v float64, list string) {
		for _, w := range strings.Fields(list) {
			m[w] = v
		}
	}
	add(3, "love loved loving adore awesome amazing fantastic excellent outstanding superb perfect incredible "+
		"brilliant best wonderful phenomenal EMOPOS")
	add(2, "great good nice cool happy glad enjoy enjoyed beautiful gorgeous lovely thanks thank grateful "+
		"appreciate appreciated fun favorite kudos impressive impressed delicious excited yay wow win won recommend "+
		"helpful friendly smooth easy fast quick sweet proud fan legend stoked thrilled")
	add(1, "ok fine decent like likes liked better free fixed resolved sorted solved hope interesting "+
		"worth cheap save deal")
	add(-1, "delay delayed late slow wait waiting waited hold problem issue issues error bug wrong missing "+
		"confused confusing expensive lost stuck hard difficult sad sorry meh bored")
	add(-2, "bad poor cancelled broken broke crashed crash fail failed fails failing annoyed annoying "+
		"frustrated frustrating disappointed disappointing rude ignored useless worse hate hated sucks suck "+
		"ugh smh overcharged charged damaged refused stranded unhappy upset angry EMONEG never")
	add(-3, "worst terrible horrible awful disgusting pathetic unacceptable ridiculous furious nightmare "+
		"scam scammed garbage trash appalling atrocious horrendous fuck fucking shit shitty crap incompetent")
	return m
}()
