package client

import (
	"context"
	"net"
	"runtime"

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

// CloseNow closes the WebSocket without a close handshake. The browser
// cannot: there it closes with status 1000, for a page may send no other
// below 3000 (the browser refuses Going Away, and the socket would stay
// open until the server's keepalive gave up). To the server it is a
// connection gone without DISCONNECT all the same.
func (c *wsConn) CloseNow() error {
	if runtime.GOOS == "js" {
		return c.ws.Close(websocket.StatusNormalClosure, "")
	}
	return c.ws.CloseNow()
}
