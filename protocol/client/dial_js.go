//go:build js && wasm

package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/coder/websocket"
)

// platformDialer dials WebSocket through the browser, which also does TLS
// for wss:// with its own trust store.
func platformDialer(u *url.URL, opts *DialOptions) (DialFunc, error) {
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return nil, fmt.Errorf("mqtt client: %s:// is not available in the browser: use ws:// or wss://", u.Scheme)
	}
	if opts.CAFile != "" || len(opts.CAPEM) > 0 || opts.CertFile != "" || opts.KeyFile != "" ||
		opts.InsecureSkipVerify || opts.ServerName != "" || len(opts.Header) > 0 {
		return nil, errors.New("mqtt client: TLS options and HTTP headers cannot be set in the browser, which handles them itself")
	}
	wsURL := u.String()
	wsOpts := &websocket.DialOptions{Subprotocols: opts.Subprotocols}
	return func(ctx context.Context) (net.Conn, error) {
		ws, _, err := websocket.Dial(ctx, wsURL, wsOpts)
		if err != nil {
			return nil, err
		}
		return newWSConn(ws), nil
	}, nil
}

// statusDropped is the close code of a connection dropped without
// DISCONNECT. A page can close a WebSocket only with a close frame, and only
// with 1000 or a code from 3000 to 4999: WebSocket.close(1001), which
// websocket.Conn.CloseNow sends, throws and leaves the socket open.
const statusDropped websocket.StatusCode = 4000

// closeWSNow closes ws as abruptly as a page can: with a close frame but
// no MQTT DISCONNECT, so the server still publishes the will.
func closeWSNow(ws *websocket.Conn) error {
	return ws.Close(statusDropped, "connection dropped without DISCONNECT")
}
