//go:build !js

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// writeTempFile writes a file in a fresh temporary directory and returns its
// path.
func writeTempFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// badScenario has two problems, the first on line 4.
const badScenario = `name: bad
fleets:
  - name: f
    intervall: 1s
    topic: t/{index}
    fields: {n: {model: countr}}
`

// oneLine checks that out is exactly one line that holds every want.
func oneLineWith(t *testing.T, out string, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1: %q", len(lines), out)
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Fatalf("%q does not say %q", lines[0], w)
		}
	}
}

// TestFleetCommandBadArgs: every mistake is exit code 2 and one line.
func TestFleetCommandBadArgs(t *testing.T) {
	t.Parallel()
	bad := writeTempFile(t, "bad.yaml", badScenario)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883"}, []string{"which scenario", "demo"}},
		{[]string{"fleet", "demo"}, []string{"-broker is required"}},
		{[]string{"fleet", "-broker", "http://127.0.0.1", "demo"}, []string{"-broker", "http"}},
		{[]string{"fleet", "-broker", "tcp://", "demo"}, []string{"-broker", "no host"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", "nope"}, []string{`"nope"`, "built-in"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", "/nonexistent/x.yaml"}, []string{"/nonexistent/x.yaml"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", bad}, []string{"bad.yaml:4:", "intervall", "more problems"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", "-qos", "3", "demo"}, []string{"-qos 3"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", "-count", "-1", "demo"}, []string{"-count -1"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", "-password", "p", "demo"}, []string{"-username"}},
		{[]string{"fleet", "-broker", "tcp://127.0.0.1:1883", "demo", "-duration", "1s"}, []string{`"-duration"`, "before"}},
		{[]string{"fleet", "-nope", "demo"}, []string{"-nope"}},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, tc.args...)
			if code != 2 || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 2 and nothing on stdout", code, stdout, stderr)
			}
			oneLineWith(t, stderr, append([]string{"mqttlab fleet: "}, tc.want...)...)
		})
	}
}

// TestFleetCommandPrint: -print writes a built-in scenario's YAML.
func TestFleetCommandPrint(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCmd(t, "fleet", "-print", "demo")
	if code != 0 || !strings.HasPrefix(stdout, "# demo:") || !strings.Contains(stdout, "name: demo") || stderr != "" {
		t.Fatalf("exit %d, stdout %.60q, stderr %q", code, stdout, stderr)
	}
}

// TestServeBadScenario: a bad -scenario is one line at startup naming the
// file and line.
func TestServeBadScenario(t *testing.T) {
	t.Parallel()
	bad := writeTempFile(t, "bad.yaml", badScenario)
	for _, tc := range []struct {
		arg  string
		want []string
	}{
		{bad, []string{"mqttlab: -scenario: ", "bad.yaml:4: fleets[0].intervall"}},
		{"nope", []string{"mqttlab: -scenario: ", `"nope"`}},
	} {
		code, stdout, stderr := runCmd(t, "-http", "127.0.0.1:0", "-mqtt", "127.0.0.1:0", "-scenario", tc.arg)
		if code != 1 || stdout != "" {
			t.Fatalf("-scenario %s: exit %d, stdout %q, stderr %q", tc.arg, code, stdout, stderr)
		}
		oneLineWith(t, stderr, tc.want...)
	}
}

// startServe runs the serve command with args on free ports until the
// test ends; it returns the MQTT TCP address and the output so far.
func startServe(t *testing.T, args ...string) (mqtt string, out *lockedBuffer) {
	t.Helper()
	out = &lockedBuffer{}
	var errb lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-http", "127.0.0.1:0", "-mqtt", "127.0.0.1:0"}, args...), strings.NewReader(""), out, &errb)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit %d: %s", code, errb.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("still running 10 s after its context was cancelled")
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		if m := mqttLine.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), "Ctrl+C") {
			return m[1], out
		}
		select {
		case code := <-done:
			t.Fatalf("exited with %d before serving: %s", code, errb.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address printed after 5 s: %q", out.String())
		}
	}
}

