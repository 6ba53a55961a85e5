package broker

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
)

// The broker against Debian's mosquitto_pub and mosquitto_sub
// (mosquitto-clients 2.0), in MQTT 3.1.1 and 5.0, over TCP.

// mosqVersions are the -V values of the clients and the versions they mean.
var mosqVersions = []struct {
	flag string
	v    protocol.Version
}{{"mqttv311", protocol.V311}, {"mqttv5", protocol.V5}}

// mosqEnv is a broker and the means to run the clients against it.
type mosqEnv struct {
	b    *Broker
	host string
	port string
	home string // an empty configuration directory for the clients
}

func mosqStart(t *testing.T, o Options) *mosqEnv {
	t.Helper()
	for _, cmd := range []string{"mosquitto_pub", "mosquitto_sub"} {
		if _, err := exec.LookPath(cmd); err != nil {
			t.Skipf("%s not installed (apt-get install mosquitto-clients): %v", cmd, err)
		}
	}
	b, addr := startBroker(t, o)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return &mosqEnv{b: b, host: host, port: port, home: t.TempDir()}
}

// mosqProc is a client process the test started.
type mosqProc struct {
	cmd    *exec.Cmd
	out    bytes.Buffer
	errb   bytes.Buffer
	exited chan struct{}
	err    error // of Wait, once exited is closed
}

// start runs a client with the broker's address added to args and stdin
// as its input. The process is killed, through its own Cmd, if it still
// runs when the test ends or after 30 s.
func (e *mosqEnv) start(t *testing.T, stdin, name string, args ...string) *mosqProc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	args = append([]string{"-h", e.host, "-p", e.port}, args...)
	p := &mosqProc{cmd: exec.CommandContext(ctx, name, args...), exited: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "HOME="+e.home, "XDG_CONFIG_HOME="+e.home)
	p.cmd.Stdin = strings.NewReader(stdin)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.errb
	p.cmd.WaitDelay = time.Second
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("%s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		cancel()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.cmd.Process.Kill() // does nothing once it has exited
		<-p.exited
	})
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *mosqProc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		if p.cmd.ProcessState == nil {
			t.Fatalf("%v: %v", p.cmd.Args, p.err)
		}
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(20 * time.Second):
		t.Fatalf("%v still running after 20 s; output %q %q", p.cmd.Args, p.out.String(), p.errb.String())
		return -1
	}
}

// run runs a client to its end and fails the test unless it succeeds.
func (e *mosqEnv) run(t *testing.T, stdin, name string, args ...string) *mosqProc {
	t.Helper()
	p := e.start(t, stdin, name, args...)
	if code := p.wait(t); code != 0 {
		t.Fatalf("%v exited with %d: %s", p.cmd.Args, code, p.errb.String())
	}
	return p
}

