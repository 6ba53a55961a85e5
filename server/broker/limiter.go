package broker

import (
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// limiter slows a client down to Options.PublishRate PUBLISH packets per
// second by pausing its read loop: TCP flow control then holds the client
// back, and nothing is dropped. A token bucket allows bursts of one
// second's worth.
type limiter struct {
	rate   float64 // tokens per second, 0 for no limit
	tokens float64
	last   time.Time
}

func (l *limiter) init(rate float64) {
	l.rate, l.tokens, l.last = rate, rate, time.Now()
}

// wait takes a token for a PUBLISH, sleeping until one is available.
func (l *limiter) wait(c *conn, t protocol.Type) {
	if l.rate <= 0 || t != protocol.PUBLISH {
		return
	}
	now := time.Now()
	l.tokens = min(l.rate, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	l.last = now
	l.tokens--
	if l.tokens < 0 {
		d := time.Duration(-l.tokens / l.rate * float64(time.Second))
		c.b.stats.throttled.Add(1)
		time.Sleep(d)
	}
}
