package app

import (
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/app/flow"
	"github.com/mqttlab/mqttlab/app/i18n"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// Every reason the broker gives (server/broker/TELEMETRY.md) reads in the
// reader's language; an unknown one reads as the broker wrote it.
func TestVizReasonsAreTranslated(t *testing.T) {
	t.Parallel()
	for _, r := range vizReasons {
		if !i18n.Has(r.key) {
			t.Errorf("reason %q: message %q is not in the catalog", r.prefix, r.key)
		}
	}
	for _, reason := range []string{
		"offline (QoS 0 is not queued)", "session queue full", "connection buffer full (slow consumer)",
		"larger than the client's maximum packet size", "message expired", "not authorized to read the topic",
		"not authorized to publish to secret/x", "clients cannot publish to $SYS topics",
		"session expired", "clean session ended with its connection",
	} {
		zh := vizReason(i18n.Zh, reason)
		if zh == reason || zh == "" || strings.HasPrefix(zh, "[") {
			t.Errorf("reason %q reads %q in Chinese", reason, zh)
		}
	}
	if got := vizReason(i18n.Zh, "a reason from a newer broker"); got != "a reason from a newer broker" {
		t.Errorf("an unknown reason reads %q", got)
	}
}

func TestVizClip(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"building/lobby/door/1", 10, "building/…"},
		{"订阅者离线，消息不排队", 6, "订阅者离线…"},
	} {
		if got := vizClip(tt.s, tt.n); got != tt.want {
			t.Errorf("vizClip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestVizSameRows(t *testing.T) {
	t.Parallel()
	a := []flow.Node{{ID: "x", Received: 1}, {ID: "y"}}
	counts := []flow.Node{{ID: "x", Received: 9}, {ID: "y"}}
	moved := []flow.Node{{ID: "y"}, {ID: "x"}}
	offline := []flow.Node{{ID: "x", Online: true}, {ID: "y"}}
	if !vizSameRows(a, counts) {
		t.Error("new counts alone made the rows differ")
	}
	for _, b := range [][]flow.Node{moved, offline, a[:1]} {
		if vizSameRows(a, b) {
			t.Errorf("%v and %v: the same rows?", a, b)
		}
	}
}

func TestVizFeedReadsTelemetry(t *testing.T) {
	t.Parallel()
	f := newVizFeed(flow.Config{})
	_, v0 := f.Scene()
	f.handle(&client.Message{Topic: flow.TopicRoute, Payload: []byte(`{"from":"sensor","topic":"t","delivered":[],"sampled":1}`)})
	s, v1 := f.Scene()
	if len(s.Publishers) != 1 || s.Publishers[0].ID != "sensor" || v1 == v0 {
		t.Errorf("after a route event: publishers %+v, version %d then %d", s.Publishers, v0, v1)
	}
	f.handle(&client.Message{Topic: flow.TopicRoute, Payload: []byte(`{"from":`)})
	st := f.Status()
	if st.Unread != 1 || st.UnreadErr == nil || !strings.Contains(st.UnreadErr.Error(), flow.TopicRoute) {
		t.Errorf("after a broken event: %+v, want it counted with its reason", st)
	}
	if !f.Changed(v1) {
		t.Error("a broken event did not ask for a redraw that says so")
	}
	f.SetRate(0)
	_, v2 := f.Scene()
	if f.Changed(v2) {
		t.Error("paused and nothing new, yet a redraw is asked for")
	}
}
