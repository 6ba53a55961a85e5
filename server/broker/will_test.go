package broker

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

func willClient(t *testing.T, addr string, v protocol.Version, id string, w *protocol.WillMessage, expiry uint32) *rawClient {
	t.Helper()
	c := dialRaw(t, addr, v)
	p := &protocol.Connect{ClientID: id, CleanStart: true, Will: w}
	if v == protocol.V5 && expiry > 0 {
		p.Props.SessionExpiry = protocol.Some(expiry)
	}
	if ack := c.connect(p); ack.ReasonCode != 0 {
		t.Fatalf("connect: %v", ack.ReasonCode)
	}
	return c
}

func watch(t *testing.T, addr, filter string) *rawClient {
	t.Helper()
	w := connectRaw(t, addr, protocol.V5, "watch-"+filter)
	w.subscribe(1, protocol.Subscription{Filter: filter, QoS: 1})
	return w
}

func TestWillOnAbruptClose(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	w := watch(t, addr, "will/#")
	for _, v := range versions {
		c := willClient(t, addr, v, "dropper", &protocol.WillMessage{Topic: "will/dropper", Payload: []byte("offline"), QoS: 1, Retain: true}, 0)
		c.nc.Close()
		p := expectPublish(t, w, "will/dropper", "offline")
		w.send(&protocol.Puback{Version: protocol.V5, PacketID: p.PacketID})
		// Retained: a later subscriber sees the last will.
		late := connectRaw(t, addr, protocol.V5, "late")
		late.subscribe(1, protocol.Subscription{Filter: "will/dropper"})
		expectPublish(t, late, "will/dropper", "offline")
	}
}

func TestNoWillAfterNormalDisconnect(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	w := watch(t, addr, "will/#")
	for _, v := range versions {
		c := willClient(t, addr, v, "polite", &protocol.WillMessage{Topic: "will/polite", Payload: []byte("x")}, 0)
		c.send(&protocol.Disconnect{Version: v})
		c.expectClosed()
		w.expectNothing(300 * time.Millisecond) // [MQTT-3.1.2-10]
	}
}

func TestWillOnDisconnectWithWill(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	w := watch(t, addr, "will/#")
	c := willClient(t, addr, protocol.V5, "explicit", &protocol.WillMessage{Topic: "will/explicit", Payload: []byte("x")}, 0)
	c.send(&protocol.Disconnect{Version: protocol.V5, ReasonCode: protocol.DisconnectWithWill})
	expectPublish(t, w, "will/explicit", "x")
}

func TestWillOnProtocolError(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	w := watch(t, addr, "will/#")
	c := willClient(t, addr, protocol.V5, "bad", &protocol.WillMessage{Topic: "will/bad", Payload: []byte("x")}, 0)
	c.sendRaw([]byte{0x30, 0x03, 0x00, 0x01, '#'}) // wildcard in a topic name
	c.expectClosed()
	expectPublish(t, w, "will/bad", "x")
}

func TestWillDelay(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	w := watch(t, addr, "will/#")
	delayed := &protocol.WillMessage{Topic: "will/delayed", Payload: []byte("late"),
		Props: protocol.Properties{WillDelay: protocol.Some(uint32(1)), ContentType: protocol.Some("text/plain"),
			User: []protocol.UserProperty{{Key: "k", Value: "v"}}}}

	// Published after the delay, with its properties.
	c := willClient(t, addr, protocol.V5, "delayed", delayed, 60)
	c.nc.Close()
	w.expectNothing(500 * time.Millisecond)
	p := expectPublish(t, w, "will/delayed", "late")
	if p.Props.ContentType.Value != "text/plain" || len(p.Props.User) != 1 {
		t.Fatalf("will properties not forwarded: %+v", p.Props)
	}

	// A reconnect within the delay cancels it [MQTT-3.1.3-9].
	c = willClient(t, addr, protocol.V5, "back", delayed, 60)
	c.nc.Close()
	time.Sleep(200 * time.Millisecond)
	c2 := dialRaw(t, addr, protocol.V5)
	c2.connect(&protocol.Connect{ClientID: "back", Props: protocol.Properties{SessionExpiry: protocol.Some(uint32(60))}})
	w.expectNothing(1500 * time.Millisecond)

	// The session ends before the delay: published then (session expiry 0).
	long := *delayed
	long.Props.WillDelay = protocol.Some(uint32(30))
	c = willClient(t, addr, protocol.V5, "short-session", &long, 0)
	c.nc.Close()
	expectPublish(t, w, "will/delayed", "late")
}

func TestWillAuthorizedWhenPublished(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{Permissions: func(c ConnInfo) Permissions {
		return PermissionsFunc(func(topic string, a Access) bool { return a != AccessPublish || topic != "will/forbidden" })
	}})
	w := watch(t, addr, "will/#")
	c := willClient(t, addr, protocol.V5, "forbidden", &protocol.WillMessage{Topic: "will/forbidden", Payload: []byte("x")}, 0)
	c.nc.Close()
	w.expectNothing(300 * time.Millisecond)
}
