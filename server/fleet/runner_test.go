package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// runnerDoc is a small, fast scenario: a 5.0 fleet that takes commands and
// a 3.1.1 fleet, both with birth and will.
const runnerDoc = `name: rt
seed: 7
fleets:
  - name: th
    count: 3
    topic: rt/th/{index}/telemetry
    interval: 30ms
    qos: 1
    fields:
      temp: {model: random-walk, start: 20, min: 10, max: 30, step: 0.1, decimals: 1}
    commands:
      topic: rt/th/{index}/cmd
      reply_topic: rt/th/{index}/reply
      reboot_delay: 200ms
  - name: old
    count: 2
    version: "3.1.1"
    topic: rt/old/{index}/telemetry
    interval: 30ms
    fields:
      n: {model: counter}
`

// transports runs a test against both transports: in-process links and
// TCP connections through protocol/client.
func transports(t *testing.T, test func(t *testing.T, o Options, addr string)) {
	for _, name := range []string{"in-process", "tcp"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, addr := startBroker(t)
			o := Options{Broker: b}
			if name == "tcp" {
				o = Options{URL: "tcp://" + addr}
			}
			test(t, o, addr)
		})
	}
}

// TestRunnerPublishes: every device connects, leaves a retained online
// status, and publishes at its rate; a subscriber to # sees them all.
func TestRunnerPublishes(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, o Options, addr string) {
		w := watch(t, addr, "#", 1)
		r := startRunner(t, o, runnerDoc)
		topics := []string{"rt/th/1/telemetry", "rt/th/2/telemetry", "rt/th/3/telemetry", "rt/old/1/telemetry", "rt/old/2/telemetry"}
		w.waitFor(t, "three messages from each device and their births", func(ms []msg) bool {
			for _, tp := range topics {
				if count(ms, tp, "") < 3 || count(ms, strings.Replace(tp, "telemetry", "status", 1), "online") != 1 {
					return false
				}
			}
			return true
		})
		st := waitStats(t, r, "5 connected", func(s Stats) bool { return s.Total.Connected == 5 && s.Total.Published >= 15 })
		if st.Scenario != "rt" || !st.Running || len(st.Fleets) != 2 || st.Fleets[0].Devices != 3 || st.Total.Failed != 0 {
			t.Fatalf("stats %+v", st)
		}
		// A new subscriber gets the retained births.
		w2 := watch(t, addr, "rt/+/+/status", 0)
		w2.waitFor(t, "5 retained statuses", func(ms []msg) bool {
			n := 0
			for _, m := range ms {
				if m.retain && m.payload == "online" {
					n++
				}
			}
			return n == 5
		})
		// The payload is the scenario's.
		for _, m := range w.messages() {
			if m.topic == "rt/th/1/telemetry" {
				var v struct{ Temp float64 }
				if err := json.Unmarshal([]byte(m.payload), &v); err != nil || v.Temp < 10 || v.Temp > 30 {
					t.Fatalf("payload %q: %v", m.payload, err)
				}
			}
		}
		// Stop: every device says goodbye (offline) and disconnects.
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		w.waitFor(t, "5 offline statuses", func(ms []msg) bool {
			n := 0
			for _, m := range ms {
				if strings.HasSuffix(m.topic, "/status") && m.payload == "offline" {
					n++
				}
			}
			return n == 5
		})
		waitStats(t, r, "0 connected", func(s Stats) bool { return s.Total.Connected == 0 && !s.Running })
	})
}

// reply waits for a JSON reply on topic and decodes it.
func waitReply(t *testing.T, w *watcher, topic string, n int) Reply {
	t.Helper()
	ms := w.waitFor(t, fmt.Sprintf("reply %d on %s", n, topic), func(ms []msg) bool { return count(ms, topic, "") >= n })
	var got []msg
	for _, m := range ms {
		if m.topic == topic {
			got = append(got, m)
		}
	}
	var rep Reply
	if err := json.Unmarshal([]byte(got[n-1].payload), &rep); err != nil {
		t.Fatalf("reply %q: %v", got[n-1].payload, err)
	}
	return rep
}

