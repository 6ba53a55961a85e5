package store

import (
	"slices"
	"time"

	"github.com/mqttlab/mqttlab/protocol/client"
)

// What the page reads of the lab: views of the clients and their message
// logs, which the clients' goroutines fill.

// Names returns the names of the clients, in the order they were added.
func (l *Lab) Names() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	names := make([]string, len(l.clients))
	for i, c := range l.clients {
		names[i] = c.name
	}
	return names
}

// List returns a view of every client, in the order they were added.
func (l *Lab) List() []ClientView {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]ClientView, len(l.clients))
	for i, c := range l.clients {
		out[i] = c.viewLocked()
	}
	return out
}

// Client returns a view of the client named name.
func (l *Lab) Client(name string) (ClientView, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.find(name)
	if c == nil {
		return ClientView{}, false
	}
	return c.viewLocked(), true
}

func (c *labClient) viewLocked() ClientView {
	v := ClientView{
		Name: c.name, Settings: c.settings, Status: c.status, Err: c.err,
		Connack: c.connack, Subs: slices.Clone(c.subs), Counters: c.counters,
		View: c.view, Rev: c.rev, MsgRev: c.msgRev,
	}
	if w := c.settings.Will; w != nil {
		cp := *w
		v.Settings.Will = &cp
	}
	if c.cl != nil {
		v.Stats = c.cl.Stats()
	}
	return v
}

// Messages returns up to limit of the newest messages of the client named
// name, newest first (limit <= 0: all it keeps). The payloads are shared:
// read them, do not change them.
func (l *Lab) Messages(name string, limit int) []Message {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.find(name)
	if c == nil {
		return nil
	}
	n := len(c.msgs)
	if limit > 0 {
		n = min(n, limit)
	}
	out := make([]Message, n)
	for k := range n {
		out[k] = c.msgs[(c.start+len(c.msgs)-1-k)%len(c.msgs)]
	}
	return out
}

// ClearMessages empties the client's message log.
func (l *Lab) ClearMessages(name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.find(name)
	if c == nil {
		return ErrNoClient
	}
	c.msgs, c.start = nil, 0
	c.msgRev++
	l.changedLocked(c)
	return nil
}

// received records a message of connection gen of c and hands it to the
// client's handler, if it has one.
func (l *Lab) received(c *labClient, gen uint64, m *client.Message) {
	now := time.Now()
	l.mu.Lock()
	if c.gen != gen {
		l.mu.Unlock()
		return
	}
	msg := l.recordLocked(c, now, m)
	h := c.onMessage
	l.mu.Unlock()
	if h != nil {
		h(msg)
	}
}

// recordLocked adds m to c's message log; l.mu is held.
func (l *Lab) recordLocked(c *labClient, at time.Time, m *client.Message) Message {
	c.seq++
	c.counters.Received++
	msg := Message{Seq: c.seq, Time: at, Message: *m}
	if len(c.msgs) < l.logSize {
		c.msgs = append(c.msgs, msg)
	} else {
		c.msgs[c.start] = msg
		c.start = (c.start + 1) % len(c.msgs)
		c.counters.Evicted++
	}
	c.msgRev++
	l.version++
	return msg
}
