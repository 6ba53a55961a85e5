package broker

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

func TestPublishSubscribeQoS(t *testing.T) {
	_, addr := startBroker(t, Options{})
	for _, v := range []protocol.Version{protocol.V311, protocol.V5} {
		for qos := protocol.QoS0; qos <= protocol.QoS2; qos++ {
			sub := connectRaw(t, addr, v, "sub")
			ack := sub.subscribe(1, protocol.Subscription{Filter: "a/+", QoS: 2})
			if ack.ReasonCodes[0] != 2 {
				t.Fatalf("suback %v", ack.ReasonCodes)
			}
			pub := connectRaw(t, addr, v, "pub")
			pub.send(&protocol.Publish{Version: v, QoS: qos, PacketID: 7, Topic: "a/b", Payload: []byte("hello")})
			switch qos {
			case 1:
				pub.expect(protocol.PUBACK)
			case 2:
				pub.expect(protocol.PUBREC)
				pub.send(&protocol.Pubrel{Version: v, PacketID: 7})
				pub.expect(protocol.PUBCOMP)
			}
			p := expectPublish(t, sub, "a/b", "hello")
			if p.QoS != qos {
				t.Fatalf("qos %d want %d", p.QoS, qos)
			}
			switch qos {
			case 1:
				sub.send(&protocol.Puback{Version: v, PacketID: p.PacketID})
			case 2:
				sub.send(&protocol.Pubrec{Version: v, PacketID: p.PacketID})
				sub.expect(protocol.PUBREL)
				sub.send(&protocol.Pubcomp{Version: v, PacketID: p.PacketID})
			}
			sub.send(&protocol.Disconnect{Version: v})
			pub.send(&protocol.Disconnect{Version: v})
			sub.expectClosed()
			pub.expectClosed()
		}
	}
	_ = time.Second
}