// TestRunnerCommands: a device takes setpoint, interval, reboot and a bad
// command from MQTT, replies on its reply topic, and answers an MQTT 5.0
// request on the request's response topic with its correlation data.
func TestRunnerCommands(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, o Options, addr string) {
		w := watch(t, addr, "rt/th/2/#", 1)
		r := startRunner(t, o, runnerDoc)
		w.waitFor(t, "birth", func(ms []msg) bool { return count(ms, "rt/th/2/status", "online") == 1 })
		waitStats(t, r, "all connected", func(s Stats) bool { return s.Total.Connected == 5 })
		send := func(payload string) {
			publish(t, addr, &client.Message{Topic: "rt/th/2/cmd", Payload: []byte(payload), QoS: 1})
		}

		send(`{"cmd":"setpoint","value":25}`)
		if rep := waitReply(t, w, "rt/th/2/reply", 1); !rep.OK || rep.Cmd != "setpoint" || *rep.Setpoint != 25 || rep.Device != "th-002" {
			t.Fatalf("setpoint reply %+v", rep)
		}
		send("interval 100ms")
		if rep := waitReply(t, w, "rt/th/2/reply", 2); !rep.OK || rep.Interval != "100ms" {
			t.Fatalf("interval reply %+v", rep)
		}
		send("warp 9")
		if rep := waitReply(t, w, "rt/th/2/reply", 3); rep.OK || !strings.Contains(rep.Error, "unknown command") {
			t.Fatalf("bad command reply %+v", rep)
		}
		dp, err := r.Devices("th", 1, 1)
		if err != nil || len(dp.Devices) != 1 || dp.Devices[0].Interval != "100ms" || dp.Devices[0].ID != "th-002" {
			t.Fatalf("devices %+v, %v", dp, err)
		}

		// Reboot: goodbye (offline), then back (online) after 200ms.
		send("reboot")
		if rep := waitReply(t, w, "rt/th/2/reply", 4); !rep.OK || rep.BackIn != "200ms" {
			t.Fatalf("reboot reply %+v", rep)
		}
		w.waitFor(t, "offline then online again", func(ms []msg) bool {
			return count(ms, "rt/th/2/status", "offline") == 1 && count(ms, "rt/th/2/status", "online") == 2
		})

		// MQTT 5.0 request/response: the reply goes to the response topic
		// with the correlation data.
		c := connectClient(t, addr, "requester")
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		resp, err := c.Request(ctx, &client.Message{Topic: "rt/th/2/cmd", Payload: []byte(`{"cmd":"status"}`), QoS: 1})
		if err != nil {
			t.Fatal(err)
		}
		var rep Reply
		if err := json.Unmarshal(resp.Payload, &rep); err != nil || !rep.OK || rep.State != "online" || rep.Interval != "100ms" {
			t.Fatalf("status response %q: %v", resp.Payload, err)
		}
		if count(w.messages(), "rt/th/2/reply", "") != 4 {
			t.Fatal("a request with a response topic was also answered on the reply topic")
		}
		waitStats(t, r, "5 commands", func(s Stats) bool { return s.Fleets[0].Commands == 5 })
	})
}

