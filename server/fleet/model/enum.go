package model

import "sort"

// Literal is a value written in a scenario file, ready to render in each
// payload format without work per tick.
type Literal struct {
	Text   string  // as plain text and in CSV
	JSON   string  // as a JSON value: a quoted string, a number, true or false
	Number float64 // the numeric value (booleans are 0 and 1; strings 0)
	IsNum  bool    // Number is meaningful (numbers and booleans)
}

// Enum draws one of Values with the given weights. With Change < 1 a
// device keeps its value and redraws only with probability Change per
// tick, which makes doors stay open or closed for a while instead of
// flickering.
//
// State: [index of the current value].
type Enum struct {
	Values []Literal
	Cum    []float64 // cumulative weights, normalised so the last is 1
	Change float64   // probability of a redraw per tick, 0..1
}

// NewEnum returns an Enum over values with weights (nil: equal weights).
// The weights must be positive and as many as the values.
func NewEnum(values []Literal, weights []float64, change float64) *Enum {
	cum := make([]float64, len(values))
	total := 0.0
	for i := range values {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		total += w
		cum[i] = total
	}
	for i := range cum {
		cum[i] /= total
	}
	return &Enum{Values: values, Cum: cum, Change: change}
}

// Kind returns KindEnum.
func (*Enum) Kind() Kind { return KindEnum }

// Slots returns 1.
func (*Enum) Slots() int { return 1 }

// Init draws the device's first value.
func (m *Enum) Init(s []float64, r *Rand) { s[0] = float64(m.draw(r)) }

// Next returns the index of the current value, redrawn with probability
// Change.
func (m *Enum) Next(s []float64, _ float64, r *Rand) float64 {
	if m.Change >= 1 || r.Bool(m.Change) {
		s[0] = float64(m.draw(r))
	}
	return s[0]
}

func (m *Enum) draw(r *Rand) int {
	i := sort.SearchFloat64s(m.Cum, r.Float64())
	if i >= len(m.Cum) { // u at the top edge after rounding
		i = len(m.Cum) - 1
	}
	return i
}

// Value returns the literal at index v (as Next returned it), clamped to
// the list so that a corrupted state cannot index out of range.
func (m *Enum) Value(v float64) *Literal {
	i := int(v)
	if i < 0 || i >= len(m.Values) {
		i = 0
	}
	return &m.Values[i]
}
