package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// external connects devices to a broker over the network, each through a
// protocol/client Client: one reader goroutine per connection (the
// client's), plus a goroutine that runs the device's network jobs only
// while it has some — a connect waiting for CONNACK, a QoS 1 publish
// waiting for PUBACK — so the scheduler never waits on the network.
type external struct {
	r    *Runner
	dial client.DialFunc
}

// opTimeout bounds one network operation of a device.
const opTimeout = 30 * time.Second

// extConn is a device's client and its queue of jobs, run in order.
type extConn struct {
	c    *client.Client
	gen  atomic.Uint32 // the connection the client's events belong to
	mu   sync.Mutex
	jobs []job
	busy bool
}

type jobKind uint8

const (
	jConnect jobKind = iota
	jPublish         // a data message: counted
	jReply           // a status message or reply: not counted
	jLeave           // goodbye (msg, if any), then DISCONNECT
	jDrop
	jClose
)

type job struct {
	kind jobKind
	gen  uint32
	msg  *client.Message
	subs []protocol.Subscription
}

func (e *external) pings() bool { return false } // the client sends PINGREQ itself

func (e *external) connect(dc *devConn, now int64) {
	dc.gen++
	dc.flags = fLinking
	if dc.ext == nil {
		x, err := e.newConn(dc)
		if err != nil {
			e.r.sched.lost(dc, err, now)
			return
		}
		dc.ext = x
	}
	j := job{kind: jConnect, gen: dc.gen, subs: dc.dev.Subscriptions()}
	if m, ok := dc.dev.Birth(e.r.sched.buf); ok {
		e.r.sched.buf = m.Buf
		j.msg = message(&m, dc.dev.fleet.Version)
	}
	e.enqueue(dc, j)
}

// newConn makes the device's client; it keeps it, and its session, for
// the device's life.
func (e *external) newConn(dc *devConn) (*extConn, error) {
	x := &extConn{}
	in := &e.r.in
	c := dc.dev.Connect()
	if o := &e.r.opts; o.Username != "" {
		c.Username, c.Password = protocol.Some(o.Username), protocol.Some([]byte(o.Password))
	}
	cl, err := client.New(client.Config{
		Dial:      e.dial,
		Connect:   *c,
		QueueSize: 16,
		DefaultHandler: func(m *client.Message) {
			in.post(schedEvent{kind: evCommand, dc: dc, x: m})
		},
		OnEvent: func(ev client.Event) {
			if ev.Kind == client.EventDown && ev.Err != nil && !errors.Is(ev.Err, client.ErrDisconnected) {
				in.post(schedEvent{kind: evFailed, dc: dc, gen: x.gen.Load(), x: fmt.Errorf("connection lost: %w", ev.Err)})
			}
		},
		ConnectTimeout: opTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", c.ClientID, err)
	}
	x.c = cl
	return x, nil
}

// message copies m into a client message.
func message(m *Message, v protocol.Version) *client.Message {
	var p protocol.Publish
	m.fill(&p, v)
	return &client.Message{Topic: p.Topic, Payload: bytes.Clone(p.Payload), QoS: p.QoS, Retain: p.Retain, Props: p.Props}
}

func (e *external) publish(dc *devConn, m *Message, data bool, now int64) {
	kind := jReply
	if data {
		kind = jPublish
	}
	e.enqueue(dc, job{kind: kind, gen: dc.gen, msg: message(m, dc.dev.fleet.Version)})
}

func (e *external) reply(dc *devConn, p *protocol.Publish, now int64) {
	e.enqueue(dc, job{kind: jReply, gen: dc.gen, msg: &client.Message{Topic: p.Topic, Payload: p.Payload, QoS: p.QoS, Retain: p.Retain, Props: p.Props}})
}

func (e *external) leave(dc *devConn, goodbye *Message, now int64) {
	j := job{kind: jLeave, gen: dc.gen}
	if goodbye != nil {
		j.msg = message(goodbye, dc.dev.fleet.Version)
	}
	e.enqueue(dc, j)
}

func (e *external) drop(dc *devConn) { e.enqueue(dc, job{kind: jDrop, gen: dc.gen}) }

func (e *external) ping(*devConn, int64) {}

func (e *external) receive(*devConn, []byte, time.Time) {}

func (e *external) release(*devConn) {}

func (e *external) retire(dc *devConn) {
	if dc.ext != nil {
		e.enqueue(dc, job{kind: jClose})
		dc.ext = nil
	}
}

// enqueue queues j for dc's connection and starts its job goroutine if
// none runs.
func (e *external) enqueue(dc *devConn, j job) {
	x := dc.ext
	if x == nil {
		return
	}
	x.mu.Lock()
	x.jobs = append(x.jobs, j)
	start := !x.busy
	x.busy = true
	x.mu.Unlock()
	if start {
		e.r.wg.Add(1)
		go e.run(dc, x)
	}
}

// run does x's jobs until there are none left.
func (e *external) run(dc *devConn, x *extConn) {
	defer e.r.wg.Done()
	for {
		x.mu.Lock()
		if len(x.jobs) == 0 {
			x.jobs, x.busy = nil, false
			x.mu.Unlock()
			return
		}
		j := x.jobs[0]
		x.jobs[0] = job{}
		x.jobs = x.jobs[1:]
		x.mu.Unlock()
		e.do(dc, x, j)
	}
}

// do runs one job. fr's counters are atomic: jobs update them directly.
func (e *external) do(dc *devConn, x *extConn, j job) {
	ctx, cancel := context.WithTimeout(e.r.ctx, opTimeout)
	defer cancel()
	c, fr, in := x.c, dc.fr, &e.r.in
	switch j.kind {
	case jConnect:
		x.gen.Store(j.gen)
		_, err := c.Connect(ctx)
		if err == nil && len(j.subs) > 0 {
			req := &client.SubscribeRequest{Subscriptions: make([]client.Subscription, len(j.subs))}
			for i, s := range j.subs {
				req.Subscriptions[i].Subscription = s
			}
			if _, err = c.Subscribe(ctx, req); err != nil {
				err = fmt.Errorf("subscribe to commands: %w", err)
			}
		}
		if err == nil && j.msg != nil {
			if err = c.Publish(ctx, j.msg); err != nil {
				err = fmt.Errorf("birth: %w", err)
			}
		}
		if err != nil {
			c.Drop()
			in.post(schedEvent{kind: evFailed, dc: dc, gen: j.gen, x: fmt.Errorf("connect: %w", err)})
			return
		}
		in.post(schedEvent{kind: evUp, dc: dc, gen: j.gen})
	case jPublish:
		if err := c.Publish(ctx, j.msg); err != nil {
			fr.fail(fmt.Errorf("publish to %s: %w", j.msg.Topic, err))
			return
		}
		fr.published.Add(1)
	case jReply:
		if err := c.Publish(ctx, j.msg); err != nil {
			fr.fail(fmt.Errorf("publish to %s: %w", j.msg.Topic, err))
		}
	case jLeave:
		if j.msg != nil {
			c.Publish(ctx, j.msg) // best effort: the device leaves either way
		}
		c.Disconnect(ctx, nil)
	case jDrop:
		c.Drop()
	case jClose:
		c.Close()
	}
}
