package app

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	goapp "github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol"
)

// explainValueCorpus is explainCorpus and the packets whose values take
// the other forms Explain writes: every CONNACK return code of 3.1 and
// 3.1.1, reason codes that name 0x00 differently, empty, hidden and cut
// values, a one-byte remaining length and reserved bits in subscription
// options.
func explainValueCorpus(t *testing.T) []corpusPacket {
	t.Helper()
	out := explainCorpus(t)
	long := []byte(strings.Repeat("temperature ", 20))
	binary := make([]byte, 40)
	for _, v := range []protocol.Version{protocol.V31, protocol.V311, protocol.V5} {
		packets := []protocol.Packet{
			&protocol.Publish{Version: v, Topic: "a", Payload: nil},
			&protocol.Publish{Version: v, Topic: "a", Payload: long},
			&protocol.Publish{Version: v, Topic: "a", Payload: binary},
			&protocol.Connect{Version: v, ClientID: "", CleanStart: true, Username: protocol.Some("u"), Password: protocol.Some([]byte("secret"))},
			&protocol.Suback{Version: v, PacketID: 1, ReasonCodes: []protocol.ReasonCode{protocol.GrantedQoS0, protocol.UnspecifiedError}},
		}
		if v == protocol.V5 {
			packets = append(packets,
				&protocol.Publish{Version: v, Topic: "a", Props: protocol.Properties{CorrelationData: protocol.Some(binary)}},
				&protocol.Disconnect{Version: v, ReasonCode: protocol.NormalDisconnection},
				&protocol.Disconnect{Version: v, ReasonCode: protocol.SessionTakenOver},
				&protocol.Connack{Version: v, ReasonCode: protocol.NotAuthorized},
				&protocol.Unsuback{Version: v, PacketID: 1, ReasonCodes: []protocol.ReasonCode{protocol.NoSubscriptionExisted}},
			)
		}
		for _, p := range packets {
			raw, err := p.AppendTo(nil)
			if err != nil {
				t.Fatalf("encoding %v %v: %v", v, p.Type(), err)
			}
			out = append(out, corpusPacket{name: v.String() + " " + p.Type().String(), v: v, raw: raw})
		}
		if v != protocol.V5 {
			for code := byte(0); code < 6; code++ {
				out = append(out, corpusPacket{name: v.String() + " CONNACK " + string('0'+code), v: v,
					raw: []byte{0x20, 2, 0, code}})
			}
			// Reserved bits in the options: Explain shows them, then fails.
			out = append(out, corpusPacket{name: v.String() + " SUBSCRIBE reserved", v: v,
				raw: []byte{0x82, 6, 0, 1, 0, 1, 'a', 0x04}})
		}
	}
	return out
}

// explainFields explains every packet of the corpus and returns its
// fields, checking that the corpus reaches every packet type of every
// version and every property.
func explainFields(t *testing.T) []protocol.Field {
	t.Helper()
	var fields []protocol.Field
	types := map[protocol.Version]map[protocol.Type]bool{}
	paths := map[string]bool{}
	for _, c := range explainValueCorpus(t) {
		ex := protocol.Explain(c.raw, c.v)
		if ex.Packet != nil {
			if types[c.v] == nil {
				types[c.v] = map[protocol.Type]bool{}
			}
			types[c.v][ex.Packet.Type()] = true
		}
		for _, f := range ex.Fields {
			fields = append(fields, f)
			for _, p := range f.Path {
				paths[p] = true
			}
		}
	}
	for _, v := range []protocol.Version{protocol.V31, protocol.V311, protocol.V5} {
		for typ := protocol.CONNECT; typ <= protocol.AUTH; typ++ {
			if !types[v][typ] && (typ != protocol.AUTH || v == protocol.V5) {
				t.Errorf("the corpus has no %v in MQTT %v", typ, v)
			}
		}
	}
	for id := protocol.PropID(1); id < 0x80; id++ {
		if name := protocol.PropertyName(id); id != protocol.PropUser && !strings.HasPrefix(name, "Unknown") && !paths[name] {
			t.Errorf("the corpus has no property %s", name)
		}
	}
	return fields
}

