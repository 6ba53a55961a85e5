package fleet

import (
	"strings"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// Connect returns the CONNECT packet of the device: client id, version,
// session, keep-alive, credentials and will.
func (d *Device) Connect() *protocol.Connect {
	f, i := d.fleet, int(d.index)
	c := &protocol.Connect{
		Version:    f.Version,
		CleanStart: f.Session.Clean,
		KeepAlive:  uint16(f.KeepAlive / time.Second),
		ClientID:   d.ClientID(),
		Will:       d.Will(),
	}
	if f.Version == protocol.V5 && f.Session.Expiry > 0 {
		c.Props.SessionExpiry = protocol.Some(uint32(f.Session.Expiry / time.Second))
	}
	if f.Username != nil {
		c.Username = protocol.Some(f.Username.Expand(f, i))
	}
	if f.Password != nil {
		c.Password = protocol.Some([]byte(f.Password.Expand(f, i)))
	}
	return c
}

// Will returns the device's will (its retained offline status), or nil
// when the fleet has no status.
func (d *Device) Will() *protocol.WillMessage {
	st := d.fleet.Status
	if st == nil {
		return nil
	}
	f, i := d.fleet, int(d.index)
	w := &protocol.WillMessage{
		Topic:   st.Topic.Expand(f, i),
		Payload: []byte(st.Offline.Expand(f, i)),
		QoS:     st.QoS,
		Retain:  st.Retain,
	}
	if f.Version == protocol.V5 {
		w.Props.ContentType = protocol.Some(statusFormat(st.Offline).ContentType())
		w.Props.PayloadFormat = protocol.Some[byte](1)
		if st.WillDelay > 0 {
			w.Props.WillDelay = protocol.Some(uint32(st.WillDelay / time.Second))
		}
	}
	return w
}

// Birth writes the device's online status into buf; false when the fleet
// has no status. Publish it right after connecting.
func (d *Device) Birth(buf []byte) (Message, bool) { return d.status(buf, true) }

// Goodbye writes the device's offline status into buf; false when the
// fleet has no status. Publish it before a clean DISCONNECT, which makes
// the broker discard the will that would otherwise have said the same.
func (d *Device) Goodbye(buf []byte) (Message, bool) { return d.status(buf, false) }

func (d *Device) status(buf []byte, online bool) (Message, bool) {
	st := d.fleet.Status
	if st == nil {
		return Message{Buf: buf}, false
	}
	f, i := d.fleet, int(d.index)
	b := st.Topic.Append(buf[:0], f, i)
	n := len(b)
	payload := st.Offline
	if online {
		payload = st.Online
	}
	b = payload.Append(b, f, i)
	return Message{Topic: b[:n], Payload: b[n:], QoS: st.QoS, Retain: st.Retain, Format: statusFormat(payload), Buf: b}, true
}

// statusFormat tells a JSON status from plain text.
func statusFormat(t *scenario.Template) scenario.Format {
	if strings.HasPrefix(strings.TrimSpace(t.String()), "{") {
		return scenario.JSON
	}
	return scenario.Plain
}

// Subscriptions returns the topic filters of the device's commands (none
// when its fleet takes no commands).
func (d *Device) Subscriptions() []protocol.Subscription {
	c := d.fleet.Commands
	if c == nil {
		return nil
	}
	f, i := d.fleet, int(d.index)
	subs := []protocol.Subscription{{Filter: c.Topic.Expand(f, i), QoS: c.QoS}}
	if c.Broadcast != nil {
		subs = append(subs, protocol.Subscription{Filter: c.Broadcast.Expand(f, i), QoS: c.QoS})
	}
	return subs
}
