package protocol

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

func allGolden() []golden { return append(append([]golden(nil), golden311...), golden5...) }

// TestGolden decodes every hand-made vector through the Reader and through
// Decode, re-encodes it byte for byte, and explains it.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, g := range allGolden() {
		t.Run(g.v.String()+"/"+g.name, func(t *testing.T) {
			t.Parallel()
			got, err := readOne(t, g.raw, g.v)
			if err != nil {
				t.Fatalf("Reader: %v", err)
			}
			if !samePacket(got, g.want) {
				t.Fatalf("Reader decoded\n got %s\nwant %s", dump(got), dump(g.want))
			}
			got, err = decodeRaw(g.raw, g.v)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !samePacket(got, g.want) {
				t.Fatalf("Decode decoded\n got %s\nwant %s", dump(got), dump(g.want))
			}

			enc, err := g.want.AppendTo([]byte("prefix"))
			if err != nil {
				t.Fatalf("AppendTo: %v", err)
			}
			if !bytes.HasPrefix(enc, []byte("prefix")) || !bytes.Equal(enc[6:], g.raw) {
				t.Fatalf("AppendTo\n got % x\nwant prefix + % x", enc, g.raw)
			}

			ex := Explain(g.raw, g.v)
			want := g.v
			if c, ok := g.want.(*Connect); ok {
				want = c.Version
			}
			checkExplained(t, g.raw, ex, g.want, want)
		})
	}
}

// TestGoldenCoverage checks that the vectors hold every packet type of each
// version and, in 5.0, every property, user properties repeated and
// several subscription identifiers on one PUBLISH.
func TestGoldenCoverage(t *testing.T) {
	t.Parallel()
	types := map[Version]map[Type]bool{V31: {}, V311: {}, V5: {}}
	props := map[PropID]int{}
	for _, g := range allGolden() {
		v := g.v
		types[v][g.want.Type()] = true
		if v != V5 {
			continue
		}
		for _, f := range Explain(g.raw, v).Fields {
			if f.Key != "properties.id" {
				continue
			}
			id, err := strconv.ParseUint(strings.Fields(f.Value)[0], 0, 8)
			if err != nil {
				t.Fatalf("%s: property identifier value %q: %v", g.name, f.Value, err)
			}
			props[PropID(id)]++
		}
		if p, ok := g.want.(*Publish); ok && len(p.Props.SubscriptionIDs) > 1 && len(p.Props.User) > 1 {
			props[0]++ // a PUBLISH with both repeatable properties repeated
		}
	}
	for _, c := range []struct {
		v     Version
		types []Type
	}{
		{V31, []Type{CONNECT, CONNACK}},
		{V311, []Type{CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT}},
		{V5, []Type{CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH}},
	} {
		for _, typ := range c.types {
			if !types[c.v][typ] {
				t.Errorf("no %v vector for %v", c.v, typ)
			}
		}
	}
	ids := PropertyIDs()
	if len(ids) != 27 {
		t.Errorf("PropertyIDs lists %d properties, want 27", len(ids))
	}
	for _, id := range ids {
		if props[id] == 0 {
			t.Errorf("no 5.0 vector carries property 0x%02x %s", byte(id), PropertyName(id))
		}
	}
	if props[PropUser] < 2 || props[0] == 0 {
		t.Errorf("want a PUBLISH with repeated user properties and several subscription identifiers")
	}
}

// TestGoldenPropertyOrder decodes properties in an order other than the
// encoder's: the order on the wire is free, only user properties keep
// theirs.
func TestGoldenPropertyOrder(t *testing.T) {
	t.Parallel()
	raw := cat(
		byte(PUBLISH)<<4, 26, // fixed header; remaining length 26
		0, 1, "t", // topic name
		21,                         // property length
		0x26, 0, 1, "b", 0, 1, "2", // user property b=2
		0x23, 0, 1, // topic alias 1
		0x26, 0, 1, "a", 0, 1, "1", // user property a=1
		0x0B, 5, // subscription identifier 5
		0x01, 0, // payload format indicator 0
		"p", // payload
	)
	want := &Publish{Version: V5, Topic: "t", Payload: []byte("p"), Props: Properties{
		User: []UserProperty{{"b", "2"}, {"a", "1"}}, TopicAlias: Some(uint16(1)),
		SubscriptionIDs: []uint32{5}, PayloadFormat: Some(byte(0))}}
	got, err := decodeRaw(raw, V5)
	if err != nil {
		t.Fatal(err)
	}
	if !samePacket(got, want) {
		t.Fatalf("got %s\nwant %s", dump(got), dump(want))
	}
	checkExplained(t, raw, Explain(raw, V5), want, V5)
}

