package protocol

import "testing"

func BenchmarkSmokeDecode(b *testing.B) {
	p := &Publish{Version: V5, QoS: 1, PacketID: 7, Topic: "sensors/k1/temp", Payload: make([]byte, 16), Props: Properties{MessageExpiry: Some(uint32(9)), ContentType: Some("text/plain"), User: []UserProperty{{"a", "b"}}}}
	raw, _ := p.AppendTo(nil)
	h, n, _ := ParseFixedHeader(raw)
	var q Publish
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := DecodeInto(&q, h, raw[n:], V5); err != nil {
			b.Fatal(err)
		}
	}
}
func BenchmarkSmokeEncode(b *testing.B) {
	p := &Publish{Version: V5, QoS: 1, PacketID: 7, Topic: "sensors/k1/temp", Payload: make([]byte, 16), Props: Properties{MessageExpiry: Some(uint32(9)), ContentType: Some("text/plain"), User: []UserProperty{{"a", "b"}}}}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf, _ = p.AppendTo(buf[:0])
	}
}
