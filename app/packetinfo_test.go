package app

import (
	"testing"

	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/app/store"
	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

func TestPacketSummary(t *testing.T) {
	t.Parallel()
	v5, v311 := protocol.V5, protocol.V311
	tests := []struct {
		name string
		v    protocol.Version
		p    protocol.Packet
		en   string
		zh   string
	}{
		{"connect", v5, &protocol.Connect{Version: v5, ClientID: "sensor-1"}, `client "sensor-1"`, `客户端 "sensor-1"`},
		{"publish", v5, &protocol.Publish{Version: v5, QoS: 2, PacketID: 7, Retain: true, Topic: "a/b"}, "a/b · QoS 2 · id 7 · RETAIN", "a/b · QoS 2 · 标识符 7 · RETAIN"},
		{"long topic", v311, &protocol.Publish{Version: v311, Topic: "a/very/long/topic/name"}, "a/very/long/t… · QoS 0", "a/very/long/t… · QoS 0"},
		{"puback 5.0", v5, &protocol.Puback{Version: v5, PacketID: 3, ReasonCode: protocol.NoMatchingSubscribers}, "id 3 · No matching subscribers", "标识符 3 · No matching subscribers"},
		{"puback 3.1.1 has no reason code", v311, &protocol.Puback{Version: v311, PacketID: 3}, "id 3", "标识符 3"},
		{"subscribe", v311, &protocol.Subscribe{Version: v311, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: "a/#", QoS: 1}}}, "a/# (QoS 1) · id 1", "a/# (QoS 1) · 标识符 1"},
		{"suback", v311, &protocol.Suback{Version: v311, PacketID: 1, ReasonCodes: []protocol.ReasonCode{protocol.GrantedQoS1, protocol.UnspecifiedError}}, "id 1 · Granted QoS 1, Unspecified error", "标识符 1 · Granted QoS 1, Unspecified error"},
		{"connack", v311, &protocol.Connack{Version: v311, ReasonCode: protocol.NotAuthorized}, "Not authorized", "Not authorized"},
		{"pingreq", v311, &protocol.Pingreq{}, "", ""},
	}
	for _, tt := range tests {
		pk := tapped(t, 1, client.Out, tt.v, tt.p)
		info := infoOf(&pk)
		if info.Type != tt.p.Type() {
			t.Errorf("%s: type %v, want %v", tt.name, info.Type, tt.p.Type())
		}
		if got := info.Summary(i18n.En, 14); got != tt.en {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.en)
		}
		if got := info.Summary(i18n.Zh, 14); got != tt.zh {
			t.Errorf("%s in Chinese: %q, want %q", tt.name, got, tt.zh)
		}
	}

	raw := []byte{0x36, 5, 0, 1, 'a', 0, 1}
	bad := store.Packet{TapEvent: client.TapEvent{Raw: raw, Version: v311, Err: protocol.Explain(raw, v311).Err}}
	if got, want := infoOf(&bad).Summary(i18n.En, 0), "not decoded: "+bad.Err.Error(); got != want {
		t.Errorf("undecoded packet: %q, want %q", got, want)
	}
	if got := infoOf(&store.Packet{TapEvent: client.TapEvent{Err: protocol.ErrTruncated}}).TypeName(); got != "?" {
		t.Errorf("a packet without bytes is a %q, want ?", got)
	}
}