// TestRunnerChurn: a device taken offline abruptly vanishes and the
// broker publishes its will; taken offline cleanly it says goodbye itself
// and the will does not fire. Both come back online.
func TestRunnerChurn(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, o Options, addr string) {
		w := watch(t, addr, "rt/+/+/status", 1)
		r := startRunner(t, o, runnerDoc)
		w.waitFor(t, "births", func(ms []msg) bool { return len(ms) == 5 })
		waitStats(t, r, "all connected", func(s Stats) bool { return s.Total.Connected == 5 })
		sentinel := func(n int) {
			publish(t, addr, &client.Message{Topic: "rt/x/x/status", Payload: []byte("sentinel"), QoS: 1})
			w.waitFor(t, "sentinel", func(ms []msg) bool { return count(ms, "rt/x/x/status", "sentinel") == n })
		}

		if err := r.Offline("old-001", true, time.Hour); err != nil {
			t.Fatal(err)
		}
		w.waitFor(t, "the will", func(ms []msg) bool { return count(ms, "rt/old/1/status", "offline") == 1 })
		waitStats(t, r, "4 connected", func(s Stats) bool { return s.Total.Connected == 4 })
		if err := r.Offline("old-001", true, 0); err == nil || !strings.Contains(err.Error(), "already offline") {
			t.Fatalf("offline twice: %v", err)
		}

		if err := r.Offline("th-003", false, 0); err != nil {
			t.Fatal(err)
		}
		w.waitFor(t, "the goodbye", func(ms []msg) bool { return count(ms, "rt/th/3/status", "offline") == 1 })
		sentinel(1)
		if n := count(w.messages(), "rt/th/3/status", "offline"); n != 1 {
			t.Fatalf("%d offline statuses after a clean disconnect: the will fired too", n)
		}

		for _, id := range []string{"old-001", "th-003"} {
			if err := r.Online(id); err != nil {
				t.Fatal(err)
			}
		}
		w.waitFor(t, "both back", func(ms []msg) bool {
			return count(ms, "rt/old/1/status", "online") == 2 && count(ms, "rt/th/3/status", "online") == 2
		})
		waitStats(t, r, "5 connected", func(s Stats) bool { return s.Total.Connected == 5 })
		if err := r.Offline("nobody", false, 0); !errors.Is(err, ErrNoDevice) {
			t.Fatalf("unknown device: %v", err)
		}
		if s := r.Stats(); s.Total.Failed != 0 || s.Total.Reconnects != 0 {
			t.Fatalf("churn counted as failure: %+v", s.Total)
		}
	})
}

// TestRunnerScale: a fleet grows and shrinks while running.
func TestRunnerScale(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, o Options, addr string) {
		w := watch(t, addr, "rt/old/#", 1)
		r := startRunner(t, o, runnerDoc)
		if err := r.Scale("old", 5); err != nil {
			t.Fatal(err)
		}
		w.waitFor(t, "5 devices publishing", func(ms []msg) bool {
			for i := 1; i <= 5; i++ {
				if count(ms, fmt.Sprintf("rt/old/%d/telemetry", i), "") == 0 {
					return false
				}
			}
			return true
		})
		waitStats(t, r, "8 connected", func(s Stats) bool { return s.Total.Connected == 8 && s.Fleets[1].Devices == 5 })
		if err := r.Scale("old", 1); err != nil {
			t.Fatal(err)
		}
		w.waitFor(t, "4 goodbyes", func(ms []msg) bool {
			for i := 2; i <= 5; i++ {
				if count(ms, fmt.Sprintf("rt/old/%d/status", i), "offline") != 1 {
					return false
				}
			}
			return true
		})
		st := waitStats(t, r, "4 connected", func(s Stats) bool { return s.Total.Connected == 4 })
		if st.Fleets[1].Devices != 1 || st.Total.Devices != 4 {
			t.Fatalf("stats after scaling down: %+v", st)
		}
		if p, _ := r.Devices("old", 0, 10); p.Total != 1 || len(p.Devices) != 1 {
			t.Fatalf("devices after scaling down: %+v", p)
		}
		for _, tc := range []struct {
			fleet string
			n     int
			want  string
		}{
			{"nope", 1, "no such fleet"},
			{"old", -1, "out of range"},
			{"old", scenario.MaxDevices, "out of range"},
		} {
			if err := r.Scale(tc.fleet, tc.n); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Scale(%q, %d): %v, want %q", tc.fleet, tc.n, err, tc.want)
			}
		}
	})
}

// TestRunnerScaleNeedsDistinctIDs: a fleet whose client ids come from a
// label cannot grow past its labels.
func TestRunnerScaleNeedsDistinctIDs(t *testing.T) {
	t.Parallel()
	b, _ := startBroker(t)
	r := startRunner(t, Options{Broker: b}, `name: l
fleets:
  - name: light
    count: 2
    labels: {room: [hall, kitchen]}
    client_id: light-{room}
    topic: home/{room}/light
    status: false
    fields: {on: {model: enum, values: [true, false]}}
`)
	if err := r.Scale("light", 3); err == nil || !strings.Contains(err.Error(), "client_id") {
		t.Fatalf("Scale: %v", err)
	}
	if err := r.Scale("light", 1); err != nil {
		t.Fatal(err)
	}
}

