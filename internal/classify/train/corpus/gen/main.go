// Command gen writes the template-generated part of the training corpus
// (corpus/gen-templates.jsonl): brand mentions expanded from a small grammar of
// intents across many industries, with social-media noise (handles, hashtags,
// links, emoji, abbreviations, casing, elongation) applied at random. The output
// is deterministic for a seed.
//
//	go run ./internal/classify/train/corpus/gen -out internal/classify/train/corpus/gen-templates.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"unicode"
)

type industry struct {
	name     string
	brands   []string
	obj      []string // things a customer owns or has booked: "order", "flight"
	fail     []string // what goes wrong with them: "is late", "got cancelled"
	product  []string // offerings in general
	feature  []string // features to ask about or suggest
	topic    []string // policies and facts to ask about
	verb     []string // what the brand does: "ship", "fly"
	reward   []string // loyalty currency
	staff    []string
	category string // "airline", "bank"
}

var industries = []industry{
	{name: "airline", brands: []string{"SkyJet", "AeroNova", "BlueHeron Air", "Polaris Airways", "FlyMonarch", "Cirrus Air"},
		obj:     []string{"flight", "bag", "luggage", "booking", "connection", "seat", "suitcase", "reservation", "upgrade", "boarding pass"},
		fail:    []string{"got cancelled", "is delayed again", "was lost", "never showed up", "got overbooked", "is delayed {n} hours", "was damaged", "got moved without notice", "went to the wrong city", "is stuck on the tarmac"},
		product: []string{"new routes", "premium economy", "the lounge", "the app", "in-flight wifi", "the new cabins", "red-eye flights", "nonstop service"},
		feature: []string{"wifi on every flight", "more legroom", "power outlets", "free snacks", "a better app", "seat selection", "vegan meals"},
		topic:   []string{"carry-on size limit", "pet policy", "baggage allowance", "check-in time", "change fee", "liquids rule", "infant policy"},
		verb:    []string{"fly to", "have flights to", "go to", "serve"}, reward: []string{"miles", "points", "status", "elite miles"},
		staff: []string{"gate agent", "flight attendant", "crew", "pilot", "agent"}, category: "airline"},
	{name: "bank", brands: []string{"Kestrel Bank", "Meridian Credit", "TrustLine", "Harbor Savings", "NovaPay", "Granite Bank"},
		obj:     []string{"card", "account", "transfer", "payment", "deposit", "loan application", "mortgage", "debit card", "direct deposit", "online banking"},
		fail:    []string{"got declined", "was frozen", "is locked", "never went through", "was charged twice", "is pending for {n} days", "got blocked for no reason", "shows the wrong balance", "disappeared", "bounced"},
		product: []string{"the new savings account", "the mobile app", "contactless cards", "the credit card", "online banking", "the new branch"},
		feature: []string{"apple pay support", "instant transfers", "a dark mode", "spending alerts", "joint accounts in the app", "paper statements"},
		topic:   []string{"overdraft fee", "wire transfer limit", "interest rate", "branch hours", "minimum balance", "foreign transaction fee", "atm fee"},
		verb:    []string{"have branches in", "operate in", "offer accounts in"}, reward: []string{"cashback", "points", "rewards"},
		staff: []string{"teller", "banker", "agent", "branch manager", "advisor"}, category: "bank"},
	{name: "telecom", brands: []string{"Vexa Mobile", "SignalOne", "Lumen Wireless", "ClearWave", "Orbit Telecom", "FiberNet"},
		obj:     []string{"internet", "phone", "bill", "service", "connection", "router", "data", "line", "plan", "wifi", "signal"},
		fail:    []string{"is down again", "has been out for {n} hours", "keeps dropping", "is so slow", "went up with no warning", "stopped working", "has no signal", "got cut off", "is charging me twice", "drops every night"},
		product: []string{"5G", "fiber", "the unlimited plan", "the family plan", "the new router", "international roaming", "eSIM"},
		feature: []string{"wifi calling", "rollover data", "cheaper roaming", "a faster upload speed", "eSIM support", "5G in rural areas"},
		topic:   []string{"contract length", "early termination fee", "coverage map", "data cap", "installation fee", "roaming charges"},
		verb:    []string{"cover", "have coverage in", "offer fiber in", "service"}, reward: []string{"loyalty points", "rewards", "credits"},
		staff: []string{"technician", "agent", "rep", "installer", "store staff"}, category: "phone company"},
	{name: "grocery", brands: []string{"FreshCart", "GreenBasket", "Maple Market", "DailyFare Foods", "Harvest Grocers", "ShopRight"},
		obj:     []string{"order", "delivery", "groceries", "click and collect order", "online order", "receipt", "substitutions", "shopping"},
		fail:    []string{"arrived with half the items missing", "was {n} hours late", "came with crushed eggs", "never arrived", "had expired milk", "got cancelled last minute", "was delivered to the wrong house", "was full of substitutions"},
		product: []string{"the bakery", "the new own brand range", "home delivery", "the app", "the deli", "organic produce", "the meal deals"},
		feature: []string{"more vegan options", "self checkout", "longer opening hours", "plastic free packaging", "gluten free bread", "a better app"},
		topic:   []string{"store hours", "delivery slots", "return policy", "opening times on holidays", "minimum order", "delivery fee"},
		verb:    []string{"deliver to", "have a store in", "open in"}, reward: []string{"points", "clubcard points", "rewards", "stamps"},
		staff: []string{"cashier", "driver", "store manager", "staff member", "delivery driver"}, category: "supermarket"},
	{name: "food", brands: []string{"BurgerBarn", "Tacoloco", "BeanHouse Coffee", "PizzaPlanet", "QuickBite", "Noodle Bar Co"},
		obj:     []string{"order", "food", "delivery", "coffee", "pizza", "meal", "drink", "sandwich", "app order"},
		fail:    []string{"was cold", "took {n} minutes", "was missing the fries", "never came", "was wrong again", "was undercooked", "got cancelled", "had a hair in it"},
		product: []string{"the new menu", "the breakfast menu", "the seasonal drinks", "the new burger", "the app", "the loyalty app", "the plant based range"},
		feature: []string{"a vegan burger", "oat milk", "the old recipe back", "late night hours", "more spicy options", "a kids menu"},
		topic:   []string{"allergen info", "opening hours", "calorie counts", "gluten free options", "drive thru hours"},
		verb:    []string{"deliver to", "have a location in", "open in"}, reward: []string{"points", "stars", "rewards", "stamps"},
		staff: []string{"barista", "cashier", "manager", "driver", "server"}, category: "restaurant"},
	{name: "retail", brands: []string{"Threadly", "UrbanNest", "ShopSphere", "Northpeak Outfitters", "Bloom Beauty", "GadgetHub"},
		obj:     []string{"order", "package", "parcel", "return", "refund", "delivery", "purchase", "item", "exchange"},
		fail:    []string{"still hasn't arrived", "arrived damaged", "was the wrong size", "is stuck in transit", "got lost", "was never processed", "is {n} weeks late", "arrived opened"},
		product: []string{"the new collection", "the spring line", "the sale section", "the app", "next day delivery", "the new store"},
		feature: []string{"more sizes", "free returns", "a size guide", "plus sizes", "a wishlist", "more colors"},
		topic:   []string{"return policy", "shipping times", "international shipping", "size guide", "store hours", "exchange policy"},
		verb:    []string{"ship to", "deliver to", "have a store in"}, reward: []string{"points", "rewards", "store credit"},
		staff: []string{"sales assistant", "store staff", "agent", "courier", "manager"}, category: "store"},
	{name: "games", brands: []string{"PixelForge Games", "Nimbus Play", "QuestHaven", "Arclight Studios", "GameOrbit", "Stormlane"},
		obj:     []string{"account", "game", "save file", "purchase", "console", "controller", "subscription", "download", "skins"},
		fail:    []string{"got banned for no reason", "keeps crashing", "got wiped", "won't load", "disappeared", "got charged twice", "is stuck at {n} percent", "keeps disconnecting"},
		product: []string{"the new season", "the update", "the DLC", "the new map", "ranked mode", "the battle pass", "the sequel"},
		feature: []string{"crossplay", "a replay mode", "better matchmaking", "offline mode", "controller support", "more servers"},
		topic:   []string{"release date", "system requirements", "patch notes", "server maintenance", "refund policy"},
		verb:    []string{"release in", "have servers in", "launch in"}, reward: []string{"coins", "points", "rewards", "gems"},
		staff: []string{"moderator", "support agent", "dev", "admin"}, category: "game studio"},
	{name: "streaming", brands: []string{"StreamBox", "Flixly", "TuneWave", "Cinemo", "PlayList+", "Vidora"},
		obj:     []string{"subscription", "account", "payment", "app", "stream", "playlist", "downloads", "profile"},
		fail:    []string{"keeps buffering", "got cancelled", "charged me twice", "logged me out", "won't play anything", "lost all my playlists", "keeps crashing"},
		product: []string{"the new series", "the family plan", "the ad tier", "the new season", "the app", "4K streaming"},
		feature: []string{"a shuffle that works", "offline downloads", "more 4K content", "a watch party mode", "subtitles in more languages"},
		topic:   []string{"plan prices", "number of screens", "release schedule", "download limit", "supported devices"},
		verb:    []string{"stream in", "launch in", "work in"}, reward: []string{"credits", "points", "rewards"},
		staff: []string{"agent", "support team", "rep"}, category: "streaming service"},
	{name: "hotel", brands: []string{"StayWell Hotels", "Lakeside Inns", "Urban Suites", "Coral Resorts", "Nightfall Hotels"},
		obj:     []string{"room", "booking", "reservation", "stay", "deposit", "points", "room key"},
		fail:    []string{"was filthy", "got cancelled", "was given away", "had no hot water", "was charged twice", "had bed bugs", "was nothing like the photos"},
		product: []string{"the new resort", "the spa", "the rooftop bar", "the rewards program", "the suites"},
		feature: []string{"late checkout", "a gym", "free breakfast", "ev chargers", "a quiet floor"},
		topic:   []string{"check-in time", "pet policy", "parking fee", "cancellation policy", "resort fee"},
		verb:    []string{"have a hotel in", "open in", "have properties in"}, reward: []string{"points", "nights", "rewards", "status"},
		staff: []string{"front desk", "receptionist", "manager", "concierge", "housekeeping"}, category: "hotel"},
	{name: "utilities", brands: []string{"BrightPower", "AquaCity Water", "Emberline Gas", "VoltGrid", "SunCoast Energy"},
		obj:     []string{"bill", "power", "meter", "gas", "water", "account", "payment", "smart meter"},
		fail:    []string{"doubled this month", "has been out for {n} hours", "is wrong again", "was cut off", "never got credited", "keeps failing", "is estimated again"},
		product: []string{"the green tariff", "solar plans", "the smart meter", "the app", "fixed rate plans"},
		feature: []string{"text alerts for outages", "a usage graph", "paperless billing", "an outage map"},
		topic:   []string{"outage map", "rates", "tariff change", "meter reading dates", "payment options"},
		verb:    []string{"supply", "cover", "serve"}, reward: []string{"credits", "rewards", "rebates"},
		staff: []string{"engineer", "agent", "technician", "meter reader"}, category: "energy company"},
	{name: "tech", brands: []string{"Zentro", "Lumina", "Corex", "ByteWorks", "Novatek", "Orbitly"},
		obj:     []string{"laptop", "phone", "tablet", "account", "repair", "order", "headphones", "warranty claim", "screen", "battery"},
		fail:    []string{"died after {n} months", "won't turn on", "keeps overheating", "has a cracked screen", "won't update", "got lost in the repair center", "keeps freezing", "drains in {n} hours"},
		product: []string{"the new phone", "the new tablet", "the smartwatch", "the update", "the new laptop", "the cloud service", "the new operating system"},
		feature: []string{"a headphone jack", "longer battery life", "a smaller model", "dark mode", "usb-c", "better cameras"},
		topic:   []string{"release date", "price", "specs", "battery life", "warranty terms", "trade in value"},
		verb:    []string{"ship to", "sell in", "launch in"}, reward: []string{"credits", "points", "rewards"},
		staff: []string{"genius", "technician", "support agent", "store staff"}, category: "tech company"},
	{name: "auto", brands: []string{"Ridely", "Motiva Cars", "ZipRide", "DriveNow Rentals", "Torque Motors"},
		obj:     []string{"car", "ride", "rental", "driver", "trip", "lease", "service appointment", "pickup"},
		fail:    []string{"never showed up", "was {n} minutes late", "broke down", "was filthy", "got cancelled", "charged me a fake fee", "was rude", "took a longer route"},
		product: []string{"the new model", "the electric lineup", "the app", "ride pass", "the new SUV"},
		feature: []string{"more EVs", "child seats", "a quiet mode", "better route tracking"},
		topic:   []string{"age requirement", "fuel policy", "cancellation fee", "insurance coverage", "range"},
		verb:    []string{"operate in", "have rentals in", "work in"}, reward: []string{"points", "credits", "rewards"},
		staff: []string{"driver", "agent", "dealer", "mechanic"}, category: "car company"},
	{name: "insurance", brands: []string{"SafeHarbor Insurance", "Shieldly", "Aegis Mutual", "CoverMe"},
		obj:     []string{"claim", "policy", "premium", "payout", "quote", "renewal"},
		fail:    []string{"was denied", "has been pending for {n} weeks", "went up {n} percent", "was never processed", "got lost"},
		product: []string{"the new app", "pet insurance", "travel cover", "home insurance"},
		feature: []string{"online claims", "monthly payments", "a no claims bonus"},
		topic:   []string{"excess", "coverage", "deductible", "claim process", "cooling off period"},
		verb:    []string{"cover", "insure", "operate in"}, reward: []string{"discounts", "rewards", "cashback"},
		staff: []string{"adjuster", "agent", "rep"}, category: "insurer"},
}

