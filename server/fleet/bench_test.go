package fleet

import (
	"runtime"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/server/fleet/scenario"
)

// benchFleet returns the named fleet of a built-in scenario.
func benchFleet(b *testing.B, scen, fleet string) *scenario.Fleet {
	b.Helper()
	s, err := scenario.Builtin(scen)
	if err != nil {
		b.Fatal(err)
	}
	f := s.Fleet(fleet)
	if f == nil {
		b.Fatalf("no fleet %s in %s", fleet, scen)
	}
	return f
}

// BenchmarkTick measures one publish: values generated and payload
// formatted into a reused buffer.
func BenchmarkTick(b *testing.B) {
	for _, c := range []struct{ scen, fleet string }{
		{"load", "load"},          // JSON, random walk + counter
		{"demo", "thermostat"},    // JSON, sine + walk + enum + timestamp
		{"demo", "robot"},         // JSON with a GPS track
		{"factory", "cnc"},        // nested JSON, 6 fields with spikes
		{"factory", "plc"},        // hex frames
		{"factory", "energy"},     // CSV
		{"smart-home", "weather"}, // nested JSON with templates
	} {
		b.Run(c.scen+"/"+c.fleet, func(b *testing.B) {
			d := NewDevice(benchFleet(b, c.scen, c.fleet), 0)
			d.Start(t0)
			d.Tick(t0, nil)
			buf := make([]byte, 0, 512)
			now := t0
			step := d.fleet.Interval
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				now = now.Add(step)
				act, m := d.Tick(now, buf)
				if act == ActionPublish {
					size = len(m.Payload)
				}
				buf = m.Buf
			}
			b.ReportMetric(float64(size), "payload-bytes")
		})
	}
}

// BenchmarkDeviceMemory reports the heap bytes per device of the load
// scenario (100,000 devices created with NewDevices).
func BenchmarkDeviceMemory(b *testing.B) {
	f := benchFleet(b, "load", "load")
	var perDevice float64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		devs := NewDevices(f)
		runtime.ReadMemStats(&after)
		perDevice = float64(after.TotalAlloc-before.TotalAlloc) / float64(len(devs))
		runtime.KeepAlive(devs)
	}
	b.ReportMetric(perDevice, "bytes/device")
}

// BenchmarkFleetMinute runs all 100,000 devices of the load scenario
// through one simulated minute (about 600,000 publishes), the work a
// runner's scheduler would hand the engine.
func BenchmarkFleetMinute(b *testing.B) {
	f := benchFleet(b, "load", "load")
	devs := NewDevices(f)
	for i := range devs {
		devs[i].Start(t0)
	}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	start := t0
	published := 0
	for b.Loop() {
		end := start.Add(time.Minute)
		for i := range devs {
			d := &devs[i]
			for {
				due := d.Due()
				if due.After(end) {
					break
				}
				act, m := d.Tick(due, buf)
				buf = m.Buf
				if act == ActionPublish {
					published++
				}
			}
		}
		start = end
	}
	b.ReportMetric(float64(published)/float64(b.N), "publishes/op")
}

// BenchmarkLoad measures loading the demo scenario.
func BenchmarkLoad(b *testing.B) {
	src, _ := scenario.BuiltinSource("demo")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenario.Load("demo.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}
