package broker

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mqttlab/mqttlab/protocol"
)

// handlePublish handles a PUBLISH from the client (§3.3.4).
func (c *conn) handlePublish(h protocol.FixedHeader, body []byte) error {
	if c.pub == nil {
		c.pub, c.router = new(protocol.Publish), new(router)
	}
	p := c.pub
	if err := protocol.DecodeInto(p, h, body, c.version); err != nil {
		return err
	}
	if len(p.Props.SubscriptionIDs) > 0 {
		// [MQTT-3.3.4-6] only the server puts subscription identifiers in a PUBLISH.
		return &protocol.Error{Code: protocol.ProtocolError, Rule: "MQTT-3.3.4-6",
			Msg: "a client PUBLISH carries a subscription identifier"}
	}
	b := c.b
	b.stats.received.Add(1)
	topic := p.Topic
	if a, ok := p.Props.TopicAlias.Get(); ok {
		if a > b.opts.TopicAliasMax {
			// [MQTT-3.3.2-9] above the Topic Alias Maximum we announced.
			return &protocol.Error{Code: protocol.TopicAliasInvalid, Rule: "MQTT-3.3.2-9", Msg: "topic alias above the maximum"}
		}
		if topic == "" {
			if topic = c.aliasIn[a]; topic == "" {
				return &protocol.Error{Code: protocol.ProtocolError, Rule: "3.3.2.3.4",
					Msg: "topic alias " + strconv.Itoa(int(a)) + " was never set on this connection"}
			}
		} else {
			if c.aliasIn == nil {
				c.aliasIn = make(map[uint16]string)
			}
			c.aliasIn[a] = topic
		}
	}
	if max := b.opts.MaxQoS; max.Present && p.QoS > max.Value {
		return &protocol.Error{Code: protocol.QoSNotSupported, Rule: "MQTT-3.2.2-11", Msg: "QoS above the server's Maximum QoS"}
	}
	if p.Retain && b.opts.DisableRetain {
		return &protocol.Error{Code: protocol.RetainNotSupported, Rule: "MQTT-3.2.2-14", Msg: "retained messages are not supported"}
	}

	// Refusals that leave the connection up: answered with a reason code
	// in PUBACK/PUBREC (5.0), or only counted and shown in telemetry.
	refusal, why := protocol.Success, ""
	switch {
	case c.version == protocol.V5 && protocol.CheckPayloadFormat(p) != nil:
		if p.QoS == 0 {
			return protocol.ErrPayloadFormatBad
		}
		refusal, why = protocol.PayloadFormatInvalid, "payload is not the UTF-8 its format indicator announces"
	case strings.HasPrefix(topic, "$SYS"):
		refusal, why = protocol.NotAuthorized, "clients cannot publish to $SYS topics"
	case c.perms != nil && !c.perms.Allow(topic, AccessPublish):
		refusal, why = protocol.NotAuthorized, "not authorized to publish to "+topic
	}

	s := c.sess
	if p.QoS == 2 {
		s.mu.Lock()
		_, dup := s.inQoS2[p.PacketID]
		if !dup {
			if len(s.inQoS2) >= b.opts.MaxInflight {
				s.mu.Unlock()
				return &protocol.Error{Code: protocol.ReceiveMaximumExceeded, Rule: "MQTT-3.3.4-7",
					Msg: "more QoS 2 publishes unreleased than the Receive Maximum"}
			}
			if refusal == protocol.Success {
				if s.inQoS2 == nil {
					s.inQoS2 = make(map[uint16]struct{})
				}
				s.inQoS2[p.PacketID] = struct{}{}
			}
		}
		s.mu.Unlock()
		if dup {
			// A re-sent QoS 2 PUBLISH before PUBREL: acknowledged again,
			// never routed twice (§4.3.3).
			c.sendAck(protocol.PUBREC, p.PacketID, protocol.Success)
			return nil
		}
	}

	if refusal != protocol.Success {
		b.stats.dropped.Add(1)
		var m message
		m.fromPublish(p, topic, s.id, b.now())
		b.tel.dropped(&m, why)
		if p.QoS > 0 {
			code := refusal
			if c.version != protocol.V5 {
				code = protocol.Success // 3.1.1 has no way to refuse a PUBLISH but closing
			}
			c.sendAck(ackType(p.QoS), p.PacketID, code)
		}
		return nil
	}

	var m message
	m.fromPublish(p, topic, s.id, b.now())
	if p.Retain {
		// Stored before routed: a subscription added in between gets it
		// from the store (see handleSubscribe).
		b.retain(&m)
	}
	n := b.route(c.router, &m)
	if p.QoS > 0 {
		code := protocol.Success
		if n == 0 && c.version == protocol.V5 {
			code = protocol.NoMatchingSubscribers
		}
		c.sendAck(ackType(p.QoS), p.PacketID, code)
	}
	return nil
}

func ackType(q protocol.QoS) protocol.Type {
	if q == 1 {
		return protocol.PUBACK
	}
	return protocol.PUBREC
}

