package broker

import (
	"runtime"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// A subscriber that never reads must not make the broker grow: QoS 0
// beyond the output buffer is dropped and counted.
func TestSlowConsumerBounded(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t, Options{MaxOutBuffer: 64 << 10})
	slow := connectRaw(t, addr, protocol.V5, "slow")
	slow.subscribe(1, protocol.Subscription{Filter: "flood"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	payload := make([]byte, 1024)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 20000; i++ { // 20 MB offered
		pub.send(&protocol.Publish{Version: protocol.V5, Topic: "flood", Payload: payload})
	}
	pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Topic: "sync", Payload: payload})
	pub.expect(protocol.PUBACK)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	st := b.Stats()
	if st.MessagesDropped == 0 {
		t.Fatal("nothing dropped for a consumer that does not read")
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 8<<20 {
		t.Fatalf("heap grew by %d bytes for a stalled consumer", grew)
	}
}

func TestPublishRateLimit(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{PublishRate: 20})
	sub := connectRaw(t, addr, protocol.V5, "sub")
	sub.subscribe(1, protocol.Subscription{Filter: "rate"})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	for i := 0; i < 40; i++ {
		pub.send(&protocol.Publish{Version: protocol.V5, Topic: "rate", Payload: []byte("x")})
	}
	// 20 at once (the burst), then 20 per second: all arrive, none lost.
	start := time.Now()
	for i := 0; i < 40; i++ {
		sub.expect(protocol.PUBLISH)
	}
	if el := time.Since(start); el < 500*time.Millisecond {
		t.Fatalf("40 publishes at 20/s arrived in %v", el)
	}
}
