//go:build !js

package protocol_test

import (
	"bytes"
	"testing"

	ppk "github.com/eclipse/paho.golang/packets"
	mpk "github.com/mochi-mqtt/server/v2/packets"

	"github.com/mqttlab/mqttlab/protocol"
)

func pahoConnect(c *protocol.Connect) *ppk.ControlPacket {
	p := &ppk.Connect{
		ProtocolName: c.Version.ProtocolName(), ProtocolVersion: byte(c.Version),
		CleanStart: c.CleanStart, KeepAlive: c.KeepAlive, ClientID: c.ClientID,
		Properties:   pahoProps(&c.Props),
		UsernameFlag: c.Username.Present, Username: c.Username.Value,
		PasswordFlag: c.Password.Present, Password: c.Password.Value,
	}
	if w := c.Will; w != nil {
		p.WillFlag, p.WillQOS, p.WillRetain = true, byte(w.QoS), w.Retain
		p.WillTopic, p.WillMessage, p.WillProperties = w.Topic, w.Payload, pahoProps(&w.Props)
	}
	return &ppk.ControlPacket{FixedHeader: ppk.FixedHeader{Type: ppk.CONNECT}, Content: p}
}

func mochiConnect(c *protocol.Connect) mpk.Packet {
	pk := mpk.Packet{
		FixedHeader:     mpk.FixedHeader{Type: mpk.Connect},
		ProtocolVersion: byte(c.Version),
		Properties:      mochiProps(&c.Props),
		Connect: mpk.ConnectParams{
			ProtocolName: []byte(c.Version.ProtocolName()), Clean: c.CleanStart, Keepalive: c.KeepAlive,
			ClientIdentifier: c.ClientID,
			UsernameFlag:     c.Username.Present, Username: []byte(c.Username.Value),
			PasswordFlag: c.Password.Present, Password: c.Password.Value,
		},
	}
	if w := c.Will; w != nil {
		pk.Connect.WillFlag, pk.Connect.WillQos, pk.Connect.WillRetain = true, byte(w.QoS), w.Retain
		pk.Connect.WillTopic, pk.Connect.WillPayload = w.Topic, w.Payload
		pk.Connect.WillProperties = mochiProps(&w.Props)
	}
	return pk
}

var (
	pahoConnectPeer = peer{"paho", func(p protocol.Packet) ([]byte, error) {
		return pahoWrite(pahoConnect(p.(*protocol.Connect)))
	}, pahoReencode, pahoConnectCarries}
	mochiConnectPeer = peer{"mochi", func(p protocol.Packet) ([]byte, error) {
		pk := mochiConnect(p.(*protocol.Connect))
		return mochiWrite(&pk)
	}, mochiReencode, nil}
)

// pahoConnectCarries is what paho.golang keeps of a CONNECT: it decodes
// will properties but encodes them with the CONNECT property table
// (v0.23.0), which drops the properties a will shares with PUBLISH:
// payload format, message expiry, content type, response topic and
// correlation data. Its encoding of the benchmark's CONNECT therefore
// lacks the will's 19-byte Content Type.
func pahoConnectCarries(p protocol.Packet) protocol.Packet {
	c := *p.(*protocol.Connect)
	if c.Will != nil {
		w := *c.Will
		w.Props.PayloadFormat, w.Props.MessageExpiry = protocol.Opt[byte]{}, protocol.Opt[uint32]{}
		w.Props.ContentType, w.Props.ResponseTopic = protocol.Opt[string]{}, protocol.Opt[string]{}
		w.Props.CorrelationData = protocol.Opt[[]byte]{}
		c.Will = &w
	}
	return &c
}

// BenchmarkConnectDecode decodes an MQTT 5.0 CONNECT with properties, a
// will with properties, a user name and a password.
func BenchmarkConnectDecode(b *testing.B) {
	raw := encode(b, benchConnect())
	const name = "v5-will"
	b.Run(name+"/mqttlab", func(b *testing.B) { benchDecodeInto(b, raw, protocol.V5, new(protocol.Connect)) })
	b.Run(name+"/mqttlab-new", func(b *testing.B) { benchDecodeNew(b, raw, protocol.V5) })
	b.Run(name+"/paho", func(b *testing.B) {
		p := &ppk.Connect{Properties: &ppk.Properties{}}
		benchPahoUnpack(b, raw, func(buf *bytes.Buffer) error {
			*p = ppk.Connect{Properties: p.Properties}
			*p.Properties = ppk.Properties{}
			return p.Unpack(buf)
		})
	})
	b.Run(name+"/mochi", func(b *testing.B) { benchMochiDecode(b, raw, protocol.V5, (*mpk.Packet).ConnectDecode) })
}

// BenchmarkConnectEncode encodes the CONNECT of BenchmarkConnectDecode
// (paho leaves out the will's Content Type, see pahoConnectCarries).
func BenchmarkConnectEncode(b *testing.B) {
	p := benchConnect()
	const name = "v5-will"
	b.Run(name+"/mqttlab", func(b *testing.B) { benchAppend(b, p) })
	b.Run(name+"/paho", func(b *testing.B) { benchPahoWrite(b, pahoConnect(p)) })
	b.Run(name+"/mochi", func(b *testing.B) { benchMochiEncode(b, mochiConnect(p), (*mpk.Packet).ConnectEncode) })
}
