//go:build !js

package protocol_test

// The comparison benchmarks measure this codec against two peers on the
// same packets in the same run: the packets package of eclipse/paho.golang
// (an MQTT 5.0 client codec) and that of mochi-mqtt/server (a broker codec
// for 3.1.1 and 5.0). The peers are test-only dependencies; this file
// holds the fixtures, written once as protocol values and converted for
// each peer, and the test proving that every implementation reads and
// writes the same packets, so the benchmarks compare equal work.
//
// Sub-benchmarks are named Operation/case/implementation, e.g.
// BenchmarkPublishDecode/v5-16B/paho; `go run ./internal/benchtable`
// turns the output into one table per operation.

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	ppk "github.com/eclipse/paho.golang/packets"
	mpk "github.com/mochi-mqtt/server/v2/packets"

	"github.com/mqttlab/mqttlab/protocol"
)

// benchTopic is a realistic topic name: five levels, 46 bytes.
const benchTopic = "sensors/building-3/floor-2/room-14/temperature"

type publishCase struct {
	name string
	v    protocol.Version
	size int
}

// publishCases are the PUBLISH packets compared: both versions, a small
// and a 1 KiB payload.
var publishCases = []publishCase{
	{"v311-16B", protocol.V311, 16},
	{"v311-1KiB", protocol.V311, 1024},
	{"v5-16B", protocol.V5, 16},
	{"v5-1KiB", protocol.V5, 1024},
}

// benchPublish is a QoS 1 PUBLISH; in 5.0 it carries the properties of a
// request in request/response: expiry, content type, response topic,
// correlation data and a user property.
func benchPublish(v protocol.Version, size int) *protocol.Publish {
	p := &protocol.Publish{Version: v, QoS: protocol.QoS1, PacketID: 7, Topic: benchTopic,
		Payload: bytes.Repeat([]byte{'x'}, size)}
	if v == protocol.V5 {
		p.Props = protocol.Properties{
			MessageExpiry:   protocol.Some(uint32(3600)),
			ContentType:     protocol.Some("application/json"),
			ResponseTopic:   protocol.Some("replies/client-7"),
			CorrelationData: protocol.Some([]byte("req-0001-abcdefg")),
			User:            []protocol.UserProperty{{Key: "unit", Value: "celsius"}},
		}
	}
	return p
}

// benchConnect is an MQTT 5.0 CONNECT with session properties, a will
// with properties, a user name and a password.
func benchConnect() *protocol.Connect {
	return &protocol.Connect{
		Version: protocol.V5, CleanStart: true, KeepAlive: 30,
		Props: protocol.Properties{
			SessionExpiry:     protocol.Some(uint32(3600)),
			ReceiveMaximum:    protocol.Some(uint16(100)),
			TopicAliasMaximum: protocol.Some(uint16(16)),
			User:              []protocol.UserProperty{{Key: "app", Value: "mqttlab"}},
		},
		ClientID: "sensor-k1-0042",
		Will: &protocol.WillMessage{
			Topic: "devices/sensor-k1-0042/status", Payload: []byte(`{"online":false}`),
			QoS: protocol.QoS1, Retain: true,
			Props: protocol.Properties{
				WillDelay:   protocol.Some(uint32(10)),
				ContentType: protocol.Some("application/json"),
			},
		},
		Username: protocol.Some("device"),
		Password: protocol.Some([]byte("s3cret-token")),
	}
}

// benchSubscribe is an MQTT 5.0 SUBSCRIBE of ten filters with assorted
// options and a subscription identifier.
func benchSubscribe() *protocol.Subscribe {
	return &protocol.Subscribe{
		Version: protocol.V5, PacketID: 9,
		Props: protocol.Properties{SubscriptionIDs: []uint32{42}},
		Subscriptions: []protocol.Subscription{
			{Filter: "sensors/+/temperature", QoS: 1},
			{Filter: "sensors/building-3/#", QoS: 2, RetainHandling: 1},
			{Filter: "home/+/+/state", QoS: 1, NoLocal: true},
			{Filter: "devices/+/status", QoS: 1, RetainAsPublished: true},
			{Filter: "factory/line-1/+/speed"},
			{Filter: "$share/workers/jobs/#", QoS: 1},
			{Filter: "alerts/#", QoS: 2},
			{Filter: "weather/+/wind", RetainHandling: 2},
			{Filter: "a/b/c/d"},
			{Filter: "lab/hello", QoS: 1},
		},
	}
}

