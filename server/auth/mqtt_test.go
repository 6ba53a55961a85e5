//go:build !js

package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// mosquitto is a Debian mosquitto broker started for one test, on a free
// port of 127.0.0.1, with the configuration lines given.
type mosquitto struct {
	addr string
	cmd  *exec.Cmd
	log  *syncBuffer
}

// syncBuffer collects the broker's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// findMosquitto returns the path of a mosquitto program, or skips the test.
func findMosquitto(t *testing.T, name string) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/" + name, "/usr/bin/" + name} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	t.Skipf("%s is not installed (apt-get install mosquitto mosquitto-clients)", name)
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startMosquitto runs mosquitto until the test ends; it kills only the
// process it started.
func startMosquitto(t *testing.T, dir string, conf ...string) *mosquitto {
	t.Helper()
	bin := findMosquitto(t, "mosquitto")
	port := freePort(t)
	lines := []string{
		fmt.Sprintf("listener %d 127.0.0.1", port),
		"persistence false",
		"log_dest stdout",
		"log_type error",
		"log_type warning",
		"log_type notice",
		"set_tcp_nodelay true",
	}
	if os.Geteuid() == 0 {
		lines = append(lines, "user root") // keep reading the test's private files
	}
	lines = append(lines, conf...)
	confPath := filepath.Join(dir, "mosquitto.conf")
	writeLines(t, confPath, lines)

	m := &mosquitto{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), log: &syncBuffer{}}
	m.cmd = exec.Command(bin, "-c", confPath)
	m.cmd.Stdout, m.cmd.Stderr = m.log, m.log
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- m.cmd.Wait() }()
	t.Cleanup(func() {
		m.cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("mosquitto's log:\n%s", m.log)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", m.addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return m
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("mosquitto exited: %v\n%s", err, m.log)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("mosquitto does not listen on %s after 5 s:\n%s", m.addr, m.log)
		}
	}
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// mosquittoPasswd writes a mosquitto password file with mosquitto's own
// tool.
func mosquittoPasswd(t *testing.T, path string, passwords map[string]string) {
	t.Helper()
	bin := findMosquitto(t, "mosquitto_passwd")
	first := true
	for name, pw := range passwords {
		args := []string{"-b", path, name, pw}
		if first {
			args = append([]string{"-c"}, args...)
			first = false
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("mosquitto_passwd %q: %v\n%s", args, err, out)
		}
	}
}

// mqttConn is a minimal MQTT client on the codec, enough to read a
// broker's answers packet by packet.
type mqttConn struct {
	t    *testing.T
	conn net.Conn
	r    *protocol.Reader
	v    protocol.Version
	id   uint16
}

// dial connects as id (with password unless id is anonymous) and expects
// the connection to be accepted.
func dial(t *testing.T, addr string, v protocol.Version, id Identity, password string) *mqttConn {
	t.Helper()
	return dialWill(t, addr, v, id, password, nil)
}

// dialWill is dial with a will message.
func dialWill(t *testing.T, addr string, v protocol.Version, id Identity, password string, will *protocol.WillMessage) *mqttConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	c := &mqttConn{t: t, conn: conn, r: protocol.NewReader(conn), v: v}
	c.r.Version = v
	connect := &protocol.Connect{Version: v, CleanStart: true, KeepAlive: 60, ClientID: id.ClientID, Will: will}
	if !id.Anonymous {
		connect.Username = protocol.Some(id.Username)
		connect.Password = protocol.Some([]byte(password))
	}
	c.send(connect)
	ack, ok := c.read().(*protocol.Connack)
	if !ok || ack.ReasonCode != protocol.Success {
		t.Fatalf("CONNECT as %+v: %+v", id, ack)
	}
	return c
}

func (c *mqttConn) send(p protocol.Packet) {
	c.t.Helper()
	b, err := p.AppendTo(nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *mqttConn) read() protocol.Packet {
	c.t.Helper()
	p, err := c.r.ReadPacket()
	if err != nil {
		c.t.Fatalf("reading from the broker: %v", err)
	}
	return p
}

// publish sends a QoS 1 PUBLISH and reports whether the broker accepted
// it, from the PUBACK's reason code (MQTT 5 only).
func (c *mqttConn) publish(topic string, retain bool) bool {
	c.t.Helper()
	c.id++
	c.send(&protocol.Publish{Version: c.v, QoS: protocol.QoS1, Retain: retain, Topic: topic, PacketID: c.id, Payload: []byte(topic)})
	for {
		switch p := c.read().(type) {
		case *protocol.Puback:
			if p.PacketID != c.id {
				c.t.Fatalf("PUBACK for packet %d, want %d", p.PacketID, c.id)
			}
			switch p.ReasonCode {
			case protocol.Success, protocol.NoMatchingSubscribers:
				return true
			case protocol.NotAuthorized:
				return false
			}
			c.t.Fatalf("PUBLISH %q: PUBACK %v", topic, p.ReasonCode)
		case *protocol.Publish:
			// a message for an earlier subscription: not what we wait for
		default:
			c.t.Fatalf("PUBLISH %q: got %T", topic, p)
		}
	}
}

// disconnectWithWill ends an MQTT 5 connection asking the broker to
// publish the will, and waits until the broker has closed it, which it
// does after it has handled the will.
func (c *mqttConn) disconnectWithWill() {
	c.t.Helper()
	c.send(&protocol.Disconnect{Version: c.v, ReasonCode: protocol.DisconnectWithWill})
	if p, err := c.r.ReadPacket(); err == nil {
		c.t.Fatalf("after DISCONNECT the broker sent %T", p)
	} else if !errors.Is(err, io.EOF) {
		c.t.Fatalf("after DISCONNECT: %v, want the connection closed", err)
	}
}

// publishAndCollect publishes to topic, to which this client subscribes,
// and returns the topics of the messages it receives before its own.
func (c *mqttConn) publishAndCollect(topic string) []string {
	c.t.Helper()
	c.id++
	c.send(&protocol.Publish{Version: c.v, QoS: protocol.QoS1, Topic: topic, PacketID: c.id})
	var topics []string
	acked, back := false, false
	for !acked || !back {
		switch p := c.read().(type) {
		case *protocol.Puback:
			acked = true
		case *protocol.Publish:
			if p.Topic == topic {
				back = true
			} else if !back {
				topics = append(topics, p.Topic)
			}
		default:
			c.t.Fatalf("PUBLISH %q: got %T", topic, p)
		}
	}
	return topics
}

// subscribe sends a SUBSCRIBE for filter at QoS 0 and returns whether it
// was granted and the topics of the messages the broker sent before it
// answered a PINGREQ sent after the SUBACK: the retained messages the
// subscription delivers, queued while the broker handled the SUBSCRIBE.
func (c *mqttConn) subscribe(filter string) (granted bool, topics map[string]bool) {
	c.t.Helper()
	c.id++
	c.send(&protocol.Subscribe{Version: c.v, PacketID: c.id, Subscriptions: []protocol.Subscription{{Filter: filter}}})
	topics = map[string]bool{}
	for {
		switch p := c.read().(type) {
		case *protocol.Publish:
			topics[p.Topic] = true
		case *protocol.Suback:
			if len(p.ReasonCodes) != 1 {
				c.t.Fatalf("SUBACK with %d codes", len(p.ReasonCodes))
			}
			granted = p.ReasonCodes[0] < 0x80
			c.send(&protocol.Pingreq{})
		case *protocol.Pingresp:
			return granted, topics
		default:
			c.t.Fatalf("SUBSCRIBE %q: got %T", filter, p)
		}
	}
}
