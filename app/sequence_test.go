package app

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// tapped is a packet as a client's tap records it: encoded, then decoded
// from its own bytes, as the tap does.
func tapped(t *testing.T, seq uint64, dir client.Direction, v protocol.Version, p protocol.Packet) store.Packet {
	t.Helper()
	raw, err := p.AppendTo(nil)
	if err != nil {
		t.Fatalf("encoding %v: %v", p.Type(), err)
	}
	h, n, err := protocol.ParseFixedHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := protocol.Decode(h, raw[n:], v)
	if err != nil {
		t.Fatalf("decoding %v: %v", p.Type(), err)
	}
	return store.Packet{Seq: seq, Client: "A", TapEvent: client.TapEvent{Dir: dir, Version: v, Raw: raw, Packet: decoded}}
}

// exchange builds a client's packets from (direction, packet) pairs,
// numbering them from 1.
type step struct {
	dir client.Direction
	p   protocol.Packet
}

func exchange(t *testing.T, v protocol.Version, steps ...step) []store.Packet {
	t.Helper()
	out := make([]store.Packet, len(steps))
	for i, s := range steps {
		out[i] = tapped(t, uint64(i+1), s.dir, v, s.p)
	}
	return out
}

func publish(qos protocol.QoS, id uint16, topic string) *protocol.Publish {
	return &protocol.Publish{Version: protocol.V5, QoS: qos, PacketID: id, Topic: topic, Payload: []byte("x")}
}

// flowOf describes the arrows as "TYPE flow/step" for compact
// comparisons, "-" standing for no exchange.
func flowOf(lay sequenceLayout) []string {
	var out []string
	for _, a := range lay.Arrows {
		flow, step := "-", "-"
		if a.Flow >= 0 {
			flow = strconv.Itoa(a.Flow)
		}
		if a.Step > 0 {
			step = strconv.Itoa(a.Step)
		}
		out = append(out, a.Info.TypeName()+" "+flow+"/"+step)
	}
	return out
}

func TestSequenceQoS2HandshakeInOrder(t *testing.T) {
	t.Parallel()
	v := protocol.V5
	pkts := exchange(t, v,
		step{client.Out, publish(2, 7, "a/b")},
		step{client.In, &protocol.Pubrec{Version: v, PacketID: 7}},
		step{client.Out, &protocol.Pubrel{Version: v, PacketID: 7}},
		step{client.In, &protocol.Pubcomp{Version: v, PacketID: 7}},
	)
	slices.Reverse(pkts) // the log gives newest first; the diagram orders by Seq
	lay := layoutSequence(pkts, seqMaxPackets)

	if got, want := flowOf(lay), []string{"PUBLISH 0/1", "PUBREC 0/2", "PUBREL 0/3", "PUBCOMP 0/4"}; !slices.Equal(got, want) {
		t.Fatalf("arrows %q, want %q", got, want)
	}
	if len(lay.Flows) != 1 {
		t.Fatalf("%d exchanges, want 1", len(lay.Flows))
	}
	f := lay.Flows[0]
	if f.Kind != flowQoS2 || f.PacketID != 7 || !f.Out || !f.Complete || !slices.Equal(f.Rows, []int{0, 1, 2, 3}) {
		t.Errorf("exchange %+v, want a complete QoS 2 exchange of id 7 opened by the client over rows 0-3", f)
	}
	for i, a := range lay.Arrows {
		wantOut := i%2 == 0
		if a.Out != wantOut || a.Seq != uint64(i+1) || a.Row != i {
			t.Errorf("arrow %d: out %v seq %d row %d, want out %v seq %d row %d", i, a.Out, a.Seq, a.Row, wantOut, i+1, i)
		}
		// Client to broker points right, broker to client points left.
		if from, to := a.X1, a.X2; wantOut && (from != seqClientX || to != seqBrokerX) || !wantOut && (from != seqBrokerX || to != seqClientX) {
			t.Errorf("arrow %d goes from x=%d to x=%d", i, from, to)
		}
		if i > 0 && a.Y <= lay.Arrows[i-1].Y {
			t.Errorf("arrow %d is not below arrow %d", i, i-1)
		}
	}
	if last := lay.Arrows[3].Y; lay.Height <= last {
		t.Errorf("height %d does not hold the last arrow at y=%d", lay.Height, last)
	}
}

