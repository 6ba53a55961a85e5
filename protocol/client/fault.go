package client

import "sync/atomic"

// faults are the failures a client can be told to act out: an application
// that dies before acknowledging a message, a device that hangs while its
// connection stays open. The lessons show with them, on real packets, what
// the server does about such clients; tests use them to reach the
// server's recovery paths.
type faults struct {
	withhold atomic.Int64 // acknowledgements still to withhold
	noPings  atomic.Bool
}

// withheld reports whether the acknowledgement about to be sent is to be
// withheld, counting it.
func (f *faults) withheld() bool {
	for {
		n := f.withhold.Load()
		if n <= 0 {
			return false
		}
		if f.withhold.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// WithholdAcks leaves the acknowledgements of the next n QoS 1 and 2
// messages the client receives unsent (PUBACK, or PUBREC for QoS 2), as
// an application that fails after handling a message would: the server
// keeps the message in flight and sends it again, with DUP, when the
// session resumes on a new connection. The handlers still get the message
// once; a QoS 2 re-send is then acknowledged without being delivered
// again, while a QoS 1 re-send is a new delivery. n <= 0 cancels what is
// left of an earlier call.
func (c *Client) WithholdAcks(n int) {
	c.faults.withhold.Store(int64(max(n, 0)))
}

// PausePings stops (true) or resumes (false) the PINGREQ of the keepalive,
// as a device whose application hangs while its connection stays open:
// the server, hearing nothing for one and a half keepalives, ends the
// connection and publishes the will. Packets the client sends for other
// reasons still go out and keep the connection alive.
func (c *Client) PausePings(pause bool) {
	c.faults.noPings.Store(pause)
}
