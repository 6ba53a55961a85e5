package client

import "time"

// EventKind says what an Event reports.
type EventKind uint8

// The events a Client reports through Config.OnEvent.
const (
	// EventUp: a connection is established and ready (Connack is set).
	EventUp EventKind = iota + 1
	// EventDown: the connection ended (Err says why; ErrDisconnected after
	// Disconnect or Drop).
	EventDown
	// EventReconnecting: the client waits Delay before attempt number
	// Attempt (Err is the previous attempt's failure, if any).
	EventReconnecting
	// EventDropped: a QoS 0 message was dropped because the incoming queue
	// was full (Topic names it).
	EventDropped
	// EventResubscribeFailed: after a reconnection without a session, the
	// server refused or failed to re-establish a subscription (Err).
	EventResubscribeFailed
)

func (k EventKind) String() string {
	switch k {
	case EventUp:
		return "up"
	case EventDown:
		return "down"
	case EventReconnecting:
		return "reconnecting"
	case EventDropped:
		return "dropped"
	case EventResubscribeFailed:
		return "resubscribe failed"
	}
	return "unknown"
}

// Event is something a UI or a log shows about a client's connection.
type Event struct {
	Kind    EventKind
	Time    time.Time
	Connack *Connack      // EventUp
	Err     error         // EventDown, EventReconnecting, EventResubscribeFailed
	Attempt int           // EventReconnecting: 1 for the first attempt
	Delay   time.Duration // EventReconnecting
	Topic   string        // EventDropped
}

func (c *Client) emit(e Event) {
	if c.cfg.OnEvent == nil {
		return
	}
	e.Time = time.Now()
	c.cfg.OnEvent(e)
}
