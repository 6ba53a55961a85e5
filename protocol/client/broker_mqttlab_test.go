//go:build !js

package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/mqttlab/mqttlab/server/broker"
)

func init() {
	brokerImpls = append(brokerImpls, &brokerImpl{name: "mqttlab", start: startMQTTLab})
}

// startMQTTLab runs mqttlab's own broker in process, on a TCP listener and
// an HTTP server answering MQTT over WebSocket at /mqtt, both on loopback
// port 0.
func startMQTTLab() (*testBroker, error) {
	tb := &testBroker{name: "mqttlab", maxPacketSize: 1 << 16, maxKeepAlive: 300, denied: "denied/"}
	o := broker.Defaults()
	o.MaxPacketSize = int(tb.maxPacketSize)
	o.MaxKeepAlive = time.Duration(tb.maxKeepAlive) * time.Second
	o.SysInterval = -1
	o.Permissions = func(broker.ConnInfo) broker.Permissions {
		return broker.PermissionsFunc(func(topic string, a broker.Access) bool {
			return a != broker.AccessPublish || !strings.HasPrefix(topic, tb.denied)
		})
	}
	b, err := broker.New(o)
	if err != nil {
		return nil, err
	}
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	wl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tl.Close()
		return nil, err
	}
	listenDone := make(chan struct{})
	go func() { b.Listen(tl); close(listenDone) }()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"mqtt"}})
		if err != nil {
			return
		}
		b.Serve(websocket.NetConn(context.Background(), c, websocket.MessageBinary))
	})}
	httpDone := make(chan struct{})
	go func() { srv.Serve(wl); close(httpDone) }()
	atExit(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.Shutdown(ctx)
		tl.Close()
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			srv.Close()
		}
		<-listenDone
		<-httpDone
	})
	tb.tcp = "tcp://" + tl.Addr().String()
	tb.ws = "ws://" + wl.Addr().String() + "/mqtt"
	return tb, nil
}
