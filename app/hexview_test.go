package app

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
)

type corpusPacket struct {
	name string
	v    protocol.Version
	raw  []byte
}

// explainCorpus is a packet of every type in 3.1, 3.1.1 and 5.0, the 5.0
// ones with every property they may carry, so that every field Explain
// names appears at least once.
func explainCorpus(t *testing.T) []corpusPacket {
	t.Helper()
	s := protocol.Some[string]
	b := protocol.Some[[]byte]
	u8 := protocol.Some[byte]
	u16 := protocol.Some[uint16]
	u32 := protocol.Some[uint32]
	user := []protocol.UserProperty{{Key: "k", Value: "v"}}
	var out []corpusPacket
	for _, v := range []protocol.Version{protocol.V31, protocol.V311, protocol.V5} {
		var props, willProps, connackProps, pubProps, ackProps protocol.Properties
		if v == protocol.V5 {
			props = protocol.Properties{SessionExpiry: u32(60), AuthMethod: s("m"), AuthData: b([]byte{1}),
				RequestProblemInfo: u8(1), RequestResponseInfo: u8(1), ReceiveMaximum: u16(10),
				TopicAliasMaximum: u16(5), User: user, MaximumPacketSize: u32(1000)}
			willProps = protocol.Properties{PayloadFormat: u8(1), MessageExpiry: u32(5), ContentType: s("text/plain"),
				ResponseTopic: s("r"), CorrelationData: b([]byte{2}), WillDelay: u32(3), User: user}
			connackProps = protocol.Properties{SessionExpiry: u32(60), AssignedClientID: s("x"), ServerKeepAlive: u16(30),
				AuthMethod: s("m"), AuthData: b([]byte{1}), ResponseInfo: s("ri"), ServerReference: s("other"),
				ReasonString: s("ok"), ReceiveMaximum: u16(10), TopicAliasMaximum: u16(5), MaximumQoS: u8(1),
				RetainAvailable: u8(1), User: user, MaximumPacketSize: u32(1000), WildcardSubAvailable: u8(1),
				SubIDAvailable: u8(1), SharedSubAvailable: u8(1)}
			pubProps = protocol.Properties{PayloadFormat: u8(1), MessageExpiry: u32(5), ContentType: s("text/plain"),
				ResponseTopic: s("r"), CorrelationData: b([]byte{2}), SubscriptionIDs: []uint32{4}, TopicAlias: u16(1), User: user}
			ackProps = protocol.Properties{ReasonString: s("fine"), User: user}
		}
		packets := []protocol.Packet{
			&protocol.Connect{Version: v, CleanStart: true, KeepAlive: 30, Props: props, ClientID: "A",
				Will:     &protocol.WillMessage{Topic: "w", Payload: []byte("bye"), QoS: 1, Props: willProps},
				Username: protocol.Some("u"), Password: protocol.Some([]byte("p"))},
			&protocol.Connack{Version: v, SessionPresent: true, Props: connackProps},
			&protocol.Publish{Version: v, QoS: 2, PacketID: 7, Topic: "a/b", Props: pubProps, Payload: []byte("hi")},
			&protocol.Puback{Version: v, PacketID: 7, ReasonCode: protocol.NoMatchingSubscribers, Props: ackProps},
			&protocol.Pubrec{Version: v, PacketID: 7, ReasonCode: protocol.NoMatchingSubscribers, Props: ackProps},
			&protocol.Pubrel{Version: v, PacketID: 7, ReasonCode: protocol.PacketIdentifierNotFound, Props: ackProps},
			&protocol.Pubcomp{Version: v, PacketID: 7, ReasonCode: protocol.PacketIdentifierNotFound, Props: ackProps},
			&protocol.Subscribe{Version: v, PacketID: 8, Props: protocol.Properties{User: ackProps.User},
				Subscriptions: []protocol.Subscription{{Filter: "a/+", QoS: 1}, {Filter: "b/#", QoS: 2}}},
			&protocol.Suback{Version: v, PacketID: 8, Props: ackProps, ReasonCodes: []protocol.ReasonCode{protocol.GrantedQoS1, protocol.GrantedQoS2}},
			&protocol.Unsubscribe{Version: v, PacketID: 9, Props: protocol.Properties{User: ackProps.User}, Filters: []string{"a/+"}},
			&protocol.Unsuback{Version: v, PacketID: 9, Props: ackProps, ReasonCodes: []protocol.ReasonCode{protocol.Success}},
			&protocol.Pingreq{},
			&protocol.Pingresp{},
			&protocol.Disconnect{Version: v, ReasonCode: protocol.DisconnectWithWill, Props: protocol.Properties{SessionExpiry: u32(1), ReasonString: s("bye"), ServerReference: s("o"), User: user}},
		}
		if v == protocol.V5 {
			packets = append(packets, &protocol.Auth{ReasonCode: protocol.ContinueAuthentication,
				Props: protocol.Properties{AuthMethod: s("m"), AuthData: b([]byte{1}), ReasonString: s("more"), User: user}})
		}
		for _, p := range packets {
			raw, err := p.AppendTo(nil)
			if err != nil {
				t.Fatalf("encoding %v %v: %v", v, p.Type(), err)
			}
			out = append(out, corpusPacket{name: v.String() + " " + p.Type().String(), v: v, raw: raw})
		}
	}
	return out
}

