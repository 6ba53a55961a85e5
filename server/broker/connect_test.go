package broker

import (
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

var versions = []protocol.Version{protocol.V311, protocol.V5}

func TestFirstPacketMustBeConnect(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	c := dialRaw(t, addr, protocol.V5)
	c.send(&protocol.Pingreq{}) // [MQTT-3.1.0-1]
	c.expectClosed()
}

func TestConnectTimeout(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{ConnectTimeout: 200 * time.Millisecond})
	c := dialRaw(t, addr, protocol.V5)
	c.expectClosed()
}

func TestSecondConnectIsProtocolError(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range versions {
		c := connectRaw(t, addr, v, "twice")
		c.send(&protocol.Connect{Version: v, ClientID: "twice", CleanStart: true})
		code := c.expectClosed() // [MQTT-3.1.0-2]
		if v == protocol.V5 && code != protocol.ProtocolError {
			t.Errorf("v%d: DISCONNECT %v, want Protocol Error", v, code)
		}
	}
}

func TestEmptyClientID(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	// 5.0: the server assigns an identifier and says which.
	c := dialRaw(t, addr, protocol.V5)
	ack := c.connect(&protocol.Connect{CleanStart: false})
	if ack.ReasonCode != 0 || !strings.HasPrefix(ack.Props.AssignedClientID.Value, "mqttlab-") {
		t.Fatalf("5.0 empty id: %v %+v", ack.ReasonCode, ack.Props.AssignedClientID)
	}
	// 3.1.1 with clean session: accepted.
	c = dialRaw(t, addr, protocol.V311)
	if ack := c.connect(&protocol.Connect{CleanStart: true}); ack.ReasonCode != 0 {
		t.Fatalf("3.1.1 clean empty id: %v", ack.ReasonCode)
	}
	// 3.1.1 without clean session: identifier rejected [MQTT-3.1.3-8].
	c = dialRaw(t, addr, protocol.V311)
	if ack := c.connect(&protocol.Connect{CleanStart: false}); ack.ReasonCode != protocol.ClientIdentifierNotValid {
		t.Fatalf("3.1.1 persistent empty id: %v", ack.ReasonCode)
	}
	c.expectClosed()
}

func TestUnsupportedProtocolLevel(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	c := dialRaw(t, addr, protocol.V311)
	// CONNECT "MQTT" level 6: CONNACK return code 1 [MQTT-3.1.2-2].
	c.sendRaw([]byte{0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 6, 2, 0, 60, 0, 0})
	ack := c.expect(protocol.CONNACK).(*protocol.Connack)
	if ack.ReasonCode != protocol.UnsupportedProtocolVersion {
		t.Fatalf("got %v", ack.ReasonCode)
	}
	c.expectClosed()
}

func TestTakeOver(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	for _, v := range versions {
		old := connectRaw(t, addr, v, "same")
		connectRaw(t, addr, v, "same")
		code := old.expectClosed() // [MQTT-3.1.4-3]
		if v == protocol.V5 && code != protocol.SessionTakenOver {
			t.Errorf("v%d: old connection got %v, want Session taken over", v, code)
		}
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{Authenticate: func(c ConnInfo, user protocol.Opt[string], pass protocol.Opt[[]byte]) bool {
		return user.Value == "alice" && string(pass.Value) == "secret"
	}})
	cases := []struct {
		user, pass string
		want       protocol.ReasonCode
	}{
		{"alice", "secret", protocol.Success},
		{"alice", "wrong", protocol.BadUserNameOrPassword},
		{"", "", protocol.NotAuthorized},
	}
	for _, v := range versions {
		for _, tc := range cases {
			c := dialRaw(t, addr, v)
			p := &protocol.Connect{ClientID: "auth", CleanStart: true}
			if tc.user != "" {
				p.Username, p.Password = protocol.Some(tc.user), protocol.Some([]byte(tc.pass))
			}
			ack := c.connect(p)
			if ack.ReasonCode != tc.want {
				t.Errorf("v%d %q/%q: %v, want %v", v, tc.user, tc.pass, ack.ReasonCode, tc.want)
			}
		}
	}
}

