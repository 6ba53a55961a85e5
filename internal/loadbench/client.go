//go:build linux

package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// The load generator speaks MQTT 3.1.1 straight over TCP through our codec:
// no client library, packets encoded once into reused buffers, many
// packets per write, and reads through a large buffer so that a busy
// subscriber takes dozens of packets per system call. The generator
// shares two cores with the broker it measures; every cycle it saves is
// one the broker gets.

const (
	version     = protocol.V311
	keepAlive   = 120              // seconds: longer than any run, so no PINGREQ is needed
	busyReadBuf = 64 << 10         // a subscriber or publisher under load
	idleReadBuf = 512              // an idle connection: thousands of them
	setupWait   = 10 * time.Second // CONNACK and SUBACK
)

// mqttConn is one client connection of the generator.
type mqttConn struct {
	nc net.Conn
	br *bufio.Reader // between the socket and r: one read system call per busyReadBuf bytes
	r  *protocol.Reader
}

// pending reports whether bytes are read but not yet returned as packets:
// while true, the next Next does not block.
func (c *mqttConn) pending() bool { return c.r.Buffered() > 0 || c.br.Buffered() > 0 }

// dial connects and completes the CONNECT/CONNACK exchange with a clean
// session.
func dial(addr, clientID string, local *net.TCPAddr, readBuf int) (*mqttConn, error) {
	d := net.Dialer{Timeout: setupWait}
	if local != nil {
		d.LocalAddr = local
	}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", clientID, err)
	}
	c := newConn(nc, readBuf)
	if err := c.handshake(clientID); err != nil {
		nc.Close()
		return nil, fmt.Errorf("client %s: %w", clientID, err)
	}
	return c, nil
}

func newConn(nc net.Conn, readBuf int) *mqttConn {
	br := bufio.NewReaderSize(nc, readBuf)
	r := protocol.NewReader(br)
	r.Version = version
	return &mqttConn{nc: nc, br: br, r: r}
}

func (c *mqttConn) handshake(clientID string) error {
	cp := protocol.Connect{Version: version, CleanStart: true, KeepAlive: keepAlive, ClientID: clientID}
	buf, err := cp.AppendTo(nil)
	if err != nil {
		return err
	}
	c.nc.SetDeadline(time.Now().Add(setupWait))
	defer c.nc.SetDeadline(time.Time{})
	if _, err := c.nc.Write(buf); err != nil {
		return fmt.Errorf("sending CONNECT: %w", err)
	}
	p, err := c.r.ReadPacket()
	if err != nil {
		return fmt.Errorf("reading CONNACK: %w", err)
	}
	ack, ok := p.(*protocol.Connack)
	if !ok {
		return fmt.Errorf("expected CONNACK, got %v", p.Type())
	}
	if ack.ReasonCode != protocol.Success {
		return fmt.Errorf("connection refused: %v", ack.ReasonCode)
	}
	return nil
}

// subscribe subscribes to filter and waits for the SUBACK, so that
// messages published afterwards are routed to this client.
func (c *mqttConn) subscribe(filter string, qos protocol.QoS) error {
	sp := protocol.Subscribe{Version: version, PacketID: 1,
		Subscriptions: []protocol.Subscription{{Filter: filter, QoS: qos}}}
	buf, err := sp.AppendTo(nil)
	if err != nil {
		return err
	}
	c.nc.SetDeadline(time.Now().Add(setupWait))
	defer c.nc.SetDeadline(time.Time{})
	if _, err := c.nc.Write(buf); err != nil {
		return fmt.Errorf("sending SUBSCRIBE %s: %w", filter, err)
	}
	p, err := c.r.ReadPacket()
	if err != nil {
		return fmt.Errorf("reading SUBACK for %s: %w", filter, err)
	}
	ack, ok := p.(*protocol.Suback)
	if !ok || ack.PacketID != 1 || len(ack.ReasonCodes) != 1 {
		return fmt.Errorf("subscribing to %s: expected SUBACK 1, got %v", filter, p.Type())
	}
	if got := ack.ReasonCodes[0]; got != protocol.ReasonCode(qos) {
		return fmt.Errorf("subscribing to %s: granted %v, asked for QoS %d", filter, got, qos)
	}
	return nil
}

// close says DISCONNECT (so the broker publishes no will and logs no
// error) and closes.
func (c *mqttConn) close() {
	c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	c.nc.Write(disconnectPacket)
	c.nc.Close()
	c.r.Release()
}

var disconnectPacket = []byte{byte(protocol.DISCONNECT) << 4, 0}

// isTimeout reports whether err is a deadline passing.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// template is an encoded PUBLISH whose payload (and, at QoS 1, packet
// identifier) is patched in place for each message: the topic is encoded
// once, not once per message.
type template struct {
	pkt   []byte
	idOff int // offset of the packet identifier, QoS 1 only
	plOff int // offset of the payload
}

func newTemplate(topic string, qos protocol.QoS, payloadSize int) (template, error) {
	p := protocol.Publish{Version: version, QoS: qos, Topic: topic, Payload: make([]byte, payloadSize)}
	if qos > 0 {
		p.PacketID = 0xffff
	}
	pkt, err := p.AppendTo(nil)
	if err != nil {
		return template{}, fmt.Errorf("encoding PUBLISH to %s: %w", topic, err)
	}
	t := template{pkt: pkt, plOff: len(pkt) - payloadSize}
	if qos > 0 {
		t.idOff = t.plOff - 2
	}
	return t, nil
}

// appendPuback appends a 3.1.1 PUBACK.
func appendPuback(dst []byte, id uint16) []byte {
	return append(dst, byte(protocol.PUBACK)<<4, 2, byte(id>>8), byte(id))
}
