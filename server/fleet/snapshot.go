package fleet

import (
	"math"
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/model"
)

// Reading is the last value of one field, for the fleet page.
type Reading struct {
	Field  string
	Unit   string
	Value  string  // as last published; empty before the first reading
	Number float64 // the numeric value (enum: index; gps: distance; NaN before the first reading)
	Target *float64
}

// Snapshot is a device's state for the fleet page.
type Snapshot struct {
	ClientID  string
	State     State
	Sent      uint32
	Interval  time.Duration
	Due       time.Time
	LastSent  time.Time // zero before the first publish
	Readings  []Reading
	NextChurn time.Time
}

// Snapshot returns the device's state and last values. It allocates; it
// is for the page, not for every tick.
func (d *Device) Snapshot() Snapshot {
	s := Snapshot{
		ClientID:  d.ClientID(),
		State:     d.state,
		Sent:      d.sent,
		Interval:  d.Interval(),
		Due:       d.Due(),
		NextChurn: d.NextChurn(),
	}
	if d.lastAt != 0 {
		s.LastSent = time.Unix(0, d.lastAt)
	}
	var r reading
	r.at = d.lastAt
	off := 0
	for i, fl := range d.fleet.Fields {
		last := d.slots[off]
		rd := Reading{Field: fl.Name, Unit: fl.Unit, Number: last}
		if _, isTS := fl.Model.(*model.Timestamp); !math.IsNaN(last) && (!isTS || d.lastAt != 0) {
			r.vals[i] = last
			rd.Value = string(d.appendText(nil, i, &r, false))
		}
		if m, ok := fl.Settable(); ok {
			if v, set := m.Target(d.slots[off+1 : off+1+fl.Model.Slots()]); set {
				rd.Target = &v
			}
		}
		s.Readings = append(s.Readings, rd)
		off += fieldSlots(fl)
	}
	return s
}
