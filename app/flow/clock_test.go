package flow

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1000, 0)
	var c Clock
	if got := c.Now(t0.Add(time.Hour)); got != 0 {
		t.Errorf("a clock never started reads %v", got)
	}
	c.Start(t0)
	steps := []struct {
		wall time.Duration // since t0
		rate float64       // set at wall, or -1 to leave
		want time.Duration
	}{
		{wall: time.Second, rate: -1, want: time.Second},
		{wall: 2 * time.Second, rate: 0, want: 2 * time.Second},     // pause
		{wall: 10 * time.Second, rate: -1, want: 2 * time.Second},   // frozen
		{wall: 10 * time.Second, rate: 0.25, want: 2 * time.Second}, // slow motion
		{wall: 14 * time.Second, rate: -1, want: 3 * time.Second},   // a quarter as fast
		{wall: 14 * time.Second, rate: 1, want: 3 * time.Second},    // real time again
		{wall: 15 * time.Second, rate: -1, want: 4 * time.Second},   //
		{wall: 13 * time.Second, rate: -1, want: 4 * time.Second},   // a wall clock step back
		{wall: 16 * time.Second, rate: -5, want: 5 * time.Second},   // negative is paused
		{wall: 20 * time.Second, rate: -1, want: 5 * time.Second},   //
	}
	for i, s := range steps {
		now := t0.Add(s.wall)
		if s.rate != -1 {
			c.SetRate(now, s.rate)
		}
		if got := c.Now(now); got != s.want {
			t.Errorf("step %d (wall %v): model time %v, want %v", i, s.wall, got, s.want)
		}
	}
	if c.Rate() != 0 {
		t.Errorf("rate %v after a negative rate, want 0", c.Rate())
	}
}