func TestSequencePairsByDirectionAndPacketID(t *testing.T) {
	t.Parallel()
	v := protocol.V5
	// Two QoS 2 publishes of the client interleaved, and a QoS 2 message
	// the broker delivers with the same packet identifier as the first:
	// identifiers are per direction, so it is an exchange of its own.
	pkts := exchange(t, v,
		step{client.Out, publish(2, 1, "a")},                         // 0: flow 0
		step{client.Out, publish(2, 2, "b")},                         // 1: flow 1
		step{client.In, &protocol.Pubrec{Version: v, PacketID: 2}},   // 2: flow 1
		step{client.In, publish(2, 1, "c")},                          // 3: flow 2, opened by the broker
		step{client.In, &protocol.Pubrec{Version: v, PacketID: 1}},   // 4: flow 0
		step{client.Out, &protocol.Pubrec{Version: v, PacketID: 1}},  // 5: flow 2
		step{client.Out, &protocol.Pubrel{Version: v, PacketID: 2}},  // 6: flow 1
		step{client.In, &protocol.Pubrel{Version: v, PacketID: 1}},   // 7: flow 2
		step{client.Out, &protocol.Pubrel{Version: v, PacketID: 1}},  // 8: flow 0
		step{client.In, &protocol.Pubcomp{Version: v, PacketID: 2}},  // 9: flow 1
		step{client.Out, &protocol.Pubcomp{Version: v, PacketID: 1}}, // 10: flow 2
	)
	lay := layoutSequence(pkts, seqMaxPackets)
	want := []string{
		"PUBLISH 0/1", "PUBLISH 1/1", "PUBREC 1/2", "PUBLISH 2/1", "PUBREC 0/2", "PUBREC 2/2",
		"PUBREL 1/3", "PUBREL 2/3", "PUBREL 0/3", "PUBCOMP 1/4", "PUBCOMP 2/4",
	}
	if got := flowOf(lay); !slices.Equal(got, want) {
		t.Fatalf("arrows\n %q, want\n %q", got, want)
	}
	wantFlows := []struct {
		out      bool
		id       uint16
		rows     []int
		complete bool
	}{
		{true, 1, []int{0, 4, 8}, false}, // its PUBCOMP has not come yet
		{true, 2, []int{1, 2, 6, 9}, true},
		{false, 1, []int{3, 5, 7, 10}, true},
	}
	for i, w := range wantFlows {
		f := lay.Flows[i]
		if f.Out != w.out || f.PacketID != w.id || !slices.Equal(f.Rows, w.rows) || f.Complete != w.complete {
			t.Errorf("exchange %d: %+v, want out %v id %d rows %v complete %v", i, f, w.out, w.id, w.rows, w.complete)
		}
	}
	// The three exchanges overlap: each has a lane of its own.
	lanes := map[int]bool{}
	for _, f := range lay.Flows {
		lanes[f.Lane] = true
	}
	if len(lanes) != 3 {
		t.Errorf("overlapping exchanges share lanes: %+v", lay.Flows)
	}
}

func TestSequenceExchanges(t *testing.T) {
	t.Parallel()
	v := protocol.V311
	pkts := exchange(t, v,
		step{client.Out, &protocol.Connect{Version: v, CleanStart: true, KeepAlive: 30, ClientID: "A"}},
		step{client.In, &protocol.Connack{Version: v}},
		step{client.Out, &protocol.Subscribe{Version: v, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: "a/#", QoS: 1}}}},
		step{client.In, &protocol.Suback{Version: v, PacketID: 1, ReasonCodes: []protocol.ReasonCode{protocol.GrantedQoS1}}},
		step{client.Out, &protocol.Publish{Version: v, QoS: 0, Topic: "a/0"}},
		step{client.Out, &protocol.Publish{Version: v, QoS: 1, PacketID: 2, Topic: "a/1"}},
		step{client.Out, &protocol.Publish{Version: v, QoS: 1, PacketID: 2, Dup: true, Topic: "a/1"}},
		step{client.In, &protocol.Puback{Version: v, PacketID: 2}},
		step{client.In, &protocol.Puback{Version: v, PacketID: 9}}, // answers nothing shown
		step{client.Out, &protocol.Pingreq{}},
		step{client.In, &protocol.Pingresp{}},
		step{client.Out, &protocol.Unsubscribe{Version: v, PacketID: 3, Filters: []string{"a/#"}}},
		step{client.In, &protocol.Unsuback{Version: v, PacketID: 3}},
		step{client.Out, &protocol.Disconnect{Version: v}},
	)
	lay := layoutSequence(pkts, seqMaxPackets)
	want := []string{
		"CONNECT 0/1", "CONNACK 0/2", "SUBSCRIBE 1/1", "SUBACK 1/2", "PUBLISH -/-",
		"PUBLISH 2/1", "PUBLISH 2/1", "PUBACK 2/2", "PUBACK -/-", "PINGREQ 3/1", "PINGRESP 3/2",
		"UNSUBSCRIBE 4/1", "UNSUBACK 4/2", "DISCONNECT -/-",
	}
	if got := flowOf(lay); !slices.Equal(got, want) {
		t.Fatalf("arrows\n %q, want\n %q", got, want)
	}
	kinds := []flowKind{flowConnect, flowSubscribe, flowQoS1, flowPing, flowUnsubscribe}
	for i, k := range kinds {
		if f := lay.Flows[i]; f.Kind != k || !f.Complete {
			t.Errorf("exchange %d: %+v, want a complete %s", i, f, flowName(k))
		}
	}
	// Exchanges one after another reuse the first lane.
	for i, f := range lay.Flows {
		if f.Lane != 0 {
			t.Errorf("exchange %d in lane %d, want 0", i, f.Lane)
		}
	}
}