func TestExtendedAuthNotSupported(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	c := dialRaw(t, addr, protocol.V5)
	ack := c.connect(&protocol.Connect{ClientID: "scram", CleanStart: true,
		Props: protocol.Properties{AuthMethod: protocol.Some("SCRAM-SHA-1")}})
	if ack.ReasonCode != protocol.BadAuthenticationMethod {
		t.Fatalf("got %v", ack.ReasonCode)
	}
	// AUTH on a connection without a method is a protocol error (§4.12).
	c = connectRaw(t, addr, protocol.V5, "auth2")
	c.send(&protocol.Auth{ReasonCode: protocol.ReAuthenticate, Props: protocol.Properties{AuthMethod: protocol.Some("X")}})
	if code := c.expectClosed(); code != protocol.ProtocolError {
		t.Fatalf("AUTH: %v", code)
	}
}

func TestMaxConnections(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{MaxConnections: 1})
	connectRaw(t, addr, protocol.V5, "one")
	c := dialRaw(t, addr, protocol.V5)
	if ack := c.connect(&protocol.Connect{ClientID: "two", CleanStart: true}); ack.ReasonCode != protocol.ServerBusy {
		t.Fatalf("got %v", ack.ReasonCode)
	}
}

func TestConnackProperties(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{MaxInflight: 10, MaxPacketSize: 4096, TopicAliasMax: 5,
		MaxQoS: protocol.Some(protocol.QoS1), DisableRetain: true, MaxKeepAlive: 30 * time.Second})
	c := dialRaw(t, addr, protocol.V5)
	ack := c.connect(&protocol.Connect{ClientID: "props", CleanStart: true, KeepAlive: 0})
	p := ack.Props
	if p.ReceiveMaximum != protocol.Some(uint16(10)) || p.MaximumPacketSize != protocol.Some(uint32(4096)) ||
		p.TopicAliasMaximum != protocol.Some(uint16(5)) || p.MaximumQoS != protocol.Some(byte(1)) ||
		p.RetainAvailable != protocol.Some(byte(0)) || p.ServerKeepAlive != protocol.Some(uint16(30)) {
		t.Fatalf("CONNACK properties %+v", p)
	}
}

func TestKeepAliveTimeout(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	watcher := connectRaw(t, addr, protocol.V5, "watcher")
	watcher.subscribe(1, protocol.Subscription{Filter: "will/#"})
	for _, v := range versions {
		c := dialRaw(t, addr, v)
		c.connect(&protocol.Connect{ClientID: "silent", CleanStart: true, KeepAlive: 1,
			Will: &protocol.WillMessage{Topic: "will/silent", Payload: []byte("gone")}})
		start := time.Now()
		code := c.expectClosed() // 1.5 × 1 s [MQTT-3.1.2-24]
		if v == protocol.V5 && code != protocol.KeepAliveTimeout {
			t.Errorf("v%d: DISCONNECT %v, want Keep Alive timeout", v, code)
		}
		if el := time.Since(start); el < time.Second {
			t.Errorf("closed after %v, before 1.5 keep alives", el)
		}
		expectPublish(t, watcher, "will/silent", "gone")
	}
}

func TestPingKeepsAlive(t *testing.T) {
	t.Parallel()
	_, addr := startBroker(t, Options{})
	c := dialRaw(t, addr, protocol.V5)
	c.connect(&protocol.Connect{ClientID: "pinger", CleanStart: true, KeepAlive: 1})
	for i := 0; i < 4; i++ {
		time.Sleep(600 * time.Millisecond)
		c.send(&protocol.Pingreq{})
		c.expect(protocol.PINGRESP)
	}
}