// TestExplainValues checks the human side of a few explanations: names,
// paths and values as the inspector shows them.
func TestExplainValues(t *testing.T) {
	t.Parallel()
	find := func(ex Explanation, path string) Field {
		t.Helper()
		for _, f := range ex.Fields {
			if strings.Join(f.Path, " / ") == path {
				return f
			}
		}
		t.Fatalf("no field %q in\n%s", path, fieldTable(ex))
		return Field{}
	}
	connect5 := golden5[0].raw
	ex := Explain(connect5, V5)
	for _, c := range []struct{ path, value, spec string }{
		{"Fixed header / Packet type and flags", "CONNECT (1), flags 0000", "MQTT 5.0 §2.1.2"},
		{"Fixed header / Remaining Length", "124 bytes follow", "MQTT 5.0 §2.1.4"},
		{"Variable header / Protocol Name", `"MQTT"`, "MQTT 5.0 §3.1.2.1"},
		{"Variable header / Protocol Name length", "4 bytes", "MQTT 5.0 §1.5.4"},
		{"Variable header / Protocol Version", "5 (MQTT 5.0)", "MQTT 5.0 §3.1.2.2"},
		{"Variable header / Connect Flags", "User Name 1, Password 1, Will Retain 0, Will QoS 1, Will 1, Clean Start 1, Reserved 0", "MQTT 5.0 §3.1.2.3"},
		{"Variable header / Keep Alive", "30 s", "MQTT 5.0 §3.1.2.10"},
		{"Variable header / Properties / Property Length", "47 bytes of properties", "MQTT 5.0 §2.2.2.1"},
		{"Variable header / Properties / Session Expiry Interval / Identifier", "0x11 Session Expiry Interval", "MQTT 5.0 §2.2.2.2"},
		{"Variable header / Properties / Session Expiry Interval", "3600", "MQTT 5.0 §3.1.2.11.2"},
		{"Variable header / Properties / Authentication Data", "01 02 03", "MQTT 5.0 §3.1.2.11.10"},
		{"Variable header / Properties / User Property / Name", `"k"`, "MQTT 5.0 §3.3.2.3.7"},
		{"Payload / Client Identifier", `"c5"`, "MQTT 5.0 §3.1.3.1"},
		{"Payload / Will Properties / Will Delay Interval", "5", "MQTT 5.0 §3.1.3.2.2"},
		{"Payload / Will Topic", `"w/5"`, "MQTT 5.0 §3.1.3.3"},
		{"Payload / Will Payload", `"gone"`, "MQTT 5.0 §3.1.3.4"},
		{"Payload / Password", "(2 bytes, not shown)", "MQTT 5.0 §3.1.3.6"},
	} {
		f := find(ex, c.path)
		if f.Value != c.value || f.Spec != c.spec {
			t.Errorf("%s: value %q spec %q, want %q %q", c.path, f.Value, f.Spec, c.value, c.spec)
		}
	}

	ex = Explain(golden311[3].raw, V311) // 3.1.1 CONNECT: 3.1.1 names and sections
	for _, c := range []struct{ path, value, spec string }{
		{"Variable header / Protocol Level", "4 (MQTT 3.1.1)", "MQTT 3.1.1 §3.1.2.2"},
		{"Variable header / Connect Flags", "User Name 1, Password 1, Will Retain 1, Will QoS 1, Will 1, Clean Session 1, Reserved 0", "MQTT 3.1.1 §3.1.2.3"},
		{"Payload / Will Message", `"bye"`, "MQTT 3.1.1 §3.1.3.3"},
		{"Payload / Will Topic", `"w/1"`, "MQTT 3.1.1 §3.1.3.2"},
	} {
		f := find(ex, c.path)
		if f.Value != c.value || f.Spec != c.spec {
			t.Errorf("%s: value %q spec %q, want %q %q", c.path, f.Value, f.Spec, c.value, c.spec)
		}
	}

	ex = Explain(cat(byte(PUBLISH)<<4|0b1011, 9, 0, 3, "s/t", 0, 10, 0x00, 0xFF), V311)
	for _, c := range []struct{ path, value string }{
		{"Fixed header / Packet type and flags", "PUBLISH (3), DUP 1, QoS 1, RETAIN 1"},
		{"Variable header / Packet Identifier", "10"},
		{"Payload / Payload", "00 ff"}, // not printable: hex
	} {
		if f := find(ex, c.path); f.Value != c.value {
			t.Errorf("%s: value %q, want %q", c.path, f.Value, c.value)
		}
	}
}

