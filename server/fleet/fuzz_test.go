package fleet

import (
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// FuzzScenario checks that no scenario file makes Load panic, and that a
// scenario Load accepts runs and takes commands without panicking.
func FuzzScenario(f *testing.F) {
	for _, name := range scenario.BuiltinNames() {
		src, _ := scenario.BuiltinSource(name)
		if name != "load" {
			f.Add(src)
		}
	}
	f.Add([]byte(demoLike))
	f.Add([]byte("name: t\nfleets:\n  - name: f\n    topic: a/{index}\n    format: hex\n    fields: {h: {model: constant, hex: ff}, v: {model: counter, encode: i16le}}\n"))
	f.Add([]byte("name: t\nfleets:\n  - name: f\n    topic: a/{index}\n    format: csv\n    churn: {probability: 0.5, offline: [1s, 2s]}\n    fields: {v: 'a,\"b'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Load("fuzz.yaml", data)
		if err != nil {
			if len(err.Error()) == 0 {
				t.Fatal("empty error")
			}
			return
		}
		budget := 2000
		for _, fl := range s.Fleets {
			for _, i := range []int{0, fl.Count - 1} {
				d := NewDevice(fl, i)
				d.Start(t0)
				d.Connect()
				d.Birth(nil)
				d.Goodbye(nil)
				d.Subscriptions()
				buf := make([]byte, 0, 64)
				for range 20 {
					if budget--; budget < 0 {
						return
					}
					due := d.Due()
					if due.IsZero() {
						break
					}
					_, m := d.Tick(due, buf)
					buf = m.Buf
				}
				d.HandleCommand(t0.Add(time.Hour), &protocol.Publish{Payload: []byte("status")})
				d.HandleCommand(t0.Add(time.Hour), &protocol.Publish{Payload: []byte("setpoint 1")})
				d.Snapshot()
			}
		}
	})
}

// FuzzCommand checks that no command payload makes a device panic, and
// that a rejected command leaves the device's schedule alone.
func FuzzCommand(f *testing.F) {
	for _, c := range []string{
		`{"cmd":"setpoint","value":22.5}`, "setpoint temp 21", "interval 2s", `{"cmd":"interval","value":1e308}`,
		"offline 30s drop", "reboot", "online", "status", `{"cmd":"offline","for":-5}`, "", "\xff", `{"cmd":"setpoint","value":"NaN"}`,
	} {
		f.Add([]byte(c))
	}
	fl := load(f, "name: t\nseed: 1\nfleets:\n  - name: f\n    topic: t/{index}\n    commands: {topic: 'c/{index}', reply_topic: 'r/{index}'}\n    fields:\n"+thermoFields).Fleets[0]
	f.Fuzz(func(t *testing.T, payload []byte) {
		d := NewDevice(fl, 0)
		d.Start(t0)
		d.Tick(t0, nil)
		due := d.Due()
		reply, act, err := d.HandleCommand(t0, &protocol.Publish{Payload: payload})
		if reply == nil {
			t.Fatal("no reply although the fleet has a reply topic")
		}
		if err != nil && (act != ActionNone || !d.Due().Equal(due)) {
			t.Fatalf("rejected command %q changed the device: %s, due %v → %v", payload, act, due, d.Due())
		}
		if d.Interval() < MinCommandInterval && d.Interval() != fl.Interval {
			t.Fatalf("interval %v", d.Interval())
		}
		d.Tick(d.Due(), nil)
	})
}