// meaningKey is the catalog key explainMeaning reads for f.
func meaningKey(f protocol.Field) string {
	if k := "explain.meaning." + f.Key; i18n.Has(k) || !strings.HasSuffix(f.Key, ".length") {
		return k
	}
	return "explain.meaning.length"
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestExplainMeaningsInChinese checks every meaning Explain gives a field
// of the corpus: its Chinese is there and Chinese, the English the
// translation was written for is still the codec's, English shows the
// codec's text, and the catalog has no translation no field uses.
func TestExplainMeaningsInChinese(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	seen := map[[3]string]bool{}
	for _, f := range explainFields(t) {
		k := [3]string{f.Key, f.Name(), f.Meaning}
		if seen[k] {
			continue
		}
		seen[k] = true
		key := meaningKey(f)
		used[key] = true
		if got := explainMeaning(i18n.En, f); got != f.Meaning {
			t.Errorf("%s in English reads %q, want the codec's %q", f.Key, got, f.Meaning)
		}
		zh := explainMeaning(i18n.Zh, f)
		if zh == f.Meaning || !hasHan(zh) || strings.Contains(zh, "{") {
			t.Errorf("%s (%s) has no Chinese meaning: %q", f.Key, f.Name(), zh)
		}
		en, err := i18n.Lookup(i18n.En, key)
		if err != nil {
			continue
		}
		if key == "explain.meaning.length" {
			en = strings.ReplaceAll(en, "{name}", strings.TrimSuffix(f.Name(), " length"))
		}
		if en != f.Meaning {
			t.Errorf("%s: the Chinese was written for %q, the codec now says %q", f.Key, en, f.Meaning)
		}
	}
	if len(used) < 55 {
		t.Errorf("the corpus reaches only %d meanings: it misses some", len(used))
	}
	for _, k := range i18n.Keys() {
		if strings.HasPrefix(k, "explain.meaning.") && !used[k] {
			t.Errorf("%s is translated but no field of the corpus means it", k)
		}
	}
}

// TestExplainValuesInChinese checks the values of the corpus: English
// shows the codec's, Chinese keeps none of the codec's words around the
// numbers, and every word the catalog translates turns up.
func TestExplainValuesInChinese(t *testing.T) {
	t.Parallel()
	english := []string{"byte", "follow", "propert", "empty", "not shown", "reserved bits", "flags", "Connection", "Refused"}
	type pair struct{ en, zh string }
	var values []pair
	seen := map[[2]string]bool{}
	for _, f := range explainFields(t) {
		k := [2]string{f.Key, f.Value}
		if seen[k] {
			continue
		}
		seen[k] = true
		if got := explainValue(i18n.En, f); got != f.Value {
			t.Errorf("%s in English reads %q, want the codec's %q", f.Key, got, f.Value)
		}
		zh := explainValue(i18n.Zh, f)
		values = append(values, pair{f.Value, zh})
		for _, w := range english {
			if strings.Contains(zh, w) {
				t.Errorf("%s: %q reads %q in Chinese, still saying %q", f.Key, f.Value, zh, w)
			}
		}
		if _, meaning, ok := strings.Cut(f.Value, ": "); ok && strings.HasSuffix(f.Key, ".code") && strings.Contains(zh, meaning) {
			t.Errorf("%s: %q keeps its English meaning in Chinese: %q", f.Key, f.Value, zh)
		}
	}
	// Every translation of a value's words turns its English into its
	// Chinese somewhere in the corpus.
	for _, w := range explainWords {
		if !slices.ContainsFunc(values, func(p pair) bool { return strings.Contains(p.en, w[1]) && strings.Contains(p.zh, w[2]) }) {
			t.Errorf("explain.value.%s: no value of the corpus reads %q in English and %q in Chinese", w[0], w[1], w[2])
		}
	}

	for _, tt := range []struct{ key, value, want string }{
		{"fixed.type_flags", "CONNECT (1), flags 0000", "CONNECT (1), 标志 0000"},
		{"fixed.type_flags", "PUBLISH (3), DUP 0, QoS 1, RETAIN 0", "PUBLISH (3), DUP 0, QoS 1, RETAIN 0"},
		{"fixed.remaining_length", "1 byte follow", "1 字节"},
		{"fixed.remaining_length", "321 bytes follow", "321 字节"},
		{"properties.length", "0 bytes of properties", "0 字节"},
		{"publish.topic.length", "1 byte", "1 字节"},
		{"publish.topic.length", "12 bytes", "12 字节"},
		{"connect.keep_alive", "60 s", "60 s"},
		{"connect.password", "(12 bytes, not shown)", "(12 字节，不显示)"},
		{"connect.password", "(1 byte, not shown)", "(1 字节，不显示)"},
		{"publish.payload", "(empty)", "(空)"},
		{"publish.payload", `"ab…" (200 bytes)`, `"ab…" (200 字节)`},
		{"publish.payload", `"3 bytes follow, (empty), flags "`, `"3 bytes follow, (empty), flags "`},
		{"property.correlation_data", "00 01 … (40 bytes)", "00 01 … (40 字节)"},
		{"subscribe.options", "QoS 0, reserved bits set", "QoS 0, 保留位不为 0"},
		{"properties.id", "0x03 Content Type", "0x03 Content Type"},
		{"puback.code", "0x10 No matching subscribers: The message was accepted but nobody is subscribed to its topic.",
			"0x10 无匹配订阅者：消息已被接受，但没有人订阅它的主题。"},
		{"suback.code", "0x00 Granted QoS 0: The operation succeeded.", "0x00 授予 QoS 0：操作成功。"},
		{"disconnect.code", "0xff Unknown reason code 0xff: This reason code is not defined by MQTT 5.0.",
			"0xff 未知的原因码：MQTT 5.0 没有定义这个原因码。"},
		{"connack.code", "0x05 Connection Refused, not authorized", "0x05 连接被拒绝：未授权"},
		{"connack.code", "9", "9"},
		{"packet_id", "7", "7"},
	} {
		f := protocol.Field{Key: tt.key, Value: tt.value}
		if got := explainValue(i18n.Zh, f); got != tt.want {
			t.Errorf("%s %q in Chinese reads %q, want %q", tt.key, tt.value, got, tt.want)
		}
	}
}

// TestExplainDetailInBothLanguages points at every field of a 5.0 PUBLISH
// with properties and checks the detail says what the field means in the
// page's language.
func TestExplainDetailInBothLanguages(t *testing.T) {
	t.Parallel()
	var raw []byte
	for _, c := range explainCorpus(t) {
		if c.name == "5.0 PUBLISH" {
			raw = c.raw
		}
	}
	m := newHexModel(raw, protocol.V5)
	if m.Ex.Err != nil || len(m.Rows) < 20 {
		t.Fatalf("the corpus' 5.0 PUBLISH explains as %d rows, error %v", len(m.Rows), m.Ex.Err)
	}
	for r, row := range m.Rows {
		if row.Field < 0 {
			continue
		}
		f := m.Ex.Fields[row.Field]
		for _, l := range i18n.Langs {
			h := &hexView{Lang: l, Raw: raw, Version: protocol.V5}
			h.OnInit()
			h.explained()
			h.pointedRow = r
			html := goapp.HTMLString(h.renderDetail(h.model))
			want := explainMeaning(l, f)
			if l == i18n.En {
				want = f.Meaning
			}
			if !strings.Contains(html, goapp.HTMLString(goapp.Text(want))) {
				t.Errorf("%s, %s: the detail lacks the meaning %q: %s", l, f.Key, want, html)
			}
			if l == i18n.Zh && strings.Contains(html, goapp.HTMLString(goapp.Text(f.Meaning))) {
				t.Errorf("%s: the Chinese detail shows the English meaning", f.Key)
			}
		}
	}
}