// encode is the mqttlab encoding of p, failing the test or benchmark on error.
func encode(tb testing.TB, p protocol.Packet) []byte {
	tb.Helper()
	raw, err := p.AppendTo(nil)
	if err != nil {
		tb.Fatalf("encode %T: %v", p, err)
	}
	return raw
}

// decode decodes one whole packet with mqttlab.
func decode(tb testing.TB, raw []byte, v protocol.Version) protocol.Packet {
	tb.Helper()
	h, n, err := protocol.ParseFixedHeader(raw)
	if err != nil || n == 0 {
		tb.Fatalf("fixed header of % x: n=%d, %v", raw, n, err)
	}
	p, err := protocol.Decode(h, raw[n:], v)
	if err != nil {
		tb.Fatalf("decode % x: %v", raw, err)
	}
	return p
}

// body returns the bytes after the fixed header.
func body(tb testing.TB, raw []byte) []byte {
	tb.Helper()
	_, n, err := protocol.ParseFixedHeader(raw)
	if err != nil || n == 0 {
		tb.Fatalf("fixed header of % x: n=%d, %v", raw, n, err)
	}
	return raw[n:]
}

// sink keeps benchmark results alive where b.Loop alone would not.
var sink int

// A peer codec, as the comparison test drives it: encode converts a
// protocol packet to the peer's type and encodes it; reencode decodes raw
// with the peer and encodes what it read; carries, if set, returns what
// is left of a packet after the peer's known losses.
type peer struct {
	name     string
	encode   func(p protocol.Packet) ([]byte, error)
	reencode func(raw []byte, v protocol.Version) ([]byte, error)
	carries  func(p protocol.Packet) protocol.Packet
}

// TestComparePeersAgree checks, for every fixture and peer, that the peer
// encodes the fixture to bytes mqttlab decodes back to the fixture, and
// that the peer decodes mqttlab's bytes without losing a field: the
// benchmarks then compare equal work, and mqttlab interoperates with both.
func TestComparePeersAgree(t *testing.T) {
	t.Parallel()
	type fixture struct {
		name  string
		p     protocol.Packet
		v     protocol.Version
		peers []peer
	}
	var fixtures []fixture
	for _, c := range publishCases {
		f := fixture{name: "publish-" + c.name, p: benchPublish(c.v, c.size), v: c.v, peers: []peer{mochiPublishPeer}}
		if c.v == protocol.V5 {
			f.peers = append(f.peers, pahoPublishPeer) // paho.golang speaks only 5.0
		}
		fixtures = append(fixtures, f)
	}
	fixtures = append(fixtures,
		fixture{"connect-v5-will", benchConnect(), protocol.V5, []peer{pahoConnectPeer, mochiConnectPeer}},
		fixture{"subscribe-v5-10", benchSubscribe(), protocol.V5, []peer{pahoSubscribePeer, mochiSubscribePeer}},
	)
	for _, f := range fixtures {
		for _, pr := range f.peers {
			t.Run(f.name+"/"+pr.name, func(t *testing.T) {
				t.Parallel()
				want := f.p
				if pr.carries != nil {
					want = pr.carries(f.p)
				}
				theirs, err := pr.encode(f.p)
				if err != nil {
					t.Fatalf("%s encode: %v", pr.name, err)
				}
				if got := decode(t, theirs, f.v); !reflect.DeepEqual(got, want) {
					t.Errorf("%s encoding decodes to\n%s\nwant\n%s", pr.name, show(got), show(want))
				}
				again, err := pr.reencode(encode(t, f.p), f.v)
				if err != nil {
					t.Fatalf("%s decode of mqttlab's bytes: %v", pr.name, err)
				}
				if got := decode(t, again, f.v); !reflect.DeepEqual(got, want) {
					t.Errorf("%s read mqttlab's bytes as\n%s\nwant\n%s", pr.name, show(got), show(want))
				}
			})
		}
	}
}

// show formats a packet for a test failure, the will of a CONNECT included.
func show(p protocol.Packet) string {
	if c, ok := p.(*protocol.Connect); ok && c.Will != nil {
		return fmt.Sprintf("%+v\nwill: %+v", *c, *c.Will)
	}
	return fmt.Sprintf("%+v", p)
}

