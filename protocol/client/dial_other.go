//go:build !js

package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"

	"github.com/coder/websocket"
)

// platformDialer dials TCP, TLS and WebSocket natively.
func platformDialer(u *url.URL, opts *DialOptions) (DialFunc, error) {
	var tlsConf *tls.Config
	if u.Scheme == "tls" || u.Scheme == "mqtts" || u.Scheme == "ssl" || u.Scheme == "wss" {
		var err error
		if tlsConf, err = tlsConfig(u.Hostname(), opts); err != nil {
			return nil, err
		}
	}
	addr := u.Host
	switch u.Scheme {
	case "tcp", "mqtt":
		return func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		}, nil
	case "tls", "mqtts", "ssl":
		return func(ctx context.Context) (net.Conn, error) {
			d := tls.Dialer{Config: tlsConf}
			return d.DialContext(ctx, "tcp", addr)
		}, nil
	}
	wsURL := u.String()
	wsOpts := &websocket.DialOptions{Subprotocols: opts.Subprotocols, HTTPHeader: http.Header(opts.Header)}
	if tlsConf != nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = tlsConf
		wsOpts.HTTPClient = &http.Client{Transport: tr}
	}
	return func(ctx context.Context) (net.Conn, error) {
		ws, _, err := websocket.Dial(ctx, wsURL, wsOpts)
		if err != nil {
			return nil, err
		}
		return newWSConn(ws), nil
	}, nil
}

// tlsConfig builds the TLS configuration of opts.
func tlsConfig(host string, opts *DialOptions) (*tls.Config, error) {
	conf := &tls.Config{ServerName: host, InsecureSkipVerify: opts.InsecureSkipVerify, MinVersion: tls.VersionTLS12}
	if opts.ServerName != "" {
		conf.ServerName = opts.ServerName
	}
	pem := opts.CAPEM
	if opts.CAFile != "" {
		b, err := os.ReadFile(opts.CAFile)
		if err != nil {
			return nil, fmt.Errorf("mqtt client: CA file: %w", err)
		}
		pem = append(append([]byte(nil), pem...), b...)
	}
	if len(pem) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("mqtt client: no PEM certificate found in the CA file or CAPEM")
		}
		conf.RootCAs = pool
	}
	if opts.CertFile != "" || opts.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(opts.CertFile, opts.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("mqtt client: client certificate: %w", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	return conf, nil
}

// closeWSNow closes ws at once, without the closing handshake: to the
// server it looks like a network failure.
func closeWSNow(ws *websocket.Conn) error { return ws.CloseNow() }
