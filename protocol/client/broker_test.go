//go:build !js

package client

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// testBroker is a broker under test: where to reach it and how it is
// configured, so that the same tests run against every implementation.
type testBroker struct {
	name string
	tcp  string // tcp://127.0.0.1:port
	ws   string // ws://127.0.0.1:port/mqtt
	// maxPacketSize is the Maximum Packet Size it announces (0: none).
	maxPacketSize uint32
	// maxKeepAlive is the largest keepalive it accepts (0: any).
	maxKeepAlive uint16
	// denied is a topic prefix the broker's access control refuses to
	// everyone ("" if none); deniedSubscribe says whether it refuses
	// subscriptions to it in SUBACK too (mosquitto 2.0 grants them and
	// filters deliveries instead).
	denied          string
	deniedSubscribe bool
}

// brokerImpl starts (once per test binary) a broker implementation.
type brokerImpl struct {
	name  string
	start func() (*testBroker, error)

	once sync.Once
	b    *testBroker
	err  error
}

// brokerImpls lists the brokers the integration tests run against.
var brokerImpls = []*brokerImpl{
	{name: "mosquitto", start: startMosquitto},
}

// brokers returns the started brokers, skipping the test if none can run.
func brokers(t testing.TB) []*testBroker {
	t.Helper()
	var out []*testBroker
	for _, impl := range brokerImpls {
		impl.once.Do(func() { impl.b, impl.err = impl.start() })
		if impl.err != nil {
			t.Fatalf("starting %s: %v", impl.name, impl.err)
		}
		out = append(out, impl.b)
	}
	return out
}

// atExit runs f after all tests (see TestMain).
func atExit(f func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	cleanups = append(cleanups, f)
}

const mosquittoPath = "/usr/sbin/mosquitto"

// startMosquitto runs Debian's mosquitto with a TCP and a WebSocket
// listener on free loopback ports, retrying when a port was taken in the
// meantime.
func startMosquitto() (*testBroker, error) {
	if _, err := os.Stat(mosquittoPath); err != nil {
		return nil, fmt.Errorf("mosquitto is not installed (apt-get install mosquitto): %w", err)
	}
	var lastErr error
	for range 5 {
		b, err := tryMosquitto()
		if err == nil {
			return b, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func tryMosquitto() (*testBroker, error) {
	tcpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	wsPort, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mqttlab-mosquitto-")
	if err != nil {
		return nil, err
	}
	// Started as root, mosquitto drops to its own user: it must be able
	// to read its files.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	b := &testBroker{
		name:          "mosquitto",
		tcp:           "tcp://127.0.0.1:" + strconv.Itoa(tcpPort),
		ws:            "ws://127.0.0.1:" + strconv.Itoa(wsPort) + "/mqtt",
		maxPacketSize: 1 << 16,
		maxKeepAlive:  300,
		denied:        "denied/",
	}
	aclPath := filepath.Join(dir, "acl")
	if err := os.WriteFile(aclPath, []byte("topic readwrite #\ntopic deny denied/#\n"), 0o644); err != nil {
		return nil, err
	}
	conf := fmt.Sprintf(`per_listener_settings false
allow_anonymous true
persistence false
log_dest stderr
log_type error
log_type warning
max_packet_size %d
max_keepalive %d
acl_file %s
listener %d 127.0.0.1
protocol mqtt
listener %d 127.0.0.1
protocol websockets
`, b.maxPacketSize, b.maxKeepAlive, aclPath, tcpPort, wsPort)
	confPath := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd := exec.Command(mosquittoPath, "-c", confPath)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Kill()
		<-exited
		os.RemoveAll(dir)
	}
	for _, port := range []int{tcpPort, wsPort} {
		if err := waitPort(port, exited); err != nil {
			stop()
			return nil, fmt.Errorf("mosquitto on ports %d/%d: %w: %s", tcpPort, wsPort, err, stderr.String())
		}
	}
	atExit(stop)
	return b, nil
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitPort waits until something listens on port, or the process exits.
func waitPort(port int, exited <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("mosquitto exited")
		default:
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("port not listening after 10 s")
}
