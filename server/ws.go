package main

import (
	"context"
	"net"
	"net/http"

	"github.com/coder/websocket"
	"github.com/mqttlab/mqttlab/server/broker"
)

// mqttOverWebSocket serves MQTT over WebSocket (MQTT 5.0 §6): binary
// messages with subprotocol "mqtt" ("mqttv3.1" accepted for old clients).
// The WebSocket is read as a byte stream, so a packet may span messages;
// the broker writes one packet (or one burst of packets) per message.
type mqttOverWebSocket struct {
	broker  *broker.Broker
	origins []string // allowed Origin host patterns; empty means same host only
}

var subprotocols = []string{"mqtt", "mqttv3.1"}

func (h *mqttOverWebSocket) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:   subprotocols,
		OriginPatterns: h.origins,
	})
	if err != nil {
		return // Accept has written the HTTP error (e.g. 403 for a foreign Origin)
	}
	if c.Subprotocol() == "" {
		c.Close(websocket.StatusPolicyViolation, `MQTT over WebSocket needs the subprotocol "mqtt"`)
		return
	}
	nc := websocket.NetConn(context.Background(), c, websocket.MessageBinary)
	h.broker.Serve(addrConn{nc, r.RemoteAddr})
}

// addrConn reports the HTTP client's address, which a WebSocket net.Conn
// does not know once the connection is hijacked behind a proxy.
type addrConn struct {
	net.Conn
	remote string
}

func (c addrConn) RemoteAddr() net.Addr { return wsAddr(c.remote) }

type wsAddr string

func (a wsAddr) Network() string { return "websocket" }
func (a wsAddr) String() string  { return string(a) }
