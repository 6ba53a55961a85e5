package broker

import (
	"slices"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

func TestSnapshotTopics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"#", nil}, // [MQTT-4.7.2-1] wildcards do not reach $SYS
		{"+/lab/sessions", nil},
		{"$SYS/#", []string{TopicSessions, TopicRetained}},
		{"$SYS/lab/+", []string{TopicSessions, TopicRetained}},
		{"$SYS/lab/sessions", []string{TopicSessions}},
		{"$SYS/lab/retained", []string{TopicRetained}},
		{"$SYS/lab/clients", nil},
		{"$SYS/broker/#", nil},
		{"$share/g/$SYS/lab/retained", []string{TopicRetained}},
	} {
		if got := snapshotTopics(tc.filter); !slices.Equal(got, tc.want) {
			t.Errorf("snapshotTopics(%q) = %q, want %q", tc.filter, got, tc.want)
		}
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", previewBytes+10)
	for _, tc := range []struct {
		name    string
		payload []byte
		want    retainedPreview
	}{
		{"empty", nil, retainedPreview{}},
		{"text", []byte("21.5"), retainedPreview{Preview: "21.5"}},
		{"json with newline", []byte("{\n\"t\":1}"), retainedPreview{Preview: "{\n\"t\":1}"}},
		{"long text is cut", []byte(long), retainedPreview{Preview: long[:previewBytes]}},
		// 63 ASCII bytes then a 3-byte character: the cut falls inside it.
		{"cut inside a character", []byte(strings.Repeat("a", previewBytes-1) + "温度"), retainedPreview{Preview: strings.Repeat("a", previewBytes-1)}},
		{"binary", []byte{0, 1, 0xfe}, retainedPreview{Preview: "0001fe", Binary: true}},
		{"control character", []byte("a\x07b"), retainedPreview{Preview: "610762", Binary: true}},
		{"invalid UTF-8", []byte{'a', 0xff, 'b'}, retainedPreview{Preview: "61ff62", Binary: true}},
	} {
		if got := preview(tc.payload); got != tc.want {
			t.Errorf("%s: preview = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestRetainedFirst(t *testing.T) {
	t.Parallel()
	var r retainedStore
	for _, topic := range []string{"b/2", "a", "a/x", "$SYS/broker/uptime", "b/1", "c"} {
		r.set(&message{topic: topic, payload: []byte("v")})
	}
	r.set(&message{topic: "old", payload: []byte("v"), expires: 5})
	topics := func(ms []*message) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.topic)
		}
		return out
	}
	all, more := r.first(10, 10)
	if want := []string{"a", "a/x", "b/1", "b/2", "c"}; !slices.Equal(topics(all), want) || more {
		t.Errorf("first(10) = %q, more %v; want %q, no more", topics(all), more, want)
	}
	some, more := r.first(3, 10)
	if want := []string{"a", "a/x", "b/1"}; !slices.Equal(topics(some), want) || !more {
		t.Errorf("first(3) = %q, more %v; want %q, more", topics(some), more, want)
	}
	exact, more := r.first(5, 10)
	if len(exact) != 5 || more {
		t.Errorf("first(5) = %q, more %v; want all 5, no more", topics(exact), more)
	}
}

func TestTelemetrySnapshotOnSubscribe(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	pub := connectRaw(t, addr, protocol.V5, "pub")
	for topic, payload := range map[string]string{"home/temp": "21.5", "home/raw": "\x00\x01"} {
		pub.send(&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 1, Retain: true, Topic: topic, Payload: []byte(payload)})
		pub.expect(protocol.PUBACK)
	}
	dev := dialRaw(t, addr, protocol.V5)
	dev.connect(&protocol.Connect{ClientID: "dev", CleanStart: true, KeepAlive: 30,
		Will: &protocol.WillMessage{Topic: "status/dev", QoS: 1, Payload: []byte("gone")}})
	off := persistentSub(t, addr, protocol.V311, "off", "home/#", 0)
	off.send(&protocol.Disconnect{Version: protocol.V311})
	off.expectClosed()

	// The observer comes last: everything above happened before it looked.
	obs := connectRaw(t, addr, protocol.V5, "observer")
	obs.subscribe(1, protocol.Subscription{Filter: "$SYS/lab/+"})

	ev := nextEvent(t, obs, TopicRetained, func(ev map[string]any) bool { return ev["event"] == "snapshot" })
	list := ev["list"].([]any)
	if len(list) != 2 {
		t.Fatalf("snapshot lists %d retained messages, want 2: %v", len(list), ev)
	}
	raw, temp := list[0].(map[string]any), list[1].(map[string]any)
	if temp["topic"] != "home/temp" || temp["size"] != 4.0 || temp["preview"] != "21.5" || temp["binary"] != nil {
		t.Errorf("home/temp in the snapshot: %v", temp)
	}
	if raw["topic"] != "home/raw" || raw["preview"] != "0001" || raw["binary"] != true {
		t.Errorf("home/raw in the snapshot: %v", raw)
	}

	byClient := map[string]map[string]any{}
	nextEvent(t, obs, TopicSessions, func(ev map[string]any) bool {
		clear(byClient)
		for _, s := range ev["list"].([]any) {
			m := s.(map[string]any)
			byClient[m["client"].(string)] = m
		}
		return byClient["dev"] != nil && byClient["off"] != nil
	})
	d := byClient["dev"]
	will, _ := d["will"].(map[string]any)
	if d["online"] != true || !strings.HasPrefix(d["remote"].(string), "127.0.0.1:") || d["keepalive"] != 30.0 ||
		d["clean"] != true || will["topic"] != "status/dev" || will["qos"] != 1.0 || d["since"].(float64) <= 0 {
		t.Errorf("online session dev: %v", d)
	}
	o := byClient["off"]
	if o["online"] != false || o["remote"] != nil || o["will"] != nil || o["since"].(float64) < d["since"].(float64) ||
		!slices.Equal(o["subscriptions"].([]any), []any{"home/#"}) || o["expiry"] != -1.0 {
		t.Errorf("offline session off: %v", o)
	}

	// A retained message set later comes as an event with its preview.
	pub.send(&protocol.Publish{Version: protocol.V5, Retain: true, Topic: "home/hall", Payload: []byte("on")})
	ev = nextEvent(t, obs, TopicRetained, func(ev map[string]any) bool { return ev["topic"] == "home/hall" })
	if ev["event"] != "set" || ev["preview"] != "on" || ev["size"] != 2.0 {
		t.Errorf("retained event: %v", ev)
	}
}
