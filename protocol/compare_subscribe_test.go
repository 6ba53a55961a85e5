//go:build !js

package protocol_test

import (
	"bytes"
	"testing"

	ppk "github.com/eclipse/paho.golang/packets"
	mpk "github.com/mochi-mqtt/server/v2/packets"

	"github.com/mqttlab/mqttlab/protocol"
)

func pahoSubscribe(s *protocol.Subscribe) *ppk.ControlPacket {
	p := &ppk.Subscribe{PacketID: s.PacketID, Properties: pahoProps(&s.Props)}
	for _, sub := range s.Subscriptions {
		p.Subscriptions = append(p.Subscriptions, ppk.SubOptions{Topic: sub.Filter, QoS: byte(sub.QoS),
			RetainHandling: sub.RetainHandling, NoLocal: sub.NoLocal, RetainAsPublished: sub.RetainAsPublished})
	}
	return &ppk.ControlPacket{FixedHeader: ppk.FixedHeader{Type: ppk.SUBSCRIBE, Flags: 2}, Content: p}
}

func mochiSubscribe(s *protocol.Subscribe) mpk.Packet {
	pk := mpk.Packet{
		FixedHeader:     mpk.FixedHeader{Type: mpk.Subscribe, Qos: 1}, // flags 0b0010
		ProtocolVersion: byte(s.Version), PacketID: s.PacketID,
		Properties: mochiProps(&s.Props),
	}
	for _, sub := range s.Subscriptions {
		pk.Filters = append(pk.Filters, mpk.Subscription{Filter: sub.Filter, Qos: byte(sub.QoS),
			RetainHandling: sub.RetainHandling, NoLocal: sub.NoLocal, RetainAsPublished: sub.RetainAsPublished})
	}
	return pk
}

var (
	pahoSubscribePeer = peer{"paho", func(p protocol.Packet) ([]byte, error) {
		return pahoWrite(pahoSubscribe(p.(*protocol.Subscribe)))
	}, pahoReencode, nil}
	mochiSubscribePeer = peer{"mochi", func(p protocol.Packet) ([]byte, error) {
		pk := mochiSubscribe(p.(*protocol.Subscribe))
		return mochiWrite(&pk)
	}, mochiReencode, nil}
)

// BenchmarkSubscribeDecode decodes an MQTT 5.0 SUBSCRIBE of ten filters.
func BenchmarkSubscribeDecode(b *testing.B) {
	raw := encode(b, benchSubscribe())
	const name = "v5-10filters"
	b.Run(name+"/mqttlab", func(b *testing.B) { benchDecodeInto(b, raw, protocol.V5, new(protocol.Subscribe)) })
	b.Run(name+"/mqttlab-new", func(b *testing.B) { benchDecodeNew(b, raw, protocol.V5) })
	b.Run(name+"/paho", func(b *testing.B) {
		p := &ppk.Subscribe{Properties: &ppk.Properties{}}
		benchPahoUnpack(b, raw, func(buf *bytes.Buffer) error {
			*p = ppk.Subscribe{Properties: p.Properties, Subscriptions: p.Subscriptions[:0]}
			*p.Properties = ppk.Properties{}
			return p.Unpack(buf)
		})
	})
	b.Run(name+"/mochi", func(b *testing.B) { benchMochiDecode(b, raw, protocol.V5, (*mpk.Packet).SubscribeDecode) })
}

// BenchmarkSubscribeEncode encodes the SUBSCRIBE of BenchmarkSubscribeDecode.
func BenchmarkSubscribeEncode(b *testing.B) {
	p := benchSubscribe()
	const name = "v5-10filters"
	b.Run(name+"/mqttlab", func(b *testing.B) { benchAppend(b, p) })
	b.Run(name+"/paho", func(b *testing.B) { benchPahoWrite(b, pahoSubscribe(p)) })
	b.Run(name+"/mochi", func(b *testing.B) { benchMochiEncode(b, mochiSubscribe(p), (*mpk.Packet).SubscribeEncode) })
}
