package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/mqttlab/mqttlab/protocol"
)

// lockedBuffer is an io.Writer the command writes to while a test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runCmd runs the command to its end with args and returns its exit code
// and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { done <- run(ctx, args, strings.NewReader(""), &out, &errb) }()
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Fatalf("mqttlab %q still running after 10 s", args)
	}
	return code, out.String(), errb.String()
}

// TestRunBadFlags: a mistake on the command line is exit code 2 and one
// line that names what was wrong.
func TestRunBadFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		name string // what the message must mention
	}{
		{[]string{"-nope"}, "-nope"},
		{[]string{"-max-qos", "3"}, "-max-qos"},
		{[]string{"-connect-timeout", "soon"}, "-connect-timeout"},
		{[]string{"-topic-alias-max", "70000"}, "-topic-alias-max"},
		{[]string{"-http"}, "-http"},
		{[]string{"serve", "extra"}, "extra"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, tc.args...)
			if code != 2 {
				t.Fatalf("exit code %d, want 2 (stderr %q)", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "mqttlab: ") || !strings.Contains(lines[0], tc.name) {
				t.Fatalf("stderr is %d lines, from %q to %q; want one line \"mqttlab: ...\" naming %s",
					len(lines), lines[0], lines[len(lines)-1], tc.name)
			}
			if stdout != "" {
				t.Fatalf("stdout %q, want nothing", stdout)
			}
		})
	}
}

// TestRunPortInUse: a listening address already taken is exit code 1 and
// one line naming the flag to change.
func TestRunPortInUse(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { taken.Close() }) // after the parallel subtests
	addr := taken.Addr().String()
	for _, tc := range []struct {
		flag string
		args []string
	}{
		{"-http", []string{"-http", addr, "-mqtt", "127.0.0.1:0"}},
		{"-mqtt", []string{"-http", "127.0.0.1:0", "-mqtt", addr}},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCmd(t, tc.args...)
			if code != 1 {
				t.Fatalf("exit code %d, want 1 (stderr %q)", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], addr) || !strings.Contains(lines[0], tc.flag) ||
				!strings.Contains(lines[0], "in use") {
				t.Fatalf("stderr %q, want one line saying %s is in use and naming %s", stderr, addr, tc.flag)
			}
		})
	}
}

var (
	webLine  = regexp.MustCompile(`web app\s+http://(\S+?)/\n`)
	mqttLine = regexp.MustCompile(`MQTT over TCP\s+tcp://(\S+)\n`)
)

// TestRunGracefulStop starts the command on free ports, connects MQTT
// clients over TCP and WebSocket, and cancels its context: 5.0 clients
// get DISCONNECT 0x8B (Server shutting down), every connection is closed,
// the command exits 0 and its ports are free again.
func TestRunGracefulStop(t *testing.T) {
	t.Parallel()
	var out, errb lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-http", "127.0.0.1:0", "-mqtt", "127.0.0.1:0", "-scenario", "none"}, strings.NewReader(""), &out, &errb)
	}()
	var web, mqtt string
	for i := 0; web == "" || mqtt == ""; i++ {
		select {
		case code := <-done:
			t.Fatalf("exited with %d before serving: %s", code, errb.String())
		case <-time.After(10 * time.Millisecond):
		}
		if i > 500 {
			cancel()
			<-done
			t.Fatalf("no addresses printed after 5 s: %q", out.String())
		}
		s := out.String()
		if m := webLine.FindStringSubmatch(s); m != nil {
			web = m[1]
		}
		if m := mqttLine.FindStringSubmatch(s); m != nil {
			mqtt = m[1]
		}
	}

	tcp5 := dialMQTT(t, mqtt, protocol.V5, "stop-tcp-5")
	tcp311 := dialMQTT(t, mqtt, protocol.V311, "stop-tcp-311")
	v5 := []*mqttConn{tcp5}
	for i := range 8 { // several: the stop races each one's final write
		v5 = append(v5, dialMQTTWebSocket(t, "ws://"+web+"/mqtt", "mqtt", protocol.V5, fmt.Sprintf("stop-ws-5-%d", i)))
	}

	cancel()
	for _, c := range v5 {
		if code := c.expectClosed(t); code != protocol.ServerShuttingDown {
			t.Errorf("%s: DISCONNECT %#x, want 0x8B Server shutting down", c.id, byte(code))
		}
	}
	if code := tcp311.expectClosed(t); code != 0 {
		t.Errorf("3.1.1 client got DISCONNECT %#x; 3.1.1 servers send none", byte(code))
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d after a cancelled context, want 0; stderr %q", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after its context was cancelled")
	}
	if !strings.Contains(out.String(), "stopping") {
		t.Errorf("stdout %q does not say it is stopping", out.String())
	}
	for _, addr := range []string{web, mqtt} {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("%s still taken after the stop: %v", addr, err)
			continue
		}
		l.Close()
	}
}

// mqttConn is a raw MQTT connection over TCP or WebSocket.
type mqttConn struct {
	id string
	nc net.Conn
	r  *protocol.Reader
	v  protocol.Version
}

// dialMQTT connects an MQTT client over TCP.
func dialMQTT(t *testing.T, addr string, v protocol.Version, id string) *mqttConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return connectMQTT(t, nc, v, id)
}

// dialMQTTWebSocket connects an MQTT client over WebSocket.
func dialMQTTWebSocket(t *testing.T, url, subprotocol string, v protocol.Version, id string) *mqttConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{subprotocol}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Subprotocol() != subprotocol {
		c.CloseNow()
		t.Fatalf("subprotocol %q, want %q", c.Subprotocol(), subprotocol)
	}
	return connectMQTT(t, websocket.NetConn(context.Background(), c, websocket.MessageBinary), v, id)
}

func connectMQTT(t *testing.T, nc net.Conn, v protocol.Version, id string) *mqttConn {
	t.Helper()
	t.Cleanup(func() { nc.Close() })
	c := &mqttConn{id: id, nc: nc, r: protocol.NewReader(nc), v: v}
	c.r.Version = v
	c.send(t, &protocol.Connect{Version: v, ClientID: id, CleanStart: true, KeepAlive: 60})
	if ack, ok := c.read(t).(*protocol.Connack); !ok || ack.ReasonCode != protocol.Success {
		t.Fatalf("%s: CONNACK %+v", id, ack)
	}
	return c
}

func (c *mqttConn) send(t *testing.T, p protocol.Packet) {
	t.Helper()
	b, err := p.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.nc.Write(b); err != nil {
		t.Fatalf("%s: write: %v", c.id, err)
	}
}

func (c *mqttConn) read(t *testing.T) protocol.Packet {
	t.Helper()
	c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	p, err := c.r.ReadPacket()
	if err != nil {
		t.Fatalf("%s: read: %v", c.id, err)
	}
	return p
}

// expectClosed reads until the server closes the connection and returns
// the reason code of the DISCONNECT it sent, 0 for none.
func (c *mqttConn) expectClosed(t *testing.T) protocol.ReasonCode {
	t.Helper()
	code := protocol.ReasonCode(0)
	c.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	for range 4 {
		p, err := c.r.ReadPacket()
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			t.Fatalf("%s: connection not closed", c.id)
		case err != nil:
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && websocket.CloseStatus(err) == -1 &&
				!strings.Contains(err.Error(), "reset") {
				t.Errorf("%s: connection ended with %v", c.id, err)
			}
			return code
		}
		if d, ok := p.(*protocol.Disconnect); ok {
			code = d.ReasonCode
		}
	}
	t.Fatalf("%s: still receiving after the stop", c.id)
	return code
}
