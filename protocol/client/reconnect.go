package client

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// reconnect dials again after a lost connection, waiting a growing,
// jittered delay before each attempt, until a connection is installed, the
// run is stopped, or Reconnect.MaxAttempts attempts failed.
func (c *Client) reconnect(r *run, cause error) (*conn, error) {
	rc := c.cfg.Reconnect
	for attempt := 1; rc.MaxAttempts == 0 || attempt <= rc.MaxAttempts; attempt++ {
		delay := backoff(rc, attempt)
		c.emit(Event{Kind: EventReconnecting, Attempt: attempt, Delay: delay, Err: cause})
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.ctx.Done():
			t.Stop()
			return nil, r.why
		}
		cn, err := c.dial(r.ctx)
		if err == nil {
			if err = c.install(r, cn); err == nil {
				return cn, nil
			}
		}
		if r.ctx.Err() != nil {
			return nil, r.why
		}
		cause = err
	}
	return nil, &ConnectionLostError{Cause: fmt.Errorf("gave up after %d reconnection attempts: %w", rc.MaxAttempts, cause)}
}

// backoff is the delay before attempt n (from 1): MinDelay doubled for
// each earlier attempt, capped at MaxDelay, then drawn from its upper half
// so that clients cut off together do not return together.
func backoff(rc *Reconnect, n int) time.Duration {
	d := rc.MaxDelay
	if n-1 < 30 {
		if e := rc.MinDelay << (n - 1); e > 0 && e < d {
			d = e
		}
	}
	half := d / 2
	return half + rand.N(d-half+1)
}
