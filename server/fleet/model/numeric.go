package model

import (
	"math"
	"sort"
)

// RandomWalk wanders by up to Step per tick, reflected at Min and Max.
// With Revert > 0 it is pulled back toward its starting level (a fraction
// Revert of the distance per tick), which makes a believable sensor that
// wanders but does not drift away; a setpoint replaces that level.
//
// State: [value, target] (target NaN: none).
type RandomWalk struct {
	Start    float64 // initial level
	Spread   float64 // devices start uniformly in Start±Spread
	Min, Max float64 // bounds (±Inf when open)
	Step     float64 // largest change per tick
	Revert   float64 // fraction of the distance to the target closed per tick, 0..1
}

// Kind returns KindRandomWalk.
func (*RandomWalk) Kind() Kind { return KindRandomWalk }

// Slots returns 2: the value and the target.
func (*RandomWalk) Slots() int { return 2 }

// Init draws the device's starting value.
func (m *RandomWalk) Init(s []float64, r *Rand) {
	v := m.Start
	if m.Spread > 0 {
		v += r.Sym(m.Spread)
	}
	s[0] = clamp(v, m.Min, m.Max)
	s[1] = nan
	if m.Revert > 0 {
		s[1] = s[0]
	}
}

// Next takes one step and returns the value before the step, so the
// first reading is the starting value.
func (m *RandomWalk) Next(s []float64, _ float64, r *Rand) float64 {
	v := s[0]
	n := v
	if t := s[1]; !math.IsNaN(t) {
		k := m.Revert
		if k <= 0 {
			k = defaultDrift
		}
		n += k * (t - n)
	}
	n += r.Sym(m.Step)
	s[0] = reflect(n, m.Min, m.Max)
	return v
}

// reflect folds v back into [lo, hi] as if the bounds were mirrors.
func reflect(v, lo, hi float64) float64 {
	if v > hi {
		v = hi - (v - hi)
	}
	if v < lo {
		v = lo + (lo - v)
	}
	return clamp(v, lo, hi)
}

// SetTarget makes the walk drift toward v.
func (*RandomWalk) SetTarget(s []float64, v float64) { s[1] = v }

// Target returns the level the walk drifts toward.
func (*RandomWalk) Target(s []float64) (float64, bool) { return s[1], !math.IsNaN(s[1]) }

// Bounds returns [Min, Max].
func (m *RandomWalk) Bounds() (lo, hi float64) { return m.Min, m.Max }

// Sine oscillates around Offset with Amplitude and Period, plus Gaussian
// Noise, clamped to [Min, Max]. A setpoint moves the offset: it drifts
// toward the target by Drift of the distance per tick, so a thermostat's
// daily swing stays but its level follows the setting.
//
// State: [offset, target, phase].
type Sine struct {
	Period      float64 // seconds, > 0
	Amplitude   float64
	Offset      float64
	Spread      float64 // devices get offsets uniformly in Offset±Spread
	Noise       float64 // standard deviation of the added noise
	Phase       float64 // radians
	RandomPhase bool    // each device draws its own phase
	Min, Max    float64 // clamp (±Inf when open)
	Drift       float64 // fraction per tick toward a setpoint, 0..1
}

// Kind returns KindSine.
func (*Sine) Kind() Kind { return KindSine }

// Slots returns 3: the offset, the target and the phase.
func (*Sine) Slots() int { return 3 }

// Init draws the device's offset and phase.
func (m *Sine) Init(s []float64, r *Rand) {
	s[0] = m.Offset
	if m.Spread > 0 {
		s[0] += r.Sym(m.Spread)
	}
	s[1] = nan
	s[2] = m.Phase
	if m.RandomPhase {
		s[2] = r.Range(0, 2*math.Pi)
	}
}

// Next returns the value at elapsed time t.
func (m *Sine) Next(s []float64, t float64, r *Rand) float64 {
	if tg := s[1]; !math.IsNaN(tg) {
		k := m.Drift
		if k <= 0 {
			k = defaultDrift
		}
		s[0] += k * (tg - s[0])
	}
	v := s[0] + m.Amplitude*math.Sin(2*math.Pi*t/m.Period+s[2])
	if m.Noise > 0 {
		v += m.Noise * r.Norm()
	}
	return clamp(v, m.Min, m.Max)
}

// SetTarget makes the offset drift toward v.
func (*Sine) SetTarget(s []float64, v float64) { s[1] = v }

// Target returns the level the offset drifts toward.
func (*Sine) Target(s []float64) (float64, bool) { return s[1], !math.IsNaN(s[1]) }

// Bounds returns [Min, Max].
func (m *Sine) Bounds() (lo, hi float64) { return m.Min, m.Max }

// Step follows a schedule: Values[i] from At[i] (seconds since start) until
// the next entry, repeating every Every seconds when Every > 0, plus
// Gaussian Noise. Before the first entry the first value holds. It is
// stateless.
type Step struct {
	At     []float64 // ascending, seconds
	Values []float64 // same length as At
	Every  float64   // cycle length in seconds; 0: no repeat
	Noise  float64
}

// Kind returns KindStep.
func (*Step) Kind() Kind { return KindStep }

// Slots returns 0.
func (*Step) Slots() int { return 0 }

// Init does nothing: the schedule has no state.
func (*Step) Init([]float64, *Rand) {}

// Next returns the scheduled value at t.
func (m *Step) Next(_ []float64, t float64, r *Rand) float64 {
	v := m.ValueAt(t)
	if m.Noise > 0 {
		v += m.Noise * r.Norm()
	}
	return v
}

// ValueAt returns the scheduled value at t without noise.
func (m *Step) ValueAt(t float64) float64 {
	if m.Every > 0 {
		t = math.Mod(t, m.Every)
		if t < 0 {
			t += m.Every
		}
	}
	i := sort.SearchFloat64s(m.At, t)
	if i < len(m.At) && m.At[i] == t {
		return m.Values[i]
	}
	if i == 0 {
		return m.Values[0]
	}
	return m.Values[i-1]
}

// Counter counts from Start by Step per tick (a uniform step in
// [Step, StepMax] when StepMax > Step), wrapping back to Start when it
// reaches Wrap (exclusive) if Wrap is set: a message sequence number, an
// energy meter, a parts counter.
//
// State: [value].
type Counter struct {
	Start   float64
	Step    float64
	StepMax float64 // 0 (or ≤ Step): a fixed step
	Wrap    float64 // exclusive upper bound; 0: none
	HasWrap bool
}

// Kind returns KindCounter.
func (*Counter) Kind() Kind { return KindCounter }

// Slots returns 1.
func (*Counter) Slots() int { return 1 }

// Init starts the count at Start.
func (m *Counter) Init(s []float64, _ *Rand) { s[0] = m.Start }

// Next returns the count, then advances it.
func (m *Counter) Next(s []float64, _ float64, r *Rand) float64 {
	v := s[0]
	step := m.Step
	if m.StepMax != 0 && m.StepMax > m.Step {
		step = r.Range(m.Step, m.StepMax)
	}
	n := v + step
	if m.HasWrap {
		n = wrap(n, m.Start, m.Wrap)
	}
	s[0] = n
	return v
}

// wrap folds v into [lo, hi).
func wrap(v, lo, hi float64) float64 {
	span := hi - lo
	v = lo + math.Mod(v-lo, span)
	if v < lo {
		v += span
	}
	if v >= hi { // rounding at the edge
		v = lo
	}
	return v
}
