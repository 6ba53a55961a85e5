package client

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DialOptions tune the dialers Dialer makes. The zero value dials with the
// system's trust store and subprotocol "mqtt".
//
// In the browser, TLS is the browser's: the TLS fields and Header must be
// left empty there (Dialer says so), and only ws:// and wss:// exist.
type DialOptions struct {
	// CAFile names a PEM file of certificate authorities to trust instead
	// of the system's; CAPEM holds them inline.
	CAFile string
	CAPEM  []byte
	// CertFile and KeyFile name a PEM client certificate and key, for
	// servers that authenticate clients by certificate.
	CertFile, KeyFile string
	// InsecureSkipVerify accepts any server certificate: for tests against
	// self-signed servers only.
	InsecureSkipVerify bool
	// ServerName is the name sent in SNI and checked in the certificate;
	// default: the URL's host.
	ServerName string

	// Subprotocols offered in the WebSocket handshake; default "mqtt".
	Subprotocols []string
	// Header adds HTTP headers to the WebSocket handshake (native only).
	Header map[string][]string
}

// Default ports by scheme.
var defaultPorts = map[string]string{
	"tcp": "1883", "mqtt": "1883",
	"tls": "8883", "mqtts": "8883", "ssl": "8883",
	"ws": "80", "wss": "443",
}

// Dialer returns a DialFunc for a broker URL:
//
//	tcp://host:1883, mqtt://host        MQTT over TCP (native)
//	tls://host:8883, mqtts://, ssl://   MQTT over TLS (native)
//	ws://host:8080/mqtt, wss://...      MQTT over WebSocket (native and browser)
//
// A missing port is the scheme's usual one; a WebSocket URL without a path
// uses /mqtt. The dialer carries the context's deadline and cancellation.
func Dialer(rawURL string, opts *DialOptions) (DialFunc, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mqtt client: broker URL %q: %w", rawURL, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	port, ok := defaultPorts[u.Scheme]
	if !ok {
		return nil, fmt.Errorf("mqtt client: broker URL %q: unknown scheme %q (use tcp, mqtt, tls, mqtts, ssl, ws or wss)", rawURL, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("mqtt client: broker URL %q has no host", rawURL)
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	if (u.Scheme == "ws" || u.Scheme == "wss") && (u.Path == "" || u.Path == "/") {
		u.Path = "/mqtt"
	}
	if opts == nil {
		opts = &DialOptions{}
	}
	if len(opts.Subprotocols) == 0 {
		o := *opts
		o.Subprotocols = []string{"mqtt"}
		opts = &o
	}
	return platformDialer(u, opts)
}