// TestGoldenPrefixes cuts every golden packet at every length. Explained,
// a cut capture is ErrTruncated with the fields read so far; decoded with
// its Remaining Length shortened to match, it is refused with a codec error
// or, where the cut leaves a valid packet, round-trips.
func TestGoldenPrefixes(t *testing.T) {
	t.Parallel()
	for _, g := range allGolden() {
		_, n, _ := ParseFixedHeader(g.raw)
		step := 1 + len(g.raw)/500
		for cut := 0; cut < len(g.raw); cut += step {
			ex := Explain(g.raw[:cut], g.v)
			if !errors.Is(ex.Err, ErrTruncated) || ex.ErrOffset != checkFields(t, g.raw[:cut], ex) {
				t.Fatalf("%s cut at %d: %v at %d\n%s", g.name, cut, ex.Err, ex.ErrOffset, fieldTable(ex))
			}
			if cut < n {
				continue
			}
			body := g.raw[n:cut]
			short := append(AppendVarint([]byte{g.raw[0]}, uint32(len(body))), body...)
			p, err := decodeRaw(short, g.v)
			if err != nil {
				if e := asError(err); e == nil || e.Code < 0x80 {
					t.Fatalf("%s cut at %d: %v", g.name, cut, err)
				}
				continue
			}
			enc, err := p.AppendTo(nil)
			if err != nil {
				t.Fatalf("%s cut at %d decodes as %s but does not encode: %v", g.name, cut, dump(p), err)
			}
			if q, err := decodeRaw(enc, g.v); err != nil || !samePacket(p, q) {
				t.Fatalf("%s cut at %d: round trip gave %s, %v", g.name, cut, dump(q), err)
			}
		}
	}
}

// TestGoldenAppendAfter encodes every golden packet after bytes already in
// the buffer, with no spare capacity, with exactly the room the packet
// needs and with more: the encoders reserve the packet's room once and
// must write exactly into it, leaving what was there untouched.
func TestGoldenAppendAfter(t *testing.T) {
	t.Parallel()
	for _, g := range allGolden() {
		for _, spare := range []int{0, len(g.raw), len(g.raw) + 64} {
			head := []byte{0xde, 0xad, 0xbe, 0xef}
			dst := append(make([]byte, 0, len(head)+spare), head...)
			got, err := g.want.AppendTo(dst)
			if err != nil || !bytes.Equal(got[:len(head)], head) || !bytes.Equal(got[len(head):], g.raw) {
				t.Fatalf("%s after %d bytes with %d spare: % x, %v; want % x", g.name, len(head), spare, got, err, g.raw)
			}
		}
	}
}

// TestNames covers the String methods the inspector shows.
func TestNames(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ got, want string }{
		{CONNECT.String(), "CONNECT"}, {AUTH.String(), "AUTH"}, {Type(0).String(), "Reserved"}, {Type(16).String(), "Type(16)"},
		{V31.String(), "3.1"}, {V311.String(), "3.1.1"}, {V5.String(), "5.0"}, {Version(9).String(), "level 9"},
		{V31.ProtocolName(), "MQIsdp"}, {V311.ProtocolName(), "MQTT"}, {V5.ProtocolName(), "MQTT"},
		{QoS0.String(), "0 (at most once)"}, {QoS1.String(), "1 (at least once)"}, {QoS2.String(), "2 (exactly once)"}, {QoS(3).String(), "3 (invalid)"},
		{PacketTooLarge.String(), "Packet too large"}, {ReasonCode(0x03).String(), "Unknown reason code 0x03"},
		{ReasonCode(0x03).Meaning(), "This reason code is not defined by MQTT 5.0."},
		{ErrQoS3.Error(), "mqtt: QoS is 3 [MQTT-3.3.1-4] (0x81 Malformed Packet)"},
		{ErrTruncated.Error(), "mqtt: packet shorter than its fields (0x81 Malformed Packet)"},
		{withRule(ErrBadReasonCode, "MQTT-3.4.2-1 (5.0)", "0x04 in PUBACK").Error(),
			"mqtt: reason code not allowed in this packet: 0x04 in PUBACK [MQTT-3.4.2-1 (5.0)] (0x82 Protocol Error)"},
		{itoa(-42), "-42"}, {itoa(0), "0"}, {(Field{}).Name(), ""},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	for v := Version(0); v < 8; v++ {
		if v.Valid() != (v >= 3 && v <= 5) {
			t.Errorf("Version(%d).Valid() = %v", v, v.Valid())
		}
	}
	if New(0) != nil || New(16) != nil || New(AUTH).Type() != AUTH {
		t.Error("New of reserved types")
	}
	o := Some("x")
	if v, ok := o.Get(); v != "x" || !ok || o.Or("y") != "x" || (Opt[string]{}).Or("y") != "y" {
		t.Error("Opt")
	}
}
