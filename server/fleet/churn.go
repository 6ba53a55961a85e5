package fleet

import (
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// planChurn sets when a device that came online at t leaves next: the
// next point of the fleet's schedule, or an exponential wait for a
// rate. A per-publish probability is decided at each publish instead.
func (d *Device) planChurn(t int64) {
	d.churnAt = 0
	c := d.fleet.Churn
	if c == nil || !c.Selects(d.fleet, int(d.index)) {
		return
	}
	switch {
	case c.Scheduled():
		first := d.epoch + int64(c.After)
		if c.Every == 0 {
			if first > t {
				d.churnAt = first
			}
			return
		}
		if first > t {
			d.churnAt = first
			return
		}
		every := int64(c.Every)
		d.churnAt = first + ((t-first)/every+1)*every
	case c.Rate > 0:
		d.churnAt = t + int64(d.rng.Exp()/c.Rate*float64(time.Second))
		if d.churnAt <= t {
			d.churnAt = t + 1
		}
	}
}

// maybeChurn decides at a publish whether the device leaves right after.
func (d *Device) maybeChurn(t int64) {
	c := d.fleet.Churn
	if c == nil || c.Probability <= 0 || d.churnAt != 0 || !c.Selects(d.fleet, int(d.index)) {
		return
	}
	if d.rng.Bool(c.Probability) {
		d.churnAt = t
	}
}

// leave takes the device offline for the churn's duration and says how.
func (d *Device) leave(t int64) Action {
	c := d.fleet.Churn
	act := ActionDisconnect
	switch c.Mode {
	case scenario.ChurnDrop:
		act = ActionDrop
	case scenario.ChurnMixed:
		if d.rng.Bool(0.5) {
			act = ActionDrop
		}
	}
	d.goOffline(t + d.draw(c.Offline))
	return act
}

// draw returns a duration from r.
func (d *Device) draw(r scenario.Range) int64 {
	if r.Max <= r.Min {
		return int64(r.Min)
	}
	return int64(r.Min) + int64(d.rng.Range(0, float64(r.Max-r.Min)))
}
