package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// rigKeep bounds the messages a rig keeps per client: a lesson's
// experiment is a handful of exchanges, not a load test.
const rigKeep = 200

// rig is the MQTT clients of one lesson's experiment: real clients of
// protocol/client, connected to the lab's broker like the lab's own, each
// tapping into store.Log under its name, where the experiment (and the
// inspector) reads its packets; the rig keeps the messages each client's
// application received. Safe for concurrent use: the clients' goroutines
// record, the page reads. It knows nothing of go-app.
type rig struct {
	url string
	// tag is random: the topics and client identifiers of two tabs never
	// meet.
	tag string

	mu      sync.Mutex
	version uint64
	since   uint64 // the packet log's Version when made or cleared
	ready   bool   // the experiment's clients are set up
	members []*rigMember
}

// rigMember is one client of a rig; its fields are guarded by rig.mu.
type rigMember struct {
	name string
	cl   *client.Client
	up   bool
	err  error // why the last connection ended or failed
	msgs []client.Message
}

// rigView is a copy of a rig client's state, for drawing and checking:
// its packets are in the page's packet log (logOf).
type rigView struct {
	Up   bool
	Err  error
	Msgs []client.Message
}

// newRig makes an empty rig whose clients connect to url.
func newRig(url string) *rig {
	var b [3]byte
	rand.Read(b[:])
	return &rig{url: url, tag: hex.EncodeToString(b[:]), since: store.Log.Version()}
}

// topic returns a topic of the experiment: lesson/{tag}/{rest}.
func (r *rig) topic(rest string) string { return "lesson/" + r.tag + "/" + rest }

// clientID returns the client identifier of the client named name: short
// enough for any broker (23 characters) for names up to 16.
func (r *rig) clientID(name string) string { return name + "-" + r.tag }

// Version changes whenever anything in the rig does.
func (r *rig) Version() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.version
}

// setReady records that the experiment's clients are set up.
func (r *rig) setReady() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ready = true
	r.version++
}

// isReady reports whether setReady was called.
func (r *rig) isReady() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ready
}

// logSince is the packet log's Version when the rig was made or cleared.
func (r *rig) logSince() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.since
}

// find returns the member named name; r.mu is held.
func (r *rig) find(name string) *rigMember {
	for _, m := range r.members {
		if m.name == name {
			return m
		}
	}
	return nil
}

// add makes the client named name from cfg, replacing (and closing) any
// client of that name. The rig fills in what cfg leaves out: the dialer,
// the client identifier (clientID), the version (5.0), the tap, a default
// handler that records messages, and the events.
func (r *rig) add(name string, cfg client.Config) error {
	if cfg.Dial == nil {
		d, err := client.Dialer(r.url, nil)
		if err != nil {
			return &store.DialError{URL: r.url, Err: err}
		}
		cfg.Dial = d
	}
	if cfg.Connect.ClientID == "" {
		cfg.Connect.ClientID = r.clientID(name)
	}
	if cfg.Connect.Version == 0 {
		cfg.Connect.Version = protocol.V5
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = store.ConnectTimeout
	}
	m := &rigMember{name: name}
	cfg.Tap = store.Log.Tap(name)
	if cfg.DefaultHandler == nil {
		cfg.DefaultHandler = func(msg *client.Message) { r.received(m, msg) }
	}
	cfg.OnEvent = func(e client.Event) { r.event(m, e) }
	cl, err := client.New(cfg)
	if err != nil {
		return err
	}
	m.cl = cl
	r.mu.Lock()
	var old *client.Client
	if i := slices.IndexFunc(r.members, func(o *rigMember) bool { return o.name == name }); i >= 0 {
		old = r.members[i].cl
		r.members[i] = m
	} else {
		r.members = append(r.members, m)
	}
	r.version++
	r.mu.Unlock()
	if old != nil {
		go old.Close()
	}
	return nil
}

// client returns the client named name, nil if there is none.
func (r *rig) client(name string) *client.Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m := r.find(name); m != nil {
		return m.cl
	}
	return nil
}

