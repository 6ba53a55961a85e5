package client

import (
	"testing"

	"github.com/mqttlab/mqttlab/protocol"
)

// Topic aliases the server sends are resolved: a PUBLISH with topic and
// alias sets it, one with the alias alone uses it (§3.3.2.3.4).
func TestServerTopicAliases(t *testing.T) {
	t.Parallel()
	got := newCollector()
	_, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
		cfg.Connect.Props.TopicAliasMaximum = protocol.Some(uint16(2))
		cfg.DefaultHandler = got.handle
	})
	alias := func(a uint16) protocol.Properties { return protocol.Properties{TopicAlias: protocol.Some(a)} }
	for _, pub := range []*protocol.Publish{
		{Topic: "sensors/k1/temp", Props: alias(1), Payload: []byte("1")},
		{Props: alias(1), Payload: []byte("2")},
		{Topic: "sensors/k2/temp", Props: alias(2), Payload: []byte("3")},
		{Topic: "sensors/k3/temp", Props: alias(1), Payload: []byte("4")}, // alias 1 re-pointed
		{Props: alias(1), Payload: []byte("5")},
		{Props: alias(2), Payload: []byte("6")},
	} {
		pub.Version = protocol.V5
		p.send(pub)
	}
	want := []string{"sensors/k1/temp", "sensors/k1/temp", "sensors/k2/temp", "sensors/k3/temp", "sensors/k3/temp", "sensors/k2/temp"}
	for i, topic := range want {
		if m := got.next(t); m.Topic != topic || string(m.Payload) != string(rune('1'+i)) {
			t.Fatalf("message %d: %q %q, want %q", i+1, m.Topic, m.Payload, topic)
		}
	}
}

// An alias outside what the client announced, or never set, is a protocol
// error the client answers with DISCONNECT (0x94, 0x82).
func TestServerTopicAliasInvalid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		pub  protocol.Publish
		want protocol.ReasonCode
	}{
		{"above maximum", protocol.Publish{Topic: "a", Props: protocol.Properties{TopicAlias: protocol.Some(uint16(3))}}, protocol.TopicAliasInvalid},
		{"never set", protocol.Publish{Props: protocol.Properties{TopicAlias: protocol.Some(uint16(1))}}, protocol.ProtocolError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, p, _ := newPipeClient(t, protocol.V5, nil, func(cfg *Config) {
				cfg.Connect.Props.TopicAliasMaximum = protocol.Some(uint16(2))
			})
			tc.pub.Version = protocol.V5
			p.send(&tc.pub)
			pkts := p.closed()
			if len(pkts) != 1 || pkts[0].(*protocol.Disconnect).ReasonCode != tc.want {
				t.Fatalf("client sent %+v, want DISCONNECT %v", pkts, tc.want)
			}
		})
	}
}

// With Config.TopicAliases the client replaces repeated topics by aliases,
// keeping the most recently used in the server's slots.
func TestClientTopicAliasesLRU(t *testing.T) {
	t.Parallel()
	c, p, _ := newPipeClient(t, protocol.V5,
		&protocol.Connack{Props: protocol.Properties{TopicAliasMaximum: protocol.Some(uint16(2))}},
		func(cfg *Config) { cfg.TopicAliases = true })
	type sent struct {
		topic string
		alias uint16
	}
	for _, tc := range []struct {
		topic string
		want  sent
	}{
		{"a", sent{"a", 1}},
		{"a", sent{"", 1}},
		{"b", sent{"b", 2}},
		{"a", sent{"", 1}},
		{"c", sent{"c", 2}}, // b was least recently used
		{"b", sent{"b", 1}}, // a is now
		{"c", sent{"", 2}},
	} {
		if err := c.Publish(testCtx(t), &Message{Topic: tc.topic}); err != nil {
			t.Fatal(err)
		}
		pub := recvType[*protocol.Publish](p)
		if got := (sent{pub.Topic, pub.Props.TopicAlias.Value}); got != tc.want {
			t.Fatalf("publishing %q sent %+v, want %+v", tc.topic, got, tc.want)
		}
	}
}
