package client

import (
	"context"
	"net"

	"github.com/coder/websocket"
)

// wsConn is a WebSocket read as a byte stream (a packet may span messages,
// a message may hold several packets) and written one message per Write,
// which the client makes one per packet. CloseNow ends it without the
// closing handshake.
type wsConn struct {
	net.Conn
	ws *websocket.Conn
}

func newWSConn(ws *websocket.Conn) *wsConn {
	return &wsConn{Conn: websocket.NetConn(context.Background(), ws, websocket.MessageBinary), ws: ws}
}

// CloseNow closes the WebSocket without a close handshake; in the browser,
// which cannot, with a close frame (see closeWSNow).
func (c *wsConn) CloseNow() error { return closeWSNow(c.ws) }