// The grammar: {name} expands to a random alternative of name; industry slots
// are resolved from the post's industry.
var grammar = map[string][]string{
	"n":        {"2", "3", "4", "5", "6", "8", "10", "12", "45", "3", "2"},
	"bign":     {"2", "3", "4", "5", "6", "7", "8", "10", "12"},
	"pct":      {"10%", "15%", "20%", "25%", "30%", "40%", "50%", "70%", "half"},
	"price":    {"$5", "$9.99", "$19", "$49", "$99", "£10", "€15", "$1", "$200"},
	"day":      {"sunday", "saturday", "christmas day", "new year's", "thanksgiving", "the bank holiday", "easter monday", "july 4th"},
	"place":    {"denver", "lisbon", "austin", "glasgow", "toronto", "my town", "the uk", "canada", "mexico", "rural areas", "florida", "brooklyn", "manila", "cape town"},
	"event":    {"the conference", "the festival", "the expo", "the trade show", "the summit", "the game convention", "the music fest", "the meetup", "the launch event", "comic con", "the tech week"},
	"eventtag": {"#techweek", "#expo2024", "#fest", "#summit", "#conf", "#launchday", "#festival", "#convention"},
	"time":     {"today", "this morning", "last night", "yesterday", "this week", "tonight", "for the third time", "again", "twice this month"},
	"since":    {"since monday", "for {n} days", "for {n} weeks", "for {n} hours", "since last week", "for a month", "all weekend"},
	"wait":     {"on hold for {n} hours", "waiting {n} days for a reply", "on hold for {n} minutes", "waiting for {n} weeks", "in a queue for an hour"},
	"excl":     {"!", "!!", "!!!", "", ".", " :)", " 🎉", " 😍", " 🙌"},
	"angry":    {"", " #fail", " ridiculous", " unacceptable.", " smh", " 😡", " so frustrating", " this is a joke", " #neveragain", " terrible service", " ugh", " worst experience ever"},
	"pos":      {"love", "adore", "am obsessed with", "can't get enough of", "really like"},
	"adj":      {"amazing", "awesome", "gorgeous", "so good", "fantastic", "brilliant", "perfect", "the best", "incredible", "beautiful", "sick", "next level", "a game changer"},
	"negop":    {"overrated", "ugly", "boring", "a downgrade", "way too expensive", "confusing", "not for me", "meh", "a step backwards"},
	"please":   {"please", "pls", "plz", "can you", "could you please", "can someone", ""},
	"help":     {"help", "sort this out", "fix this", "look into this", "get back to me", "assist"},
	"dm":       {"dm me", "please dm", "check your dms", "i sent a dm", "dmed you", "reply to my dm", "i dm'd you my details"},
	"thanks":   {"thanks", "thank you", "thx", "ty", "cheers", "much appreciated"},
	"wow":      {"wow", "omg", "yes", "nice", "woohoo", "score", "finally", "yay", "sweet"},
	"emo":      {"", "", "", " 😊", " 🙏", " ❤️", " 👍", " 😂", " 🔥", " :)", " <3", " 😭", " 🙄"},
	"link":     {"{link}", "http://t.co/xyz12", "https://bit.ly/3abc", "{link}"},
	"code":     {"SAVE20", "WELCOME10", "SPRING25", "FREESHIP", "JOIN15", "FALL30", "VIP50", "HELLO5"},
	"comp":     {"a refund", "my money back", "compensation", "a voucher for the trouble", "a credit on my account", "a full refund", "reimbursement"},
	"someone":  {"someone", "anyone", "a real person", "an agent", "a manager", "a human"},
	"friend":   {"my mom", "my friend", "my husband", "my wife", "my kids", "my roommate", "my boss", "my sister"},
}

