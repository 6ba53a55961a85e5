package store

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		payload string
		want    string // name=value, space-separated
	}{
		{"21.5", "=21.5"},
		{" -3e2\n", "=-300"},
		{"4200,152340.5, 230", "#1=4200 #2=152340.5 #3=230"},
		{"1,2,3,4,5", "#1=1 #2=2 #3=3 #4=4"}, // SparkFields at most
		{`{"temperature_c":21.5,"mode":"idle","humidity_pct":45}`, "temperature_c=21.5 humidity_pct=45"},
		{`{"battery":{"voltage_v":3.01},"t":1}`, "battery.voltage_v=3.01 t=1"},
		{`{ "a" : { "b" : { } , "c" : 2 } , "d" : -0.5e1 }`, "a.c=2 d=-5"},
		{`{"xs":[1,2,{"y":3}],"z":4,"ok":true,"n":null}`, "z=4"},
		{`{"a":1,"b":2,"c":3,"d":4,"e":5}`, "a=1 b=2 c=3 d=4"},
		{`{"k\"ey":1}`, `k\"ey=1`},
		// Not numeric: nothing.
		{"", ""},
		{"online", ""},
		{"true", ""},
		{"NaN", ""},
		{"1e999", ""},
		{"0x1p4", ""},
		{"1,two", ""},
		{"1,", ""},
		{`[1,2]`, ""},
		{`{"a":1`, ""},
		{`{"a":1}x`, ""},
		{`{"a":1}{"b":2}`, ""},
		{`{"a":1,}`, ""},
		{`{"a":tru}`, ""},
		{`{"a":"unterminated}`, ""},
		{`{"a":1e999}`, ""},
		{strings.Repeat(`{"a":`, 20) + "1" + strings.Repeat("}", 20), ""}, // too deep
		{"1" + strings.Repeat(" ", numbersMaxPayload), ""},                // too large
	} {
		var got []string
		for _, f := range Numbers(nil, []byte(tc.payload)) {
			got = append(got, fmt.Sprintf("%s=%g", f.Name, f.Value))
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("Numbers(%.40q) = %q, want %q", tc.payload, s, tc.want)
		}
	}
}

func TestTopicTreeSparklines(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(100)
	at := time.Unix(1000, 0)
	for i := range SparkValues + 5 {
		tr.Add("room/temp", fmt.Appendf(nil, "%d", i), false, at)
		tr.Add("room/climate", fmt.Appendf(nil, `{"t":%d,"h":%d,"s":"x"}`, i, 100+i), false, at)
	}
	tr.Add("room/state", []byte("open"), false, at)
	rows := rowsByPath(tr.View(TreeQuery{Limit: 100}))

	// The newest SparkValues values, oldest first.
	r := rows["room/temp"]
	if len(r.Spark) != SparkValues || r.Spark[0] != 5 || r.Spark[SparkValues-1] != SparkValues+4 || r.Field != "" || r.Fields != nil {
		t.Errorf("room/temp: spark %v field %q fields %q", r.Spark, r.Field, r.Fields)
	}
	// The first field unless another is chosen; every field is named.
	r = rows["room/climate"]
	if r.Field != "t" || r.Spark[SparkValues-1] != SparkValues+4 || fmt.Sprint(r.Fields) != "[t h]" {
		t.Errorf("room/climate: field %q spark %v fields %q", r.Field, r.Spark, r.Fields)
	}
	for _, tc := range []struct{ choose, field string }{{"h", "h"}, {"nope", "t"}} {
		v := tr.View(TreeQuery{Limit: 100, Fields: map[string]string{"room/climate": tc.choose}})
		if r := rowsByPath(v)["room/climate"]; r.Field != tc.field {
			t.Errorf("choosing %q shows %q", tc.choose, r.Field)
		}
	}
	if r := rows["room/state"]; r.Spark != nil || rows["room"].Spark != nil {
		t.Errorf("text payloads or levels without messages have a sparkline: %v", r.Spark)
	}

	// A payload that is not a number ends the series.
	tr.Add("room/temp", []byte("offline"), false, at)
	if r := rowsByPath(tr.View(TreeQuery{Limit: 100}))["room/temp"]; r.Spark != nil {
		t.Errorf("a sparkline stays after a text payload: %v", r.Spark)
	}
	// At most SparkFields fields, the first ones seen.
	tr.Add("many", []byte(`{"a":1,"b":2}`), false, at)
	tr.Add("many", []byte(`{"c":3,"d":4,"e":5,"a":6}`), false, at)
	if r := rowsByPath(tr.View(TreeQuery{Limit: 100}))["many"]; fmt.Sprint(r.Fields, r.Spark) != "[a b c d] [1 6]" {
		t.Errorf("many: fields %q spark %v, want [a b c d] [1 6]", r.Fields, r.Spark)
	}
}

