// Package model holds the value models of virtual sensors: random walk,
// sine, step schedule, counter, weighted enum, GPS track, timestamp and
// constant.
//
// A model is split in two so that a hundred thousand devices can share one:
// the model value (a *RandomWalk, *Sine, ...) holds the parameters and is
// shared, read-only, by every device of a fleet; the per-device state is a
// few float64 slots that the device owns (Slots says how many). Next
// advances the state and returns the value without allocating, so a tick
// costs no garbage.
//
// Every random draw comes from the device's Rand, a PCG generator seeded
// from the scenario seed, the fleet and the device index: the same seed
// gives the same values in the same order.
package model

import "math"

// Kind names a value model as scenario files spell it.
type Kind uint8

// The value models.
const (
	KindRandomWalk Kind = iota + 1
	KindSine
	KindStep
	KindCounter
	KindEnum
	KindGPS
	KindTimestamp
	KindConstant
)

var kindNames = [...]string{
	KindRandomWalk: "random-walk",
	KindSine:       "sine",
	KindStep:       "step",
	KindCounter:    "counter",
	KindEnum:       "enum",
	KindGPS:        "gps",
	KindTimestamp:  "timestamp",
	KindConstant:   "constant",
}

// String returns the name scenario files use for k.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// Kinds lists every model in the order error messages and documentation
// show them.
func Kinds() []Kind {
	return []Kind{KindRandomWalk, KindSine, KindStep, KindCounter, KindEnum, KindGPS, KindTimestamp, KindConstant}
}

// KindOf returns the model named name.
func KindOf(name string) (Kind, bool) {
	for _, k := range Kinds() {
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}

// Model generates the values of one field. Its methods read the model's
// parameters and write only the state slice s, which has Slots() elements
// and belongs to one device; so one model serves a whole fleet.
type Model interface {
	// Kind says which model this is.
	Kind() Kind
	// Slots is the number of float64 state slots a device keeps for it.
	Slots() int
	// Init sets a device's initial state (values spread across devices are
	// drawn here).
	Init(s []float64, r *Rand)
	// Next advances the state to elapsed time t (seconds since the device
	// started) and returns the value: a reading for numeric models, an
	// index into Values for Enum, a distance along the path for GPS, 0 for
	// Timestamp.
	Next(s []float64, t float64, r *Rand) float64
}

// Settable is a model whose level a `setpoint` command can move: the value
// then drifts toward the new target over the following ticks, as a room
// drifts toward its thermostat's setting.
type Settable interface {
	Model
	// SetTarget makes the value drift toward v from now on.
	SetTarget(s []float64, v float64)
	// Target returns the current target, and false when none was set.
	Target(s []float64) (float64, bool)
	// Bounds returns the range a setpoint must lie in (±Inf when open).
	Bounds() (lo, hi float64)
}

// clamp limits v to [lo, hi]; a NaN bound is open.
func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// defaultDrift is the fraction of the distance to a target closed per tick
// when the model's own reversion rate is zero.
const defaultDrift = 0.1

var nan = math.NaN()
