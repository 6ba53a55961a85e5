package store

import (
	"testing"

	"github.com/mqttlab/mqttlab/protocol/client"
)

func TestPacketsBoundedNewestFirst(t *testing.T) {
	p := NewPackets(3)
	for i, name := range []string{"a", "b", "a", "b", "a"} {
		p.Add(name, client.TapEvent{Raw: []byte{byte(i)}})
	}
	got := p.Newest(0, nil)
	if len(got) != 3 {
		t.Fatalf("%d packets kept, want 3", len(got))
	}
	for i, want := range []uint64{5, 4, 3} {
		if got[i].Seq != want || got[i].Raw[0] != byte(want-1) {
			t.Errorf("packet %d: seq %d raw %v, want seq %d", i, got[i].Seq, got[i].Raw, want)
		}
	}
	if d := p.Dropped(); d != 2 {
		t.Errorf("dropped %d, want 2", d)
	}
	onlyA := p.Newest(1, func(pk *Packet) bool { return pk.Client == "a" })
	if len(onlyA) != 1 || onlyA[0].Seq != 5 {
		t.Errorf("newest of a: %+v, want seq 5", onlyA)
	}
	if _, ok := p.Get(2); ok {
		t.Error("Get(2) found a dropped packet")
	}
	if pk, ok := p.Get(4); !ok || pk.Client != "b" {
		t.Errorf("Get(4) = %+v, %v; want client b", pk, ok)
	}
	v := p.Version()
	p.Clear()
	if p.Version() == v || len(p.Newest(0, nil)) != 0 {
		t.Error("Clear kept packets or left the version alone")
	}
	if _, ok := p.Get(5); ok {
		t.Error("Get found a cleared packet")
	}
}