// waitSubscribed waits until client id's session has subscribed to filter.
func (e *mosqEnv) waitSubscribed(t *testing.T, id, filter string) {
	t.Helper()
	pahoWaitFor(t, id+" subscribed to "+filter, func() bool {
		e.b.mu.Lock()
		s := e.b.sessions[id]
		e.b.mu.Unlock()
		if s == nil {
			return false
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.subs.get(filter) != nil
	})
}

// mosqMsg is one line of mosquitto_sub -F mosqFormat.
type mosqMsg struct {
	topic   string
	qos     int
	retain  bool
	payload string
}

const mosqFormat = "%t|%q|%r|%p"

// messages parses what a mosquitto_sub run with -F mosqFormat printed.
func (p *mosqProc) messages(t *testing.T) []mosqMsg {
	t.Helper()
	var msgs []mosqMsg
	for _, line := range strings.Split(strings.TrimSuffix(p.out.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "|", 4)
		if len(f) != 4 {
			t.Fatalf("mosquitto_sub printed %q", line)
		}
		qos, _ := strconv.Atoi(f[1])
		msgs = append(msgs, mosqMsg{f[0], qos, f[2] == "1", f[3]})
	}
	return msgs
}

func TestMosquittoPubSub(t *testing.T) {
	t.Parallel()
	e := mosqStart(t, Options{})
	for _, sv := range mosqVersions {
		for _, pv := range mosqVersions {
			for subQoS := 0; subQoS <= 2; subQoS++ {
				for pubQoS := 0; pubQoS <= 2; pubQoS++ {
					name := fmt.Sprintf("sub-%s-q%d/pub-%s-q%d", sv.flag, subQoS, pv.flag, pubQoS)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						topic := "mosq/" + name
						id := fmt.Sprintf("s-%s-%d-%s-%d", sv.flag, subQoS, pv.flag, pubQoS)
						sub := e.start(t, "", "mosquitto_sub", "-V", sv.flag, "-i", id, "-t", topic,
							"-q", strconv.Itoa(subQoS), "-C", "3", "-W", "15", "-F", mosqFormat)
						e.waitSubscribed(t, id, topic)
						// -l: one message per line of input, in order.
						e.run(t, "one\ntwo\nthree\n", "mosquitto_pub", "-V", pv.flag, "-t", topic, "-q", strconv.Itoa(pubQoS), "-l")
						if code := sub.wait(t); code != 0 {
							t.Fatalf("mosquitto_sub exited with %d: %s", code, sub.errb.String())
						}
						got := sub.messages(t)
						want := min(subQoS, pubQoS)
						if len(got) != 3 {
							t.Fatalf("got %v, want 3 messages", got)
						}
						for i, payload := range []string{"one", "two", "three"} {
							if m := got[i]; m.topic != topic || m.payload != payload || m.qos != want || m.retain {
								t.Fatalf("message %d: %+v, want %q %q at QoS %d, not retained", i, m, topic, payload, want)
							}
						}
					})
				}
			}
		}
	}
}

func TestMosquittoRetained(t *testing.T) {
	t.Parallel()
	e := mosqStart(t, Options{})
	for _, mv := range mosqVersions {
		t.Run(mv.flag, func(t *testing.T) {
			t.Parallel()
			topic := "mosq/retained/" + mv.flag
			e.run(t, "", "mosquitto_pub", "-V", mv.flag, "-t", topic, "-q", "1", "-r", "-m", "on")
			sub := e.run(t, "", "mosquitto_sub", "-V", mv.flag, "-t", topic, "-q", "1", "-C", "1", "-W", "10", "-F", mosqFormat)
			if got := sub.messages(t); len(got) != 1 || got[0] != (mosqMsg{topic, 1, true, "on"}) {
				t.Fatalf("subscriber got %+v, want the retained %q with RETAIN [MQTT-3.3.1-9]", got, "on")
			}

			// -r -n: an empty retained message deletes it [MQTT-3.3.1-10].
			e.run(t, "", "mosquitto_pub", "-V", mv.flag, "-t", topic, "-q", "1", "-r", "-n")
			id := "mosq-ret-after-" + mv.flag
			sub = e.start(t, "", "mosquitto_sub", "-V", mv.flag, "-i", id, "-t", topic, "-q", "1", "-C", "1", "-W", "10", "-F", mosqFormat)
			e.waitSubscribed(t, id, topic)
			e.run(t, "", "mosquitto_pub", "-V", mv.flag, "-t", topic, "-q", "1", "-m", "marker")
			sub.wait(t)
			if got := sub.messages(t); len(got) != 1 || got[0] != (mosqMsg{topic, 1, false, "marker"}) {
				t.Fatalf("subscriber got %+v, want only the live marker: the retained message was deleted", got)
			}
		})
	}
}

