package fleet

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/model"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// reading is one tick's values: one per field, and which fields are
// missing (a gap fault).
type reading struct {
	at   int64 // the tick's time, unix ns
	vals [scenario.MaxFields]float64
	gaps uint64
}

// sample advances every field to the tick at `at` and applies the faults.
func (d *Device) sample(at int64, r *reading) {
	r.at, r.gaps = at, 0
	el := float64(at-d.epoch) / float64(time.Second)
	off := 0
	for i, fl := range d.fleet.Fields {
		n := fl.Model.Slots()
		s := d.slots[off : off+fieldSlots(fl)]
		off += len(s)
		v := fl.Model.Next(s[1:1+n], el, &d.rng)
		fs := &fl.Faults
		if st := fs.Stuck; st != nil {
			until := &s[1+n]
			switch {
			case el < *until:
				v = s[0]
			case !math.IsNaN(s[0]) && d.rng.Bool(st.Probability):
				*until = el + float64(d.draw(st.For))/float64(time.Second)
				v = s[0]
			}
		}
		if sp := fs.Spikes; sp != nil && d.rng.Bool(sp.Probability) {
			jump := sp.Magnitude * (0.5 + 0.5*d.rng.Float64())
			if d.rng.Bool(0.5) {
				jump = -jump
			}
			v += jump
		}
		if fs.Gaps > 0 && d.rng.Bool(fs.Gaps) {
			r.gaps |= 1 << i
			continue
		}
		s[0] = v
		r.vals[i] = v
	}
}

// publish samples the device at `at` and writes topic and payload into
// buf. It reports false when there is nothing to send (the single value
// of a plain payload is missing).
func (d *Device) publish(at int64, buf []byte) (Message, bool) {
	var r reading
	d.sample(at, &r)
	f := d.fleet
	b := f.Topic.Append(buf[:0], f, int(d.index))
	n := len(b)
	switch f.Format {
	case scenario.JSON:
		b = d.appendJSON(b, f.Tree, &r)
	case scenario.CSV:
		for i := range f.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			if r.gaps&(1<<i) == 0 {
				b = d.appendText(b, i, &r, true)
			}
		}
	case scenario.Plain:
		if r.gaps&1 != 0 {
			return Message{Buf: b}, false
		}
		b = d.appendText(b, 0, &r, false)
	case scenario.Hex:
		for i := range f.Fields {
			b = d.appendBinary(b, i, &r)
		}
	}
	d.sent++
	d.lastAt = at
	return Message{Topic: b[:n], Payload: b[n:], QoS: f.QoS, Retain: f.Retain, Format: f.Format, Expiry: f.Expiry, Buf: b}, true
}

func (d *Device) appendJSON(b []byte, nodes []scenario.Node, r *reading) []byte {
	b = append(b, '{')
	first := true
	for i := range nodes {
		nd := &nodes[i]
		if nd.Field >= 0 && r.gaps&(1<<nd.Field) != 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, nd.Key...)
		if nd.Field < 0 {
			b = d.appendJSON(b, nd.Children, r)
			continue
		}
		b = d.appendJSONValue(b, nd.Field, r)
	}
	return append(b, '}')
}

func (d *Device) appendJSONValue(b []byte, i int, r *reading) []byte {
	fl := d.fleet.Fields[i]
	v := r.vals[i]
	switch m := fl.Model.(type) {
	case *model.Enum:
		return append(b, m.Value(v).JSON...)
	case *model.GPS:
		lat, lon, hdg := m.Position(v)
		b = append(b, `{"lat":`...)
		b = appendNum(b, lat, fl.Decimals, true)
		b = append(b, `,"lon":`...)
		b = appendNum(b, lon, fl.Decimals, true)
		b = append(b, `,"heading":`...)
		b = appendNum(b, hdg, 1, true)
		return append(b, '}')
	case *model.Timestamp:
		if m.Format == model.RFC3339 {
			b = append(b, '"')
			b = appendTime(b, r.at, m.Format)
			return append(b, '"')
		}
		return appendTime(b, r.at, m.Format)
	case *model.Constant:
		switch {
		case fl.Text != nil:
			start := len(b)
			b = fl.Text.Append(b, d.fleet, int(d.index))
			return appendJSONString(b, start)
		case m.Value.IsNum && fl.Decimals >= 0:
			return appendNum(b, m.Value.Number, fl.Decimals, true)
		}
		return append(b, m.Value.JSON...)
	}
	return appendNum(b, v, fl.Decimals, true)
}

