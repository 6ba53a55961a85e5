//go:build linux

package main

import (
	"testing"
	"time"
)

func TestSeqSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		seqs               []uint64
		sent               uint64
		unique, dups, lost uint64
	}{
		{name: "nothing", sent: 3, lost: 3},
		{name: "in order", seqs: []uint64{0, 1, 2}, sent: 3, unique: 3},
		{name: "gap", seqs: []uint64{0, 2}, sent: 3, unique: 2, lost: 1},
		{name: "tail lost", seqs: []uint64{0, 1}, sent: 5, unique: 2, lost: 3},
		{name: "duplicates", seqs: []uint64{0, 1, 1, 0, 2}, sent: 3, unique: 3, dups: 2},
		{name: "out of order", seqs: []uint64{2, 0, 1}, sent: 3, unique: 3},
		{name: "across words", seqs: []uint64{63, 64, 65, 127, 128, 64}, sent: 129, unique: 5, dups: 1, lost: 124},
		{name: "beyond the first growth", seqs: []uint64{0, 1_000_000, 1_000_000}, sent: 1_000_001, unique: 2, dups: 1, lost: 999_999},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s seqSet
			for _, q := range tc.seqs {
				s.add(q)
			}
			if s.unique != tc.unique || s.dups != tc.dups {
				t.Errorf("unique %d dups %d, want %d and %d", s.unique, s.dups, tc.unique, tc.dups)
			}
			if got := s.lostBelow(tc.sent); got != tc.lost {
				t.Errorf("lostBelow(%d) = %d, want %d", tc.sent, got, tc.lost)
			}
		})
	}
}

func TestSeqSetAddReportsNew(t *testing.T) {
	t.Parallel()
	var s seqSet
	if !s.add(7) || s.add(7) || !s.add(8) {
		t.Error("add must report true for a new number and false for a duplicate")
	}
}

func TestStampRoundTrip(t *testing.T) {
	t.Parallel()
	p := make([]byte, 64)
	stamp(p, 1<<40+3, -5, 42)
	seq, sent, pub, ok := readStamp(p)
	if !ok || seq != 1<<40+3 || sent != -5 || pub != 42 {
		t.Errorf("readStamp = %d %d %d %v", seq, sent, pub, ok)
	}
	if _, _, _, ok := readStamp(p[:stampSize-1]); ok {
		t.Error("a payload shorter than the stamp must not be read")
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		samples []int64
		p       float64
		want    time.Duration
	}{
		{nil, 50, 0},
		{[]int64{5}, 99, 5},
		{[]int64{4, 1, 3, 2}, 50, 2},
		{[]int64{4, 1, 3, 2}, 100, 4},
		{[]int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 99, 100},
		{[]int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 90, 90},
	}
	for _, tc := range tests {
		if got := latencies(tc.samples).percentile(tc.p); got != tc.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", tc.samples, tc.p, got, tc.want)
		}
	}
}
