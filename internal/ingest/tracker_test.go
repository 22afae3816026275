package ingest

import "testing"

func TestTrackerCommitsOnlyBelowTheLowestUnfinished(t *testing.T) {
	type step struct {
		op         string // "start" or "finish"
		part       int
		offset     int64
		wantCommit int64
		wantMoved  bool
	}
	cases := []struct {
		name  string
		steps []step
	}{
		{"in order", []step{
			{"start", 0, 0, 0, false}, {"start", 0, 1, 0, false},
			{"finish", 0, 0, 0, true}, {"finish", 0, 1, 1, true},
		}},
		{"out of order waits for the gap", []step{
			{"start", 0, 5, 0, false}, {"start", 0, 6, 0, false}, {"start", 0, 7, 0, false},
			{"finish", 0, 7, -1, false}, {"finish", 0, 6, -1, false}, {"finish", 0, 5, 7, true},
		}},
		{"offsets with gaps (compaction, markers)", []step{
			{"start", 0, 10, 0, false}, {"start", 0, 13, 0, false},
			{"finish", 0, 13, -1, false}, {"finish", 0, 10, 13, true},
		}},
		{"partitions are independent", []step{
			{"start", 0, 0, 0, false}, {"start", 1, 0, 0, false},
			{"finish", 1, 0, 0, true}, {"finish", 0, 0, 0, true},
		}},
		{"re-assignment rewinds and forgets", []step{
			{"start", 0, 3, 0, false}, {"start", 0, 4, 0, false},
			{"start", 0, 3, 0, false},   // read again from the committed offset
			{"finish", 0, 4, -1, false}, // the old 4 is forgotten
			{"finish", 0, 3, 3, true},
		}},
		{"unknown partition", []step{{"finish", 9, 1, -1, false}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTracker()
			for i, s := range tc.steps {
				if s.op == "start" {
					tr.start("mentions", s.part, s.offset)
					continue
				}
				got, moved := tr.finish("mentions", s.part, s.offset)
				if moved != s.wantMoved || (moved && got != s.wantCommit) {
					t.Fatalf("step %d finish(%d,%d) = %d,%v want %d,%v", i, s.part, s.offset, got, moved, s.wantCommit, s.wantMoved)
				}
			}
		})
	}
}

func TestTrackerPositions(t *testing.T) {
	tr := newTracker()
	for o := int64(10); o < 15; o++ {
		tr.start("t", 0, o)
	}
	tr.finish("t", 0, 10)
	tr.finish("t", 0, 12)
	tr.start("t", 1, 7)
	tr.finish("t", 1, 7)
	got := tr.positions()
	if got[topicPartition{"t", 0}] != 11 || got[topicPartition{"t", 1}] != 8 {
		t.Fatalf("positions = %v, want t/0 at 11 (lowest not done), t/1 at 8 (all done)", got)
	}
}
