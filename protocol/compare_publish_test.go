//go:build !js

package protocol_test

import (
	"bytes"
	"testing"

	ppk "github.com/eclipse/paho.golang/packets"
	mpk "github.com/mochi-mqtt/server/v2/packets"

	"github.com/mqttlab/mqttlab/protocol"
)

func pahoPublish(p *protocol.Publish) *ppk.Publish {
	return &ppk.Publish{Topic: p.Topic, QoS: byte(p.QoS), PacketID: p.PacketID, Duplicate: p.Dup,
		Retain: p.Retain, Payload: p.Payload, Properties: pahoProps(&p.Props)}
}

func mochiPublish(p *protocol.Publish) mpk.Packet {
	return mpk.Packet{
		FixedHeader:     mpk.FixedHeader{Type: mpk.Publish, Qos: byte(p.QoS), Dup: p.Dup, Retain: p.Retain},
		ProtocolVersion: byte(p.Version), TopicName: p.Topic, PacketID: p.PacketID, Payload: p.Payload,
		Properties: mochiProps(&p.Props),
		// Without AllowResponseInfo mochi leaves out the response topic
		// and correlation data.
		Mods: mpk.Mods{AllowResponseInfo: true},
	}
}

var (
	pahoPublishPeer = peer{"paho", func(p protocol.Packet) ([]byte, error) {
		return pahoWrite(pahoPublish(p.(*protocol.Publish)).ToControlPacket())
	}, pahoReencode, nil}
	mochiPublishPeer = peer{"mochi", func(p protocol.Packet) ([]byte, error) {
		pk := mochiPublish(p.(*protocol.Publish))
		return mochiWrite(&pk)
	}, mochiReencode, nil}
)

// BenchmarkPublishDecode decodes a PUBLISH held in memory: mqttlab into a
// reused *Publish (and, as mqttlab-new, into a new one with Decode), paho
// by unpacking into a reused Publish, mochi as its server does.
func BenchmarkPublishDecode(b *testing.B) {
	for _, c := range publishCases {
		raw := encode(b, benchPublish(c.v, c.size))
		b.Run(c.name+"/mqttlab", func(b *testing.B) { benchDecodeInto(b, raw, c.v, new(protocol.Publish)) })
		b.Run(c.name+"/mqttlab-new", func(b *testing.B) { benchDecodeNew(b, raw, c.v) })
		if c.v == protocol.V5 { // paho.golang speaks only 5.0
			b.Run(c.name+"/paho", func(b *testing.B) {
				p := &ppk.Publish{Properties: &ppk.Properties{}}
				flags := raw[0]
				benchPahoUnpack(b, raw, func(buf *bytes.Buffer) error {
					*p = ppk.Publish{Properties: p.Properties, QoS: flags >> 1 & 3, Duplicate: flags&8 != 0, Retain: flags&1 != 0}
					*p.Properties = ppk.Properties{}
					return p.Unpack(buf)
				})
			})
		}
		b.Run(c.name+"/mochi", func(b *testing.B) { benchMochiDecode(b, raw, c.v, (*mpk.Packet).PublishDecode) })
	}
}

// BenchmarkPublishEncode encodes a PUBLISH into a reused buffer.
func BenchmarkPublishEncode(b *testing.B) {
	for _, c := range publishCases {
		p := benchPublish(c.v, c.size)
		b.Run(c.name+"/mqttlab", func(b *testing.B) { benchAppend(b, p) })
		if c.v == protocol.V5 {
			b.Run(c.name+"/paho", func(b *testing.B) { benchPahoWrite(b, pahoPublish(p).ToControlPacket()) })
		}
		b.Run(c.name+"/mochi", func(b *testing.B) { benchMochiEncode(b, mochiPublish(p), (*mpk.Packet).PublishEncode) })
	}
}