func TestSequenceIsBounded(t *testing.T) {
	t.Parallel()
	v := protocol.V5
	var steps []step
	for range 50 {
		steps = append(steps, step{client.Out, &protocol.Pingreq{}}, step{client.In, &protocol.Pingresp{}})
	}
	// One more PINGRESP first in the window: its PINGREQ is cut off.
	pkts := exchange(t, v, steps...)
	const max = 41
	lay := layoutSequence(pkts, max)
	if len(lay.Arrows) != max || lay.Omitted != len(pkts)-max {
		t.Fatalf("%d arrows and %d omitted, want %d and %d", len(lay.Arrows), lay.Omitted, max, len(pkts)-max)
	}
	if first := lay.Arrows[0]; first.Seq != uint64(len(pkts)-max+1) || first.Info.Type != protocol.PINGRESP || first.Flow != -1 {
		t.Errorf("first arrow %+v, want the orphaned PINGRESP of seq %d", first, len(pkts)-max+1)
	}
	if len(lay.Flows) != (max-1)/2 {
		t.Errorf("%d exchanges, want %d", len(lay.Flows), (max-1)/2)
	}
	if got := layoutSequence(pkts, 0); len(got.Arrows) != len(pkts) || got.Omitted != 0 {
		t.Errorf("max 0 kept %d of %d", len(got.Arrows), len(pkts))
	}
}

func TestSequenceUndecodedPacket(t *testing.T) {
	t.Parallel()
	raw := []byte{0x36, 5, 0, 1, 'a', 0, 1} // PUBLISH with QoS 3
	pk := store.Packet{Seq: 1, Client: "A", TapEvent: client.TapEvent{Dir: client.In, Version: protocol.V311, Raw: raw,
		Err: protocol.Explain(raw, protocol.V311).Err}}
	lay := layoutSequence([]store.Packet{pk}, seqMaxPackets)
	a := lay.Arrows[0]
	if a.Flow != -1 || a.Info.Type != protocol.PUBLISH || a.Info.Err == nil {
		t.Errorf("arrow %+v, want a PUBLISH in no exchange with its error", a)
	}
}

// TestSequenceSVG draws a QoS 2 handshake and reads the SVG back: one arrow
// per packet, in order, the selected one marked, the bracket of the
// exchange and a title naming the client.
func TestSequenceSVG(t *testing.T) {
	t.Parallel()
	v := protocol.V5
	pkts := exchange(t, v,
		step{client.Out, publish(2, 7, "a/b")},
		step{client.In, &protocol.Pubrec{Version: v, PacketID: 7}},
		step{client.Out, &protocol.Pubrel{Version: v, PacketID: 7}},
		step{client.In, &protocol.Pubcomp{Version: v, PacketID: 7}},
	)
	for _, l := range i18n.Langs {
		html := goapp.HTMLString(renderSequence(l, "A", layoutSequence(pkts, seqMaxPackets), 3, nil))
		var types []string
		for _, m := range regexp.MustCompile(`data-type="([A-Z]+)"`).FindAllStringSubmatch(html, -1) {
			types = append(types, m[1])
		}
		if want := []string{"PUBLISH", "PUBREC", "PUBREL", "PUBCOMP"}; !slices.Equal(types, want) {
			t.Errorf("%s: arrows %q, want %q", l, types, want)
		}
		// HTMLString writes an attribute whose value is "true" bare.
		var selected []string
		for _, tag := range regexp.MustCompile(`<g [^>]*data-seq="arrow"[^>]*>`).FindAllString(html, -1) {
			if regexp.MustCompile(`data-selected( |>|="true")`).MatchString(tag) {
				selected = append(selected, regexp.MustCompile(`data-seqno="(\d+)"`).FindStringSubmatch(tag)[1])
			}
		}
		if !slices.Equal(selected, []string{"3"}) {
			t.Errorf("%s: selected arrows %q, want only seq 3", l, selected)
		}
		if !strings.Contains(html, `data-kind="qos2"`) || !strings.Contains(html, l.T("inspector.flow.qos2")) {
			t.Errorf("%s: no QoS 2 bracket with its title", l)
		}
		if !strings.Contains(html, "<svg") || !strings.Contains(html, `viewBox="0 0 520 `) {
			t.Errorf("%s: not an SVG of the diagram's size", l)
		}
		if strings.Contains(html, "[inspector.") {
			t.Errorf("%s: a message is missing from the catalog", l)
		}
	}
}
