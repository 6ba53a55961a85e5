package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mqttlab/mqttlab/protocol"
)

// Publish sends an application message and, for QoS 1 and 2, waits until
// the server has acknowledged it (PUBACK, or PUBREC and PUBCOMP). A refusal
// is a *ReasonError with the server's reason code.
//
// QoS 1 and 2 messages first wait for a slot in the server's window (its
// Receive Maximum). Once sent, a message belongs to the session: if ctx
// ends or the connection is lost while waiting for the acknowledgement,
// Publish returns but the message is still re-sent if the session resumes.
//
// While a connection is being made (Connect, or a reconnection), Publish
// waits for it; without one it returns ErrNotConnected. The client checks
// what the server announced: a QoS above its Maximum QoS, a retained
// message when it has no retain, or a packet above its Maximum Packet Size
// is refused without sending anything.
//
// Publish copies what it keeps of m: m may be reused once it returns.
func (c *Client) Publish(ctx context.Context, m *Message) error {
	if m.QoS > protocol.QoS2 {
		return protocol.ErrQoS3
	}
	if m.Topic != "" || !m.Props.TopicAlias.Present {
		if err := protocol.ValidTopicName(m.Topic); err != nil {
			return fmt.Errorf("mqtt client: publishing to %q: %w", m.Topic, err)
		}
	}
	if len(m.Props.SubscriptionIDs) > 0 {
		return errors.New("mqtt client: a client's PUBLISH must not carry subscription identifiers [MQTT-3.3.4-6]")
	}
	cn, r, err := c.readyConn(ctx)
	if err != nil {
		return err
	}
	if err := c.checkPublish(cn, m); err != nil {
		return err
	}
	pub := protocol.Publish{Version: cn.v, QoS: m.QoS, Retain: m.Retain, Topic: m.Topic, Props: m.Props, Payload: m.Payload}
	if m.QoS == protocol.QoS0 {
		if err := cn.lock(ctx); err != nil {
			return err
		}
		err := cn.writePublishLocked(&pub, !m.Props.TopicAlias.Present)
		cn.unlock()
		return err
	}

	pub.Payload = slices.Clone(m.Payload)
	pub.Props.User = slices.Clone(m.Props.User)
	if cd, ok := m.Props.CorrelationData.Get(); ok {
		pub.Props.CorrelationData = protocol.Some(slices.Clone(cd))
	}
	e, err := c.addOut(ctx, r, &pub)
	if err != nil {
		return err
	}
	if sent, err := c.sendOut(ctx, cn, e); err != nil && !sent {
		var lost *ConnectionLostError
		if !errors.As(err, &lost) || c.cfg.Reconnect == nil {
			c.removeUnsent(e, err)
			return err
		}
	}
	select {
	case <-e.done:
		return e.err
	case <-ctx.Done():
		return ctx.Err()
	case <-r.ended:
		select {
		case <-e.done:
			return e.err
		default:
			return r.cause
		}
	}
}

// checkPublish applies what the server announced in CONNACK.
func (c *Client) checkPublish(cn *conn, m *Message) error {
	ack := cn.ack
	if m.QoS > ack.MaximumQoS {
		return refusal(protocol.QoSNotSupported, fmt.Sprintf("the server accepts QoS %d at most [MQTT-3.2.2-11]", ack.MaximumQoS))
	}
	if m.Retain && !ack.RetainAvailable {
		return refusal(protocol.RetainNotSupported, "the server does not support retained messages [MQTT-3.2.2-14]")
	}
	if a, ok := m.Props.TopicAlias.Get(); ok {
		if c.cfg.TopicAliases {
			return errors.New("mqtt client: Props.TopicAlias is set while Config.TopicAliases manages the aliases")
		}
		if a == 0 || a > ack.TopicAliasMaximum {
			return refusal(protocol.TopicAliasInvalid, fmt.Sprintf("topic alias %d is outside 1..%d, the server's Topic Alias Maximum [MQTT-3.3.2-9]", a, ack.TopicAliasMaximum))
		}
		if m.QoS > 0 && m.Topic == "" {
			return errors.New("mqtt client: a QoS 1 or 2 message needs its topic: it may be re-sent on a connection where the alias means nothing")
		}
	}
	return nil
}
