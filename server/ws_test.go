//go:build !js

package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/mqttlab/mqttlab/protocol"
)

// startLab serves the command's HTTP handler, configured by flags, with
// an in-process broker and no fleet; it returns the ws:// URL of /mqtt.
func startLab(t *testing.T, flags ...string) string {
	t.Helper()
	cfg, err := parseServeFlags(append([]string{"-scenario", "none"}, flags...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.broker.SysInterval = -1
	return serveLab(t, cfg).WS
}

// dialWS opens a WebSocket to url with the given subprotocols and extra
// headers; it returns the connection, or the HTTP status of a refusal.
func dialWS(t *testing.T, url string, subprotocols []string, header http.Header) (*websocket.Conn, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: subprotocols, HTTPHeader: header})
	if err != nil {
		if resp == nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		return nil, resp.StatusCode
	}
	t.Cleanup(func() { c.CloseNow() })
	return c, http.StatusSwitchingProtocols
}

// TestWebSocketSubprotocol: a WebSocket without the "mqtt" subprotocol is
// closed with a reason that says what is missing (MQTT 5.0 §6.0,
// [MQTT-6.0.0-3]); "mqttv3.1" is accepted for older clients.
func TestWebSocketSubprotocol(t *testing.T) {
	t.Parallel()
	url := startLab(t)
	for _, sub := range [][]string{nil, {"chat"}} {
		t.Run(strings.Join(sub, ",")+"-refused", func(t *testing.T) {
			t.Parallel()
			c, status := dialWS(t, url, sub, nil)
			if c == nil {
				t.Fatalf("HTTP %d; want the WebSocket opened, then closed with a reason", status)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, _, err := c.Read(ctx)
			var ce websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("read: %v, want a close frame", err)
			}
			if ce.Code != websocket.StatusPolicyViolation || !strings.Contains(ce.Reason, `"mqtt"`) {
				t.Fatalf("closed with %d %q, want 1008 and a reason naming the \"mqtt\" subprotocol", ce.Code, ce.Reason)
			}
		})
	}
	for _, sub := range []string{"mqtt", "mqttv3.1"} {
		t.Run(sub, func(t *testing.T) {
			t.Parallel()
			c := dialMQTTWebSocket(t, url, sub, protocol.V311, "ws-"+sub)
			c.send(t, &protocol.Pingreq{})
			if p := c.read(t); p.Type() != protocol.PINGRESP {
				t.Fatalf("got %v, want PINGRESP", p.Type())
			}
		})
	}
}

// TestWebSocketOrigin: a page from another site cannot open /mqtt unless
// -origin allows it; the lab's own pages and non-browser clients (no
// Origin header) can.
func TestWebSocketOrigin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		flags  []string
		origin string // "" for none; "self" for the server's own
		want   int
	}{
		{nil, "", http.StatusSwitchingProtocols},
		{nil, "self", http.StatusSwitchingProtocols},
		{nil, "http://evil.example", http.StatusForbidden},
		{nil, "http://127.0.0.1.evil.example", http.StatusForbidden},
		{[]string{"-origin", "evil.example"}, "http://evil.example", http.StatusSwitchingProtocols},
		{[]string{"-origin", "*.lab.example, other.example"}, "https://app.lab.example", http.StatusSwitchingProtocols},
		{[]string{"-origin", "*.lab.example, other.example"}, "http://other.example", http.StatusSwitchingProtocols},
		{[]string{"-origin", "*.lab.example"}, "http://evil.example", http.StatusForbidden},
	} {
		t.Run(strings.Join(tc.flags, " ")+" Origin "+tc.origin, func(t *testing.T) {
			t.Parallel()
			url := startLab(t, tc.flags...)
			header := http.Header{}
			switch tc.origin {
			case "":
			case "self":
				header.Set("Origin", "http"+strings.TrimSuffix(strings.TrimPrefix(url, "ws"), "/mqtt"))
			default:
				header.Set("Origin", tc.origin)
			}
			c, status := dialWS(t, url, []string{"mqtt"}, header)
			if status != tc.want {
				t.Fatalf("HTTP %d, want %d", status, tc.want)
			}
			if c == nil {
				return
			}
			// Accepted: it really is MQTT.
			conn := connectMQTT(t, websocket.NetConn(context.Background(), c, websocket.MessageBinary), protocol.V5, "origin-ok")
			conn.send(t, &protocol.Disconnect{Version: protocol.V5})
		})
	}
}

// TestWebSocketStream: the WebSocket is a byte stream to the broker, not
// a sequence of packets: a packet split across messages and several
// packets in one message both work (MQTT 5.0 §6.0, [MQTT-6.0.0-2]).
func TestWebSocketStream(t *testing.T) {
	t.Parallel()
	url := startLab(t)
	c, status := dialWS(t, url, []string{"mqtt"}, nil)
	if c == nil {
		t.Fatalf("HTTP %d", status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	enc := func(ps ...protocol.Packet) []byte {
		var b []byte
		for _, p := range ps {
			var err error
			if b, err = p.AppendTo(b); err != nil {
				t.Fatal(err)
			}
		}
		return b
	}
	write := func(b []byte) {
		t.Helper()
		if err := c.Write(ctx, websocket.MessageBinary, b); err != nil {
			t.Fatal(err)
		}
	}
	// The broker's answers, read as a stream too.
	r := protocol.NewReader(websocket.NetConn(ctx, c, websocket.MessageBinary))
	r.Version = protocol.V5
	expect := func(want protocol.Type) protocol.Packet {
		t.Helper()
		p, err := r.ReadPacket()
		if err != nil {
			t.Fatalf("waiting for %v: %v", want, err)
		}
		if p.Type() != want {
			t.Fatalf("got %v, want %v", p.Type(), want)
		}
		return p
	}

	// CONNECT in three messages, cut inside the fixed header and inside a
	// string.
	connect := enc(&protocol.Connect{Version: protocol.V5, ClientID: "ws-stream", CleanStart: true, KeepAlive: 60})
	write(connect[:1])
	write(connect[1:7])
	write(connect[7:])
	expect(protocol.CONNACK)

	// SUBSCRIBE, PUBLISH and PINGREQ in one message.
	write(enc(
		&protocol.Subscribe{Version: protocol.V5, PacketID: 1, Subscriptions: []protocol.Subscription{{Filter: "ws/stream", QoS: 1}}},
		&protocol.Publish{Version: protocol.V5, QoS: 1, PacketID: 2, Topic: "ws/stream", Payload: []byte("together")},
		&protocol.Pingreq{},
	))
	expect(protocol.SUBACK)
	got := map[protocol.Type]int{}
	for range 3 {
		p, err := r.ReadPacket()
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		got[p.Type()]++
		if pub, ok := p.(*protocol.Publish); ok {
			if string(pub.Payload) != "together" {
				t.Fatalf("payload %q", pub.Payload)
			}
			// The PUBACK for it split in two messages, with the end of
			// the next packet (a PINGREQ) glued to the second.
			ack := enc(&protocol.Puback{Version: protocol.V5, PacketID: pub.PacketID}, &protocol.Pingreq{})
			write(ack[:2])
			write(ack[2:])
		}
	}
	if got[protocol.PUBLISH] != 1 || got[protocol.PUBACK] != 1 || got[protocol.PINGRESP] != 1 {
		t.Fatalf("got %v, want one PUBLISH, PUBACK and PINGRESP", got)
	}
	expect(protocol.PINGRESP)
	write(enc(&protocol.Disconnect{Version: protocol.V5}))
}