// template is one intent pattern with its labels.
type template struct {
	motive    string
	complaint bool
	text      string
	addressed float64 // probability the brand handle opens the post
}

var templates = []template{
	// ---------------- discounts ----------------
	{"discounts", false, "any {codeword} for {product}?", 0.7},
	{"discounts", false, "do you have a {codeword} for first time customers?", 0.8},
	{"discounts", false, "is the {pct} off sale still on?", 0.8},
	{"discounts", false, "when is your next sale? waiting to buy {product}", 0.7},
	{"discounts", false, "will there be a black friday deal on {product}?", 0.7},
	{"discounts", false, "does the student discount apply to {product}?", 0.8},
	{"discounts", false, "how many {reward} do i need for a free {rewarditem}?", 0.8},
	{"discounts", false, "can i use my {reward} for {product}?", 0.8},
	{"discounts", false, "do my {reward} expire?", 0.8},
	{"discounts", false, "just got {product} for {price}{excl} love a good deal", 0.3},
	{"discounts", false, "{wow} {pct} off everything at {brand} this weekend{excl} {link}", 0.1},
	{"discounts", false, "{brand} is giving away free {giveitem} {today}{excl}", 0.1},
	{"discounts", false, "win a {prize} from {brand}! rt and follow to enter {link}", 0.1},
	{"discounts", false, "entered the {brand} giveaway, fingers crossed for the {prize}{emo}", 0.2},
	{"discounts", false, "use my referral code {code} and we both get {price} off {brand}", 0.1},
	{"discounts", false, "promo code {code} still works for {pct} off at {brand}{excl}", 0.1},
	{"discounts", false, "free {giveitem} with every order over {price} at {brand} {link}", 0.1},
	{"discounts", false, "{brand} flash sale: {product} down to {price}{excl} {link}", 0.1},
	{"discounts", false, "double {reward} weekend at {brand}, stocking up{emo}", 0.2},
	{"discounts", false, "just redeemed my {reward} for a free {rewarditem}{excl}", 0.4},
	{"discounts", false, "cheapest {product} i've found, {brand} for the win", 0.2},
	{"discounts", false, "stop by the {brand} booth at {event} for a chance to win a {prize} {eventtag}", 0.05},
	{"discounts", false, "free {giveitem} at the {brand} tent at {event}! go go go {eventtag}", 0.05},
	{"discounts", false, "{brand} handing out free {giveitem} at {event} {eventtag}", 0.05},
	{"discounts", false, "i'd love a discount code for my birthday{emo}", 0.8},
	{"discounts", false, "is there a loyalty discount for long time customers?", 0.8},
	{"discounts", false, "do you price match?", 0.9},
	{"discounts", false, "hey {brand} any deals on {product} coming up? broke but want it", 0.3},
	{"discounts", false, "only {price} for {product} at {brand} right now. bargain{excl}", 0.1},
	{"discounts", false, "bought {product} on sale and saved {price}{excl} #deal", 0.2},
	{"discounts", false, "who wants a free {giveitem}? {brand} is doing a contest {link} #giveaway", 0.05},
	{"discounts", false, "can you send me a coupon? i'm a loyal customer{emo}", 0.9},
	{"discounts", false, "the {brand} app has a {pct} off code for new users, just used it", 0.2},
	{"discounts", false, "cashback on {product} at {brand} this week, worth it", 0.1},
	{"discounts", false, "is there a cheaper plan? {product} costs too much for me", 0.8},
	{"discounts", false, "{brand} {reward} are the best, flying free to {place} next month", 0.2},
	{"discounts", false, "i won the {brand} contest!! can't believe it{excl}", 0.3},
	{"discounts", false, "free upgrade to {product} today{excl} thanks {brand}", 0.2},
	{"discounts", false, "give me a {pct} off code and i'll buy {product} today lol", 0.8},
	{"discounts", true, "your prices went up again, any discounts for people who have been with you {n} years?", 0.9},
	{"discounts", false, "happy hour deals at {brand} are unreal{emo}", 0.1},
	{"discounts", false, "retweet to win {price} {brand} gift card #contest", 0.05},
	// ---------------- information ----------------
	{"information", false, "do you {verb} {place}?", 0.9},
	{"information", false, "what is the {topic}?", 0.9},
	{"information", false, "what's your {topic} for {product}?", 0.9},
	{"information", false, "what time do you open on {day}?", 0.9},
	{"information", false, "are you open on {day}?", 0.9},
	{"information", false, "is {product} available in {place} yet?", 0.8},
	{"information", false, "when is {product} coming to {place}?", 0.8},
	{"information", false, "does {product} include {feature}?", 0.8},
	{"information", false, "does {product} support {feature}?", 0.8},
	{"information", false, "where can i find the {topic}?", 0.9},
	{"information", false, "quick question: how does the {topic} work?", 0.9},
	{"information", false, "hi, is there a {topic} for {product}?", 0.9},
	{"information", false, "can anyone tell me the {topic} at {brand}?", 0.3},
	{"information", false, "anyone know if {brand} {verb} {place}?", 0.2},
	{"information", false, "is {product} worth it? thinking of switching to {brand}", 0.4},
	{"information", false, "how long does {product} take to set up?", 0.9},
	{"information", false, "will {product} be back in stock?", 0.9},
	{"information", false, "which plan has {feature}?", 0.9},
	{"information", false, "any news on {product}?", 0.8},
	{"information", false, "{brand} announces {product} for {place} {link}", 0.0},
	{"information", false, "{brand} to launch {product} next month, report says {link}", 0.0},
	{"information", false, "rt @mention: {brand} unveils {product} at {event} {link}", 0.0},
	{"information", false, "{brand} just released {product}. details here {link}", 0.0},
	{"information", false, "breaking: {brand} {newsverb} {link}", 0.0},
	{"information", false, "{brand} opening a pop-up store at {event} {eventtag}", 0.0},
	{"information", false, "{brand} says {product} will be available {when}", 0.0},
	{"information", false, "reading about {brand}'s new {product} plans {link}", 0.0},
	{"information", false, "session on {product} by {brand} starts in {n} minutes, room {n} {eventtag}", 0.0},
	{"information", false, "{brand} ceo talking about {product} at {event} {eventtag}", 0.0},
	{"information", false, "{brand} now {verb} {place}, starting {when} {link}", 0.0},
	{"information", false, "heads up: {brand} is changing its {topic} from {when} {link}", 0.0},
	{"information", false, "interesting read on how {brand} built {product} {link} via @mention", 0.0},
	{"information", false, "{brand} reports {n} million users for {product} {link}", 0.0},
	{"information", false, "new {brand} update adds {feature} to {product} {link}", 0.0},
	{"information", false, "looking for reviews of {brand} {product} before i buy, thoughts?", 0.1},
	{"information", false, "can you recommend a {category} {product} for a beginner?", 0.7},
	{"information", false, "what's the difference between {product} and the regular one?", 0.9},
	{"information", false, "is it true you're discontinuing {product}?", 0.9},
	{"information", false, "how do i sign up for {product}?", 0.9},
	{"information", false, "do you offer {feature}?", 0.9},
	{"information", false, "can i bring my dog to {brand}?", 0.7},
	{"information", false, "ok thanks, i'll check the website for the {topic}", 0.9},
	{"information", false, "got it, so the {topic} is on the website? thanks", 0.9},
	{"information", false, "{brand} {product} goes on sale {when} {link}", 0.0},
	{"information", false, "{brand} confirms {product} release date {link} #news", 0.0},
	// ---------------- community ----------------
	{"community", false, "i {pos} {brand}{excl}", 0.5},
	{"community", false, "{brand} is {adj}{excl}", 0.4},
	{"community", false, "{product} from {brand} is {adj}{emo}", 0.3},
	{"community", false, "you guys are the best {category} ever{excl}", 0.9},
	{"community", false, "been with {brand} for {n} years and still {pos} it{emo}", 0.5},
	{"community", false, "shoutout to {brand} for always being {adj}{excl}", 0.4},
	{"community", false, "big fan of {brand}, never disappoints{emo}", 0.4},
	{"community", false, "loving {product} so far{excl}", 0.5},
	{"community", false, "just tried {product}, honestly {adj}", 0.4},
	{"community", false, "{product} is {negop} imo", 0.3},
	{"community", true, "not a fan of {product}, feels like {negop}", 0.4},
	{"community", true, "the new {product} is {negop}. bring back the old one", 0.7},
	{"community", false, "you should add {feature}{emo}", 0.9},
	{"community", false, "please bring back {feature}!", 0.9},
	{"community", false, "would love to see {feature} in {product}", 0.8},
	{"community", false, "idea: {feature}. you're welcome {brand}", 0.6},
	{"community", false, "{brand} needs {feature}, who's with me?", 0.3},
	{"community", false, "at the {brand} party at {event}, {vibe} {eventtag}", 0.05},
	{"community", false, "great panel by {brand} at {event} today {eventtag}", 0.05},
	{"community", false, "had a blast at the {brand} lounge {eventtag}{emo}", 0.05},
	{"community", false, "who's going to the {brand} meetup at {event}? see you there", 0.05},
	{"community", false, "can't wait for {product}{excl}", 0.3},
	{"community", false, "i want {product} so bad{emo}", 0.2},
	{"community", false, "{brand} vs everyone else: {brand} wins every time", 0.2},
	{"community", false, "the {brand} ad is hilarious lol", 0.3},
	{"community", false, "dear {brand}, never change{emo}", 0.6},
	{"community", false, "{brand} follow me back pls, biggest fan{emo}", 0.8},
	{"community", false, "proud to be a {brand} customer{emo}", 0.4},
	{"community", false, "my {friend} just got {product} and won't stop talking about it lol", 0.1},
	{"community", false, "{brand} just gets it. {adj}", 0.3},
	{"community", false, "happy birthday {brand}! {n} years of {adj}{excl}", 0.5},
	{"community", false, "the {staff} at {brand} today was so nice, made my day{emo}", 0.3},
	{"community", false, "lol {brand} your social media team is {adj}", 0.7},
	{"community", false, "{brand} + {friend} + a rainy sunday = perfect{emo}", 0.1},
	{"community", false, "hey {brand} you up? lol", 0.9},
	{"community", false, "best decision i made was switching to {brand}{excl}", 0.3},
	{"community", false, "love the new logo{emo}", 0.8},
	{"community", false, "{brand} {product} design is {adj}. want one", 0.1},
	{"community", false, "if {brand} made {feature} i would buy it in a heartbeat", 0.2},
	{"community", false, "shout out to the {staff} who sang happy birthday to my kid, {brand} you rock", 0.3},
	{"community", false, "my {product} and i are inseparable{emo}", 0.2},
	{"community", false, "{brand} for life{excl}", 0.3},
	// ---------------- service (complaints) ----------------
	{"service", true, "my {obj} {fail}{angry}", 0.85},
	{"service", true, "my {obj} {fail}. {please} {help}?", 0.9},
	{"service", true, "my {obj} {fail} and nobody is answering{angry}", 0.85},
	{"service", true, "{time} my {obj} {fail}. i want {comp}", 0.9},
	{"service", true, "been {wait} and still no answer about my {obj}{angry}", 0.85},
	{"service", true, "still no {compshort} for my {obj}, {since} now{angry}", 0.9},
	{"service", true, "thanks for {sarcfail} my {obj} {brand}, really great service{emo}", 0.6},
	{"service", true, "great job {brand}, my {obj} {fail} {time}. love it{angry}", 0.5},
	{"service", true, "worst {category} ever. my {obj} {fail} and the {staff} was rude", 0.7},
	{"service", true, "your {staff} was so rude to me {time}{angry}", 0.9},
	{"service", true, "{n}rd time calling about my {obj}. nobody can {help}", 0.9},
	{"service", true, "why does my {obj} keep failing? {since} now{angry}", 0.9},
	{"service", true, "i've been charged twice for my {obj}. {please} refund me", 0.9},
	{"service", true, "your app keeps crashing every time i try to check my {obj}", 0.9},
	{"service", true, "{obj} {fail}. never again {brand}", 0.6},
	{"service", true, "so my {obj} {fail} and now i have to wait {since}? seriously?", 0.9},
	{"service", true, "been a customer for {n} years and this is how you treat me? my {obj} {fail}", 0.9},
	{"service", true, "hello? still waiting on my {obj}{angry}", 0.9},
	{"service", true, "you cancelled my {obj} without telling me. what now?", 0.9},
	{"service", true, "my {obj} {fail} and i missed {missed} because of it", 0.85},
	{"service", true, "i paid for {product} and it {failsimple}. fix it", 0.9},
	{"service", true, "nobody at {brand} can tell me where my {obj} is{angry}", 0.4},
	{"service", true, "ugh {brand} my {obj} {fail} {time}", 0.5},
	{"service", true, "seriously {brand}? {obj} {fail} and no one will help{angry}", 0.5},
	{"service", true, "i've emailed {n} times about my {obj} and got nothing back", 0.9},
	{"service", true, "it's been {bign} days. where is my {obj}?", 0.9},
	{"service", true, "your website says my {obj} is fine but it {failsimple}", 0.9},
	{"service", true, "the {staff} hung up on me. i just want my {obj} fixed", 0.9},
	{"service", true, "stuck at the airport, store, whatever: my {obj} {fail} and there's no {staff} anywhere", 0.6},
	{"service", true, "{sarcopen} another {bign} hours on hold. love it{angry}", 0.8},
	{"service", true, "i want to speak to {someone}. my {obj} {fail}", 0.9},
	{"service", true, "my {obj} {fail}. what are you going to do about it?", 0.9},
	{"service", true, "you charged me a fee for my {obj} that i never agreed to", 0.9},
	{"service", true, "this is the {n}th time my {obj} {fail}. cancelling my account", 0.9},
	{"service", true, "no one told us anything. {obj} {fail} and we're just sitting here", 0.8},
	{"service", true, "why is it so hard to get {compshort} for a {obj} that {failsimple}?", 0.9},
	// ---------------- service (requests, not complaints) ----------------
	{"service", false, "can you help me change my {obj}?", 0.95},
	{"service", false, "how do i update the details on my {obj}?", 0.95},
	{"service", false, "i need to cancel my {obj}, how do i do that?", 0.95},
	{"service", false, "what's the status of my {obj}? order number in dm", 0.95},
	{"service", false, "{dm}, need help with my {obj}", 0.95},
	{"service", false, "{thanks} for {helpverb} my {obj} so quickly{emo}", 0.9},
	{"service", false, "{thanks}, the {staff} sorted my {obj} out{emo}", 0.8},
	{"service", false, "shoutout to the {staff} who fixed my {obj} today, {thanks}!", 0.6},
	{"service", false, "just sent you a dm about my {obj}", 0.95},
	{"service", false, "{thanks}! dming now", 0.95},
	{"service", false, "ok i'll dm you my {obj} details", 0.95},
	{"service", false, "can i add someone to my {obj}?", 0.95},
	{"service", false, "is it possible to move my {obj} to next week?", 0.95},
	{"service", false, "hi, i'd like to upgrade my {obj}, who do i talk to?", 0.95},
	{"service", false, "any update on my {obj}? case number {casen}", 0.95},
	{"service", false, "following up on my {obj} from last week", 0.95},
	{"service", false, "can someone call me about my {obj}? {thanks}", 0.95},
	{"service", false, "problem solved, {thanks} for the quick reply{emo}", 0.95},
	{"service", false, "{thanks} for getting back to me about my {obj}, all good now", 0.95},
	{"service", false, "got my {obj} sorted with the {staff}, great help{excl}", 0.7},
	{"service", false, "need to change the name on my {obj}. {please} {help}?", 0.95},
	{"service", false, "how do i get a receipt for my {obj}?", 0.95},
	{"service", false, "can i still get a refund on my {obj} if i cancel today?", 0.95},
	// ---------------- more information: facts, news and questions shared in public ----------------
	{"information", false, "{brand} {product} now available in the app store {link}", 0.0},
	{"information", false, "new: {product} from {brand} lets you {capability} {link}", 0.0},
	{"information", false, "{brand} confirms {product} will {capability} {eventtag}", 0.0},
	{"information", false, "tip: you can {capability} with {product} from {brand}", 0.1},
	{"information", false, "did you know {brand} {product} can {capability}?", 0.1},
	{"information", false, "{brand} moves {product} launch to {when} {link}", 0.0},
	{"information", false, "what's the best {product} right now? asking for a friend", 0.0},
	{"information", false, "{brand} or the other guys for {product}? need advice", 0.1},
	{"information", false, "anyone tried {brand} {product}? is it any good?", 0.1},
	{"information", false, "which {brand} store near {place} has {product} in stock?", 0.3},
	{"information", false, "how does {brand} compare for {product}? thinking of switching", 0.2},
	{"information", false, "is {brand} {product} out yet?", 0.3},
	{"information", false, "does anybody know when {brand} {product} comes out?", 0.1},
	{"information", false, "will {product} work with my old {obj}?", 0.9},
	{"information", false, "what are your hours {when}?", 0.9},
	{"information", false, "hey, how much is {product} per month?", 0.9},
	{"information", false, "how much does {product} cost in {place}?", 0.8},
	{"information", false, "is there an age limit for {product}?", 0.9},
	{"information", false, "good to know about the {topic}, {thanks}", 0.9},
	{"information", false, "{brand} explains why {product} is changing {link}", 0.0},
	{"information", false, "video: hands on with {brand} {product} {link}", 0.0},
	{"information", false, "map of every {brand} location in {place} {link}", 0.0},
	{"information", false, "{brand} app update: {feature} now live", 0.0},
	// ---------------- more discounts ----------------
	{"discounts", false, "free {freething} from {brand} this week only, grab it {link}", 0.0},
	{"discounts", false, "{brand} offering {pct} off {product} for {audience} {link}", 0.0},
	{"discounts", false, "{brand} {reward} sale: book now and earn {n}x {reward}", 0.1},
	{"discounts", false, "any chance of a discount for {audience}?", 0.9},
	{"discounts", false, "is there a promo for {audience} this month?", 0.9},
	{"discounts", false, "saw {product} for {price} cheaper at another store, can you match it?", 0.9},
	{"discounts", false, "cheap {rewarditem}s at {brand} right now, just booked {n}{excl}", 0.1},
	{"discounts", false, "free {rewarditem} day at {brand}!! go now {emo}", 0.1},
	{"discounts", false, "just got a free {rewarditem} with my {reward}, {brand} rewards are worth it", 0.2},
	{"discounts", false, "{pct} off sitewide at {brand} with code {code} {link}", 0.0},
	{"discounts", false, "when do you usually have sales on {product}?", 0.9},
	{"discounts", false, "got {product} for free with the {brand} offer{excl}", 0.2},
	{"discounts", true, "why do new customers get better deals than loyal ones?", 0.9},
	{"discounts", true, "{brand} {reward} are worthless now, they keep raising the price of rewards", 0.3},
	// ---------------- more community ----------------
	{"community", false, "{brand} {product} is the future, calling it now", 0.0},
	{"community", false, "{brand} will never beat the competition on {product} imo", 0.0},
	{"community", false, "the {brand} team really knows how to throw a party {eventtag}", 0.0},
	{"community", false, "met the {brand} team at {event}, such nice people {eventtag}", 0.0},
	{"community", false, "my {friend} works at {brand} and says it's a great place", 0.1},
	{"community", false, "honestly the {brand} app design is {adj}", 0.1},
	{"community", false, "hope you bring {feature} next year {brand}!", 0.5},
	{"service", true, "{brand} used to be good, now {product} is {negop}", 0.2},
	{"service", true, "{product} is a joke compared to the old one. sad", 0.2},
	{"community", false, "yes! {brand} {product} is back{excl}", 0.2},
	// ---------------- more service ----------------
	{"service", true, "{obj} {fail}, {since} and counting. {please} {help}", 0.9},
	{"service", true, "i missed {missed} because my {obj} {fail}. i want {comp}", 0.9},
	{"service", true, "waited {n} hours at the counter for nothing. my {obj} {fail}", 0.8},
	{"service", true, "can't reach anyone. my {obj} {fail}. is anybody there?", 0.9},
	{"service", true, "your {staff} told me to call back tomorrow. my {obj} {fail} today!", 0.9},
	{"service", true, "{n} hours on hold and then disconnected{angry}", 0.9},
	{"service", true, "the {obj} i paid for {failsimple} and your chat bot is useless", 0.9},
	{"service", true, "i was promised a callback {n} days ago. nothing. my {obj} {fail}", 0.9},
	{"service", true, "you lost my {obj} and now you want me to fill out a form? no", 0.9},
	{"service", true, "{obj} {fail} again. this happens every week with {brand}", 0.5},
	{"service", true, "{brand} customer service is a nightmare. {n} calls, no fix", 0.3},
	{"service", true, "i'll never use {brand} again after this. {obj} {fail} and no {compshort}", 0.3},
	{"service", true, "{brand} charged my card but my {obj} never came through", 0.4},
	{"service", false, "{staff} just helped me rebook, {thanks} so much", 0.8},
	{"service", false, "{thanks} for the quick fix on my {obj}{emo}", 0.9},
	{"service", false, "how do i contact you about my {obj}? the phone line is closed", 0.95},
	{"service", false, "what do i need to do to transfer my {obj} to my {friendshort}?", 0.95},
	{"service", false, "i'm sending a dm now with my {obj} info", 0.95},
	{"service", false, "thank you, all sorted. appreciate the help with my {obj}", 0.9},
	{"service", false, "can you check my {obj}? i think something is off", 0.95},
	{"service", false, "i need a copy of my {obj} statement, where do i get it?", 0.95},
	{"service", false, "hi, my {obj} details changed, how do i update them?", 0.95},
	{"service", false, "is my {obj} affected by the outage?", 0.95},
	{"service", false, "will i get {comp} for my {obj} or not?", 0.95},
	// ---------------- free things and prizes, shared in public (guide: giveaways, free items) ----------------
	{"discounts", false, "free {freething} when you sign up for {brand} {link}", 0.0},
	{"discounts", false, "{brand} {freething} is free today only{excl}", 0.0},
	{"discounts", false, "grab a free {freething} from {brand} before friday {link}", 0.0},
	{"discounts", false, "{brand} is handing out free {giveitem} downtown right now", 0.0},
	{"discounts", false, "you can win a {prize} at the {brand} booth, just {entry}", 0.0},
	{"discounts", false, "{brand} contest: {entry} for a chance at a {prize} {link} #win", 0.0},
	{"discounts", false, "got a free {giveitem} just for showing up, thanks {brand}{emo}", 0.0},
	{"discounts", false, "tip: {brand} gives free {giveitem} to {audience} every monday", 0.0},
	{"discounts", false, "free {freething} for {audience} this month from {brand} {link}", 0.0},
	{"discounts", false, "{brand} points are worth double this week, go redeem", 0.0},
	// ---------------- community: good experiences shared for their own sake (guide) ----------------
	{"community", false, "smoothest {obj} i've had in ages{emo}", 0.8},
	{"community", false, "{obj} went perfectly today, no notes{excl}", 0.8},
	{"community", false, "first time trying {brand} and honestly it was great", 0.5},
	{"community", false, "everything about my {obj} today was {adj}", 0.8},
	{"community", false, "the {staff} made my whole week, you guys are {adj}{excl}", 0.8},
	{"community", false, "another {adj} {obj} with {brand}. this is why i stay loyal", 0.6},
	{"community", false, "not one problem with my {obj} in {n} years. respect {brand}", 0.6},
	{"community", false, "the little touches on my {obj} today made me smile{emo}", 0.8},
	{"community", false, "{brand} is the only {category} i trust, {obj} was flawless again", 0.4},
	{"community", false, "ok {brand} you won me over, {adj}", 0.8},
	// ---------------- none ----------------
	{"none", false, "{spam}", 0.0},
	{"none", false, "{unrelated}", 0.0},
	{"none", false, "{broadcast}", 0.0},
	{"none", false, "{brandword} {unrelatedtail}", 0.0},
}