// TestRunnerReplace: a bad scenario is refused with its line and field and
// the running fleet goes on; a good one replaces it.
func TestRunnerReplace(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t)
	w := watch(t, addr, "#", 0)
	r := startRunner(t, Options{Broker: b}, runnerDoc)
	w.waitFor(t, "messages", func(ms []msg) bool { return count(ms, "rt/th/1/telemetry", "") > 0 })

	bad := strings.Replace(runnerDoc, "interval: 30ms\n    qos: 1", "intervall: 30ms\n    qos: 1", 1)
	err := r.Replace("edit.yaml", []byte(bad))
	var errs scenario.Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Line != 7 || errs[0].Path != "fleets[0].intervall" {
		t.Fatalf("bad scenario: %v", err)
	}
	if s, src := r.Scenario(); s.Name != "rt" || string(src) != runnerDoc || !r.Running() {
		t.Fatal("the bad scenario replaced the running one")
	}
	before := r.Stats().Total.Published
	waitStats(t, r, "publishes going on", func(s Stats) bool { return s.Total.Published > before+10 })

	good := strings.NewReplacer("name: rt", "name: rt2", "rt/", "rt2/").Replace(runnerDoc)
	if err := r.Replace("edit.yaml", []byte(good)); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "the new scenario's messages and the old one's goodbyes", func(ms []msg) bool {
		return count(ms, "rt2/th/1/telemetry", "") > 0 && count(ms, "rt/th/1/status", "offline") == 1
	})
	if st := r.Stats(); st.Scenario != "rt2" || !st.Running {
		t.Fatalf("stats %+v", st)
	}
}

// TestRunnerQoS1NoLoss: every data message the runner counts as published
// at QoS 1 reaches a QoS 1 subscriber, once.
func TestRunnerQoS1NoLoss(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t)
	w := watch(t, addr, "nl/#", 1)
	r := startRunner(t, Options{Broker: b}, `name: nl
fleets:
  - name: d
    count: 200
    topic: nl/{index}
    interval: 10ms
    qos: 1
    status: false
    fields: {n: {model: counter}}
`)
	waitStats(t, r, "2000 published", func(s Stats) bool { return s.Total.Published >= 2000 })
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := r.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	ms := w.waitFor(t, "every published message", func(ms []msg) bool { return uint64(len(ms)) >= st.Total.Published })
	if uint64(len(ms)) != st.Total.Published || st.Total.Failed != 0 {
		t.Fatalf("published %d, received %d, failed %d", st.Total.Published, len(ms), st.Total.Failed)
	}
	// Per device the counter goes up by one each message: nothing lost,
	// nothing twice.
	last := map[string]int{}
	for _, m := range ms {
		var v struct{ N int }
		json.Unmarshal([]byte(m.payload), &v)
		if prev, ok := last[m.topic]; ok && v.N != prev+1 {
			t.Fatalf("%s: %d after %d", m.topic, v.N, prev)
		}
		last[m.topic] = v.N
	}
}

// TestRunnerReconnects: devices whose broker goes away are counted failed
// and reconnect with back-off when it returns.
func TestRunnerReconnects(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, o Options, addr string) {
		o.RetryMin, o.RetryMax = 20*time.Millisecond, 100*time.Millisecond
		r := startRunner(t, o, runnerDoc)
		waitStats(t, r, "5 connected", func(s Stats) bool { return s.Total.Connected == 5 })
		// Take the client ids over from outside: the broker closes the
		// devices' connections, and they come back.
		for _, id := range []string{"th-001", "old-002"} {
			connectClient(t, addr, id)
		}
		st := waitStats(t, r, "2 reconnects and 5 connected", func(s Stats) bool {
			return s.Total.Reconnects >= 2 && s.Total.Failed >= 2 && s.Total.Connected == 5
		})
		if st.Total.Published == 0 || st.Fleets[0].LastError == "" {
			t.Fatalf("stats %+v", st)
		}
	})
}

