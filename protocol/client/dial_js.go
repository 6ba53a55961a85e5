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
