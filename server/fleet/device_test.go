package fleet

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

func TestLifecycle(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, "    interval: 10s\n    jitter: 1s\n    ramp: 5s\n", "      n: {model: counter}\n")
	d := NewDevice(f, 1)
	if !d.Due().IsZero() || d.State() != Stopped {
		t.Fatalf("a new device is due at %v in state %s; want never, stopped", d.Due(), d.State())
	}
	if act, _ := d.Tick(t0, nil); act != ActionNone {
		t.Fatalf("Tick of a stopped device = %s", act)
	}
	d.Start(t0)
	if due := d.Due(); due.Before(t0) || due.After(t0.Add(5*time.Second)) {
		t.Fatalf("first connect due %v, want within the 5s ramp", due)
	}
	if act, _ := d.Tick(t0.Add(-time.Second), nil); act != ActionNone {
		t.Fatalf("Tick before due = %s, want none", act)
	}
	es := drive(t, d, t0.Add(2*time.Minute), 100)
	if es[0].act != ActionConnect || d.State() != Online {
		t.Fatalf("first event %v, state %s; want connect, online", es[0], d.State())
	}
	ps := es[1:]
	if len(ps) < 10 {
		t.Fatalf("only %d publishes in 2 minutes at 10s", len(ps))
	}
	for i, e := range ps {
		if e.act != ActionPublish || e.topic != "t/2" || e.payload != `{"n":`+strconv.Itoa(i)+`}` {
			t.Fatalf("event %d = %v", i, e)
		}
		if i > 0 {
			if gap := e.at.Sub(ps[i-1].at); gap < 9*time.Second || gap > 11*time.Second {
				t.Errorf("interval %v outside 10s ± 1s", gap)
			}
		}
	}
	if d.Sent() != uint32(len(ps)) {
		t.Errorf("Sent = %d, want %d", d.Sent(), len(ps))
	}
	d.Stop()
	if !d.Due().IsZero() {
		t.Error("a stopped device is still due")
	}
}

func TestLateSchedulerSkipsMissedPublishes(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, "    interval: 10s\n", "      n: {model: counter}\n")
	d := NewDevice(f, 0)
	d.Start(t0)
	d.Tick(t0, nil) // connect
	first := d.Due()
	late := first.Add(time.Hour)
	act, m := d.Tick(late, nil)
	if act != ActionPublish || string(m.Payload) != `{"n":0}` {
		t.Fatalf("late tick = %s %s", act, m.Payload)
	}
	if next := d.Due(); !next.After(late) || next.Sub(late) > 10*time.Second {
		t.Errorf("after a tick an hour late the next publish is due %v; want within an interval of %v", next, late)
	}
	if act, _ := d.Tick(late, nil); act != ActionNone {
		t.Errorf("a second tick at the same time = %s, want none (no burst)", act)
	}
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	run := func(seed string) []string {
		s := load(t, strings.Replace(demoLike, "seed: 5", "seed: "+seed, 1))
		var out []string
		for _, f := range s.Fleets {
			for _, d := range NewDevices(f) {
				d.Start(t0)
				out = append(out, publishes(drive(t, &d, t0.Add(time.Minute), 200))...)
			}
		}
		return out
	}
	a, b, c := run("5"), run("5"), run("6")
	if len(a) < 50 {
		t.Fatalf("only %d publishes", len(a))
	}
	if !slices.Equal(a, b) {
		t.Error("the same seed gave different payloads")
	}
	if slices.Equal(a, c) {
		t.Error("another seed gave the same payloads")
	}
	// Devices of one fleet differ from each other.
	f := load(t, demoLike).Fleets[0]
	x, y := NewDevice(f, 0), NewDevice(f, 1)
	x.Start(t0)
	y.Start(t0)
	if slices.Equal(publishes(drive(t, x, t0.Add(time.Minute), 100)), publishes(drive(t, y, t0.Add(time.Minute), 100))) {
		t.Error("two devices of a fleet published the same values")
	}
}

const demoLike = `
name: d
seed: 5
fleets:
  - name: th
    count: 3
    topic: b/{index}
    interval: 2s
    jitter: 10%
    ramp: 1s
    fields:
      temp: {model: sine, period: 1h, amplitude: 2, offset: 21, noise: 0.1, phase: random, decimals: 2}
      hum: {model: random-walk, start: 50, spread: 5, min: 0, max: 100, step: 1, decimals: 2}
      state: {model: enum, values: [a, b, c]}
      pos: {model: gps, speed: 2, waypoints: [[48, 11], [48.01, 11.01]]}
      v:
        model: counter
        step: 1
        step_max: 3
        faults:
          spikes: {probability: 0.2, magnitude: 100}
          gaps: 0.2
          stuck: {probability: 0.1, for: 5s}
`