// TestHexModelEveryByteHasOneField checks the mapping the highlighting
// rests on, for every packet of the corpus: each byte belongs to exactly
// one field, the one whose range holds it; each field's row covers its
// bytes; each heading covers exactly the bytes of the rows under it; and
// the rows follow the bytes in order.
func TestHexModelEveryByteHasOneField(t *testing.T) {
	t.Parallel()
	for _, c := range explainCorpus(t) {
		m := newHexModel(c.raw, c.v)
		if m.Ex.Err != nil {
			t.Errorf("%s: %v", c.name, m.Ex.Err)
			continue
		}
		for i := range c.raw {
			owners := 0
			for k, f := range m.Ex.Fields {
				if i >= f.Offset && i < f.Offset+f.Len {
					owners++
					if m.FieldAt(i) != k {
						t.Errorf("%s: byte %d belongs to field %d, the model says %d", c.name, i, k, m.FieldAt(i))
					}
				}
			}
			if owners != 1 {
				t.Errorf("%s: byte %d is in %d fields", c.name, i, owners)
			}
		}
		if len(m.FieldRow) != len(m.Ex.Fields) {
			t.Fatalf("%s: %d field rows for %d fields", c.name, len(m.FieldRow), len(m.Ex.Fields))
		}
		for k, f := range m.Ex.Fields {
			r := m.Rows[m.FieldRow[k]]
			if r.Field != k || r.Start != f.Offset || r.End != f.Offset+f.Len {
				t.Errorf("%s: row of field %d (%s) covers %d-%d, want %d-%d", c.name, k, f.Key, r.Start, r.End, f.Offset, f.Offset+f.Len)
			}
		}
		for h, r := range m.Rows {
			if h > 0 && r.Start < m.Rows[h-1].Start {
				t.Errorf("%s: row %d starts at %d, before row %d", c.name, h, r.Start, h-1)
			}
			if r.Field >= 0 {
				continue
			}
			start, end := -1, -1
			for k := h + 1; k < len(m.Rows) && m.Rows[k].Depth > r.Depth; k++ {
				if m.Rows[k].Field >= 0 && m.Rows[k].End > m.Rows[k].Start {
					if start < 0 {
						start = m.Rows[k].Start
					}
					end = m.Rows[k].End
				}
				if !slices.Equal(m.Rows[k].Path[:r.Depth+1], r.Path) {
					t.Errorf("%s: row %d %q is under heading %q", c.name, k, m.Rows[k].Path, r.Path)
				}
			}
			if start >= 0 && (r.Start != start || r.End != end) {
				t.Errorf("%s: heading %q covers %d-%d, its rows %d-%d", c.name, r.Path, r.Start, r.End, start, end)
			}
		}
	}
}