// pahoProps converts properties to paho's representation.
func pahoProps(p *protocol.Properties) *ppk.Properties {
	out := &ppk.Properties{
		ContentType:     p.ContentType.Value,
		ResponseTopic:   p.ResponseTopic.Value,
		CorrelationData: p.CorrelationData.Value,
	}
	if v, ok := p.MessageExpiry.Get(); ok {
		out.MessageExpiry = &v
	}
	if v, ok := p.SessionExpiry.Get(); ok {
		out.SessionExpiryInterval = &v
	}
	if v, ok := p.WillDelay.Get(); ok {
		out.WillDelayInterval = &v
	}
	if v, ok := p.ReceiveMaximum.Get(); ok {
		out.ReceiveMaximum = &v
	}
	if v, ok := p.TopicAliasMaximum.Get(); ok {
		out.TopicAliasMaximum = &v
	}
	if len(p.SubscriptionIDs) > 0 {
		id := int(p.SubscriptionIDs[0])
		out.SubscriptionIdentifier = &id
	}
	for _, u := range p.User {
		out.User = append(out.User, ppk.User{Key: u.Key, Value: u.Value})
	}
	return out
}

// mochiProps converts properties to mochi's representation.
func mochiProps(p *protocol.Properties) mpk.Properties {
	out := mpk.Properties{
		ContentType:               p.ContentType.Value,
		ResponseTopic:             p.ResponseTopic.Value,
		CorrelationData:           p.CorrelationData.Value,
		MessageExpiryInterval:     p.MessageExpiry.Value,
		SessionExpiryInterval:     p.SessionExpiry.Value,
		SessionExpiryIntervalFlag: p.SessionExpiry.Present,
		WillDelayInterval:         p.WillDelay.Value,
		ReceiveMaximum:            p.ReceiveMaximum.Value,
		TopicAliasMaximum:         p.TopicAliasMaximum.Value,
	}
	for _, id := range p.SubscriptionIDs {
		out.SubscriptionIdentifier = append(out.SubscriptionIdentifier, int(id))
	}
	for _, u := range p.User {
		out.User = append(out.User, mpk.UserProperty{Key: u.Key, Val: u.Value})
	}
	return out
}

// pahoWrite encodes a paho packet the way paho writes it to a connection.
func pahoWrite(cp *ppk.ControlPacket) ([]byte, error) {
	var buf bytes.Buffer
	_, err := cp.WriteTo(&buf)
	return buf.Bytes(), err
}

// pahoRead decodes one whole packet with paho.
func pahoRead(raw []byte) (*ppk.ControlPacket, error) {
	return ppk.ReadPacket(bytes.NewReader(raw))
}

// mochiRead decodes one whole packet with mochi: the fixed header, the
// remaining length, then the type's decoder on the body, as mochi's
// server does.
func mochiRead(raw []byte, v protocol.Version) (mpk.Packet, error) {
	pk := mpk.Packet{ProtocolVersion: byte(v)}
	if err := pk.FixedHeader.Decode(raw[0]); err != nil {
		return pk, err
	}
	rem, n, err := mpk.DecodeLength(bytes.NewReader(raw[1:]))
	if err != nil {
		return pk, err
	}
	pk.FixedHeader.Remaining = rem
	b := raw[1+n:]
	switch pk.FixedHeader.Type {
	case mpk.Publish:
		err = pk.PublishDecode(b)
	case mpk.Connect:
		err = pk.ConnectDecode(b)
	case mpk.Subscribe:
		err = pk.SubscribeDecode(b)
	}
	return pk, err
}

// mochiWrite encodes a mochi packet.
func mochiWrite(pk *mpk.Packet) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch pk.FixedHeader.Type {
	case mpk.Publish:
		err = pk.PublishEncode(&buf)
	case mpk.Connect:
		err = pk.ConnectEncode(&buf)
	case mpk.Subscribe:
		err = pk.SubscribeEncode(&buf)
	}
	return buf.Bytes(), err
}

// pahoReencode decodes raw with paho and encodes what paho read.
func pahoReencode(raw []byte, _ protocol.Version) ([]byte, error) {
	cp, err := pahoRead(raw)
	if err != nil {
		return nil, err
	}
	return pahoWrite(cp)
}

// mochiReencode decodes raw with mochi and encodes what mochi read.
func mochiReencode(raw []byte, v protocol.Version) ([]byte, error) {
	pk, err := mochiRead(raw, v)
	if err != nil {
		return nil, err
	}
	pk.Mods.AllowResponseInfo = true
	return mochiWrite(&pk)
}
