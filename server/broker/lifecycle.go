package broker

import (
	"time"
)

// detach ends connection c's hold on the session: the will is published
// or scheduled, and the session ends now or when its expiry interval has
// passed.
func (s *session) detach(c *conn, r endReason) {
	b := s.b
	s.mu.Lock()
	if s.conn != c {
		// Taken over, or never attached: the new owner dealt with the will.
		s.mu.Unlock()
		b.tel.disconnected(c, s, r, false)
		return
	}
	s.conn = nil
	s.since = time.Now()
	s.online.Store(false)
	b.connected.Add(-1)
	w := s.will
	willNow := false
	if !r.will {
		s.will = nil // [MQTT-3.1.2-10] a normal DISCONNECT deletes the will
		w = nil
	} else if w != nil {
		if w.delay == 0 || s.expiry == 0 || b.closing.Load() {
			s.will, willNow = nil, true
		} else {
			s.willTimer = time.AfterFunc(w.delay, func() { s.delayedWill(w) })
		}
	}
	endNow := s.expiry == 0
	if !endNow && s.expiry != neverExpires {
		s.endTimer = time.AfterFunc(time.Duration(s.expiry)*time.Second, func() {
			b.endSession(s, "session expired")
		})
	}
	s.mu.Unlock()

	b.tel.disconnected(c, s, r, willNow)
	if willNow {
		b.publishWill(w)
	}
	if endNow {
		b.endSession(s, "clean session ended with its connection")
	}
}

// delayedWill publishes a will whose delay has passed, unless a new
// connection cancelled it in the meantime.
func (s *session) delayedWill(w *will) {
	s.mu.Lock()
	if s.will != w || s.conn != nil {
		s.mu.Unlock()
		return
	}
	s.will, s.willTimer = nil, nil
	s.mu.Unlock()
	s.b.publishWill(w)
}

// endSession discards a session: its subscriptions, its queued messages,
// and publishes a will still waiting for its delay (the session's end
// comes first, §3.1.3.2.2).
func (b *Broker) endSession(s *session, why string) {
	b.mu.Lock()
	if b.sessions[s.id] == s {
		delete(b.sessions, s.id)
	}
	b.mu.Unlock()

	s.mu.Lock()
	if s.ended || s.conn != nil {
		s.mu.Unlock()
		return
	}
	s.ended = true
	w := s.will
	s.will = nil
	if s.willTimer != nil {
		s.willTimer.Stop()
		s.willTimer = nil
	}
	if s.endTimer != nil {
		s.endTimer.Stop()
		s.endTimer = nil
	}
	filters := s.subs.filters()
	s.subs = subSet{}
	lost := len(s.queue) + len(s.inflight)
	b.stats.inflight.Add(int64(-len(s.inflight)))
	s.queue, s.inflight, s.inQoS2 = nil, nil, nil
	s.mu.Unlock()

	for _, filter := range filters {
		b.tree.remove(s, filter)
	}
	s.nsubs.Store(0)
	if lost > 0 {
		b.stats.dropped.Add(uint64(lost))
	}
	b.tel.sessionEnded(s, why, lost)
	if w != nil && !b.closing.Load() {
		b.publishWill(w)
	}
}

// publishWill routes a will message as if its client had published it.
func (b *Broker) publishWill(w *will) {
	m := *w.msg
	m.kept = w.msg
	if m.props.MessageExpiry.Present {
		m.expires = b.now() + int64(m.props.MessageExpiry.Value)*1e9
		m.kept = nil
	}
	if w.perms != nil && !w.perms.Allow(m.topic, AccessPublish) {
		b.tel.dropped(&m, "will not authorized")
		return
	}
	b.stats.wills.Add(1)
	b.publishInternal(&m)
}