func TestHexModelHighlightRanges(t *testing.T) {
	t.Parallel()
	p := &protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 3, Topic: "lab/t",
		Props: protocol.Properties{MessageExpiry: protocol.Some[uint32](60)}, Payload: []byte("hi")}
	raw, err := p.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := newHexModel(raw, protocol.V5)
	row := func(key string) int {
		t.Helper()
		for k, f := range m.Ex.Fields {
			if f.Key == key {
				return m.FieldRow[k]
			}
		}
		t.Fatalf("no field %s", key)
		return -1
	}
	heading := func(name string) int {
		t.Helper()
		for r, row := range m.Rows {
			if row.Field < 0 && row.Path[len(row.Path)-1] == name {
				return r
			}
		}
		t.Fatalf("no heading %s", name)
		return -1
	}
	// 0: type and flags, 1: remaining length, 2-3: topic length,
	// 4-8: "lab/t", 9-10: packet id, 11: property length,
	// 12: property id, 13-16: expiry, 17-18: payload.
	tests := []struct {
		name       string
		row        int
		start, end int
		byteInside int
	}{
		{"type and flags", row("fixed.type_flags"), 0, 1, 0},
		{"topic", row("publish.topic"), 4, 9, 6},
		{"topic length", row("publish.topic.length"), 2, 4, 3},
		{"packet id", row("packet_id"), 9, 11, 10},
		{"expiry value", row("property.message_expiry"), 13, 17, 15},
		{"payload", row("publish.payload"), 17, 19, 18},
		{"fixed header", heading("Fixed header"), 0, 2, -1},
		{"properties", heading("Properties"), 11, 17, -1},
		{"expiry property", heading("Message Expiry Interval"), 12, 17, -1},
		{"variable header", heading("Variable header"), 2, 17, -1},
	}
	for _, tt := range tests {
		r := m.Rows[tt.row]
		if r.Start != tt.start || r.End != tt.end {
			t.Errorf("%s covers %d-%d, want %d-%d", tt.name, r.Start, r.End, tt.start, tt.end)
		}
		if tt.byteInside >= 0 && m.RowAt(tt.byteInside) != tt.row {
			t.Errorf("byte %d points at row %d, want %d (%s)", tt.byteInside, m.RowAt(tt.byteInside), tt.row, tt.name)
		}
	}
	// The value of a property sits in its group, beside its identifier.
	if g, v := m.Rows[heading("Message Expiry Interval")], m.Rows[row("property.message_expiry")]; v.Depth != g.Depth+1 {
		t.Errorf("expiry value at depth %d, its group at %d", v.Depth, g.Depth)
	}
	for i, want := range map[int]string{0: "fixed", 1: "fixed", 4: "variable", 16: "variable", 17: "payload"} {
		if got := m.Section(i); got != want {
			t.Errorf("byte %d in section %q, want %q", i, got, want)
		}
	}

	// The rendered dump marks exactly the pointed field's bytes.
	h := &hexView{Lang: i18n.En, Raw: raw, Version: protocol.V5}
	h.OnInit()
	h.explained()
	h.pointedRow = row("publish.topic")
	html := goapp.HTMLString(h.Render())
	if got := highlighted(html); !slices.Equal(got, []int{4, 5, 6, 7, 8}) {
		t.Errorf("highlighted bytes %v, want 4-8 (twice each: hex and text)", got)
	}
	for _, want := range []string{"The channel the message is published to", "MQTT 5.0 §3.3.2.1", "4–8"} {
		if !strings.Contains(html, want) {
			t.Errorf("the detail of the topic lacks %q", want)
		}
	}
}

