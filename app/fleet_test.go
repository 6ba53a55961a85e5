package app

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/mqttlab/mqttlab/protocol/client"
)

func TestNumericFields(t *testing.T) {
	t.Parallel()
	fields := []fieldInfo{{Name: "temp"}, {Name: "position"}, {Name: "mode"}, {Name: "n"}}
	for _, tc := range []struct {
		format, payload string
		fields          []fieldInfo
		want            string
	}{
		{"json", `{"n":3,"mode":"heat","temp":21.5,"position":{"lat":48.1,"lon":11.5}}`, fields, "temp=21.5 position.lat=48.1 position.lon=11.5 n=3"},
		{"json", `not json`, fields, ""},
		{"plain", " 42.5\n", fields[:1], "temp=42.5"},
		{"plain", "open", fields[:1], ""},
		{"csv", `21.5,"x",7`, []fieldInfo{{Name: "a"}, {Name: "b"}, {Name: "c"}}, "a=21.5 c=7"},
		{"csv", `1,2`, []fieldInfo{{Name: "a"}, {Name: "b"}, {Name: "c"}}, ""},
		{"hex", "\x01\x02", fields, ""},
	} {
		f := &fleetInfo{Format: tc.format, Fields: tc.fields}
		var got []string
		for _, fv := range numericFields(f, []byte(tc.payload)) {
			got = append(got, fmt.Sprintf("%s=%g", fv.name, fv.v))
		}
		// Members of one nested object come in map order: compare sets.
		if g := strings.Join(got, " "); !sameWords(g, tc.want) {
			t.Errorf("%s %q: %q, want %q", tc.format, tc.payload, g, tc.want)
		}
	}
}

func sameWords(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	seen := map[string]int{}
	for _, w := range wa {
		seen[w]++
	}
	for _, w := range wb {
		if seen[w]--; seen[w] < 0 {
			return false
		}
	}
	return true
}

func TestTopicLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ filter, topic, want string }{
		{"building/+/thermostat/+/telemetry", "building/lobby/thermostat/1/telemetry", "lobby/1"},
		{"load/+", "load/42", "42"},
		{"fixed/topic", "fixed/topic", "fixed/topic"},
		{"a/+", "a/b/c", "a/b/c"},
	} {
		if got := topicLabel(tc.filter, tc.topic); got != tc.want {
			t.Errorf("topicLabel(%q, %q) = %q, want %q", tc.filter, tc.topic, got, tc.want)
		}
	}
}

// TestChartsBounded: the charts kept are the first in scenario order,
// whatever order the messages come in, with bounded lines and points.
func TestChartsBounded(t *testing.T) {
	t.Parallel()
	l := &fleetLive{statuses: map[string]string{}}
	var fleets []fleetInfo
	for i := range 10 {
		f := fleetInfo{Name: fmt.Sprintf("f%d", i), Filter: fmt.Sprintf("f%d/+", i), Format: "json"}
		for j := range 4 {
			f.Fields = append(f.Fields, fieldInfo{Name: fmt.Sprintf("v%d", j)})
		}
		fleets = append(fleets, f)
	}
	l.fleets = fleets
	payload := []byte(`{"v0":1,"v1":2,"v2":3,"v3":4}`)
	// The last fleets first, and more devices and points than kept.
	for i := 9; i >= 0; i-- {
		for d := range maxLines + 3 {
			for range maxPoints + 10 {
				l.onData(clientMessage(fmt.Sprintf("f%d/%d", i, d), payload))
			}
		}
	}
	_, views, _, _ := l.snapshot()
	if len(views) != maxCharts {
		t.Fatalf("%d charts, want %d", len(views), maxCharts)
	}
	for i, v := range views {
		if want := fmt.Sprintf("f%d/v%d", i/4, i%4); v.Fleet+"/"+v.Field != want {
			t.Fatalf("chart %d is %s/%s, want %s", i, v.Fleet, v.Field, want)
		}
		if len(v.Lines) != maxLines {
			t.Fatalf("%d lines", len(v.Lines))
		}
		for _, ln := range v.Lines {
			if len(ln.T) != maxPoints || len(ln.V) != maxPoints {
				t.Fatalf("%d points", len(ln.T))
			}
		}
	}
}

// TestChartSVG: the chart is one well-formed SVG element with a line per
// device, and the points of the window only.
func TestChartSVG(t *testing.T) {
	t.Parallel()
	now := int64(1_000_000_000)
	c := chartView{Fleet: "f<1>", Field: "temp", Lines: []lineView{
		{Label: "a", T: []int64{now - 200_000, now - 60_000, now}, V: []float64{100, 20, 21}},
		{Label: "b", T: []int64{now - 30_000}, V: []float64{22}},
		{Label: "c"},
	}}
	svg := chartSVG(c, now)
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<polyline") != 2 || !strings.Contains(svg, `aria-label="f&lt;1&gt; temp"`) {
		t.Fatalf("svg %s", svg)
	}
	if strings.Contains(svg, ">100<") || strings.Contains(svg, ">101<") {
		t.Errorf("a point before the window counted in the scale: %s", svg)
	}
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Errorf("not well-formed: %v\n%s", err, svg)
	}
	if empty := chartSVG(chartView{Field: "x"}, now); strings.Contains(empty, "<polyline") || xml.Unmarshal([]byte(empty), new(struct{})) != nil {
		t.Errorf("empty chart %s", empty)
	}
}

func clientMessage(topic string, payload []byte) *client.Message {
	return &client.Message{Topic: topic, Payload: payload}
}

func TestShort(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{152340.5: "152.3k", 2.5e6: "2.5M", -3e9: "-3.0G", 229.7: "230", 21.35: "21.4", 0.00123: "0.00123", 0: "0"} {
		if got := short(v); got != want {
			t.Errorf("short(%g) = %q, want %q", v, got, want)
		}
	}
}