var extra = map[string][]string{
	"freething":     {"music", "an album", "an ebook", "a guide", "a sample pack", "wallpapers", "a trial month", "an app", "tickets", "coffee"},
	"audience":      {"students", "teachers", "nurses", "seniors", "veterans", "new customers", "members", "families"},
	"entry":         {"follow and rt", "tag a friend", "sign up", "vote for your favorite", "share a photo", "fill in the form"},
	"capability":    {"pay with your phone", "track everything in one place", "work offline", "stream in 4K", "share with family", "check in from your watch", "split bills", "save on data"},
	"clock":         {"11am", "2pm", "noon", "6:30", "9am"},
	"failsimple2":   {"loses bags like this", "doesn't answer the phone", "charges twice", "cancels without notice", "treats people like this"},
	"friendshort":   {"wife", "husband", "son", "daughter", "partner", "new phone"},
	"codeword":      {"promo codes", "discount codes", "coupons", "deals", "offers", "vouchers", "promo code", "discount"},
	"rewarditem":    {"flight", "coffee", "night", "drink", "month", "item", "upgrade", "pizza", "game"},
	"giveitem":      {"t-shirts", "coffee", "samples", "tickets", "stickers", "phone cases", "drinks", "ice cream", "tote bags", "snacks"},
	"prize":         {"new phone", "gift card", "year of free coffee", "trip for two", "console", "$500 voucher", "pair of tickets", "new tablet"},
	"today":         {"today", "this weekend", "all week", "tomorrow", "tonight", "until friday"},
	"newsverb":      {"to cut 500 jobs", "buys a startup", "opens {n} new stores", "raises prices", "posts record profits", "recalls {product}", "partners with a rival", "names new ceo"},
	"when":          {"next week", "in june", "this fall", "on monday", "later this year", "in {n} weeks", "tomorrow"},
	"vibe":          {"the dj is great", "free drinks and good music", "what a crowd", "so much fun", "epic night", "best party of the week"},
	"compshort":     {"refund", "reply", "update", "callback", "answer", "compensation", "fix"},
	"sarcfail":      {"losing", "cancelling", "breaking", "delaying", "ruining", "double charging me for", "ignoring"},
	"sarcopen":      {"awesome,", "great,", "wonderful,", "oh good,", "yay,", "fantastic,"},
	"failsimple":    {"doesn't work", "never arrived", "broke in a week", "stopped working", "is still broken", "never showed up", "keeps failing"},
	"missed":        {"my meeting", "a wedding", "my connection", "work", "my kid's recital", "a job interview", "the game"},
	"helpverb":      {"fixing", "sorting", "resolving", "helping with", "rebooking", "replacing", "refunding"},
	"casen":         {"#45821", "48213", "CS-2231", "#99812", "7731"},
	"brandword":     {"apple", "orange", "target", "amazon", "jaguar", "delta", "shell", "mercury", "puma", "gap", "subway", "corona", "oracle", "mustang", "dove", "sprint"},
	"unrelatedtail": {"pie recipe from my grandma is the best", "is my favorite color", "in the sky tonight", "river documentary was beautiful", "spotted at the zoo today", "is a lovely word", "sandwich for lunch i guess", "on the beach this morning", "lol", "costume for halloween done"},
	"spam": {
		"follow me and i follow back #f4f #followback #teamfollowback",
		"get 1000 followers now {link} {link}",
		"earn $500 a day from home!!! click {link} #crypto #money",
		"hot singles in your area {link}",
		"check out my new mixtape {link} #music #rap #newmusic",
		"free followers free likes no survey {link}",
		"bitcoin giveaway send 0.1 get 1 back {link}",
		"subscribe to my channel pls {link} #youtube #gaming #subscribe",
		"#ad #sponsored #promo #deal #sale #shop #free #win {link}",
		"buy cheap followers {link} dm me",
	},
	"unrelated": {
		"good morning everyone, coffee time",
		"can't believe it's monday already",
		"watching the game with {friend} tonight",
		"that sunset though",
		"my cat just knocked over my plant again",
		"traffic is insane today",
		"anyone else tired of the rain",
		"finally finished that book, wow what an ending",
		"lol this meme",
		"listening to old songs and feeling nostalgic",
		"...",
		"happy friday y'all",
		"test test",
		"new blog post is up {link}",
	},
	"broadcast": {
		"{brand}: new arrivals just dropped. shop now {link}",
		"we're hiring! join the {brand} team {link} #jobs",
		"our stores will be closed on {day}. happy holidays from {brand}",
		"introducing {product}. available now at {brand} {link}",
		"{brand} presents: {product}. learn more {link}",
		"tag a friend who needs {product}! {link}",
		"{brand} - quality you can trust since 1985 {link}",
		"this week on the {brand} blog: 5 tips for {product} {link}",
	},
}

