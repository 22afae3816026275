// Package drivers answers "about what?" when a brand's complaints spike: fed
// the complaint posts of many brands in event time, it returns per brand the
// words and two-word phrases whose share of the brand's recent complaints
// most exceeds their share of the brand's baseline.
//
// Terms extracts a post's candidate terms without regular expressions or a
// tagger. Sketch counts terms in fixed memory (Space-Saving). Set keeps, per
// brand, a ring of Config.Recent event-time buckets, each a Sketch, and a
// baseline Sketch of exponentially decayed counts built from the buckets
// that left the ring; Drivers ranks terms by lift of recent share over
// baseline share. Advance moves event time forward.
//
// The key of a Set need not be a brand: observing a brand's complaints of one
// motive under "brand/motive" answers what drives a rise of that motive, at
// the cost of one more key per brand and motive.
//
// Figures (speed, memory) are in README.md next to this file.
package drivers
