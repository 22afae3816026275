package drivers

import (
	"cmp"
	"slices"
	"strings"
)

// Sketch is a Space-Saving summary of term frequencies (Metwally, Agrawal and
// El Abbadi, "Efficient computation of frequent and top-k elements in data
// streams", 2005) in fixed memory: it tracks at most Cap terms however many
// distinct terms are added. A term not tracked when the sketch is full takes
// the place of the term with the smallest count and inherits that count as
// its error.
//
// For every tracked term, Count-Err <= true count <= Count, and Err is at most
// Total/Cap; every term whose true count exceeds Total/Cap is tracked. Counts
// are float64 so that a sketch can hold exponentially decayed counts (Scale)
// and weighted additions (AddWeighted, Merge) with the same guarantees.
//
// A Sketch is not safe for concurrent use; its zero value is not usable.
type Sketch struct {
	k       int              // capacity
	index   map[string]int32 // term -> slot in entries
	entries []slot           // at most k; a term keeps its slot while tracked
	heap    []int32          // slots ordered as a min-heap by count
	total   float64
}

type slot struct {
	Counted
	pos int32 // position in heap
}

// Counted is a tracked term with its estimated count and the most that count
// may exceed the true count by.
type Counted struct {
	Term       string
	Count, Err float64
}

// NewSketch returns an empty sketch that tracks at most capacity terms
// (capacity below 1 is taken as 1). Its memory grows with the terms it
// tracks, up to capacity, and is kept by Reset.
func NewSketch(capacity int) *Sketch {
	return &Sketch{k: max(capacity, 1)}
}

// Cap returns the most terms the sketch tracks.
func (s *Sketch) Cap() int { return s.k }

// Len returns the number of terms tracked.
func (s *Sketch) Len() int { return len(s.entries) }

// Total returns the sum of all weights added, scaled by every Scale since.
func (s *Sketch) Total() float64 { return s.total }

// Min returns the count that an untracked term may have at most: the
// smallest tracked count when the sketch is full, and 0 while it has room
// (then every term ever added is tracked and untracked terms are absent).
func (s *Sketch) Min() float64 {
	if len(s.entries) < s.k {
		return 0
	}
	return s.entries[s.heap[0]].Count
}

// Add counts one occurrence of term.
func (s *Sketch) Add(term string) { s.AddWeighted(term, 1, 0) }

// AddWeighted adds count occurrences of term that may already over-estimate
// the truth by err (0 for exact counts). Weights must not be negative. The
// sketch keeps its own copy of term.
func (s *Sketch) AddWeighted(term string, count, err float64) {
	s.total += count
	if i, ok := s.index[term]; ok {
		e := &s.entries[i]
		e.Count += count
		e.Err += err
		s.down(int(e.pos))
		return
	}
	if s.index == nil {
		s.index = make(map[string]int32)
	}
	if n := len(s.entries); n < s.k {
		s.entries = append(s.entries, slot{Counted: Counted{Term: strings.Clone(term), Count: count, Err: err}, pos: int32(n)})
		s.heap = append(s.heap, int32(n))
		s.index[s.entries[n].Term] = int32(n)
		s.up(n)
		return
	}
	// Replace the term with the smallest count.
	i := s.heap[0]
	e := &s.entries[i]
	delete(s.index, e.Term)
	m := e.Count
	e.Counted = Counted{Term: strings.Clone(term), Count: m + count, Err: m + err}
	s.index[e.Term] = i
	s.down(0)
}

// Count returns the estimated count of term and its error; ok is false when
// the sketch does not track term (its count is then at most Min).
func (s *Sketch) Count(term string) (count, err float64, ok bool) {
	i, ok := s.index[term]
	if !ok {
		return 0, 0, false
	}
	e := s.entries[i]
	return e.Count, e.Err, true
}

// Top returns up to n tracked terms by count, highest first, ties by term;
// n <= 0 returns all tracked terms.
func (s *Sketch) Top(n int) []Counted {
	out := make([]Counted, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.Counted
	}
	slices.SortFunc(out, byCountDesc)
	if n > 0 && n < len(out) {
		out = out[:n]
	}
	return out
}

// Scale multiplies every count, error and the total by f, as exponential
// decay does; f must be positive.
func (s *Sketch) Scale(f float64) {
	for i := range s.entries {
		s.entries[i].Count *= f
		s.entries[i].Err *= f
	}
	s.total *= f
}

// Merge adds the counts of o, multiplied by weight (positive), to s: the
// union of two summaries, each term added with its count and error. The
// largest counts of o are added first, so that when s is full o's smallest
// terms are the ones that displace each other.
func (s *Sketch) Merge(o *Sketch, weight float64) {
	for _, e := range o.Top(0) {
		s.AddWeighted(e.Term, e.Count*weight, e.Err*weight)
	}
}

// Reset empties the sketch and keeps its memory for reuse.
func (s *Sketch) Reset() {
	clear(s.index)
	clear(s.entries) // drop the term strings
	s.entries = s.entries[:0]
	s.heap = s.heap[:0]
	s.total = 0
}

func byCountDesc(a, b Counted) int {
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	return strings.Compare(a.Term, b.Term)
}

func (s *Sketch) less(i, j int) bool {
	return s.entries[s.heap[i]].Count < s.entries[s.heap[j]].Count
}

func (s *Sketch) swap(i, j int) {
	s.heap[i], s.heap[j] = s.heap[j], s.heap[i]
	s.entries[s.heap[i]].pos = int32(i)
	s.entries[s.heap[j]].pos = int32(j)
}

func (s *Sketch) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !s.less(i, p) {
			return
		}
		s.swap(i, p)
		i = p
	}
}

func (s *Sketch) down(i int) {
	n := len(s.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && s.less(r, l) {
			m = r
		}
		if !s.less(m, i) {
			return
		}
		s.swap(i, m)
		i = m
	}
}