// highlighted returns the offsets of the bytes the dump highlights, each
// once, checking it is highlighted both in hex and as text.
func highlighted(html string) []int {
	count := map[int]int{}
	for _, m := range regexp.MustCompile(`<span [^>]*class="hex-byte hl"[^>]*>`).FindAllString(html, -1) {
		i, _ := strconv.Atoi(regexp.MustCompile(`data-i="(\d+)"`).FindStringSubmatch(m)[1])
		count[i]++
	}
	var out []int
	for i, n := range count {
		if n == 2 {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

func TestHexModelDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		raw              []byte
		v                protocol.Version
		err              error
		errStart, errEnd int
		fields           int
	}{
		// QoS 3 is in the first byte: the error is about that field, and
		// nothing after the fixed header is explained.
		{"QoS 3", []byte{0x36, 5, 0, 1, 'a', 0, 1}, protocol.V311, protocol.ErrQoS3, 0, 1, 2},
		// Cut in the middle of the topic: the missing bytes are after the
		// topic's length, and the bytes that are there are not a field.
		{"truncated", []byte{0x30, 7, 0, 5, 'a', 'b'}, protocol.V311, protocol.ErrTruncated, 4, 6, 3},
		// A byte more than the remaining length announces.
		{"trailing", []byte{0xC0, 0, 0xFF}, protocol.V311, protocol.ErrTrailingBytes, 2, 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newHexModel(tt.raw, tt.v)
			if m.Ex.Err == nil || !errors.Is(m.Ex.Err, tt.err) {
				t.Fatalf("error %v, want %v", m.Ex.Err, tt.err)
			}
			if m.ErrStart != tt.errStart || m.ErrEnd != tt.errEnd {
				t.Errorf("error covers %d-%d, want %d-%d", m.ErrStart, m.ErrEnd, tt.errStart, tt.errEnd)
			}
			if len(m.Ex.Fields) != tt.fields {
				t.Errorf("%d fields, want %d", len(m.Ex.Fields), tt.fields)
			}
			end := 0
			for _, f := range m.Ex.Fields {
				end = f.Offset + f.Len
			}
			for i := range tt.raw {
				if owned := m.FieldAt(i) >= 0; owned != (i < end) {
					t.Errorf("byte %d owned %v, want %v", i, owned, i < end)
				}
				if i >= end && m.Section(i) != "none" {
					t.Errorf("byte %d past the fields is in section %q", i, m.Section(i))
				}
			}
			for _, l := range i18n.Langs {
				h := &hexView{Lang: l, Raw: tt.raw, Version: tt.v}
				h.OnInit()
				html := goapp.HTMLString(h.Render())
				if !strings.Contains(html, `role="alert"`) || !strings.Contains(html, l.T("inspector.hex.decode_error")) {
					t.Errorf("%s: the error is not shown", l)
				}
				if rule := protocol.RuleOf(m.Ex.Err); rule != "" && !strings.Contains(html, rule) {
					t.Errorf("%s: the rule %s is not shown", l, rule)
				}
				if n := strings.Count(html, "hex-byte err"); n != 2*(tt.errEnd-tt.errStart) {
					t.Errorf("%s: %d bytes marked as the error's, want %d", l, n, 2*(tt.errEnd-tt.errStart))
				}
			}
		})
	}
}

// TestExplainNamesInChinese checks that every name Explain gives the
// fields and groups of the corpus has a Chinese translation.
func TestExplainNamesInChinese(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range explainCorpus(t) {
		for _, f := range protocol.Explain(c.raw, c.v).Fields {
			for _, name := range f.Path {
				if seen[name] {
					continue
				}
				seen[name] = true
				if zh := explainName(i18n.Zh, name); zh == name {
					t.Errorf("%s: %q has no Chinese name", c.name, name)
				}
				if en := explainName(i18n.En, name); en != name {
					t.Errorf("%q in English reads %q", name, en)
				}
			}
		}
	}
	if len(seen) < 60 {
		t.Errorf("the corpus names only %d fields: it misses some", len(seen))
	}
	for name := range explainNames {
		if !seen[name] && !seen[name+" 1"] {
			t.Errorf("%q is translated but no packet of the corpus uses it", name)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"Topic Name length", "主题名长度"},
		{"Subscription 2", "订阅 2"},
		{"Unknown property 0x7F", "Unknown property 0x7F"},
	} {
		if got := explainName(i18n.Zh, tt.in); got != tt.want {
			t.Errorf("explainName(zh, %q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
