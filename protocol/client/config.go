package client

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// DialFunc opens the network connection a Client speaks MQTT on. Dialer
// makes one from a URL; tests and in-process devices return one end of a
// net.Pipe or any other net.Conn.
type DialFunc func(ctx context.Context) (net.Conn, error)

// Config configures a Client. Only Dial is required.
type Config struct {
	// Dial opens the network connection, for the first connection and for
	// every reconnection.
	Dial DialFunc

	// Connect is the CONNECT packet sent on every connection: protocol
	// version (0 means 5.0), client identifier, clean start, keep alive
	// (seconds, 0 disables keepalive), will with its properties, user name,
	// password, and the 5.0 properties (session expiry, receive maximum,
	// maximum packet size, topic alias maximum, request problem/response
	// information, user properties, authentication method and data).
	//
	// The client honours what it announces: Props.ReceiveMaximum bounds the
	// QoS 1 and 2 messages it accepts unacknowledged (absent: QueueSize),
	// Props.MaximumPacketSize the packets it reads, and
	// Props.TopicAliasMaximum the aliases it resolves (absent: none). When
	// the server assigns a client identifier, reconnections use it so that
	// the session can resume.
	Connect protocol.Connect

	// Auth answers the server's AUTH packets (MQTT 5.0 extended
	// authentication, §4.12): it is called with every AUTH carrying reason
	// code 0x18 (Continue authentication), during the CONNECT exchange and
	// during re-authentication, and returns the AUTH to send back. The
	// client fills in an absent Authentication Method. It runs on the
	// reading goroutine: it must not wait for other packets.
	Auth func(ctx context.Context, in *protocol.Auth) (*protocol.Auth, error)

	// DefaultHandler receives the messages that no subscription's handler
	// claims. May be nil: such messages are then counted as unrouted in
	// Stats and acknowledged.
	DefaultHandler Handler

	// QueueSize bounds the incoming messages waiting for their handlers
	// (default 1024). QoS 1 and 2 messages are bounded by the Receive
	// Maximum the client announces, which defaults to QueueSize; a QoS 0
	// message that finds the queue full is dropped and reported. In 3.1
	// and 3.1.1, which have no Receive Maximum, a QoS 1 or 2 message
	// finding QueueSize such messages queued makes the reader wait for
	// the handlers (the server's own in-flight limit normally prevents it).
	QueueSize int

	// MaxInflight caps the QoS 1 and 2 messages sent and not yet
	// acknowledged; the server's Receive Maximum caps them too. 0 means
	// 65,535, the protocol's limit.
	MaxInflight int

	// TopicAliases lets Publish replace topics by aliases (5.0), keeping the
	// most recently used topics in the server's Topic Alias Maximum slots.
	// Off by default: aliases save bytes but make packets harder to read.
	TopicAliases bool

	// Reconnect, when not nil, makes the client reconnect after losing an
	// established connection, waiting an exponentially growing, jittered
	// delay between attempts. Subscriptions are sent again when the new
	// connection does not resume the session.
	Reconnect *Reconnect

	// OnEvent is told when the connection comes up or goes down, when a
	// reconnection is attempted and when a message is dropped. It is
	// called synchronously from the client's goroutines and must return
	// quickly (a UI should hand the event over, not render in it).
	OnEvent func(Event)

	// Tap, if set, sees every packet in and out (see SetTap).
	Tap func(TapEvent)

	// ConnectTimeout bounds dialing plus the CONNECT exchange when the
	// context has no earlier deadline (default 30 s).
	ConnectTimeout time.Duration
	// PingTimeout is how long the client waits for PINGRESP before closing
	// the connection with ErrPingTimeout (default: half the keepalive,
	// between 1 s and 30 s).
	PingTimeout time.Duration
	// WriteTimeout bounds one write to the network (default 30 s; negative:
	// none). A write that times out ends the connection.
	WriteTimeout time.Duration
}

// Reconnect configures automatic reconnection. The n-th delay is drawn
// uniformly from [d/2, d] where d = min(MinDelay·2ⁿ, MaxDelay).
type Reconnect struct {
	MinDelay time.Duration // default 500 ms
	MaxDelay time.Duration // default 30 s
	// MaxAttempts stops after this many failed attempts in a row (0: never
	// stop).
	MaxAttempts int
}

const (
	defaultQueueSize      = 1024
	defaultConnectTimeout = 30 * time.Second
	defaultWriteTimeout   = 30 * time.Second
)

// normalize checks cfg and fills in defaults.
func (cfg *Config) normalize() error {
	if cfg.Dial == nil {
		return errors.New("mqtt client: Config.Dial is nil: use Dialer(url) or a function returning a net.Conn")
	}
	if cfg.Connect.Version == 0 {
		cfg.Connect.Version = protocol.V5
	}
	if !cfg.Connect.Version.Valid() {
		return errors.New("mqtt client: Config.Connect.Version must be protocol.V31, V311 or V5")
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = defaultQueueSize
	}
	if cfg.MaxInflight <= 0 || cfg.MaxInflight > 65535 {
		cfg.MaxInflight = 65535
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = defaultConnectTimeout
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = defaultWriteTimeout
	}
	if w := cfg.Connect.Will; w != nil {
		if err := protocol.ValidTopicName(w.Topic); err != nil {
			return errors.Join(errors.New("mqtt client: will topic"), err)
		}
	}
	if cfg.Connect.Version == protocol.V5 && !cfg.Connect.Props.ReceiveMaximum.Present {
		rm := min(cfg.QueueSize, 65535)
		cfg.Connect.Props.ReceiveMaximum = protocol.Some(uint16(rm))
	}
	if rm, ok := cfg.Connect.Props.ReceiveMaximum.Get(); ok && rm == 0 {
		return errors.New("mqtt client: Receive Maximum must not be 0 (§3.1.2.11.3)")
	}
	if r := cfg.Reconnect; r != nil {
		rc := *r
		if rc.MinDelay <= 0 {
			rc.MinDelay = 500 * time.Millisecond
		}
		if rc.MaxDelay <= 0 {
			rc.MaxDelay = 30 * time.Second
		}
		if rc.MaxDelay < rc.MinDelay {
			rc.MaxDelay = rc.MinDelay
		}
		cfg.Reconnect = &rc
	}
	return nil
}

// pingTimeout is the wait for PINGRESP for keepalive ka.
func (cfg *Config) pingTimeout(ka time.Duration) time.Duration {
	if cfg.PingTimeout > 0 {
		return cfg.PingTimeout
	}
	return min(max(ka/2, time.Second), 30*time.Second)
}