// subscriber is a client of ours that records the topics and payloads it
// receives.
type subscriber struct {
	msgs chan *client.Message
}

func subscribeTo(t *testing.T, url, filter string) *subscriber {
	t.Helper()
	dial, err := client.Dialer(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &subscriber{msgs: make(chan *client.Message, 10000)}
	c, err := client.New(client.Config{Dial: dial, Connect: protocol.Connect{ClientID: "sub", CleanStart: true, KeepAlive: 30}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.SubscribeTopic(ctx, filter, 1, func(m *client.Message) { s.msgs <- m }); err != nil {
		t.Fatal(err)
	}
	return s
}

// waitFor reads messages until match has held for n of them.
func (s *subscriber) waitFor(t *testing.T, what string, n int, match func(*client.Message) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for got := 0; got < n; {
		select {
		case m := <-s.msgs:
			if match(m) {
				got++
			}
		case <-deadline:
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

// TestServeRunsDemo: the lab starts the demo fleet in-process; a client
// over TCP sees its devices publish; the stop takes them offline cleanly.
func TestServeRunsDemo(t *testing.T) {
	t.Parallel()
	addr, out := startServe(t)
	if !strings.Contains(out.String(), "fleet                demo: 20 devices") {
		t.Fatalf("the fleet line is missing: %q", out.String())
	}
	s := subscribeTo(t, "tcp://"+addr, "building/#")
	seen := map[string]bool{}
	s.waitFor(t, "telemetry from 5 devices", 5, func(m *client.Message) bool {
		if strings.HasSuffix(m.Topic, "/telemetry") && !seen[m.Topic] {
			seen[m.Topic] = true
			return true
		}
		return false
	})
}

// TestServeNoScenario: -scenario none runs no device.
func TestServeNoScenario(t *testing.T) {
	t.Parallel()
	addr, out := startServe(t, "-scenario", "none")
	if strings.Contains(out.String(), "fleet ") {
		t.Fatalf("a fleet line with -scenario none: %q", out.String())
	}
	s := subscribeTo(t, "tcp://"+addr, "building/#")
	select {
	case m := <-s.msgs:
		t.Fatalf("a message on %s with -scenario none", m.Topic)
	case <-time.After(300 * time.Millisecond):
	}
}

// mosquitto is a Debian mosquitto process with a TCP and a WebSocket
// listener, stopped by its PID when the test ends.
type mosquitto struct {
	tcp, ws string // host:port
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func startMosquitto(t *testing.T) *mosquitto {
	t.Helper()
	const bin = "/usr/sbin/mosquitto"
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("mosquitto not installed (apt-get install mosquitto): %v", err)
	}
	for _, c := range []string{"mosquitto_sub", "mosquitto_pub"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s not installed (apt-get install mosquitto-clients)", c)
		}
	}
	dir := t.TempDir()
	tcp, ws := freePort(t), freePort(t)
	conf := fmt.Sprintf("per_listener_settings false\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\n"+
		"listener %s 127.0.0.1\nlistener %s 127.0.0.1\nprotocol websockets\n", tcp, ws)
	cfgPath := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(cfgPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var errb lockedBuffer
	cmd := exec.Command(bin, "-c", cfgPath)
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	m := &mosquitto{tcp: "127.0.0.1:" + tcp, ws: "127.0.0.1:" + ws}
	for _, a := range []string{m.tcp, m.ws} {
		deadline := time.Now().Add(5 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", a, time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("mosquitto not listening on %s after 5 s: %v; stderr %q", a, err, errb.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return m
}

// mosquittoSub runs mosquitto_sub on filter over TCP until the test ends
// and returns its output so far, one "topic payload" line per message.
// It returns once the subscription is in place.
func (m *mosquitto) sub(t *testing.T, filter string) *lockedBuffer {
	t.Helper()
	host, port, _ := net.SplitHostPort(m.tcp)
	probe := strings.TrimSuffix(filter, "#") + "probe"
	// A retained probe arrives right after SUBACK: once it is printed, the
	// subscription is in place.
	if out, err := exec.Command("mosquitto_pub", "-h", host, "-p", port, "-t", probe, "-m", "probe", "-r", "-q", "1").CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub: %v: %s", err, out)
	}
	var out lockedBuffer
	cmd := exec.Command("mosquitto_sub", "-h", host, "-p", port, "-t", filter, "-q", "1", "-v")
	cmd.Stdout = &out
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(cmd.Process.Pid, syscall.SIGTERM)
		<-exited
	})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), probe+" probe") {
		if time.Now().After(deadline) {
			t.Fatalf("mosquitto_sub printed no probe after 5 s: %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return &out
}

// fleetScenario: four devices publishing fast; device 2 loses power after
// 300 ms and stays away, so its will fires while the others go on.
const fleetScenario = `name: ext
fleets:
  - name: s
    count: 4
    client_id: "%[1]s-{index}"
    topic: "%[1]s/{index}/telemetry"
    interval: 50ms
    qos: 1
    fields: {n: {model: counter}}
    churn: {after: 300ms, offline: 1h, mode: drop, devices: [2]}
`

var summaryLine = regexp.MustCompile(`summary: 4/4 connected at most, (\d+) published \([\d.]+ msgs/s\), 0 failed, 0 reconnects in `)

// TestFleetCommandMosquitto runs `mqttlab fleet` against Debian's
// mosquitto over TCP and over WebSocket: mosquitto_sub sees every
// device's messages and births, the will of the device that drops while
// the others still publish, and the others' goodbyes at the end; the
// command prints its rates and its summary.
func TestFleetCommandMosquitto(t *testing.T) {
	t.Parallel()
	m := startMosquitto(t)
	for _, tc := range []struct{ name, url string }{
		{"tcp", "tcp://" + m.tcp},
		{"ws", "ws://" + m.ws + "/mqtt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := "ext-" + tc.name
			file := writeTempFile(t, "ext.yaml", fmt.Sprintf(fleetScenario, root))
			sub := m.sub(t, root+"/#")
			code, stdout, stderr := runCmd(t, "fleet", "-broker", tc.url, "-duration", "1500ms", file)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q, stdout %q", code, stderr, stdout)
			}
			if !strings.Contains(stdout, "connected 3/4") || !strings.Contains(stdout, "msgs/s") {
				t.Errorf("no line of rates with 3 of 4 connected: %q", stdout)
			}
			sm := summaryLine.FindStringSubmatch(stdout)
			if sm == nil {
				t.Fatalf("no summary line: %q", stdout)
			}
			// mosquitto_sub's output, once the goodbyes are in.
			var lines []string
			deadline := time.Now().Add(5 * time.Second)
			for {
				lines = strings.Split(sub.String(), "\n")
				if strings.Count(sub.String(), "/status offline") == 4 || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			will := -1
			after := 0 // telemetry after the will
			for i, l := range lines {
				switch {
				case l == root+"/2/status offline":
					will = i
				case will >= 0 && strings.HasSuffix(strings.Fields(l + " x")[0], "/telemetry"):
					after++
				}
			}
			for i := 1; i <= 4; i++ {
				for _, want := range []string{fmt.Sprintf("%s/%d/telemetry {\"n\":", root, i), fmt.Sprintf("%s/%d/status online", root, i), fmt.Sprintf("%s/%d/status offline", root, i)} {
					if !strings.Contains(sub.String(), want) {
						t.Errorf("mosquitto_sub did not see %q", want)
					}
				}
			}
			if will < 0 || after == 0 {
				t.Errorf("the will of device 2 did not come while the others published (line %d, %d after): %q", will, after, sub.String())
			}
		})
	}
}