// errNoRigClient is what an operation on a client the experiment has not
// made yet returns.
var errNoRigClient = store.ErrNotConnected

// connect connects the client named name.
func (r *rig) connect(ctx context.Context, name string) (*client.Connack, error) {
	cl := r.client(name)
	if cl == nil {
		return nil, errNoRigClient
	}
	ack, err := cl.Connect(ctx)
	if err != nil {
		r.mu.Lock()
		if m := r.find(name); m != nil && m.cl == cl {
			m.err = err
			r.version++
		}
		r.mu.Unlock()
	}
	return ack, err
}

// ensure makes the client named name from cfg and connects it, unless it
// is connected already.
func (r *rig) ensure(ctx context.Context, name string, cfg client.Config) error {
	if cl := r.client(name); cl != nil && cl.Connected() {
		return nil
	}
	if err := r.add(name, cfg); err != nil {
		return err
	}
	_, err := r.connect(ctx, name)
	return err
}

// subscribe subscribes the client named name to filter at qos; its
// messages go to the rig.
func (r *rig) subscribe(ctx context.Context, name, filter string, qos protocol.QoS) error {
	cl := r.client(name)
	if cl == nil {
		return errNoRigClient
	}
	_, err := cl.Subscribe(ctx, &client.SubscribeRequest{Subscriptions: []client.Subscription{{
		Subscription: protocol.Subscription{Filter: filter, QoS: qos},
	}}})
	return err
}

// publish publishes m from the client named name.
func (r *rig) publish(ctx context.Context, name string, m *client.Message) error {
	cl := r.client(name)
	if cl == nil {
		return errNoRigClient
	}
	return cl.Publish(ctx, m)
}

// view returns a copy of the state of the client named name.
func (r *rig) view(name string) rigView {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.find(name)
	if m == nil {
		return rigView{}
	}
	return rigView{Up: m.up, Err: m.err, Msgs: slices.Clone(m.msgs)}
}

// clear forgets the packets and messages recorded so far.
func (r *rig) clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.members {
		m.msgs = nil
	}
	r.since = store.Log.Version()
	r.version++
}

// close ends every client of the rig, sessions included: a client still
// connected disconnects with a session expiry of 0 (5.0), so the broker
// keeps nothing of the experiment. It waits for the network: call it off
// the UI goroutine.
func (r *rig) close() {
	r.mu.Lock()
	members := r.members
	r.members = nil
	r.version++
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m.cl.Connected() && m.cl.Version() == protocol.V5 {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				m.cl.Disconnect(ctx, &protocol.Disconnect{Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(0))}})
				cancel()
			}
			m.cl.Close()
		}()
	}
	wg.Wait()
}

// received records a message m's application got.
func (r *rig) received(m *rigMember, msg *client.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m.msgs = append(m.msgs, *msg)
	if len(m.msgs) > rigKeep {
		n := copy(m.msgs, m.msgs[len(m.msgs)-rigKeep:])
		clear(m.msgs[n:])
		m.msgs = m.msgs[:n]
	}
	r.version++
}

// event records m's connection going up or down.
func (r *rig) event(m *rigMember, e client.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e.Kind {
	case client.EventUp:
		m.up, m.err = true, nil
	case client.EventDown:
		m.up, m.err = false, nil
		if !errors.Is(e.Err, client.ErrDisconnected) && !errors.Is(e.Err, client.ErrClosed) {
			m.err = e.Err
		}
	default:
		return
	}
	r.version++
}

// logOf returns the packets of the rig's client named name in the page's
// packet log since the rig was made or cleared, oldest first: at most the
// newest limit (0: all the log keeps).
func (r *rig) logOf(name string, limit int) []store.Packet {
	since := r.logSince()
	pkts := store.Log.Newest(limit, func(p *store.Packet) bool { return p.Client == name && p.Seq > since })
	reversePackets(pkts)
	return pkts
}
