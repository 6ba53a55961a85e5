package model

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Rand is a small deterministic random source: a PCG generator (16 bytes)
// plus the few distributions the models need. It is a value so that a
// device can embed it without a pointer; use it through a pointer.
//
// The distributions are written here rather than taken from math/rand/v2's
// Rand so that the sequence a seed yields is fixed by this code, and so
// that no wrapper is allocated per draw.
type Rand struct {
	pcg rand.PCG
}

// NewRand returns a generator seeded with (seed, stream). Different
// streams give independent sequences for the same seed.
func NewRand(seed, stream uint64) Rand {
	var r Rand
	r.pcg.Seed(Mix(seed), Mix(stream^0x9e3779b97f4a7c15))
	return r
}

// Mix is the SplitMix64 finaliser: it spreads the bits of x so that close
// inputs (device 1, device 2) give unrelated outputs. It derives seeds and
// per-device constants.
func Mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// HashString folds s into a seed (FNV-1a, then Mix).
func HashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return Mix(h)
}

// Uint64 returns 64 random bits.
func (r *Rand) Uint64() uint64 { return r.pcg.Uint64() }

// Float64 returns a uniform value in [0, 1).
func (r *Rand) Float64() float64 { return float64(r.pcg.Uint64()>>11) * 0x1p-53 }

// Range returns a uniform value in [lo, hi).
func (r *Rand) Range(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// Sym returns a uniform value in [-a, a).
func (r *Rand) Sym(a float64) float64 { return a * (2*r.Float64() - 1) }

// IntN returns a value in [0, n); n must be positive.
func (r *Rand) IntN(n int) int {
	hi, _ := bits.Mul64(r.pcg.Uint64(), uint64(n))
	return int(hi)
}

// Norm returns a standard normal value (Box–Muller, one of the pair).
func (r *Rand) Norm() float64 {
	u := 1 - r.Float64() // (0, 1]: log is finite
	v := r.Float64()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*v)
}

// Exp returns an exponential value with mean 1.
func (r *Rand) Exp() float64 { return -math.Log(1 - r.Float64()) }

// Bool returns true with probability p.
func (r *Rand) Bool(p float64) bool {
	if p <= 0 {
		return false
	}
	return p >= 1 || r.Float64() < p
}
