package flow

import "time"

// Clock is the diagram's time: it runs at a rate of the wall clock, so that
// a pause (rate 0) freezes every dot where it is and slow motion (rate
// below 1) stretches their travel, while events keep arriving in wall-clock
// time. The zero Clock is paused at model time 0; Start sets it going.
// It is not safe for concurrent use.
type Clock struct {
	base  time.Time     // wall time of the last rate change
	at    time.Duration // model time at base
	rate  float64
	began bool
	last  time.Duration // the latest time Now returned
}

// Start sets the clock running at rate 1 from model time 0 at wall time
// now.
func (c *Clock) Start(now time.Time) {
	*c = Clock{base: now, rate: 1, began: true}
}

// Now returns the model time at wall time now. Wall time going backwards
// (a clock step) never makes model time go backwards.
func (c *Clock) Now(now time.Time) time.Duration {
	t := c.at
	if c.began && c.rate > 0 && now.After(c.base) {
		t += time.Duration(float64(now.Sub(c.base)) * c.rate)
	}
	c.last = max(c.last, t)
	return c.last
}

// Rate returns the current rate: 1 is real time, 0 paused.
func (c *Clock) Rate() float64 { return c.rate }

// SetRate changes the rate from wall time now on; negative rates count
// as 0.
func (c *Clock) SetRate(now time.Time, rate float64) {
	c.at = c.Now(now)
	c.base = now
	c.rate = max(rate, 0)
	c.began = true
}