// handleAck handles PUBACK, PUBREC, PUBREL and PUBCOMP from the client.
func (c *conn) handleAck(h protocol.FixedHeader, body []byte) error {
	var a protocol.Puback
	var err error
	switch h.Type {
	case protocol.PUBACK:
		err = protocol.DecodeInto(&a, h, body, c.version)
	case protocol.PUBREC:
		err = protocol.DecodeInto((*protocol.Pubrec)(&a), h, body, c.version)
	case protocol.PUBREL:
		err = protocol.DecodeInto((*protocol.Pubrel)(&a), h, body, c.version)
	case protocol.PUBCOMP:
		err = protocol.DecodeInto((*protocol.Pubcomp)(&a), h, body, c.version)
	}
	if err != nil {
		return err
	}
	s := c.sess
	switch h.Type {
	case protocol.PUBACK, protocol.PUBCOMP:
		s.acked(a.PacketID, h.Type)
	case protocol.PUBREC:
		if !s.received(a.PacketID, a.ReasonCode) {
			// §4.3.3: unknown id; answer so the client can finish.
			c.sendAck(protocol.PUBREL, a.PacketID, c.code(protocol.PacketIdentifierNotFound))
		}
	case protocol.PUBREL:
		s.mu.Lock()
		_, known := s.inQoS2[a.PacketID]
		delete(s.inQoS2, a.PacketID)
		s.mu.Unlock()
		code := protocol.Success
		if !known {
			code = c.code(protocol.PacketIdentifierNotFound)
		}
		c.sendAck(protocol.PUBCOMP, a.PacketID, code)
	}
	return nil
}

// code returns code for 5.0 clients and Success for 3.x, which have no
// reason codes in acknowledgements.
func (c *conn) code(code protocol.ReasonCode) protocol.ReasonCode {
	if c.version == protocol.V5 {
		return code
	}
	return protocol.Success
}

// router is the scratch space of one routing goroutine: a connection's
// read loop, or the broker's own publisher.
type router struct {
	matches []*subscription
	targets []target
	ids     []uint32
	enc     encoder
}

// target is one session a message goes to, with what its matching
// subscriptions ask for.
type target struct {
	sess     *session
	qos      protocol.QoS
	retain   bool
	shared   bool
	ids      [2]int32 // its subscription identifiers are router.ids[ids[0]:ids[1]]
	delivery delivery
}

// route delivers m to every session with a matching subscription and
// returns how many got it or have it queued.
func (b *Broker) route(r *router, m *message) int {
	r.matches = b.tree.match(m.topic, r.matches[:0])
	targets, ids := r.targets[:0], r.ids[:0]
	needMerge := false
	for _, sub := range r.matches {
		if sub.sess.nsubs.Load() > 1 {
			needMerge = true
			break
		}
	}
	if needMerge {
		// A session with overlapping subscriptions gets one copy, at the
		// highest QoS they grant, with all their identifiers
		// ([MQTT-3.3.4-2], §3.3.4). Shared subscriptions are separate.
		slices.SortFunc(r.matches, func(x, y *subscription) int {
			switch {
			case x.sess.seq != y.sess.seq:
				return cmpUint(x.sess.seq, y.sess.seq)
			case (x.group == "") != (y.group == ""):
				if x.group == "" {
					return -1 // non-shared first, so they merge
				}
				return 1
			}
			return 0
		})
	}
	for i, sub := range r.matches {
		if sub.noLocal && sub.sess.id == m.from {
			continue // [MQTT-3.8.3-3]
		}
		qos := min(m.qos, sub.qos)
		retain := m.retain && sub.rap // [MQTT-3.3.1-12] [MQTT-3.3.1-13]
		if needMerge && sub.group == "" && len(targets) > 0 && i > 0 {
			t := &targets[len(targets)-1]
			if t.sess == sub.sess && !t.shared {
				t.qos = max(t.qos, qos)
				t.retain = t.retain || retain
				if sub.id != 0 {
					ids = append(ids, sub.id)
					t.ids[1] = int32(len(ids))
				}
				continue
			}
		}
		t := target{sess: sub.sess, qos: qos, retain: retain, shared: sub.group != "",
			ids: [2]int32{int32(len(ids)), int32(len(ids))}}
		if sub.id != 0 {
			ids = append(ids, sub.id)
			t.ids[1] = int32(len(ids))
		}
		targets = append(targets, t)
	}
	r.targets, r.ids = targets, ids

	now := b.now()
	r.enc.reset(m, now)
	n := 0
	for i := range targets {
		t := &targets[i]
		t.delivery = t.sess.deliver(&r.enc, t.qos, t.retain, ids[t.ids[0]:t.ids[1]])
		if t.delivery <= queued {
			n++
		}
	}
	clear(r.matches) // do not keep sessions alive through the scratch space
	b.tel.routed(m, targets)
	for i := range targets {
		targets[i].sess = nil
	}
	return n
}

// retain stores or deletes the retained message of m's topic.
func (b *Broker) retain(m *message) {
	k := m
	if len(m.payload) > 0 {
		k = m.keep()
	}
	switch b.retained.set(k) {
	case 1:
		b.tel.retainedChanged(m.topic, "set", k.payload)
	case -1:
		b.tel.retainedChanged(m.topic, "deleted", nil)
	default:
		if len(m.payload) > 0 {
			b.tel.retainedChanged(m.topic, "replaced", k.payload)
		}
	}
}

// publishInternal routes a message the broker itself publishes ($SYS,
// telemetry, wills).
func (b *Broker) publishInternal(m *message) {
	if m.retain {
		b.retain(m) // stored before routed, as in handlePublish
	}
	b.internal.Lock()
	b.route(&b.internal.router, m)
	b.internal.Unlock()
}

// internalRouter serializes the broker's own publishes.
type internalRouter struct {
	sync.Mutex
	router router
}

func cmpUint(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}