// noise applies social-media transformations.
func noise(r *rand.Rand, s string) string {
	if r.Float64() < 0.45 {
		s = strings.ToLower(s)
	} else if r.Float64() < 0.5 {
		s = capitalize(s)
	}
	words := strings.Fields(s)
	for i, w := range words {
		lw := strings.ToLower(w)
		if sub, ok := abbrev[lw]; ok && r.Float64() < 0.3 {
			words[i] = sub
			continue
		}
		if len(w) > 3 && r.Float64() < 0.02 {
			// a dropped letter
			k := 1 + r.IntN(len(w)-2)
			words[i] = w[:k] + w[k+1:]
			continue
		}
		if len(w) > 3 && r.Float64() < 0.015 {
			words[i] = strings.ToUpper(w)
		}
		if r.Float64() < 0.01 && len(w) > 2 {
			c := w[len(w)-1]
			if c >= 'a' && c <= 'z' {
				words[i] = w + strings.Repeat(string(c), 2+r.IntN(3))
			}
		}
	}
	s = strings.Join(words, " ")
	if r.Float64() < 0.25 {
		s = strings.ReplaceAll(s, "'", "")
	}
	return s
}

var abbrev = map[string]string{
	"you": "u", "your": "ur", "please": "pls", "thanks": "thx", "because": "bc", "are": "r", "for": "4",
	"to": "2", "tomorrow": "tmrw", "people": "ppl", "message": "msg", "account": "acct", "customer": "cust",
	"service": "svc", "before": "b4", "hours": "hrs", "minutes": "mins", "what": "wat", "love": "luv",
	"great": "gr8", "about": "abt", "really": "rly", "okay": "ok",
}

