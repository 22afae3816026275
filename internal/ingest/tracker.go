package ingest

import (
	"sort"
	"sync"
)

// tracker remembers, per partition, the offsets fetched and not yet done, so
// that a partition is committed only up to its lowest unfinished offset: a
// crash anywhere then loses nothing, and what is redone is bounded by what was
// in flight.
type tracker struct {
	mu    sync.Mutex
	parts map[topicPartition]*partitionLog
}

type topicPartition struct {
	topic     string
	partition int
}

type partitionLog struct {
	// pending holds the fetched offsets in fetch (ascending) order; done
	// marks those finished. Finished offsets at the head are dropped as the
	// commit point passes them.
	pending []int64
	done    []bool
	// committable is the highest offset whose predecessors (since the log
	// started) are all done, or -1.
	committable int64
	last        int64 // highest offset fetched, or -1
}

func newTracker() *tracker { return &tracker{parts: map[topicPartition]*partitionLog{}} }

// start records that offset was fetched. An offset at or below one already
// seen means the partition was re-assigned and is being read again from its
// committed offset: the old state is dropped, since those posts come again.
func (t *tracker) start(topic string, partition int, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tp := topicPartition{topic, partition}
	p := t.parts[tp]
	if p == nil || offset <= p.last {
		p = &partitionLog{committable: -1, last: -1}
		t.parts[tp] = p
	}
	p.pending = append(p.pending, offset)
	p.done = append(p.done, false)
	p.last = offset
}

// finish marks offset done and reports the partition's new commit point: the
// highest offset with nothing unfinished at or below it, and whether it moved.
func (t *tracker) finish(topic string, partition int, offset int64) (int64, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.parts[topicPartition{topic, partition}]
	if p == nil {
		return -1, false
	}
	i := sort.Search(len(p.pending), func(i int) bool { return p.pending[i] >= offset })
	if i == len(p.pending) || p.pending[i] != offset {
		return -1, false // from before a re-assignment: already forgotten
	}
	p.done[i] = true
	n := 0
	for n < len(p.done) && p.done[n] {
		n++
	}
	if n == 0 {
		return p.committable, false
	}
	p.committable = p.pending[n-1]
	p.pending = p.pending[n:]
	p.done = p.done[n:]
	return p.committable, true
}

// positions returns, per partition, the lowest offset not yet done: the
// offset the partition's commit point will next pass.
func (t *tracker) positions() map[topicPartition]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[topicPartition]int64, len(t.parts))
	for tp, p := range t.parts {
		if len(p.pending) > 0 {
			out[tp] = p.pending[0]
		} else {
			out[tp] = p.last + 1
		}
	}
	return out
}

// forget drops a partition's state: its offsets in flight will not move a
// commit point when they finish (their partition's position is being reset).
func (t *tracker) forget(tp topicPartition) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.parts, tp)
}
