package model

import (
	"math"
	"testing"
)

func state(m Model, r *Rand) []float64 {
	s := make([]float64, m.Slots())
	m.Init(s, r)
	return s
}

func TestRandomWalkStaysInBoundsWithBoundedSteps(t *testing.T) {
	t.Parallel()
	m := &RandomWalk{Start: 20, Spread: 5, Min: 18, Max: 24, Step: 0.5}
	r := NewRand(1, 1)
	s := state(m, &r)
	prev := math.NaN()
	for i := range 100_000 {
		v := m.Next(s, float64(i), &r)
		if v < m.Min || v > m.Max {
			t.Fatalf("tick %d: %g outside [%g, %g]", i, v, m.Min, m.Max)
		}
		if !math.IsNaN(prev) && math.Abs(v-prev) > m.Step+1e-9 {
			t.Fatalf("tick %d: step %g larger than %g", i, v-prev, m.Step)
		}
		prev = v
	}
}

func TestRandomWalkDriftsToSetpoint(t *testing.T) {
	t.Parallel()
	m := &RandomWalk{Start: 20, Min: 10, Max: 30, Step: 0.05}
	r := NewRand(2, 1)
	s := state(m, &r)
	if _, ok := m.Target(s); ok {
		t.Fatal("a walk without revert has a target before any setpoint")
	}
	m.SetTarget(s, 25)
	var v float64
	for i := range 200 {
		v = m.Next(s, float64(i), &r)
	}
	if math.Abs(v-25) > 0.5 {
		t.Errorf("after 200 ticks toward setpoint 25 the walk is at %g", v)
	}
}

func TestRandomWalkRevertsToStart(t *testing.T) {
	t.Parallel()
	m := &RandomWalk{Start: 50, Min: 0, Max: 100, Step: 1, Revert: 0.2}
	r := NewRand(3, 1)
	s := state(m, &r)
	sum, n := 0.0, 50_000
	for i := range n {
		sum += m.Next(s, float64(i), &r)
	}
	if mean := sum / float64(n); math.Abs(mean-50) > 0.5 {
		t.Errorf("mean of a reverting walk = %g, want about 50", mean)
	}
}