func TestSessionPackets(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, `    client_id: dev-{index:02}
    username: u-{index}
    password: secret
    keepalive: 30s
    session: {clean: false, expiry: 1h}
    labels: {zone: [n, s]}
    status:
      online: '{"up":true,"zone":"{zone}"}'
      will_delay: 5s
    commands:
      topic: c/{index}
      broadcast: c/all
      qos: 2
`, "      n: 1\n")
	d := NewDevice(f, 1)
	c := d.Connect()
	if c.ClientID != "dev-02" || c.Version != protocol.V5 || c.CleanStart || c.KeepAlive != 30 ||
		c.Props.SessionExpiry.Or(0) != 3600 || c.Username.Or("") != "u-2" || string(c.Password.Value) != "secret" {
		t.Errorf("Connect = %+v", c)
	}
	if _, err := c.AppendTo(nil); err != nil {
		t.Errorf("CONNECT does not encode: %v", err)
	}
	w := c.Will
	if w == nil || w.Topic != "t/2/status" || string(w.Payload) != "offline" || !w.Retain || w.QoS != 1 || w.Props.WillDelay.Or(0) != 5 {
		t.Errorf("Will = %+v", w)
	}
	b, ok := d.Birth(nil)
	if !ok || string(b.Topic) != "t/2/status" || string(b.Payload) != `{"up":true,"zone":"s"}` || !b.Retain || b.Format != scenario.JSON {
		t.Errorf("Birth = %s %s retain %v format %s", b.Topic, b.Payload, b.Retain, b.Format)
	}
	g, ok := d.Goodbye(nil)
	if !ok || string(g.Payload) != "offline" || g.Format != scenario.Plain {
		t.Errorf("Goodbye = %s %s", g.Topic, g.Payload)
	}
	subs := d.Subscriptions()
	if len(subs) != 2 || subs[0].Filter != "c/2" || subs[1].Filter != "c/all" || subs[0].QoS != 2 {
		t.Errorf("Subscriptions = %+v", subs)
	}
	p := b.Publish(f.Version)
	if p.Props.ContentType.Or("") != "application/json" || p.Props.PayloadFormat.Or(0) != 1 {
		t.Errorf("birth PUBLISH props = %+v", p.Props)
	}

	quiet := oneFleet(t, "    version: \"3.1.1\"\n    status: false\n", "      n: 1\n")
	q := NewDevice(quiet, 0)
	if q.Will() != nil || q.Subscriptions() != nil {
		t.Error("a fleet without status or commands has a will or subscriptions")
	}
	if _, ok := q.Birth(nil); ok {
		t.Error("a fleet without status has a birth message")
	}
	if c := q.Connect(); c.Version != protocol.V311 || !c.CleanStart || c.Props.SessionExpiry.Present {
		t.Errorf("3.1.1 Connect = %+v", c)
	}
}

func TestTickDoesNotAllocate(t *testing.T) {
	for _, name := range scenario.BuiltinNames() {
		s, err := scenario.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range s.Fleets {
			d := NewDevice(f, 0)
			d.Start(t0)
			buf := make([]byte, 0, 1024)
			now := t0
			allocs := testing.AllocsPerRun(200, func() {
				now = d.Due()
				_, m := d.Tick(now, buf)
				buf = m.Buf
			})
			if allocs != 0 {
				t.Errorf("%s/%s: Tick allocates %.1f times per call", name, f.Name, allocs)
			}
		}
	}
}

func TestSnapshot(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, "    commands: {topic: \"c/{index}\"}\n", "      temp: {model: random-walk, start: 20, min: 0, max: 40, step: 0.5, decimals: 1, unit: °C}\n      ts: {model: timestamp}\n")
	d := NewDevice(f, 0)
	s := d.Snapshot()
	if s.ClientID != "f-001" || s.Readings[0].Value != "" || s.Readings[1].Value != "" || !s.LastSent.IsZero() {
		t.Errorf("snapshot before any reading = %+v", s)
	}
	d.Start(t0)
	es := drive(t, d, t0.Add(30*time.Second), 100)
	last := es[len(es)-1]
	HandleSetpoint(t, d, "setpoint 25")
	s = d.Snapshot()
	if s.State != Online || s.Sent == 0 || !s.LastSent.Equal(last.at) {
		t.Errorf("snapshot = %+v, last publish at %v", s, last.at)
	}
	if !strings.Contains(last.payload, `"temp":`+s.Readings[0].Value+",") || s.Readings[0].Unit != "°C" {
		t.Errorf("last temp %q (unit %q) not in the last payload %s", s.Readings[0].Value, s.Readings[0].Unit, last.payload)
	}
	if s.Readings[0].Target == nil || *s.Readings[0].Target != 25 {
		t.Errorf("target after setpoint 25 = %v", s.Readings[0].Target)
	}
	if want := last.at.UTC().Format("2006-01-02T15:04:05.000Z07:00"); s.Readings[1].Value != want {
		t.Errorf("last timestamp = %q, want %q", s.Readings[1].Value, want)
	}
}

// HandleSetpoint sends a plain command and fails on an error.
func HandleSetpoint(t *testing.T, d *Device, cmd string) {
	t.Helper()
	if _, _, err := d.HandleCommand(t0, &protocol.Publish{Payload: []byte(cmd)}); err != nil {
		t.Fatal(err)
	}
}

func TestNewDevicesShareOneSlab(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, "", "      a: {model: sine, period: 1m}\n      b: {model: counter}\n")
	devs := NewDevices(f)
	if len(devs) != 3 {
		t.Fatalf("%d devices", len(devs))
	}
	for i := range devs {
		if devs[i].Index() != i || len(devs[i].slots) != 1+3+1+1 || cap(devs[i].slots) != len(devs[i].slots) {
			t.Errorf("device %d: index %d, %d slots (cap %d)", i, devs[i].Index(), len(devs[i].slots), cap(devs[i].slots))
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("NewDevice with an index out of range did not panic")
		}
	}()
	NewDevice(f, 3)
}
