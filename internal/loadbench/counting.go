//go:build linux

package main

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"time"
)

// Every message carries who sent it, its sequence number and when it was
// sent, so that the subscriber can count exactly what arrived: unique
// messages, duplicates, and (by difference with what was published) lost
// ones, and measure latency. The layout, big-endian, at the start of the
// payload:
//
//	[0:8]   sequence number, from 0 for each publisher
//	[8:16]  send time, nanoseconds on the generator's monotonic clock
//	[16:20] publisher index
//
// The rest of the payload is zero.
const (
	stampSize  = 20
	minPayload = stampSize
)

// clockBase is the generator's monotonic time base: publishers and subscribers
// live in the same process, so their timestamps compare directly.
var clockBase = time.Now()

func monotonic() int64 { return int64(time.Since(clockBase)) }

// stamp writes the header of a message into payload.
func stamp(payload []byte, seq uint64, sent int64, pub uint32) {
	binary.BigEndian.PutUint64(payload[0:], seq)
	binary.BigEndian.PutUint64(payload[8:], uint64(sent))
	binary.BigEndian.PutUint32(payload[16:], pub)
}

// readStamp reads the header of a message; ok is false for a payload too
// short to carry one.
func readStamp(payload []byte) (seq uint64, sent int64, pub uint32, ok bool) {
	if len(payload) < stampSize {
		return 0, 0, 0, false
	}
	return binary.BigEndian.Uint64(payload[0:]), int64(binary.BigEndian.Uint64(payload[8:])),
		binary.BigEndian.Uint32(payload[16:]), true
}

// seqSet counts the sequence numbers received from one publisher: a bit
// per number, so duplicates are told from new messages whatever the order
// they arrive in.
type seqSet struct {
	bits   []uint64
	unique uint64
	dups   uint64
}

// add records seq and reports whether it is new.
func (s *seqSet) add(seq uint64) bool {
	w := seq / 64
	if w >= uint64(len(s.bits)) {
		n := max(2*len(s.bits), int(w)+1, 1024)
		s.bits = append(s.bits, make([]uint64, n-len(s.bits))...)
	}
	mask := uint64(1) << (seq % 64)
	if s.bits[w]&mask != 0 {
		s.dups++
		return false
	}
	s.bits[w] |= mask
	s.unique++
	return true
}

// lostBelow is how many of the sequence numbers 0..n-1 never arrived.
func (s *seqSet) lostBelow(n uint64) uint64 {
	var got uint64
	full := n / 64
	for i := uint64(0); i < full && i < uint64(len(s.bits)); i++ {
		got += uint64(bits.OnesCount64(s.bits[i]))
	}
	if rem := n % 64; rem != 0 && full < uint64(len(s.bits)) {
		got += uint64(bits.OnesCount64(s.bits[full] & (1<<rem - 1)))
	}
	return n - got
}

// latencies collects one-way latencies in nanoseconds.
type latencies []int64

// percentile returns the p-th percentile (0 < p <= 100) by the
// nearest-rank method, or 0 without samples. It sorts the samples.
func (l latencies) percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	rank := int(math.Ceil(p/100*float64(len(l)))) - 1
	rank = min(max(rank, 0), len(l)-1)
	return time.Duration(l[rank])
}