func TestSinePeriodAmplitudeAndClamp(t *testing.T) {
	t.Parallel()
	m := &Sine{Period: 3600, Amplitude: 2, Offset: 20, Min: -inf(), Max: inf()}
	r := NewRand(4, 1)
	s := state(m, &r)
	lo, hi := math.Inf(1), math.Inf(-1)
	for t0 := 0.0; t0 < 3600; t0 += 10 {
		v := m.Next(s, t0, &r)
		if w := m.Next(s, t0+3600, &r); math.Abs(v-w) > 1e-9 {
			t.Fatalf("value at %g (%g) differs one period later (%g)", t0, v, w)
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.Abs(lo-18) > 0.01 || math.Abs(hi-22) > 0.01 {
		t.Errorf("range over a period = [%g, %g], want [18, 22]", lo, hi)
	}
	if v := m.Next(s, 900, &r); math.Abs(v-22) > 1e-9 {
		t.Errorf("value at a quarter period = %g, want the peak 22", v)
	}
	c := &Sine{Period: 60, Amplitude: 10, Offset: 0, Min: -3, Max: 3, Noise: 1}
	cs := state(c, &r)
	for i := range 1000 {
		if v := c.Next(cs, float64(i), &r); v < -3 || v > 3 {
			t.Fatalf("clamped sine gave %g", v)
		}
	}
}

func TestSineSetpointMovesOffset(t *testing.T) {
	t.Parallel()
	m := &Sine{Period: 86400, Amplitude: 0, Offset: 20, Drift: 0.1, Min: -inf(), Max: inf()}
	r := NewRand(5, 1)
	s := state(m, &r)
	m.SetTarget(s, 24)
	var v float64
	for i := range 100 {
		v = m.Next(s, float64(i), &r)
	}
	if math.Abs(v-24) > 0.01 {
		t.Errorf("offset after 100 ticks toward 24 = %g", v)
	}
}

func TestStepSchedule(t *testing.T) {
	t.Parallel()
	m := &Step{At: []float64{0, 60, 120}, Values: []float64{1, 2, 3}, Every: 180}
	for _, c := range []struct{ t, want float64 }{
		{0, 1}, {59.9, 1}, {60, 2}, {119, 2}, {120, 3}, {179, 3}, {180, 1}, {245, 2}, {-1, 3},
	} {
		if got := m.ValueAt(c.t); got != c.want {
			t.Errorf("ValueAt(%g) = %g, want %g", c.t, got, c.want)
		}
	}
	late := &Step{At: []float64{30}, Values: []float64{5}}
	if got := late.ValueAt(10); got != 5 {
		t.Errorf("before the first entry = %g, want the first value 5", got)
	}
	if got := late.ValueAt(1e6); got != 5 {
		t.Errorf("without a cycle the last value holds; got %g", got)
	}
}

func TestCounter(t *testing.T) {
	t.Parallel()
	r := NewRand(6, 1)
	tests := []struct {
		name string
		m    *Counter
		want []float64
	}{
		{"plain", &Counter{Start: 5, Step: 2}, []float64{5, 7, 9, 11}},
		{"wrap", &Counter{Start: 0, Step: 1, Wrap: 3, HasWrap: true}, []float64{0, 1, 2, 0, 1, 2, 0}},
		{"down with wrap", &Counter{Start: 0, Step: -1, Wrap: 3, HasWrap: true}, []float64{0, 2, 1, 0, 2}},
		{"wide step wraps modulo", &Counter{Start: 10, Step: 7, Wrap: 20, HasWrap: true}, []float64{10, 17, 14, 11, 18}},
	}
	for _, tc := range tests {
		s := state(tc.m, &r)
		for i, want := range tc.want {
			if got := tc.m.Next(s, 0, &r); got != want {
				t.Errorf("%s: value %d = %g, want %g", tc.name, i, got, want)
			}
		}
	}
	m := &Counter{Start: 0, Step: 1, StepMax: 3}
	s := state(m, &r)
	prev := m.Next(s, 0, &r)
	for range 1000 {
		v := m.Next(s, 0, &r)
		if d := v - prev; d < 1 || d > 3 {
			t.Fatalf("random step %g outside [1, 3]", d)
		}
		prev = v
	}
}

func TestEnumWeights(t *testing.T) {
	t.Parallel()
	vals := []Literal{{Text: "a"}, {Text: "b"}, {Text: "c"}}
	m := NewEnum(vals, []float64{1, 3, 6}, 1)
	r := NewRand(7, 1)
	s := state(m, &r)
	var counts [3]int
	const n = 100_000
	for range n {
		counts[int(m.Next(s, 0, &r))]++
	}
	for i, want := range []float64{0.1, 0.3, 0.6} {
		if got := float64(counts[i]) / n; math.Abs(got-want) > 0.01 {
			t.Errorf("value %s drawn %.3f of the time, want %.2f", vals[i].Text, got, want)
		}
	}
	if got := m.Value(7).Text; got != "a" {
		t.Errorf("Value of an out-of-range index = %q, want the first value", got)
	}
}

func TestEnumChangeProbability(t *testing.T) {
	t.Parallel()
	m := NewEnum([]Literal{{Text: "x"}, {Text: "y"}}, nil, 0.1)
	r := NewRand(8, 1)
	s := state(m, &r)
	changes, prev := 0, m.Next(s, 0, &r)
	const n = 100_000
	for range n {
		v := m.Next(s, 0, &r)
		if v != prev {
			changes++
		}
		prev = v
	}
	// A redraw happens with p 0.1 and picks the other value half the time.
	if got := float64(changes) / n; math.Abs(got-0.05) > 0.005 {
		t.Errorf("value changed %.4f of the ticks, want about 0.05", got)
	}
}

func TestGPSMovesAtSpeedAlongPath(t *testing.T) {
	t.Parallel()
	lat := []float64{48.1372, 48.1374, 48.1370, 48.1368}
	lon := []float64{11.5753, 11.5761, 11.5764, 11.5756}
	for _, loop := range []bool{true, false} {
		g := NewGPS(lat, lon, 1.5, loop, false)
		r := NewRand(9, 1)
		s := state(g, &r)
		pla, plo, phd := g.Position(g.Next(s, 0, &r))
		if pla != lat[0] || plo != lon[0] {
			t.Fatalf("loop=%v: start (%g, %g), want the first waypoint", loop, pla, plo)
		}
		for sec := 1.0; sec < 2000; sec++ {
			la, lo, hd := g.Position(g.Next(s, sec, &r))
			d := Distance(pla, plo, la, lo)
			// Along one segment (same heading) each second covers the
			// speed; across a corner or a turn the chord is shorter.
			if d > 1.5*1.01 || hd == phd && math.Abs(d-1.5) > 1.5*0.01 {
				t.Fatalf("loop=%v: moved %.3f m in 1 s at t=%g, want 1.5", loop, d, sec)
			}
			pla, plo, phd = la, lo, hd
		}
	}
	g := NewGPS(lat, lon, 1.5, true, false)
	la, lo, _ := g.Position(g.Length())
	if Distance(la, lo, lat[0], lon[0]) > 0.01 {
		t.Errorf("a loop is back at the start after its length; at (%g, %g)", la, lo)
	}
	open := NewGPS(lat, lon, 1.5, false, false)
	la, lo, _ = open.Position(2 * open.Length())
	if Distance(la, lo, lat[0], lon[0]) > 0.01 {
		t.Errorf("an open track is back at the start after twice its length; at (%g, %g)", la, lo)
	}
	_, _, out := open.Position(1)
	_, _, back := open.Position(2*open.Length() - 1)
	if math.Abs(math.Mod(out+180, 360)-back) > 1e-6 {
		t.Errorf("heading back (%g) is not the reverse of heading out (%g)", back, out)
	}
}

func TestGPSHeadingAndDistance(t *testing.T) {
	t.Parallel()
	if d := Distance(48, 11, 49, 11); math.Abs(d-111_195) > 10 {
		t.Errorf("one degree of latitude = %.0f m, want about 111195", d)
	}
	for _, c := range []struct {
		lat2, lon2, want float64
	}{{49, 11, 0}, {48, 12, 90}, {47, 11, 180}, {48, 10, 270}} {
		if got := Bearing(48, 11, c.lat2, c.lon2); math.Abs(got-c.want) > 0.5 {
			t.Errorf("Bearing to (%g, %g) = %g, want about %g", c.lat2, c.lon2, got, c.want)
		}
	}
	g := NewGPS([]float64{48, 48.01}, []float64{11, 11}, 1, true, true)
	r := NewRand(10, 1)
	a := state(g, &r)
	b := state(g, &r)
	if a[0] == b[0] || a[0] < 0 || a[0] >= g.Length() {
		t.Errorf("spread starts %g and %g: want two different points on the path", a[0], b[0])
	}
}

func TestRandDeterminism(t *testing.T) {
	t.Parallel()
	a, b, c := NewRand(42, 7), NewRand(42, 7), NewRand(42, 8)
	same, differ := true, false
	for range 100 {
		x, y, z := a.Uint64(), b.Uint64(), c.Uint64()
		same = same && x == y
		differ = differ || x != z
	}
	if !same || !differ {
		t.Errorf("same seed and stream equal: %v; another stream differs: %v", same, differ)
	}
	r := NewRand(1, 2)
	sum, sq, n := 0.0, 0.0, 100_000
	for range n {
		v := r.Norm()
		sum += v
		sq += v * v
	}
	mean := sum / float64(n)
	if sd := math.Sqrt(sq/float64(n) - mean*mean); math.Abs(mean) > 0.02 || math.Abs(sd-1) > 0.02 {
		t.Errorf("Norm: mean %g sd %g, want 0 and 1", mean, sd)
	}
	for range 1000 {
		if i := r.IntN(3); i < 0 || i >= 3 {
			t.Fatalf("IntN(3) = %d", i)
		}
	}
}

func TestKindNames(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds() {
		got, ok := KindOf(k.String())
		if !ok || got != k {
			t.Errorf("KindOf(%q) = %v, %v", k.String(), got, ok)
		}
	}
	if _, ok := KindOf("sinx"); ok {
		t.Error(`KindOf("sinx") succeeded`)
	}
}

func inf() float64 { return math.Inf(1) }