func TestTopicTreeSearch(t *testing.T) {
	t.Parallel()
	tr := NewTopicTree(100)
	at := time.Unix(1000, 0)
	for _, topic := range []string{"building/lobby/door/1/state", "building/lobby/co2/1/telemetry", "building/Office/door/2/state", "building", "garden/temp"} {
		tr.Add(topic, []byte("1"), false, at)
	}
	paths := func(v TreeView) string {
		var p []string
		for _, r := range v.Rows {
			p = append(p, r.Path)
		}
		return strings.Join(p, " ")
	}
	for _, tc := range []struct {
		search string
		rows   string
		found  int
	}{
		{"", "building building/Office building/Office/door building/Office/door/2 building/Office/door/2/state " +
			"building/lobby building/lobby/co2 building/lobby/co2/1 building/lobby/co2/1/telemetry " +
			"building/lobby/door building/lobby/door/1 building/lobby/door/1/state garden garden/temp", 0},
		// The topics that contain the text and the levels above them.
		{"door", "building building/Office building/Office/door building/Office/door/2 building/Office/door/2/state " +
			"building/lobby building/lobby/door building/lobby/door/1 building/lobby/door/1/state", 2},
		// Case does not matter; a level matches with all below it.
		{"OFFICE", "building building/Office building/Office/door building/Office/door/2 building/Office/door/2/state", 1},
		{"lobby/co2", "building building/lobby building/lobby/co2 building/lobby/co2/1 building/lobby/co2/1/telemetry", 1},
		{"building", "building building/Office building/Office/door building/Office/door/2 building/Office/door/2/state " +
			"building/lobby building/lobby/co2 building/lobby/co2/1 building/lobby/co2/1/telemetry " +
			"building/lobby/door building/lobby/door/1 building/lobby/door/1/state", 4},
		{"nothing", "", 0},
	} {
		v := tr.View(TreeQuery{Search: tc.search, Limit: 100})
		if got := paths(v); got != tc.rows || v.Found != tc.found || v.Topics != 5 {
			t.Errorf("search %q: rows %q, found %d of %d; want %q, %d of 5", tc.search, got, v.Found, v.Topics, tc.rows, tc.found)
		}
	}
	// The row limit and collapsed branches count what the search leaves.
	v := tr.View(TreeQuery{Search: "door", Limit: 3})
	if len(v.Rows) != 3 || v.Hidden != 6 {
		t.Errorf("limit 3: %d rows, %d hidden; want 3 and 6", len(v.Rows), v.Hidden)
	}
	v = tr.View(TreeQuery{Search: "door", Collapsed: map[string]bool{"building/lobby": true}, Limit: 100})
	if len(v.Rows) != 6 || v.Found != 2 {
		t.Errorf("lobby collapsed: %d rows, %d found; want 6 and 2", len(v.Rows), v.Found)
	}
	// The filter still counts its matches in the whole tree.
	if v := tr.View(TreeQuery{Filter: "garden/#", Search: "door", Limit: 100}); v.Matches != 1 {
		t.Errorf("filter garden/# with search door: %d matches, want 1", v.Matches)
	}
}

// FuzzNumbers: any payload gives at most SparkFields finite numbers and
// leaves what dst held alone.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"21.5", "1,2,3", `{"a":{"b":[1,{"c":2}]},"d":3}`, `{"k\"":1}`, `{"a":1`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		dst := Numbers([]NumField{{Name: "keep"}}, payload)
		if dst[0].Name != "keep" || len(dst) > 1+SparkFields {
			t.Fatalf("Numbers(%q) = %v", payload, dst)
		}
		for _, f := range dst[1:] {
			if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
				t.Fatalf("Numbers(%q) gives %v", payload, f.Value)
			}
		}
	})
}