func TestMosquittoWill(t *testing.T) {
	t.Parallel()
	e := mosqStart(t, Options{})
	for _, mv := range mosqVersions {
		t.Run(mv.flag, func(t *testing.T) {
			t.Parallel()
			topic := "mosq/will/" + mv.flag
			observe := func(name string) *mosqProc {
				id := "mosq-obs-" + name + "-" + mv.flag
				p := e.start(t, "", "mosquitto_sub", "-V", mv.flag, "-i", id, "-t", topic, "-q", "1", "-C", "1", "-W", "15", "-F", mosqFormat)
				e.waitSubscribed(t, id, topic)
				return p
			}
			willer := func(name string, extra ...string) (*mosqProc, string) {
				id := "mosq-will-" + name + "-" + mv.flag
				args := append([]string{"-V", mv.flag, "-i", id, "-t", topic + "/trigger/" + name,
					"--will-topic", topic, "--will-payload", id + " is gone", "--will-qos", "1"}, extra...)
				p := e.start(t, "", "mosquitto_sub", args...)
				e.waitSubscribed(t, id, topic+"/trigger/"+name)
				return p, id
			}

			// Killed: the connection ends without DISCONNECT, so the will is
			// published [MQTT-3.1.2-8].
			obs := observe("killed")
			w, id := willer("killed")
			if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			obs.wait(t)
			if got := obs.messages(t); len(got) != 1 || got[0] != (mosqMsg{topic, 1, false, id + " is gone"}) {
				t.Fatalf("observer got %+v, want the will of the killed client", got)
			}

			// Exits normally after one message: DISCONNECT deletes the will
			// [MQTT-3.1.2-10].
			obs = observe("normal")
			w, id = willer("normal", "-C", "1")
			e.run(t, "", "mosquitto_pub", "-V", mv.flag, "-t", topic+"/trigger/normal", "-m", "stop")
			if code := w.wait(t); code != 0 {
				t.Fatalf("mosquitto_sub exited with %d: %s", code, w.errb.String())
			}
			pahoWaitFor(t, id+" gone", func() bool {
				e.b.mu.Lock()
				defer e.b.mu.Unlock()
				return e.b.sessions[id] == nil
			})
			e.run(t, "", "mosquitto_pub", "-V", mv.flag, "-t", topic, "-q", "1", "-m", "marker")
			obs.wait(t)
			if got := obs.messages(t); len(got) != 1 || got[0].payload != "marker" {
				t.Fatalf("observer got %+v, want only the marker: no will after a normal disconnect", got)
			}
		})
	}
}

// TestMosquittoPersistentSession: a client subscribes with a persistent
// session (-c) and goes away; QoS 1 messages published meanwhile arrive,
// in order, when it comes back [MQTT-3.1.2-4], [MQTT-4.6.0-6].
func TestMosquittoPersistentSession(t *testing.T) {
	t.Parallel()
	e := mosqStart(t, Options{})
	for _, mv := range mosqVersions {
		t.Run(mv.flag, func(t *testing.T) {
			t.Parallel()
			topic := "mosq/persistent/" + mv.flag
			id := "mosq-persist-" + mv.flag
			args := []string{"-V", mv.flag, "-c", "-i", id, "-q", "1", "-t", topic, "-F", mosqFormat}
			// -E: subscribe, then exit (with DISCONNECT; the session stays).
			e.run(t, "", "mosquitto_sub", append(args, "-E")...)
			pahoWaitOffline(t, e.b, id)
			e.run(t, "m1\nm2\nm3\nm4\nm5\n", "mosquitto_pub", "-V", mv.flag, "-t", topic, "-q", "1", "-l")
			sub := e.run(t, "", "mosquitto_sub", append(args, "-C", "5", "-W", "10")...)
			got := sub.messages(t)
			if len(got) != 5 {
				t.Fatalf("got %+v, want the 5 messages queued while away", got)
			}
			for i, m := range got {
				if want := (mosqMsg{topic, 1, false, fmt.Sprintf("m%d", i+1)}); m != want {
					t.Fatalf("message %d: %+v, want %+v", i, m, want)
				}
			}
		})
	}
}

func mosqIsNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// TestMosquittoSys checks the $SYS/broker statistics under the names
// mosquitto uses, and that clients cannot publish to $SYS.
func TestMosquittoSys(t *testing.T) {
	t.Parallel()
	e := mosqStart(t, Options{SysInterval: 50 * time.Millisecond, Version: "mqttlab test"})
	for _, mv := range mosqVersions {
		t.Run(mv.flag, func(t *testing.T) {
			t.Parallel()
			// The load averages come with the second round of statistics.
			pahoWaitFor(t, "load averages in $SYS", func() bool {
				return len(e.b.retained.match("$SYS/broker/load/connections/1min", e.b.now(), nil)) > 0
			})
			// Two seconds of $SYS/broker/#: the values are retained, so a
			// new subscriber gets each at once; live updates follow.
			sub := e.start(t, "", "mosquitto_sub", "-V", mv.flag, "-t", "$SYS/broker/#", "-W", "2", "-F", mosqFormat)
			if code := sub.wait(t); code != 0 && code != 27 { // 27: -W timed out
				t.Fatalf("mosquitto_sub exited with %d: %s", code, sub.errb.String())
			}
			values, retained := map[string]string{}, map[string]bool{}
			connected := 0 // the most any value of clients/connected said
			for _, m := range sub.messages(t) {
				if !strings.HasPrefix(m.topic, "$SYS/broker/") {
					t.Fatalf("$SYS/broker/# delivered %q", m.topic)
				}
				values[m.topic] = m.payload
				retained[m.topic] = retained[m.topic] || m.retain
				if n, err := strconv.Atoi(m.payload); err == nil && m.topic == "$SYS/broker/clients/connected" {
					connected = max(connected, n)
				}
			}
			topics := []string{"$SYS/broker/version", "$SYS/broker/uptime", "$SYS/broker/clients/connected",
				"$SYS/broker/subscriptions/count", "$SYS/broker/messages/received", "$SYS/broker/bytes/sent",
				"$SYS/broker/load/connections/1min"}
			for _, topic := range topics {
				if !retained[topic] {
					t.Errorf("%s: no retained value among %d topics received", topic, len(values))
				}
			}
			if v := values["$SYS/broker/version"]; v != "mqttlab test" {
				t.Errorf("$SYS/broker/version %q, want %q", v, "mqttlab test")
			}
			if v, ok := strings.CutSuffix(values["$SYS/broker/uptime"], " seconds"); !ok || !mosqIsNumber(v) {
				t.Errorf("$SYS/broker/uptime %q, want N seconds", values["$SYS/broker/uptime"])
			}
			for _, topic := range topics[2:] {
				if !mosqIsNumber(values[topic]) {
					t.Errorf("%s = %q, want a number", topic, values[topic])
				}
			}
			if connected < 1 {
				t.Errorf("$SYS/broker/clients/connected never said 1 or more while the subscriber was connected")
			}

			// A client's publish to $SYS is refused and never delivered,
			// retained or not.
			fake := "$SYS/broker/fake/" + mv.flag
			id := "mosq-sys-watch-" + mv.flag
			watch := e.start(t, "", "mosquitto_sub", "-V", mv.flag, "-i", id, "-t", fake, "-t", "$SYS/broker/version",
				"-t", "mosq/sys/marker/"+mv.flag, "-C", "2", "-W", "10", "-F", mosqFormat)
			e.waitSubscribed(t, id, fake)
			pub := e.start(t, "", "mosquitto_pub", "-V", mv.flag, "-t", fake, "-q", "1", "-m", "forged")
			pub.wait(t) // 5.0: refused with 0x87, which mosquitto_pub may report as an error
			pub = e.start(t, "", "mosquitto_pub", "-V", mv.flag, "-t", "$SYS/broker/version", "-q", "1", "-r", "-m", "forged")
			pub.wait(t)
			e.run(t, "", "mosquitto_pub", "-V", mv.flag, "-t", "mosq/sys/marker/"+mv.flag, "-q", "1", "-m", "marker")
			watch.wait(t)
			got := watch.messages(t)
			if len(got) != 2 || got[0] != (mosqMsg{"$SYS/broker/version", 0, true, "mqttlab test"}) || got[1].payload != "marker" {
				t.Fatalf("watcher got %+v, want the real retained version, then the marker", got)
			}
		})
	}
}
