package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// ConnectTimeout bounds dialing and the CONNECT exchange of a lab client.
const ConnectTimeout = 15 * time.Second

// connectPacket is the CONNECT that s asks for.
func (s Settings) connectPacket() (protocol.Connect, error) {
	v := s.Version
	if v != protocol.V311 && v != protocol.V5 {
		return protocol.Connect{}, fmt.Errorf("lab: protocol version %d: use 3.1.1 (4) or 5.0 (5)", v)
	}
	p := protocol.Connect{Version: v, ClientID: s.ClientID, CleanStart: s.CleanStart, KeepAlive: s.KeepAlive}
	if v == protocol.V5 && s.SessionExpiry > 0 {
		p.Props.SessionExpiry = protocol.Some(s.SessionExpiry)
	}
	if s.Username != "" {
		p.Username = protocol.Some(s.Username)
	}
	if s.Password != "" {
		if v == protocol.V311 && s.Username == "" {
			return protocol.Connect{}, protocol.ErrPasswordNoUsername
		}
		p.Password = protocol.Some([]byte(s.Password))
	}
	if w := s.Will; w != nil {
		if err := protocol.ValidTopicName(w.Topic); err != nil {
			return protocol.Connect{}, fmt.Errorf("lab: will topic %q: %w", w.Topic, err)
		}
		if w.QoS > protocol.QoS2 {
			return protocol.Connect{}, protocol.ErrQoS3
		}
		p.Will = &protocol.WillMessage{Topic: w.Topic, Payload: []byte(w.Payload), QoS: w.QoS, Retain: w.Retain}
		if v == protocol.V5 && w.Delay > 0 {
			p.Will.Props.WillDelay = protocol.Some(w.Delay)
		}
	}
	return p, nil
}

// DialError reports that the broker could not be reached: a bad URL, a
// refused connection, a failed WebSocket handshake, a timeout.
type DialError struct {
	URL string
	Err error
}

func (e *DialError) Error() string { return "lab: reaching " + e.URL + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *DialError) Unwrap() error { return e.Err }

