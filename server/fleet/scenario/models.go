package scenario

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mqttlab/mqttlab/server/fleet/model"
)

// The decoders of the value models: each reads its keys from a field's
// mapping and returns nil, having reported why, when it cannot build the
// model.

func whole(f float64) bool { return f == math.Trunc(f) && math.Abs(f) < 1<<53 }

var inf = math.Inf(1)

func (d *decoder) randomWalk(m *mapping) model.Model {
	w := &model.RandomWalk{Min: -inf, Max: inf}
	lo, okLo := m.optFloat("min", -inf, inf)
	hi, okHi := m.optFloat("max", -inf, inf)
	if lo != nil {
		w.Min = *lo
	}
	if hi != nil {
		w.Max = *hi
	}
	if okLo && okHi && w.Min >= w.Max {
		d.errorf(m.lineOf("max"), join(m.path, "max"), "max %g must be above min %g", w.Max, w.Min)
		return nil
	}
	def := 0.0
	if lo != nil && hi != nil {
		def = (w.Min + w.Max) / 2
	}
	start, _ := m.optFloat("start", w.Min, w.Max)
	if start != nil {
		w.Start = *start
	} else {
		w.Start = def
		if lo == nil && hi != nil || lo != nil && hi == nil {
			w.Start = clampF(0, w.Min, w.Max)
		}
	}
	w.Spread = m.float("spread", 0, 0, inf)
	if n, p := m.get("step"); n == nil {
		m.missing("step", "the largest change per reading, e.g. 0.2")
	} else if v, ok := d.float(n, p); ok {
		if v <= 0 {
			d.errorf(n.Line, p, "must be above 0 (got %s)", n.Value)
		}
		w.Step = v
	}
	w.Revert = m.float("revert", 0, 0, 1)
	return w
}

