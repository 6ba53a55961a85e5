package broker

import (
	"errors"
	"fmt"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// Options configure a Broker. The zero value of a field means its default
// (see Defaults); New rejects values that make no sense.
type Options struct {
	// ConnectTimeout is how long a new connection has to send CONNECT.
	ConnectTimeout time.Duration
	// MaxConnections bounds the connections served at once; beyond it a
	// CONNECT is refused with Server busy (5.0) / Server unavailable.
	MaxConnections int
	// MaxPacketSize bounds every packet read, fixed header included, and is
	// announced to 5.0 clients. A larger packet closes the connection with
	// 0x95 Packet too large.
	MaxPacketSize int
	// MaxInflight is the Receive Maximum announced to clients (how many
	// QoS 2 publishes a client may have unreleased) and the cap on QoS 1
	// and 2 messages the broker keeps unacknowledged towards one client.
	MaxInflight int
	// MaxQueued bounds the QoS 1 and 2 messages a session holds while its
	// client is offline or its in-flight window is full. Beyond it new
	// messages for that session are dropped and counted.
	MaxQueued int
	// MaxOutBuffer bounds the bytes waiting to be written to one
	// connection. QoS 0 messages that do not fit are dropped and counted;
	// QoS 1 and 2 messages wait in the session queue instead.
	MaxOutBuffer int
	// MaxQoS is the highest QoS accepted from publishers (5.0 clients are
	// told in CONNACK; a higher QoS is refused with 0x9B). Absent means 2.
	MaxQoS protocol.Opt[protocol.QoS]
	// MaxKeepAlive caps the keep alive: a 5.0 client asking for more, or
	// for 0, is given this as Server Keep Alive. 0 leaves the client's.
	MaxKeepAlive time.Duration
	// TopicAliasMax is the Topic Alias Maximum announced to 5.0 clients.
	TopicAliasMax uint16
	// PublishRate limits the PUBLISH packets one client may send per
	// second; a faster client is slowed down by reading its connection
	// less often. 0 means no limit.
	PublishRate float64
	// SysInterval is how often the $SYS statistics are published; a
	// negative value turns them off.
	SysInterval time.Duration
	// DisableRetain turns retained messages off: 5.0 clients are told
	// Retain Available 0 and a retained publish is refused with 0x9A.
	DisableRetain bool
	// Authenticate checks a client's credentials (absent and empty are
	// told apart); nil accepts everyone. It may be slow (bcrypt): the
	// broker runs at most GOMAXPROCS of them at once.
	Authenticate func(c ConnInfo, username protocol.Opt[string], password protocol.Opt[[]byte]) bool
	// Permissions returns what a client that just connected may do; it is
	// asked once per connection. nil, or a nil result, allows everything.
	Permissions func(c ConnInfo) Permissions
	// Version is reported on $SYS/broker/version.
	Version string
}

// Access is what a client wants to do with a topic.
type Access uint8

// The accesses Permissions are asked about.
const (
	AccessPublish   Access = 1 // publish to a topic name (also its will, when published)
	AccessSubscribe Access = 2 // subscribe to a topic filter: refused with 0x87 (0x80 in 3.1.1)
	AccessRead      Access = 3 // receive a message on a topic name: checked at each delivery
)

// Permissions decide what one client may do. They are called from many
// goroutines (every publisher delivering to the client) and must be fast.
type Permissions interface {
	Allow(topic string, access Access) bool
}

// ConnInfo describes the client a decision is about.
type ConnInfo struct {
	ClientID    string // the assigned one, if the client sent none
	Username    string
	HasUsername bool // a client without a user name is anonymous
	RemoteAddr  string
	Version     protocol.Version
}

// Defaults returns the options New uses for zero fields.
func Defaults() Options {
	return Options{
		ConnectTimeout: 10 * time.Second,
		MaxConnections: 10_000,
		MaxPacketSize:  1 << 20,
		MaxInflight:    100,
		MaxQueued:      1000,
		MaxOutBuffer:   1 << 20,
		TopicAliasMax:  64,
		SysInterval:    10 * time.Second,
		Version:        "mqttlab",
	}
}

// withDefaults fills zero fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	d := Defaults()
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = d.ConnectTimeout
	}
	if o.MaxConnections == 0 {
		o.MaxConnections = d.MaxConnections
	}
	if o.MaxPacketSize == 0 {
		o.MaxPacketSize = d.MaxPacketSize
	}
	if o.MaxInflight == 0 {
		o.MaxInflight = d.MaxInflight
	}
	if o.MaxQueued == 0 {
		o.MaxQueued = d.MaxQueued
	}
	if o.MaxOutBuffer == 0 {
		o.MaxOutBuffer = d.MaxOutBuffer
	}
	if o.SysInterval == 0 {
		o.SysInterval = d.SysInterval
	}
	if o.Version == "" {
		o.Version = d.Version
	}
	var errs []error
	if o.ConnectTimeout < 0 {
		errs = append(errs, errors.New("connect timeout must be positive"))
	}
	if o.MaxConnections < 0 {
		errs = append(errs, errors.New("max connections must be positive"))
	}
	if o.MaxPacketSize < 16 || o.MaxPacketSize > protocol.MaxPacketSize {
		errs = append(errs, fmt.Errorf("max packet size %d out of range (16 to %d)", o.MaxPacketSize, protocol.MaxPacketSize))
	}
	if o.MaxInflight < 1 || o.MaxInflight > 65535 {
		errs = append(errs, fmt.Errorf("max inflight %d out of range (1 to 65535)", o.MaxInflight))
	}
	if o.MaxQueued < 0 {
		errs = append(errs, errors.New("max queued must be positive"))
	}
	if o.MaxOutBuffer < 1024 {
		errs = append(errs, fmt.Errorf("max out buffer %d too small (at least 1024)", o.MaxOutBuffer))
	}
	if o.MaxQoS.Value > protocol.QoS2 {
		errs = append(errs, fmt.Errorf("max QoS %d out of range (0 to 2)", o.MaxQoS.Value))
	}
	if o.MaxKeepAlive < 0 || o.MaxKeepAlive > 65535*time.Second {
		errs = append(errs, errors.New("max keep alive out of range (0 to 65535s)"))
	}
	if o.PublishRate < 0 {
		errs = append(errs, errors.New("publish rate must be positive"))
	}
	return o, errors.Join(errs...)
}

// PermissionsFunc lets an ordinary function be Permissions.
type PermissionsFunc func(topic string, access Access) bool

// Allow calls f.
func (f PermissionsFunc) Allow(topic string, access Access) bool { return f(topic, access) }