// TestRunnerErrors: what the API refuses.
func TestRunnerErrors(t *testing.T) {
	t.Parallel()
	b, _ := startBroker(t)
	if _, err := NewRunner(Options{}); err == nil {
		t.Fatal("a runner without a broker")
	}
	if _, err := NewRunner(Options{URL: "http://x"}); err == nil {
		t.Fatal("an http URL accepted")
	}
	if _, err := NewRunner(Options{Broker: b, QoS: protocol.Some[protocol.QoS](3)}); err == nil {
		t.Fatal("QoS 3 accepted")
	}
	r, err := NewRunner(Options{Broker: b})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(); !errors.Is(err, ErrNoScenario) {
		t.Fatalf("Start without a scenario: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Start after Close: %v", err)
	}
	if err := r.Close(ctx); err != nil {
		t.Fatalf("Close twice: %v", err)
	}
}

// TestRunnerKeepAlive: an in-process device that publishes less often than
// its keep alive pings, so the broker never times it out (which would fire
// its will).
func TestRunnerKeepAlive(t *testing.T) {
	t.Parallel()
	b, addr := startBroker(t)
	w := watch(t, addr, "ka/#", 1)
	r := startRunner(t, Options{Broker: b}, `name: ka
fleets:
  - name: slow
    count: 2
    topic: ka/{index}/telemetry
    keepalive: 1s
    interval: 1h
    fields: {n: {model: counter}}
`)
	w.waitFor(t, "births", func(ms []msg) bool { return len(ms) == 2 })
	// Past 1.5 keep alives with nothing to publish: still connected, no will.
	time.Sleep(2500 * time.Millisecond)
	publish(t, addr, &client.Message{Topic: "ka/x", Payload: []byte("sentinel"), QoS: 1})
	ms := w.waitFor(t, "sentinel", func(ms []msg) bool { return count(ms, "ka/x", "") == 1 })
	if n := count(ms, "ka/1/status", "offline") + count(ms, "ka/2/status", "offline"); n != 0 {
		t.Fatalf("%d wills: the broker timed the devices out", n)
	}
	if st := r.Stats(); st.Total.Connected != 2 || st.Total.Failed != 0 {
		t.Fatalf("stats %+v", st.Total)
	}
}

// TestRunnerScenarioChurn: churn from the scenario itself. A device that
// drops leaves its will; one that disconnects says goodbye and its will
// does not fire; both come back after their offline time.
func TestRunnerScenarioChurn(t *testing.T) {
	t.Parallel()
	transports(t, func(t *testing.T, o Options, addr string) {
		w := watch(t, addr, "ch/+/+/status", 1)
		r := startRunner(t, o, `name: ch
fleets:
  - name: drop
    count: 2
    topic: ch/drop/{index}/telemetry
    interval: 50ms
    fields: {n: {model: counter}}
    churn: {after: 200ms, offline: 300ms, mode: drop, devices: [1]}
  - name: bye
    count: 2
    topic: ch/bye/{index}/telemetry
    interval: 50ms
    fields: {n: {model: counter}}
    churn: {after: 200ms, offline: 300ms, mode: disconnect, devices: [2]}
`)
		w.waitFor(t, "both churning devices gone and back", func(ms []msg) bool {
			return count(ms, "ch/drop/1/status", "offline") == 1 && count(ms, "ch/drop/1/status", "online") == 2 &&
				count(ms, "ch/bye/2/status", "offline") == 1 && count(ms, "ch/bye/2/status", "online") == 2
		})
		publish(t, addr, &client.Message{Topic: "ch/x/x/status", Payload: []byte("sentinel"), QoS: 1})
		ms := w.waitFor(t, "sentinel", func(ms []msg) bool { return count(ms, "ch/x/x/status", "sentinel") == 1 })
		for _, tc := range []struct {
			topic string
			want  int
		}{{"ch/drop/1/status", 1}, {"ch/bye/2/status", 1}, {"ch/drop/2/status", 0}, {"ch/bye/1/status", 0}} {
			if n := count(ms, tc.topic, "offline"); n != tc.want {
				t.Errorf("%s: %d offline statuses, want %d", tc.topic, n, tc.want)
			}
		}
		if st := r.Stats(); st.Total.Failed != 0 || st.Total.Reconnects != 0 {
			t.Errorf("churn counted as failure: %+v", st.Total)
		}
	})
}