func clampF(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func (d *decoder) sine(m *mapping) model.Model {
	s := &model.Sine{Min: -inf, Max: inf, Amplitude: 1}
	if n, p := m.get("period"); n == nil {
		m.missing("period", "a duration such as 24h")
	} else if v, ok := d.duration(n, p); ok {
		if v <= 0 {
			d.errorf(n.Line, p, "must be above 0")
		}
		s.Period = v.Seconds()
	}
	s.Amplitude = m.float("amplitude", 1, 0, inf)
	s.Offset = m.float("offset", 0, -inf, inf)
	s.Spread = m.float("spread", 0, 0, inf)
	s.Noise = m.float("noise", 0, 0, inf)
	s.Drift = m.float("drift", 0.1, 0, 1)
	if n, p := m.get("phase"); n != nil {
		if n.Kind == yaml.ScalarNode && n.Value == "random" {
			s.RandomPhase = true
		} else if !(n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float")) {
			d.errorf(n.Line, p, `expected an angle in degrees or "random", got %s`, describe(n))
		} else if v, ok := d.float(n, p); ok {
			s.Phase = v * math.Pi / 180
		}
	}
	if lo, _ := m.optFloat("min", -inf, inf); lo != nil {
		s.Min = *lo
	}
	if hi, _ := m.optFloat("max", -inf, inf); hi != nil {
		s.Max = *hi
	}
	if s.Min >= s.Max {
		d.errorf(m.lineOf("max"), join(m.path, "max"), "max %g must be above min %g", s.Max, s.Min)
	}
	if s.Period <= 0 {
		return nil
	}
	return s
}

func (d *decoder) step(m *mapping) model.Model {
	s := &model.Step{}
	n, p := m.get("schedule")
	if n == nil {
		m.missing("schedule", "a list of {at: duration, value: number}")
		return nil
	}
	items, ok := d.seq(n, p, "{at, value} entries")
	if !ok {
		return nil
	}
	if len(items) == 0 || len(items) > MaxListItems {
		d.errorf(n.Line, p, "expected 1 to %d entries", MaxListItems)
		return nil
	}
	for i, it := range items {
		em := d.mapping(it, index(p, i))
		if em == nil {
			continue
		}
		at := em.duration("at", 0, 0, 0)
		if !em.has("at") {
			em.missing("at", "the time from the start, e.g. 8h")
		}
		vn, vp := em.get("value")
		var v float64
		if vn == nil {
			em.missing("value", "a number")
		} else {
			v, _ = d.float(vn, vp)
		}
		em.finish("in a schedule entry")
		if len(s.At) > 0 && at.Seconds() <= s.At[len(s.At)-1] {
			d.errorf(em.line, join(index(p, i), "at"), "times must increase (%s is not after the previous entry)", at)
		}
		s.At = append(s.At, at.Seconds())
		s.Values = append(s.Values, v)
	}
	if e := m.duration("every", 0, 0, 0); e > 0 {
		s.Every = e.Seconds()
		if len(s.At) > 0 && s.At[len(s.At)-1] >= s.Every {
			d.errorf(m.lineOf("every"), join(m.path, "every"), "the cycle (%s) must be longer than the last entry's time", e)
		}
	}
	s.Noise = m.float("noise", 0, 0, inf)
	return s
}

func (d *decoder) counter(m *mapping) *model.Counter {
	c := &model.Counter{}
	c.Start = m.float("start", 0, -inf, inf)
	c.Step = m.float("step", 1, -inf, inf)
	if c.Step == 0 {
		d.errorf(m.lineOf("step"), join(m.path, "step"), "must not be 0")
	}
	if sm, _ := m.optFloat("step_max", -inf, inf); sm != nil {
		if *sm <= c.Step {
			d.errorf(m.lineOf("step_max"), join(m.path, "step_max"), "must be above step %g (got %g)", c.Step, *sm)
		}
		c.StepMax = *sm
	}
	if w, _ := m.optFloat("wrap", -inf, inf); w != nil {
		if *w <= c.Start {
			d.errorf(m.lineOf("wrap"), join(m.path, "wrap"), "must be above start %g (got %g): values stay in [start, wrap)", c.Start, *w)
		}
		c.Wrap, c.HasWrap = *w, true
	}
	return c
}

func (d *decoder) enum(m *mapping) model.Model {
	n, p := m.get("values")
	if n == nil {
		m.missing("values", "a list such as [open, closed]")
		return nil
	}
	items, ok := d.seq(n, p, "values")
	if !ok {
		return nil
	}
	if len(items) == 0 || len(items) > 256 {
		d.errorf(n.Line, p, "expected 1 to 256 values, got %d", len(items))
		return nil
	}
	values := make([]model.Literal, 0, len(items))
	for i, it := range items {
		if it = d.resolve(it); it == nil {
			return nil
		}
		c, ok := d.literal(it, index(p, i))
		if !ok {
			return nil
		}
		values = append(values, c.Value)
	}
	var weights []float64
	if wn, wp := m.get("weights"); wn != nil {
		ws, ok := d.seq(wn, wp, "weights")
		if !ok {
			return nil
		}
		if len(ws) != len(values) {
			d.errorf(wn.Line, wp, "expected %d weights (one per value), got %d", len(values), len(ws))
			return nil
		}
		for i, w := range ws {
			if w = d.resolve(w); w == nil {
				return nil
			}
			v, ok := d.float(w, index(wp, i))
			if !ok {
				return nil
			}
			if v <= 0 {
				d.errorf(w.Line, index(wp, i), "must be above 0 (got %s)", w.Value)
				return nil
			}
			weights = append(weights, v)
		}
	}
	change := m.float("change", 1, 0, 1)
	if change == 0 {
		d.errorf(m.lineOf("change"), join(m.path, "change"), "must be above 0 (0 would never change)")
	}
	return model.NewEnum(values, weights, change)
}

func (d *decoder) gps(m *mapping) model.Model {
	n, p := m.get("waypoints")
	if n == nil {
		m.missing("waypoints", "a list of [lat, lon] pairs")
		return nil
	}
	items, ok := d.seq(n, p, "[lat, lon] pairs")
	if !ok {
		return nil
	}
	if len(items) < 2 || len(items) > MaxListItems {
		d.errorf(n.Line, p, "expected 2 to %d waypoints, got %d", MaxListItems, len(items))
		return nil
	}
	lat := make([]float64, 0, len(items))
	lon := make([]float64, 0, len(items))
	for i, it := range items {
		ip := index(p, i)
		if it = d.resolve(it); it == nil {
			return nil
		}
		if it.Kind != yaml.SequenceNode || len(it.Content) != 2 {
			d.errorf(it.Line, ip, "expected [lat, lon], got %s", describe(it))
			return nil
		}
		la, ok1 := d.float(it.Content[0], index(ip, 0))
		lo, ok2 := d.float(it.Content[1], index(ip, 1))
		if !ok1 || !ok2 {
			return nil
		}
		if la < -90 || la > 90 || lo < -180 || lo > 180 {
			d.errorf(it.Line, ip, "[%g, %g] is not on Earth (latitude -90..90, longitude -180..180)", la, lo)
			return nil
		}
		lat, lon = append(lat, la), append(lon, lo)
	}
	speed := 0.0
	if sn, sp := m.get("speed"); sn == nil {
		m.missing("speed", "metres per second, e.g. 1.5")
	} else if v, ok := d.float(sn, sp); ok {
		if v <= 0 || v > 1000 {
			d.errorf(sn.Line, sp, "must be above 0 and at most 1000 m/s (got %s)", sn.Value)
		}
		speed = v
	}
	loop := m.boolean("loop", true)
	spread := m.boolean("spread", true)
	g := model.NewGPS(lat, lon, speed, loop, spread)
	if g.Length() == 0 {
		d.errorf(n.Line, p, "the waypoints are all the same point")
		return nil
	}
	return g
}

func (d *decoder) timestamp(m *mapping) *model.Timestamp {
	names := make([]string, 0, 3)
	for _, f := range model.TimeFormats() {
		names = append(names, f.String())
	}
	s := m.choice("format", "rfc3339", names...)
	for _, f := range model.TimeFormats() {
		if f.String() == s {
			return &model.Timestamp{Format: f}
		}
	}
	return &model.Timestamp{}
}

func (d *decoder) constant(m *mapping, fld *Field, f *Fleet) model.Model {
	vn, vp := m.get("value")
	hn, hp := m.get("hex")
	switch {
	case vn != nil && hn != nil:
		d.errorf(m.line, m.path, "give value or hex, not both")
		return nil
	case hn != nil:
		s, ok := d.str(hn, hp)
		if !ok {
			return nil
		}
		raw, err := hex.DecodeString(strings.NewReplacer(" ", "", ":", "", "-", "").Replace(s))
		if err != nil || len(raw) == 0 {
			d.errorf(hn.Line, hp, "expected hex bytes such as \"a5 01 ff\", got %s", describe(hn))
			return nil
		}
		x := hex.EncodeToString(raw)
		return &model.Constant{Value: model.Literal{Text: x, JSON: `"` + x + `"`}, Raw: raw}
	case vn == nil:
		m.missing("value", "a string, number or boolean")
		return nil
	}
	c, ok := d.literal(vn, vp)
	if !ok {
		return nil
	}
	d.constantText(fld, c, vn, vp, f)
	return c
}

// constantText makes a string constant with placeholders a template.
func (d *decoder) constantText(fld *Field, c *model.Constant, n *yaml.Node, p string, f *Fleet) {
	if c.Value.IsNum {
		return
	}
	t, err := parseTemplate(c.Value.Text, f.Labels, false, false)
	if err != nil {
		d.errorf(n.Line, p, "%v", err)
		return
	}
	if !t.Fixed() {
		fld.Text = t
	}
}

// literal reads a scalar as a constant.
func (d *decoder) literal(n *yaml.Node, p string) (*model.Constant, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n.Line, p, "expected a string, number or boolean, got %s", describe(n))
		return nil, false
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		v, ok := d.float(n, p)
		if !ok {
			return nil, false
		}
		s := strconv.FormatFloat(v, 'f', -1, 64)
		return &model.Constant{Value: model.Literal{Text: s, JSON: s, Number: v, IsNum: true}}, true
	case "!!bool":
		var b bool
		_ = n.Decode(&b)
		l := model.Literal{Text: "false", JSON: "false", IsNum: true}
		if b {
			l = model.Literal{Text: "true", JSON: "true", Number: 1, IsNum: true}
		}
		return &model.Constant{Value: l}, true
	case "!!null":
		d.errorf(n.Line, p, "expected a value, got nothing")
		return nil, false
	}
	j, _ := json.Marshal(n.Value)
	return &model.Constant{Value: model.Literal{Text: n.Value, JSON: string(j)}}, true
}
