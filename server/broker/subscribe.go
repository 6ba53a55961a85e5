package broker

import (
	"github.com/mqttlab/mqttlab/protocol"
)

// handleSubscribe handles SUBSCRIBE (§3.8.4): each filter is granted,
// refused, or replaces the session's subscription to the same filter, and
// matching retained messages are sent as its retain handling says.
func (c *conn) handleSubscribe(h protocol.FixedHeader, body []byte) error {
	var p protocol.Subscribe
	if err := protocol.DecodeInto(&p, h, body, c.version); err != nil {
		return err
	}
	b, s := c.b, c.sess
	subID := uint32(0)
	if len(p.Props.SubscriptionIDs) > 0 {
		subID = p.Props.SubscriptionIDs[0]
	}
	ack := &protocol.Suback{Version: c.version, PacketID: p.PacketID, ReasonCodes: make([]protocol.ReasonCode, len(p.Subscriptions))}
	var reasons []string
	// The session lock is held from the first subscription added to the
	// tree until its retained messages are in the connection's buffer:
	// a message routed meanwhile to this session waits for the lock, so
	// it comes after the retained messages it is newer than. A retained
	// PUBLISH is stored before it is routed (handlePublish), so the
	// snapshot below cannot miss one the live route missed.
	s.mu.Lock()
	defer s.mu.Unlock()
	var replays []*subscription
	for i, req := range p.Subscriptions {
		group, filter, shared := protocol.ParseShared(req.Filter)
		code := protocol.ReasonCode(min(req.QoS, b.maxQoS()))
		switch {
		case c.perms != nil && !c.perms.Allow(filter, AccessSubscribe):
			code = protocol.NotAuthorized // 0x80 in 3.1.1
			reasons = append(reasons, "not authorized to subscribe to "+req.Filter)
		}
		ack.ReasonCodes[i] = code
		if code.IsError() {
			b.tel.subscription(c, req.Filter, req.QoS, "refused: "+code.String())
			continue
		}
		sub := &subscription{sess: s, filter: req.Filter, qos: protocol.QoS(code), noLocal: req.NoLocal,
			rap: req.RetainAsPublished, rh: req.RetainHandling, id: subID}
		if shared {
			sub.group = group
		}
		existed := s.subs.set(sub)
		if !b.tree.add(sub) {
			s.nsubs.Add(1)
		}
		b.tel.subscription(c, req.Filter, sub.qos, "added")
		// Retained messages: never for shared subscriptions (§4.8.2);
		// retain handling 0 always, 1 only for a new subscription, 2 never.
		if shared || req.RetainHandling == 2 || (req.RetainHandling == 1 && existed) || b.opts.DisableRetain {
			continue
		}
		replays = append(replays, sub)
	}
	if c.version == protocol.V5 && c.problemInfo && len(reasons) > 0 {
		ack.Props.ReasonString = protocol.Some(joinReasons(reasons))
	}
	if err := c.sendControl(ack); err != nil {
		return err
	}
	// After SUBACK: [MQTT-3.8.4-4] retained messages follow the SUBACK.
	now := b.now()
	var msgs []*message
	for _, sub := range replays {
		msgs = b.retained.match(sub.filter, now, msgs[:0])
		for _, m := range msgs {
			b.sendRetained(sub, m)
		}
	}
	return nil
}

func (b *Broker) maxQoS() protocol.QoS { return b.opts.MaxQoS.Or(protocol.QoS2) }

func joinReasons(r []string) string {
	out := r[0]
	for _, s := range r[1:] {
		out += "; " + s
	}
	return out
}

// sendRetained sends a retained message because of a new subscription,
// with the subscriber's session lock held:
// with RETAIN set whatever retain-as-published says ([MQTT-3.3.1-9]).
func (b *Broker) sendRetained(sub *subscription, m *message) {
	var e encoder
	e.reset(m, b.now())
	var ids []uint32
	if sub.id != 0 {
		ids = []uint32{sub.id}
	}
	d := sub.sess.deliverLocked(&e, min(m.qos, sub.qos), true, ids)
	b.tel.retainedSent(sub, m, d)
}

// handleUnsubscribe handles UNSUBSCRIBE (§3.10.4).
func (c *conn) handleUnsubscribe(h protocol.FixedHeader, body []byte) error {
	var p protocol.Unsubscribe
	if err := protocol.DecodeInto(&p, h, body, c.version); err != nil {
		return err
	}
	b, s := c.b, c.sess
	ack := &protocol.Unsuback{Version: c.version, PacketID: p.PacketID}
	if c.version == protocol.V5 {
		ack.ReasonCodes = make([]protocol.ReasonCode, len(p.Filters))
	}
	for i, f := range p.Filters {
		s.mu.Lock()
		had := s.subs.remove(f)
		s.mu.Unlock()
		if had && b.tree.remove(s, f) {
			s.nsubs.Add(-1)
			b.tel.subscription(c, f, 0, "removed")
		} else if c.version == protocol.V5 {
			ack.ReasonCodes[i] = protocol.NoSubscriptionExisted
		}
	}
	return c.sendControl(ack)
}