func capitalize(s string) string {
	rs := []rune(s)
	for i, c := range rs {
		if unicode.IsLetter(c) {
			rs[i] = unicode.ToUpper(c)
			break
		}
	}
	return string(rs)
}

func handle(r *rand.Rand, brand string) string {
	h := strings.ReplaceAll(brand, " ", "")
	switch r.IntN(8) {
	case 0:
		h += "Help"
	case 1:
		h += "Support"
	case 2:
		h += "UK"
	case 3:
		h += "Cares"
	}
	return "@" + h
}

type gen struct {
	r     *rand.Rand
	ind   *industry
	brand string
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) slot(name string) string {
	ind := g.ind
	switch name {
	case "brand":
		if g.r.Float64() < 0.3 {
			return handle(g.r, g.brand)
		}
		return g.brand
	case "obj":
		return g.pick(ind.obj)
	case "fail":
		return g.pick(ind.fail)
	case "product":
		return g.pick(ind.product)
	case "feature":
		return g.pick(ind.feature)
	case "topic":
		return g.pick(ind.topic)
	case "verb":
		return g.pick(ind.verb)
	case "reward":
		return g.pick(ind.reward)
	case "staff":
		return g.pick(ind.staff)
	case "category":
		return ind.category
	case "link":
		return g.pick(grammar["link"])
	}
	if xs, ok := grammar[name]; ok {
		return g.pick(xs)
	}
	if xs, ok := extra[name]; ok {
		return g.pick(xs)
	}
	return "{" + name + "}"
}

