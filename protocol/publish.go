package protocol

import "unicode/utf8"

// Publish is the PUBLISH packet (§3.3). Payload and the byte slices in
// Props alias the decoded bytes; Topic is a string of its own (reused when
// decoding into a Publish that held the same topic, see DecodeInto).
//
// In 5.0 Topic may be empty when Props.TopicAlias is present: the topic
// is then the one the alias was last set to, which the session resolves.
type Publish struct {
	Version  Version
	Dup      bool
	QoS      QoS
	Retain   bool
	Topic    string
	PacketID uint16 // only when QoS > 0
	Props    Properties
	Payload  []byte
}

// Type returns PUBLISH.
func (*Publish) Type() Type { return PUBLISH }

func (p *Publish) decode(c *cursor, h FixedHeader) error {
	p.Dup, p.QoS, p.Retain = h.Flags&8 != 0, QoS(h.Flags>>1&3), h.Flags&1 != 0
	if p.QoS == 3 {
		return ErrQoS3 // [MQTT-3.3.1-4]
	}
	if p.Dup && p.QoS == 0 {
		return ErrDupQoS0 // [MQTT-3.3.1-2]
	}
	p.Version = c.v
	c.section("Variable header")
	topicAt := c.off
	topic, err := c.utf8(fTopicName)
	if err != nil {
		return err
	}
	p.Topic = internString(p.Topic, topic)
	if err := checkWildcards(topic); err != nil {
		return err // [MQTT-3.3.2-2]
	}
	p.PacketID = 0
	if p.QoS > 0 {
		if p.PacketID, err = c.packetID(); err != nil {
			return err
		}
	}
	if err := p.Props.decode(c, PUBLISH); err != nil {
		return err
	}
	if len(topic) == 0 && !p.Props.TopicAlias.Present {
		c.start = topicAt
		return ErrTopicEmpty // [MQTT-4.7.3-1], §3.3.2.3.4
	}
	c.section("Payload")
	p.Payload = c.rest(fPayload)
	return nil
}

// AppendTo appends the encoded PUBLISH to dst. Props are encoded only in
// 5.0 and ignored otherwise, so one message can be sent to peers of every
// version.
func (p *Publish) AppendTo(dst []byte) ([]byte, error) {
	if !p.Version.Valid() {
		return dst, ErrVersionUnknown
	}
	if p.QoS > QoS2 {
		return dst, ErrQoS3
	}
	if p.Dup && p.QoS == 0 {
		return dst, ErrDupQoS0
	}
	if p.Topic == "" {
		if p.Version != V5 || !p.Props.TopicAlias.Present {
			return dst, ErrTopicEmpty
		}
	} else if err := ValidTopicName(p.Topic); err != nil {
		return dst, err
	}
	n := 2 + len(p.Topic) + len(p.Payload)
	if p.QoS > 0 {
		if p.PacketID == 0 {
			return dst, ErrPacketIDZero
		}
		n += 2
	}
	var props propsSize
	if p.Version == V5 {
		var err error
		if props, err = p.Props.size(PUBLISH); err != nil {
			return dst, err
		}
		if p.Props.TopicAlias.Present && p.Props.TopicAlias.Value == 0 {
			return dst, ErrTopicAliasZero
		}
		n += props.total()
	}
	flags := byte(p.QoS) << 1
	if p.Dup {
		flags |= 8
	}
	if p.Retain {
		flags |= 1
	}
	dst, err := appendHeader(dst, PUBLISH, flags, n)
	if err != nil {
		return dst, err
	}
	dst = putString(dst, p.Topic)
	if p.QoS > 0 {
		dst = put16(dst, p.PacketID)
	}
	if p.Version == V5 {
		dst = p.Props.appendTo(dst, props)
	}
	return putBytes(dst, p.Payload), nil
}

// CheckPayloadFormat reports ErrPayloadFormatBad (0x99) when p announces
// a UTF-8 payload (Payload Format Indicator 1) that is not valid UTF-8. A
// receiver may check this (§3.3.2.3.2); the decoder does not, so that a
// client can still see such a message.
func CheckPayloadFormat(p *Publish) error {
	if p.Props.PayloadFormat.Value == 1 && !utf8.Valid(p.Payload) {
		return ErrPayloadFormatBad
	}
	return nil
}