// appendText renders field i as plain text (CSV-quoted when csv).
func (d *Device) appendText(b []byte, i int, r *reading, csv bool) []byte {
	fl := d.fleet.Fields[i]
	v := r.vals[i]
	start := len(b)
	switch m := fl.Model.(type) {
	case *model.Enum:
		b = append(b, m.Value(v).Text...)
	case *model.GPS:
		lat, lon, hdg := m.Position(v)
		b = appendNum(b, lat, fl.Decimals, false)
		b = append(b, ',')
		b = appendNum(b, lon, fl.Decimals, false)
		b = append(b, ',')
		return appendNum(b, hdg, 1, false)
	case *model.Timestamp:
		return appendTime(b, r.at, m.Format)
	case *model.Constant:
		switch {
		case fl.Text != nil:
			b = fl.Text.Append(b, d.fleet, int(d.index))
		case m.Value.IsNum && fl.Decimals >= 0:
			return appendNum(b, m.Value.Number, fl.Decimals, false)
		default:
			b = append(b, m.Value.Text...)
		}
	default:
		return appendNum(b, v, fl.Decimals, false)
	}
	if csv {
		return csvQuote(b, start)
	}
	return b
}

// appendBinary renders field i in its hex-format encoding.
func (d *Device) appendBinary(b []byte, i int, r *reading) []byte {
	fl := d.fleet.Fields[i]
	enc := fl.Encoding
	v := r.vals[i]
	switch m := fl.Model.(type) {
	case *model.GPS:
		lat, lon, hdg := m.Position(v)
		b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(lat*1e7))))
		b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(lon*1e7))))
		return binary.BigEndian.AppendUint16(b, uint16(math.Round(hdg*100))%36000)
	case *model.Enum:
		if l := m.Value(v); l.IsNum {
			v = l.Number
		}
	case *model.Timestamp:
		if m.Format == model.UnixMilli {
			v = float64(r.at / int64(time.Millisecond))
		} else {
			v = float64(r.at / int64(time.Second))
		}
	case *model.Constant:
		if enc.Type == scenario.Raw {
			switch {
			case m.Raw != nil:
				return append(b, m.Raw...)
			case fl.Text != nil:
				return fl.Text.Append(b, d.fleet, int(d.index))
			}
			return append(b, m.Value.Text...)
		}
		v = m.Value.Number
	}
	return appendEncoded(b, enc, v)
}

// appendEncoded writes v×Scale as enc's binary type; integers round and
// saturate at the type's range.
func appendEncoded(b []byte, enc scenario.Encoding, v float64) []byte {
	x := v * enc.Scale
	var order binary.AppendByteOrder = binary.BigEndian
	if enc.Little {
		order = binary.LittleEndian
	}
	switch enc.Type {
	case scenario.U8:
		return append(b, byte(sat(x, 0, math.MaxUint8)))
	case scenario.I8:
		return append(b, byte(int8(sat(x, math.MinInt8, math.MaxInt8))))
	case scenario.U16:
		return order.AppendUint16(b, uint16(sat(x, 0, math.MaxUint16)))
	case scenario.I16:
		return order.AppendUint16(b, uint16(int16(sat(x, math.MinInt16, math.MaxInt16))))
	case scenario.U32:
		return order.AppendUint32(b, uint32(sat(x, 0, math.MaxUint32)))
	case scenario.I32:
		return order.AppendUint32(b, uint32(int32(sat(x, math.MinInt32, math.MaxInt32))))
	case scenario.U64:
		return order.AppendUint64(b, satU64(x))
	case scenario.I64:
		return order.AppendUint64(b, uint64(satI64(x)))
	case scenario.F64:
		return order.AppendUint64(b, math.Float64bits(x))
	}
	return order.AppendUint32(b, math.Float32bits(float32(x)))
}

// sat rounds x and limits it to [lo, hi]; NaN becomes 0.
func sat(x, lo, hi float64) int64 {
	if math.IsNaN(x) {
		return 0
	}
	x = math.Round(x)
	if x < lo {
		x = lo
	}
	if x > hi {
		x = hi
	}
	return int64(x)
}

func satU64(x float64) uint64 {
	switch {
	case math.IsNaN(x) || x <= 0:
		return 0
	case x >= 1<<64:
		return math.MaxUint64
	}
	return uint64(math.Round(x))
}

func satI64(x float64) int64 {
	switch {
	case math.IsNaN(x):
		return 0
	case x >= 1<<63:
		return math.MaxInt64
	case x <= -(1 << 63):
		return math.MinInt64
	}
	return int64(math.Round(x))
}

// appendNum writes v with dec decimals (-1: as few as exact). Non-finite
// values, which JSON cannot carry, become null (json) or empty.
func appendNum(b []byte, v float64, dec int, json bool) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if json {
			return append(b, "null"...)
		}
		return b
	}
	if dec >= 0 && math.Abs(v) < 0.5*math.Pow10(-dec) {
		v = 0 // no "-0.0"
	}
	if v == 0 {
		v = 0 // -0 → 0
	}
	return appendFloat(b, v, dec)
}

// appendTime writes the time t (unix ns) in format f.
func appendTime(b []byte, t int64, f model.TimeFormat) []byte {
	switch f {
	case model.UnixMilli:
		return appendInt(b, t/int64(time.Millisecond))
	case model.Unix:
		return appendInt(b, t/int64(time.Second))
	}
	return time.Unix(0, t).UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
}
