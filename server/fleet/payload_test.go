package fleet

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// firstPublish starts device 0 of f and returns its first publish.
func firstPublish(t *testing.T, keys, fields string) (Action, string, time.Time) {
	t.Helper()
	d := NewDevice(oneFleet(t, keys, fields), 0)
	d.Start(t0)
	d.Tick(t0, nil) // connect
	at := d.Due()
	act, m := d.Tick(at, make([]byte, 0, 8))
	return act, string(m.Payload), at
}

func TestPayloadFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, keys, fields string
		want               func(at time.Time) string
	}{
		{"json nesting, escaping, types", "", `      a.b: 1
      a.c: {model: counter, start: 5}
      s: 'x"y {fleet}'
      e: {model: enum, values: [true]}
      ts: {model: timestamp, format: unix-ms}
      neg: {model: counter, start: -0.001, step: 1, decimals: 2}
      big: {model: constant, value: 2.50, decimals: 2}
      pos: {model: gps, speed: 0.001, spread: false, waypoints: [[48, 11], [49, 11]]}
`, func(at time.Time) string {
			return `{"a":{"b":1,"c":5},"s":"x\"y f","e":true,"ts":` + strconv.FormatInt(at.UnixMilli(), 10) +
				`,"neg":0.00,"big":2.50,"pos":{"lat":48.000000,"lon":11.000000,"heading":0.0}}`
		}},
		{"json timestamp", "", "      ts: {model: timestamp}\n", func(at time.Time) string {
			return `{"ts":"` + at.UTC().Format("2006-01-02T15:04:05.000Z") + `"}`
		}},
		{"csv quoting", "    format: csv\n", `      a: "hello, world"
      b: 'say "hi"'
      c: {model: counter, start: 1}
      ts: {model: timestamp, format: unix}
      pos: {model: gps, speed: 1, spread: false, decimals: 2, waypoints: [[48, 11], [49, 11]]}
`, func(at time.Time) string {
			return `"hello, world","say ""hi""",1,` + strconv.FormatInt(at.Unix(), 10) + `,48.00,11.00,0.0`
		}},
		{"plain", "    format: plain\n", "      v: {model: step, schedule: [{at: 0s, value: 7.25}], decimals: 1}\n",
			func(time.Time) string { return "7.2" }},
		{"plain enum", "    format: plain\n", "      v: {model: enum, values: [open]}\n",
			func(time.Time) string { return "open" }},
		{"hex", "    format: hex\n", `      h: {model: constant, hex: "a5 01"}
      t: {model: constant, value: 21.5, encode: i16, scale: 10}
      le: {model: constant, value: 4660, encode: u16le}
      neg: {model: constant, value: -2, encode: i8}
      sat: {model: constant, value: 300, encode: u8}
      e: {model: enum, values: [a]}
      num: {model: enum, values: [7]}
      f: {model: constant, value: 1.5}
      d: {model: constant, value: 1.5, encode: f64le}
      c: {model: counter, start: 65536}
      s: "ok"
      pos: {model: gps, speed: 0.001, spread: false, waypoints: [[48, 11], [49, 11]]}
`, func(time.Time) string {
			return hex.EncodeToString([]byte("\xa5\x01")) + "00d7" + "3412" + "fe" + "ff" + "00" + "07" + "3fc00000" +
				"000000000000f83f" + "00010000" + hex.EncodeToString([]byte("ok")) +
				"1c9c3801" /* 48°, and 1 cm north by the first publish */ + "068e7780" + "0000"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			act, payload, at := firstPublish(t, tc.keys, tc.fields)
			if strings.Contains(tc.keys, "hex") {
				payload = hex.EncodeToString([]byte(payload))
			}
			if want := tc.want(at); act != ActionPublish || payload != want {
				t.Errorf("%s payload\n got %s\nwant %s", act, payload, want)
			}
			if strings.HasPrefix(payload, "{") && !json.Valid([]byte(payload)) {
				t.Errorf("invalid JSON: %s", payload)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	t.Parallel()
	act, payload, _ := firstPublish(t, "", "      a: 1\n      g.x: {model: counter, faults: {gaps: 1}}\n      b: 2\n")
	if act != ActionPublish || payload != `{"a":1,"g":{},"b":2}` {
		t.Errorf("json with a missing reading: %s %s", act, payload)
	}
	act, payload, _ = firstPublish(t, "    format: csv\n", "      a: 1\n      x: {model: counter, faults: {gaps: 1}}\n      b: 2\n")
	if act != ActionPublish || payload != `1,,2` {
		t.Errorf("csv with a missing reading: %s %s", act, payload)
	}
	d := NewDevice(oneFleet(t, "    format: plain\n", "      x: {model: counter, faults: {gaps: 1}}\n"), 0)
	d.Start(t0)
	d.Tick(t0, nil)
	due := d.Due()
	if act, _ := d.Tick(due, nil); act != ActionNone || !d.Due().After(due) {
		t.Errorf("plain with its only reading missing: %s, next due %v after %v", act, d.Due(), due)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	f := oneFleet(t, "    interval: 1s\n", `      spiky:
        model: random-walk
        start: 20
        min: 19
        max: 21
        step: 0.1
        faults: {spikes: {probability: 0.1, magnitude: 50}}
      stuck:
        model: counter
        faults: {stuck: {probability: 0.05, for: 10s}}
`)
	d := NewDevice(f, 0)
	d.Start(t0)
	spikes, repeats, n := 0, 0, 0
	prev := -1.0
	for _, p := range publishes(drive(t, d, t0.Add(2*time.Hour), 10_000)) {
		var v struct{ Spiky, Stuck float64 }
		if err := json.Unmarshal([]byte(p), &v); err != nil {
			t.Fatal(err)
		}
		if v.Spiky < 19 || v.Spiky > 21 {
			if v.Spiky < 19+25-1 && v.Spiky > 21-25+1 {
				t.Fatalf("spike to %g is less than half the magnitude away", v.Spiky)
			}
			spikes++
		}
		if v.Stuck == prev {
			repeats++
		}
		prev = v.Stuck
		n++
	}
	if r := float64(spikes) / float64(n); r < 0.08 || r > 0.12 {
		t.Errorf("spikes in %.3f of %d readings, want about 0.1", r, n)
	}
	// Each freeze (p 0.05) repeats the value for about 10 readings.
	if r := float64(repeats) / float64(n); r < 0.2 || r > 0.5 {
		t.Errorf("a stuck counter repeated itself in %.3f of readings, want about a third", r)
	}
}

func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{`q"b\`, `"q\"b\\"`},
		{"tab\tnl\n", `"tab\u0009nl\n"`},
		{"ünï", `"ünï"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
	} {
		b := append([]byte("pre:"), c.in...)
		if got := string(appendJSONString(b, 4)); got != "pre:"+c.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", c.in, got[4:], c.want)
		}
		var back string
		if err := json.Unmarshal([]byte(c.want), &back); err != nil {
			t.Errorf("%s is not JSON: %v", c.want, err)
		}
	}
}
