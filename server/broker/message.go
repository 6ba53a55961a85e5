package broker

import (
	"github.com/mqttlab/mqttlab/protocol"
)

// message is an application message as the broker routes it. While it is
// being routed from the publisher's read loop its bytes may alias the
// read buffer; a message that must outlive the routing (queued, in flight,
// retained, a will) is copied once with keep.
type message struct {
	topic   string
	payload []byte
	qos     protocol.QoS
	retain  bool
	props   protocol.Properties // only what is forwarded (§3.3.2.3)
	expires int64               // unix nanoseconds, 0 for never
	from    string              // publisher's client id, "" for the broker
	kept    *message            // the copy made by keep, if any
}

func (m *message) expired(now int64) bool { return m.expires != 0 && now >= m.expires }

// fromPublish fills m from a received PUBLISH, keeping the properties a
// broker forwards: payload format, message expiry, content type, response
// topic, correlation data and user properties. Topic aliases and
// subscription identifiers are per connection and never forwarded.
func (m *message) fromPublish(p *protocol.Publish, topic, from string, now int64) {
	*m = message{topic: topic, payload: p.Payload, qos: p.QoS, retain: p.Retain, from: from}
	if p.Version != protocol.V5 {
		return
	}
	pp := &p.Props
	m.props = protocol.Properties{
		PayloadFormat:   pp.PayloadFormat,
		ContentType:     pp.ContentType,
		ResponseTopic:   pp.ResponseTopic,
		CorrelationData: pp.CorrelationData,
		User:            pp.User,
	}
	if exp, ok := pp.MessageExpiry.Get(); ok {
		m.props.MessageExpiry = pp.MessageExpiry
		m.expires = now + int64(exp)*1e9
	}
}

// keep returns a copy of m that owns its bytes, made once per message.
func (m *message) keep() *message {
	if m.kept != nil {
		return m.kept
	}
	k := *m
	k.kept = nil
	k.payload = append([]byte(nil), m.payload...)
	if cd := m.props.CorrelationData; cd.Present {
		k.props.CorrelationData = protocol.Some(append([]byte(nil), cd.Value...))
	}
	if m.props.User != nil {
		k.props.User = append([]protocol.UserProperty(nil), m.props.User...)
	}
	k.kept = &k // a kept message is its own copy
	m.kept = &k
	return &k
}

// publishPacket returns the PUBLISH that carries m to a client of version
// v. The Message Expiry Interval sent is what is left of it (§3.3.2.3.3).
func (m *message) publishPacket(p *protocol.Publish, v protocol.Version, qos protocol.QoS, retain bool, now int64) {
	*p = protocol.Publish{Version: v, QoS: qos, Retain: retain, Topic: m.topic, Payload: m.payload}
	if v == protocol.V5 {
		p.Props = m.props
		if m.expires != 0 {
			left := (m.expires - now + 999_999_999) / 1e9
			if left < 1 {
				left = 1
			}
			p.Props.MessageExpiry = protocol.Some(uint32(left))
		}
	}
}

// encoder encodes one message for many subscribers. Subscribers that need
// nothing of their own (no subscription identifier, no topic alias) share
// one encoding per version, QoS and RETAIN flag; a QoS 1 or 2 copy only
// has its packet identifier patched in.
type encoder struct {
	m     *message
	now   int64
	buf   []byte
	slots [3][3][2]struct{ off, n int32 } // [version-3][qos][retain]
	pub   protocol.Publish
}

func (e *encoder) reset(m *message, now int64) {
	e.m, e.now, e.buf = m, now, e.buf[:0]
	e.slots = [3][3][2]struct{ off, n int32 }{}
}

// shared returns the common encoding for (v, qos, retain) with packet
// identifier 0 (to be patched), and the offset of the identifier.
func (e *encoder) shared(v protocol.Version, qos protocol.QoS, retain bool) ([]byte, int, error) {
	r := 0
	if retain {
		r = 1
	}
	slot := &e.slots[v-protocol.V31][qos][r]
	if slot.n == 0 {
		e.m.publishPacket(&e.pub, v, qos, retain, e.now)
		if qos > 0 {
			e.pub.PacketID = 0xffff // placeholder, patched per subscriber
		}
		start := len(e.buf)
		var err error
		if e.buf, err = e.pub.AppendTo(e.buf); err != nil {
			e.buf = e.buf[:start]
			return nil, 0, err
		}
		slot.off, slot.n = int32(start), int32(len(e.buf)-start)
	}
	b := e.buf[slot.off : slot.off+slot.n : slot.off+slot.n]
	return b, idOffset(b, e.m.topic), nil
}

// idOffset is where the packet identifier of an encoded PUBLISH starts:
// after the fixed header and the topic.
func idOffset(b []byte, topic string) int {
	n := 2
	for b[n-1]&0x80 != 0 {
		n++
	}
	return n + 2 + len(topic)
}
