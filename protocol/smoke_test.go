package protocol

import (
	"bytes"
	"testing"
)

func TestSmoke(t *testing.T) {
	pkts := []Packet{
		&Connect{Version: V5, CleanStart: true, KeepAlive: 30, ClientID: "c1", Props: Properties{SessionExpiry: Some(uint32(60)), User: []UserProperty{{"a", "b"}}},
			Will: &WillMessage{Topic: "w/t", Payload: []byte("bye"), QoS: 1, Props: Properties{WillDelay: Some(uint32(5))}}, Username: Some("u"), Password: Some([]byte("p"))},
		&Connect{Version: V311, ClientID: "x", Username: Some("u")},
		&Connect{Version: V31, ClientID: "x"},
		&Connack{Version: V5, SessionPresent: true, Props: Properties{ReceiveMaximum: Some(uint16(10))}},
		&Connack{Version: V311, ReasonCode: NotAuthorized},
		&Publish{Version: V5, QoS: 1, PacketID: 7, Topic: "a/b", Payload: []byte("hi"), Props: Properties{MessageExpiry: Some(uint32(9)), ContentType: Some("text/plain")}},
		&Publish{Version: V311, Topic: "a/b", Payload: []byte("hi")},
		&Puback{Version: V5, PacketID: 3}, &Pubrec{Version: V5, PacketID: 3, ReasonCode: NoMatchingSubscribers},
		&Pubrel{Version: V311, PacketID: 3}, &Pubcomp{Version: V5, PacketID: 3, Props: Properties{ReasonString: Some("ok")}},
		&Subscribe{Version: V5, PacketID: 2, Props: Properties{SubscriptionIDs: []uint32{5}}, Subscriptions: []Subscription{{Filter: "a/+", QoS: 1, NoLocal: true, RetainHandling: 2}}},
		&Suback{Version: V5, PacketID: 2, ReasonCodes: []ReasonCode{1, 0x87}},
		&Unsubscribe{Version: V311, PacketID: 4, Filters: []string{"a/#"}},
		&Unsuback{Version: V5, PacketID: 4, ReasonCodes: []ReasonCode{0x11}},
		&Unsuback{Version: V311, PacketID: 4},
		&Pingreq{}, &Pingresp{},
		&Disconnect{Version: V5, ReasonCode: DisconnectWithWill},
		&Auth{ReasonCode: ContinueAuthentication, Props: Properties{AuthMethod: Some("SCRAM")}},
	}
	for _, p := range pkts {
		raw, err := p.AppendTo(nil)
		if err != nil {
			t.Fatalf("%T: %v", p, err)
		}
		v := V5
		if vp, ok := p.(interface{ version() Version }); ok {
			v = vp.version()
		}
		switch q := p.(type) {
		case *Connect:
			v = q.Version
		case *Publish:
			v = q.Version
		case *Pubrel:
			v = q.Version
		case *Unsubscribe:
			v = q.Version
		case *Unsuback:
			v = q.Version
		case *Connack:
			v = q.Version
		}
		r := NewReader(bytes.NewReader(raw))
		r.Version = v
		got, err := r.ReadPacket()
		if err != nil {
			t.Fatalf("%T decode: %v (% x)", p, err, raw)
		}
		raw2, _ := got.AppendTo(nil)
		if !bytes.Equal(raw, raw2) {
			t.Errorf("%T: % x != % x", p, raw, raw2)
		}
		ex := Explain(raw, v)
		if ex.Err != nil {
			t.Errorf("%T explain: %v", p, ex.Err)
		}
		off := 0
		for _, f := range ex.Fields {
			if f.Offset != off {
				t.Errorf("%T field %v at %d want %d", p, f.Path, f.Offset, off)
			}
			off += f.Len
		}
		if off != len(raw) {
			t.Errorf("%T fields cover %d of %d", p, off, len(raw))
		}
		if p.Type() == CONNECT && v == V5 {
			for _, f := range ex.Fields {
				t.Logf("%3d %2d %-60s %-30s %s", f.Offset, f.Len, f.Path, f.Value, f.Spec)
			}
		}
	}
}