// Connect connects the client named name with its settings and waits for
// the broker's CONNACK (or ctx, or ConnectTimeout). A refusal is a
// *client.ReasonError. The client's subscriptions are kept when the broker
// resumes its session and forgotten when it starts a new one, as the
// broker forgets them.
func (l *Lab) Connect(ctx context.Context, name string) error {
	l.mu.Lock()
	c := l.find(name)
	if c == nil {
		l.mu.Unlock()
		return ErrNoClient
	}
	if c.status != Disconnected {
		l.mu.Unlock()
		return ErrAlreadyActive
	}
	c.gen++
	gen := c.gen
	c.status, c.err = Connecting, nil
	old := c.cl
	c.cl = nil
	settings := c.settings
	url := settings.URL
	if url == "" {
		url = l.defaultURL
	}
	l.changedLocked(c)
	l.mu.Unlock()

	if old != nil {
		old.Close() // already disconnected: nothing to wait for
	}
	cl, err := l.newClient(c, gen, settings, url)
	if err != nil {
		l.ended(c, gen, err)
		return err
	}
	l.mu.Lock()
	if c.gen != gen { // removed, or disconnected meanwhile
		l.mu.Unlock()
		cl.Close()
		return ErrNotConnected
	}
	c.cl = cl
	l.mu.Unlock()

	ack, err := cl.Connect(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.gen != gen {
		return errors.Join(err, ErrNotConnected)
	}
	if err != nil {
		c.status, c.err = Disconnected, err
		l.changedLocked(c)
		return err
	}
	c.connack = ack
	if !ack.SessionPresent {
		c.subs = nil
	}
	if c.status == Connecting {
		c.status = Connected
	}
	l.changedLocked(c)
	return nil
}

// newClient makes the MQTT client of connection gen of c.
func (l *Lab) newClient(c *labClient, gen uint64, s Settings, url string) (*client.Client, error) {
	connect, err := s.connectPacket()
	if err != nil {
		return nil, err
	}
	dialer, err := client.Dialer(url, nil)
	if err != nil {
		return nil, &DialError{URL: url, Err: err}
	}
	dial := func(ctx context.Context) (net.Conn, error) {
		nc, err := dialer(ctx)
		if err != nil {
			return nil, &DialError{URL: url, Err: err}
		}
		return nc, nil
	}
	l.mu.Lock()
	name := c.name
	l.mu.Unlock()
	return client.New(client.Config{
		Dial:           dial,
		Connect:        connect,
		DefaultHandler: func(m *client.Message) { l.received(c, gen, m) },
		OnEvent:        func(e client.Event) { l.event(c, gen, e) },
		Tap:            l.log.Tap(name),
		ConnectTimeout: ConnectTimeout,
	})
}

// event applies an event of connection gen of c.
func (l *Lab) event(c *labClient, gen uint64, e client.Event) {
	switch e.Kind {
	case client.EventUp:
		l.mu.Lock()
		defer l.mu.Unlock()
		if c.gen == gen && c.status == Connecting {
			c.status = Connected
			c.connack = e.Connack
			l.changedLocked(c)
		}
	case client.EventDown:
		var err error
		var lost *client.ConnectionLostError
		switch {
		case errors.Is(e.Err, client.ErrDisconnected):
		case errors.As(e.Err, &lost):
			err = e.Err
		default:
			err = &client.ConnectionLostError{Cause: e.Err}
		}
		l.ended(c, gen, err)
	}
}

// ended records that connection gen of c is over, because of err.
func (l *Lab) ended(c *labClient, gen uint64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.gen != gen {
		return
	}
	c.status, c.err = Disconnected, err
	l.changedLocked(c)
}

// active returns the connected MQTT client of the client named name.
func (l *Lab) active(name string) (*labClient, *client.Client, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.find(name)
	switch {
	case c == nil:
		return nil, nil, ErrNoClient
	case c.status != Connected || c.cl == nil:
		return nil, nil, ErrNotConnected
	}
	return c, c.cl, nil
}

// stop ends the connection of the client named name with end (a normal
// DISCONNECT or a drop), or abandons the connection attempt under way.
func (l *Lab) stop(name string, end func(*client.Client) error) error {
	l.mu.Lock()
	c := l.find(name)
	if c == nil {
		l.mu.Unlock()
		return ErrNoClient
	}
	if c.status == Disconnected {
		l.mu.Unlock()
		return ErrNotConnected
	}
	c.gen++ // the connection's own events are stale from now on
	gen := c.gen
	cl := c.cl
	l.mu.Unlock()

	var err error
	if cl != nil {
		err = end(cl)
		if errors.Is(err, client.ErrNotConnected) {
			err = nil // it was still connecting, or lost meanwhile
		}
	}
	l.ended(c, gen, nil)
	return err
}

// Disconnect sends DISCONNECT and closes the connection: the broker
// discards the will.
func (l *Lab) Disconnect(ctx context.Context, name string) error {
	return l.stop(name, func(cl *client.Client) error { return cl.Disconnect(ctx, nil) })
}

// Drop closes the connection without DISCONNECT, as a network failure
// would: the broker publishes the will.
func (l *Lab) Drop(name string) error {
	return l.stop(name, (*client.Client).Drop)
}

// Subscribe subscribes the client named name to s.Filter and returns the
// SUBACK's reason code. A refusal is a *client.ReasonError, and the
// subscription is not recorded.
func (l *Lab) Subscribe(ctx context.Context, name string, s protocol.Subscription) (protocol.ReasonCode, error) {
	if err := protocol.ValidFilter(s.Filter); err != nil {
		return 0, err
	}
	c, cl, err := l.active(name)
	if err != nil {
		return 0, err
	}
	suback, err := cl.Subscribe(ctx, &client.SubscribeRequest{Subscriptions: []client.Subscription{{Subscription: s}}})
	if suback == nil || len(suback.ReasonCodes) == 0 {
		if err == nil {
			err = errors.New("lab: SUBACK without a reason code")
		}
		return 0, err
	}
	code := suback.ReasonCodes[0]
	if err != nil {
		return code, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	sub := Sub{Subscription: s, Granted: code}
	if i := slices.IndexFunc(c.subs, func(x Sub) bool { return x.Filter == s.Filter }); i >= 0 {
		c.subs[i] = sub
	} else {
		c.subs = append(c.subs, sub)
	}
	l.changedLocked(c)
	return code, nil
}

// Unsubscribe unsubscribes the client named name from filter and returns
// the UNSUBACK's reason code (always Success in 3.1.1, which has none).
func (l *Lab) Unsubscribe(ctx context.Context, name, filter string) (protocol.ReasonCode, error) {
	c, cl, err := l.active(name)
	if err != nil {
		return 0, err
	}
	unsuback, err := cl.Unsubscribe(ctx, filter)
	var code protocol.ReasonCode
	if unsuback != nil && len(unsuback.ReasonCodes) > 0 {
		code = unsuback.ReasonCodes[0]
	}
	if err != nil {
		return code, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := slices.IndexFunc(c.subs, func(x Sub) bool { return x.Filter == filter }); i >= 0 { // filters are unique
		c.subs = append(c.subs[:i], c.subs[i+1:]...)
	}
	l.changedLocked(c)
	return code, nil
}

// Publish publishes m from the client named name and, for QoS 1 and 2,
// waits for the broker's acknowledgement.
func (l *Lab) Publish(ctx context.Context, name string, m *client.Message) error {
	c, cl, err := l.active(name)
	if err != nil {
		return err
	}
	if err := cl.Publish(ctx, m); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c.counters.Published++
	l.changedLocked(c)
	return nil
}

// Request publishes m from the client named name as an MQTT 5.0 request
// (with a response topic and correlation data of the client's making) and
// waits for the response, which it logs among the client's messages and
// returns.
func (l *Lab) Request(ctx context.Context, name string, m *client.Message) (*client.Message, error) {
	c, cl, err := l.active(name)
	if err != nil {
		return nil, err
	}
	resp, err := cl.Request(ctx, m)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c.counters.Published++
	l.changedLocked(c)
	l.recordLocked(c, time.Now(), resp)
	return resp, nil
}

// Respond publishes resp from the client named name as the response to
// request req: to req's response topic, with its correlation data.
func (l *Lab) Respond(ctx context.Context, name string, req, resp *client.Message) error {
	c, cl, err := l.active(name)
	if err != nil {
		return err
	}
	if err := cl.Respond(ctx, req, resp); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c.counters.Published++
	l.changedLocked(c)
	return nil
}