func (g *gen) expand(s string, depth int) string {
	if depth > 6 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		name := s[i+1 : i+j]
		if name == "link" && depth > 0 {
			b.WriteString("{link}")
		} else {
			b.WriteString(g.expand(g.slot(name), depth+1))
		}
		s = s[i+j+1:]
	}
	return b.String()
}

type record struct {
	Text      string  `json:"text"`
	Motive    string  `json:"motive"`
	Complaint bool    `json:"complaint"`
	Industry  string  `json:"industry"`
	Brand     string  `json:"brand"`
	Weight    float64 `json:"weight"`
}

func main() {
	out := flag.String("out", "gen-templates.jsonl", "output file")
	perTemplate := flag.Int("n", 22, "posts per template")
	seed := flag.Uint64("seed", 42, "random seed")
	weight := flag.Float64("weight", 0.35, "training weight of each generated post")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 1))
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	seen := map[string]bool{}
	n := 0
	for _, t := range templates {
		for k := 0; k < *perTemplate; k++ {
			ind := &industries[r.IntN(len(industries))]
			g := &gen{r: r, ind: ind, brand: ind.brands[r.IntN(len(ind.brands))]}
			text := g.expand(t.text, 0)
			text = noise(r, text)
			if r.Float64() < t.addressed {
				text = handle(r, g.brand) + " " + text
			} else if !strings.Contains(strings.ToLower(text), strings.ToLower(strings.Fields(g.brand)[0])) && t.motive != "none" && r.Float64() < 0.5 {
				text = text + " " + handle(r, g.brand)
			}
			if r.Float64() < 0.12 {
				text += " " + g.pick([]string{"#" + strings.ReplaceAll(g.brand, " ", ""), "{link}", "#help", "#customerservice", "#" + ind.name})
			}
			text = strings.Join(strings.Fields(text), " ")
			if seen[text] {
				continue
			}
			seen[text] = true
			rec := record{Text: text, Motive: t.motive, Complaint: t.complaint, Industry: "gen-" + ind.name,
				Brand: strings.ToLower(strings.ReplaceAll(g.brand, " ", "")), Weight: *weight}
			if err := enc.Encode(rec); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			n++
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f.Close()
	fmt.Fprintf(os.Stderr, "wrote %d posts to %s\n", n, *out)
}
