//go:build !js

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestLabAgainstMosquitto points a page client at Debian's mosquitto: the
// lab is an MQTT client like any other and works with another broker.
func TestLabAgainstMosquitto(t *testing.T) {
	t.Parallel()
	lab := startPages(t, "-scenario", "none")
	url := startMosquittoWS(t)
	lt := openLab(t, lab)

	lt.add("M")
	lt.set("#lab-url", url)
	lt.connect()
	lt.WaitText("#lab-status", url)
	lt.subscribe("lab/mosquitto", "1")
	lt.set("#lab-pub-qos", "1")
	lt.publish("lab/mosquitto", "hello mosquitto")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-topic", "lab/mosquitto")
	lt.WaitText("#lab-log .lab-msg:first-child .lab-msg-payload", "hello mosquitto")
	if n := lab.Broker.Stats().Connects; n != 0 {
		t.Errorf("the lab's own broker saw %d connections: the client did not go to mosquitto", n)
	}
}

// startMosquittoWS runs mosquitto for the test and returns a ws:// URL
// that reaches it. Debian's mosquitto 2.0 is built without WebSocket
// support (its "protocol websockets" listener fails to start); then the
// test serves MQTT over WebSocket itself, relaying the bytes unchanged to
// mosquitto's TCP listener, as a reverse proxy in front of a broker does.
func startMosquittoWS(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("mosquitto"); err != nil {
		t.Fatal("mosquitto is not installed: run `make test`, which installs it")
	}
	if port, ok := runMosquitto(t, "websockets"); ok {
		return "ws://127.0.0.1:" + port + "/mqtt"
	}
	t.Log("this mosquitto has no WebSocket listener: relaying WebSocket to its TCP listener")
	port, ok := runMosquitto(t, "mqtt")
	if !ok {
		t.Fatal("mosquitto did not start (see its output above)")
	}
	return relayWebSocket(t, net.JoinHostPort("127.0.0.1", port))
}

// runMosquitto starts mosquitto with one listener on a free port of
// 127.0.0.1 speaking protocol, and returns the port once it accepts
// connections; ok is false when mosquitto exited instead.
func runMosquitto(t *testing.T, protocol string) (port string, ok bool) {
	t.Helper()
	port = freePort(t)
	conf := writeFile(t, t.TempDir(), "mosquitto.conf", fmt.Sprintf(
		"listener %s 127.0.0.1\nprotocol %s\nallow_anonymous true\npersistence false\nlog_dest stderr\n", port, protocol))
	cmd := exec.Command("mosquitto", "-c", conf)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-exited:
			t.Logf("mosquitto (%s listener) exited: %v\n%s", protocol, err, out.String())
			return "", false
		default:
		}
		if c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", port)); err == nil {
			c.Close()
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			return port, true
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	<-exited
	t.Fatalf("mosquitto did not listen on %s within 10s:\n%s", port, out.String())
	return "", false
}

// freePort returns a port of 127.0.0.1 that was free a moment ago, for a
// program that takes its port from its configuration.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// relayWebSocket serves MQTT over WebSocket (subprotocol mqtt) and relays
// every connection byte for byte to the MQTT broker at addr; it returns the
// ws:// URL. Pages of any 127.0.0.1 origin may connect.
func relayWebSocket(t *testing.T, addr string) string {
	t.Helper()
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
			Subprotocols:   []string{"mqtt"},
			OriginPatterns: []string{"127.0.0.1:*"},
		})
		if err != nil {
			return
		}
		if ws.Subprotocol() != "mqtt" {
			ws.Close(websocket.StatusPolicyViolation, "MQTT over WebSocket needs the mqtt subprotocol")
			return
		}
		broker, err := net.Dial("tcp", addr)
		if err != nil {
			ws.Close(websocket.StatusTryAgainLater, "the broker is not reachable")
			return
		}
		page := websocket.NetConn(context.Background(), ws, websocket.MessageBinary)
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(broker, page)
			broker.Close()
		}()
		io.Copy(page, broker)
		page.Close()
		broker.Close()
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		wg.Wait()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
}
