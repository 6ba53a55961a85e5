package scenario

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/server/fleet/model"
)

// fleetDoc is a valid one-fleet scenario; the cases below add lines to
// its fleet (at six spaces for fields, four for fleet keys).
func fleetDoc(fleetKeys, fields string) string {
	return "name: t\nfleets:\n  - name: f\n    count: 3\n    topic: a/{index}\n" + fleetKeys +
		"    fields:\n      v: {model: counter}\n" + fields
}

// want is an expected error: the line is where mark appears in the file.
type want struct{ mark, text string }

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		want []want
	}{
		{"unknown model", fleetDoc("", "      temp: {model: sinx}  #m\n"),
			[]want{{"#m", `fleets[0].fields.temp.model: unknown model "sinx" (expected one of: random-walk, sine, step, counter, enum, gps, timestamp, constant)`}}},
		{"typo in a fleet key", fleetDoc("    intervall: 5s  #m\n", ""),
			[]want{{"#m", `fleets[0].intervall: unknown key "intervall" in a fleet (did you mean "interval"?)`}}},
		{"typo in model key", fleetDoc("", "      temp: {model: sine, period: 1h, amplitud: 3}  #m\n"),
			[]want{{"#m", `fleets[0].fields.temp.amplitud: unknown key "amplitud" for model sine (did you mean "amplitude"?)`}}},
		{"typo of model itself", fleetDoc("", "      temp:\n        modle: sine  #m\n        period: 1h\n"),
			[]want{{"#m", `fleets[0].fields.temp.modle: unknown key "modle" (did you mean "model"?)`}}},
		{"count below 1", strings.Replace(fleetDoc("", ""), "count: 3", "count: 0  #m", 1),
			[]want{{"#m", `fleets[0].count: must be between 1 and 1000000 (got 0)`}}},
		{"interval zero", fleetDoc("    interval: 0s  #m\n", ""),
			[]want{{"#m", `fleets[0].interval: must be between 1ms and 24h0m0s (got 0s)`}}},
		{"interval without unit", fleetDoc("    interval: 10  #m\n", ""),
			[]want{{"#m", `fleets[0].interval: expected a duration such as 500ms, 10s, 1m30s or 24h, got the bare number 10 (add a unit)`}}},
		{"qos 3", fleetDoc("    qos: 3  #m\n", ""),
			[]want{{"#m", `fleets[0].qos: must be between 0 and 2 (got 3)`}}},
		{"jitter not below interval", fleetDoc("    interval: 5s\n    jitter: 5s  #m\n", ""),
			[]want{{"#m", `fleets[0].jitter: must be less than the interval 5s (got 5s)`}}},
		{"wildcard in topic", strings.Replace(fleetDoc("", ""), "topic: a/{index}", "topic: a/+/{index}  #m", 1),
			[]want{{"#m", `fleets[0].topic: "a/+/{index}" expands to "a/+/1", not a valid topic name: `}}},
		{"$ topic", strings.Replace(fleetDoc("", ""), "topic: a/{index}", "topic: $SYS/{index}  #m", 1),
			[]want{{"#m", `fleets[0].topic: "$SYS/{index}" expands to "$SYS/1": topics starting with $ are the broker's`}}},
		{"unknown placeholder", strings.Replace(fleetDoc("    labels: {zone: [a, b]}\n", ""), "topic: a/{index}", "topic: a/{zome}/{index}  #m", 1),
			[]want{{"#m", `fleets[0].topic: unknown placeholder {zome} (did you mean {zone}?)`}}},
		{"malformed placeholder", strings.Replace(fleetDoc("", ""), "topic: a/{index}", "topic: a/{index  #m", 1),
			[]want{{"#m", `fleets[0].topic: malformed placeholder at offset 2 (expected {name} or {index:03})`}}},
		{"missing topic and fields", "name: t\nfleets:\n  - name: f  #m\n",
			[]want{{"#m", `fleets[0].topic: missing (expected a topic template such as building/{zone}/{fleet}/{index})`},
				{"#m", `fleets[0].fields: missing (expected a mapping of payload fields, e.g. temp: {model: sine, period: 1h})`}}},
		{"bad version", fleetDoc("    version: \"4.0\"  #m\n", ""),
			[]want{{"#m", `fleets[0].version: unknown MQTT version "4.0" (expected "3.1.1" or "5.0")`}}},
		{"5.0 features on 3.1.1", fleetDoc("    version: \"3.1.1\"\n    expiry: 1m  #a\n    session: {clean: false, expiry: 1h}  #b\n", ""),
			[]want{{"#a", `fleets[0].expiry: needs version 5.0 (the fleet uses 3.1.1)`},
				{"#b", `fleets[0].session.expiry: needs version 5.0 (the fleet uses 3.1.1)`}}},
		{"client id without index", fleetDoc("    client_id: sensor  #m\n", ""),
			[]want{{"#m", `fleets[0].client_id: "sensor" gives all 3 devices the same client id (add {index})`}}},
		{"client id in two fleets", "name: t\nfleets:\n  - name: a\n    client_id: dev-{index}\n    topic: a/{index}\n    fields: {v: 1}\n" +
			"  - name: b\n    client_id: dev-{index}  #m\n    topic: b/{index}\n    fields: {v: 1}\n",
			[]want{{"#m", `fleets[1].client_id: device 1 has client id "dev-1", as device 1 of fleet "a" (client ids must be unique)`}}},
		{"duplicate fleet", "name: t\nfleets:\n  - name: a\n    topic: a/{index}\n    fields: {v: 1}\n  - name: a  #m\n    topic: b/{index}\n    fields: {v: 1}\n",
			[]want{{"#m", `fleets[1].name: duplicate fleet name "a" (first is fleets[0])`}}},
		{"walk bounds", fleetDoc("", "      w: {model: random-walk, min: 5, max: 5, step: 1}  #m\n"),
			[]want{{"#m", `fleets[0].fields.w.max: max 5 must be above min 5`}}},
		{"walk without step", fleetDoc("", "      w: {model: random-walk, min: 0, max: 5}  #m\n"),
			[]want{{"#m", `fleets[0].fields.w.step: missing (expected the largest change per reading, e.g. 0.2)`}}},
		{"sine without period", fleetDoc("", "      s: {model: sine}  #m\n"),
			[]want{{"#m", `fleets[0].fields.s.period: missing (expected a duration such as 24h)`}}},
		{"enum weights", fleetDoc("", "      e: {model: enum, values: [a, b], weights: [1]}  #m\n"),
			[]want{{"#m", `fleets[0].fields.e.weights: expected 2 weights (one per value), got 1`}}},
		{"gps off Earth", fleetDoc("", "      g:\n        model: gps\n        speed: 1\n        waypoints:\n          - [91, 0]  #m\n          - [0, 0]\n"),
			[]want{{"#m", `fleets[0].fields.g.waypoints[0]: [91, 0] is not on Earth (latitude -90..90, longitude -180..180)`}}},
		{"step times", fleetDoc("", "      s:\n        model: step\n        schedule:\n          - {at: 1m, value: 1}\n          - {at: 1m, value: 2}  #m\n"),
			[]want{{"#m", `fleets[0].fields.s.schedule[1].at: times must increase (1m0s is not after the previous entry)`}}},
		{"plain with two fields", fleetDoc("    format: plain\n", "      w: 2  #m\n"),
			[]want{{"    fields:", `fleets[0].fields: format plain sends one value, but there are 2 fields (use json or csv for several)`}}},
		{"encode outside hex", fleetDoc("", "      w: {model: counter, encode: u8}  #m\n"),
			[]want{{"#m", `fleets[0].fields.w.encode: applies to format hex only (this fleet's format is json)`}}},
		{"bad encoding", fleetDoc("    format: hex\n", "      w: {model: counter, encode: u12}  #m\n"),
			[]want{{"#m", `fleets[0].fields.w.encode: unknown encoding "u12" (expected one of: u8, i8, u16, i16, u32, i32, u64, i64, f32, f64, each with an optional le suffix for little endian)`}}},
		{"gaps in hex", fleetDoc("    format: hex\n", "      w:\n        model: counter\n        faults: {gaps: 0.1}  #m\n"),
			[]want{{"#m", `fleets[0].fields.w.faults.gaps: format hex has a fixed layout and cannot leave a field out`}}},
		{"spikes on enum", fleetDoc("", "      e:\n        model: enum\n        values: [a]\n        faults:\n          spikes: {probability: 0.1, magnitude: 2}  #m\n"),
			[]want{{"#m", `fleets[0].fields.e.faults.spikes: only numeric models (random-walk, sine, step, counter) can spike`}}},
		{"churn without a cause", fleetDoc("    churn:\n      offline: 10s  #m\n", ""),
			[]want{{"#m", `fleets[0].churn: expected exactly one of after/every (a schedule), rate (e.g. 6/h) or probability (per publish); got 0`}}},
		{"churn device out of range", fleetDoc("    churn:\n      rate: 6/h\n      devices: [7]  #m\n", ""),
			[]want{{"#m", `fleets[0].churn.devices[0]: no device 7 in this fleet (devices are 1 to 3)`}}},
		{"churn rate", fleetDoc("    churn:\n      rate: 6 per hour  #m\n", ""),
			[]want{{"#m", `fleets[0].churn.rate: expected a rate such as 6/h, 1/m or 0.5/d, got "6 per hour"`}}},
		{"setpoint on a counter", fleetDoc("    commands:\n      topic: c/{index}\n      setpoint: v  #m\n", ""),
			[]want{{"#m", `fleets[0].commands.setpoint: field "v" uses model counter, which takes no setpoint (random-walk and sine do)`}}},
		{"command topic shared", fleetDoc("    commands:\n      topic: c/all  #m\n", ""),
			[]want{{"#m", `fleets[0].commands.topic: "c/all" is the same for several devices (add {index}; use commands.broadcast for a topic every device hears)`}}},
		{"status topic shared", fleetDoc("    status:\n      topic: s/all  #m\n", ""),
			[]want{{"#m", `fleets[0].status.topic: "s/all" is the same for several devices (add {index})`}}},
		{"reserved label", fleetDoc("    labels:\n      index: [a]  #m\n", ""),
			[]want{{"#m", `fleets[0].labels.index: {index} is built in; choose another label name`}}},
		{"duplicate key", fleetDoc("    qos: 1\n    qos: 2  #m\n", ""),
			[]want{{"#m", `fleets[0].qos: duplicate key (first at line 6)`}}},
		{"yaml syntax", "name: t\nfleets:\n  - name: [a  #m\n", []want{{"#m", `YAML syntax: did not find expected ',' or ']'`}}},
		{"yaml scanner error", "name: t\nfleets:\n\t- x  #m\n", []want{{"#m", `YAML syntax: found character that cannot start any token`}}},
		{"yaml error on line 1", "a: b: c\n", []want{{"a: b", `YAML syntax: mapping values are not allowed in this context`}}},
		{"empty", "", []want{{"", `empty scenario (expected at least name and fleets)`}}},
		{"not a mapping", "- a\n- b  #m\n", []want{{"- a", `expected a mapping of keys to values, got a list`}}},
		{"two documents", "name: t\n---\nname: u\n", []want{{"---", `a scenario file holds one YAML document; remove the second (---)`}}},
		{"several errors at once", fleetDoc("    qos: 7  #a\n    interval: soon  #b\n", "      x: {model: nope}  #c\n"),
			[]want{{"#a", `fleets[0].qos: must be between 0 and 2 (got 7)`},
				{"#b", `fleets[0].interval: expected a duration such as 500ms, 10s, 1m30s or 24h, got "soon"`},
				{"#c", `fleets[0].fields.x.model: unknown model "nope" (expected one of: random-walk, sine, step, counter, enum, gps, timestamp, constant)`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load("x.yaml", []byte(tc.doc))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Load = %v, want Errors", err)
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(tc.want), err)
			}
			for i, w := range tc.want {
				prefix := "x.yaml: "
				if w.mark != "" {
					prefix = fmt.Sprintf("x.yaml:%d: ", lineOf(t, tc.doc, w.mark))
				}
				if got := errs[i].Error(); !strings.HasPrefix(got, prefix+w.text) {
					t.Errorf("error %d:\n got %s\nwant %s%s", i, got, prefix, w.text)
				}
			}
		})
	}
}

func lineOf(t *testing.T, doc, mark string) int {
	t.Helper()
	for i, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, mark) {
			return i + 1
		}
	}
	t.Fatalf("mark %q not in the document", mark)
	return 0
}

func TestLoadFull(t *testing.T) {
	t.Parallel()
	doc := `
name: plant
seed: 7
fleets:
  - name: m
    count: 4
    first_index: 0
    client_id: "{site}-{index:02}"
    labels: {site: p1, zone: [a, b]}
    topic: f/{zone}/{index}/data
    interval: 2s
    jitter: 10%
    qos: 1
    retain: true
    expiry: 1m
    session: {clean: false, expiry: 10m}
    status:
      online: '{"up":true}'
      offline: '{"up":false}'
      will_delay: 5s
    commands:
      topic: f/{zone}/{index}/cmd
      broadcast: f/cmd
      reply_topic: f/{zone}/{index}/reply
    churn: {every: 5m, offline: [10s, 20s], mode: drop}
    fields:
      t: {model: sine, period: 1h}
      w: {model: random-walk, min: 0, max: 10, step: 1}
`
	s, err := Load("p.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	f := s.Fleets[0]
	checks := []struct {
		what      string
		got, want any
	}{
		{"seed", s.Seed, uint64(7)},
		{"client id", f.ClientID.Expand(f, 3), "p1-03"},
		{"topic", f.Topic.Expand(f, 1), "f/b/1/data"},
		{"status topic", f.Status.Topic.Expand(f, 1), "f/b/1/status"},
		{"jitter", f.Jitter, 200 * time.Millisecond},
		{"qos", f.QoS, protocol.QoS1},
		{"version", f.Version, protocol.V5},
		{"session", f.Session, Session{Clean: false, Expiry: 10 * time.Minute}},
		{"will delay", f.Status.WillDelay, 5 * time.Second},
		{"offline", f.Churn.Offline, Range{10 * time.Second, 20 * time.Second}},
		{"mode", f.Churn.Mode, ChurnDrop},
		{"setpoint field", f.Commands.Setpoint, 0},
		{"walk start", f.Fields[1].Model.(*model.RandomWalk).Start, 5.0},
		{"online", f.Status.Online.Expand(f, 0), `{"up":true}`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestNestedFieldsTree(t *testing.T) {
	t.Parallel()
	doc := fleetDoc("", "      env.temp: 1\n      env:\n        hum: 2\n        deep: {x: 3}\n      last: 4\n")
	s, err := Load("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	f := s.Fleets[0]
	var names []string
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	if got := strings.Join(names, " "); got != "v env.temp env.hum env.deep.x last" {
		t.Errorf("fields in payload order = %s", got)
	}
	var shape func(ns []Node) string
	shape = func(ns []Node) string {
		var b strings.Builder
		for _, n := range ns {
			b.WriteString(n.Key)
			if n.Field < 0 {
				b.WriteString("{" + shape(n.Children) + "}")
			} else {
				fmt.Fprintf(&b, "%d ", n.Field)
			}
		}
		return b.String()
	}
	if got, want := shape(f.Tree), `"v":0 "env":{"temp":1 "hum":2 "deep":{"x":3 }}"last":4 `; got != want {
		t.Errorf("tree = %s, want %s", got, want)
	}
	bad := fleetDoc("", "      a: 1  #m\n      a.b: 2\n")
	_, err = Load("x.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `"a" is a value (line`) {
		t.Errorf("a value and an object of the same name: %v", err)
	}
}

func TestTemplates(t *testing.T) {
	s := &Scenario{Name: "sc"}
	f := &Fleet{Scenario: s, Name: "fl", Count: 12, FirstIndex: 1, Labels: []Label{{Key: "zone", Values: []string{"n", "s"}}}}
	f.ClientID, _ = parseTemplate("{fleet}-{index:03}", f.Labels, true, true)
	tests := []struct {
		src    string
		strict bool
		index  int
		want   string
	}{
		{"{scenario}/{fleet}/{zone}/{index}", true, 0, "sc/fl/n/1"},
		{"{scenario}/{fleet}/{zone}/{index}", true, 11, "sc/fl/s/12"},
		{"{index:04}", true, 8, "0009"},
		{"{index:1}", true, 11, "12"},
		{"x/{client_id}/y", true, 4, "x/fl-005/y"},
		{`{"id":"{client_id}","z":"{zone}"}`, false, 0, `{"id":"fl-001","z":"n"}`},
		{"{not closed", false, 0, "{not closed"},
		{"{}", false, 0, "{}"},
	}
	for _, tc := range tests {
		tpl, err := parseTemplate(tc.src, f.Labels, tc.strict, false)
		if err != nil {
			t.Errorf("parseTemplate(%q): %v", tc.src, err)
			continue
		}
		if got := tpl.Expand(f, tc.index); got != tc.want {
			t.Errorf("%q for device %d = %q, want %q", tc.src, tc.index, got, tc.want)
		}
	}
	for _, src := range []string{"{zone:2}", "{nope}", "a}", "{index"} {
		if _, err := parseTemplate(src, f.Labels, true, false); err == nil {
			t.Errorf("parseTemplate(%q) succeeded", src)
		}
	}
	if _, err := parseTemplate("{client_id}", f.Labels, true, true); err == nil {
		t.Error("{client_id} inside client_id accepted")
	}
	if buf := f.ClientID.Append(make([]byte, 0, 64), f, 2); testing.AllocsPerRun(100, func() {
		buf = f.ClientID.Append(buf[:0], f, 2)
	}) != 0 {
		t.Error("Template.Append allocates")
	}
}

func TestSeedlessScenarioGetsRandomSeed(t *testing.T) {
	t.Parallel()
	doc := "name: t\nfleets:\n  - name: f\n    topic: a/{index}\n    fields: {v: 1}\n"
	a, err1 := Load("x.yaml", []byte(doc))
	b, err2 := Load("x.yaml", []byte(doc))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if a.Seeded || a.Seed == b.Seed {
		t.Errorf("seedless scenarios: seeded %v, seeds %d and %d", a.Seeded, a.Seed, b.Seed)
	}
}

func TestMergeKeysAndAliases(t *testing.T) {
	t.Parallel()
	doc := `
name: t
fleets:
  - name: a
    topic: a/{index}
    fields: &fields
      temp: &walk {model: random-walk, min: 0, max: 10, step: 1}
      hum:
        <<: *walk
        max: 100
  - name: b
    topic: b/{index}
    fields: *fields
`
	s, err := Load("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Fleets[0].Fields[1].Model.(*model.RandomWalk); w.Max != 100 || w.Step != 1 {
		t.Errorf("merged walk = %+v, want max 100 from the override and step 1 from the anchor", w)
	}
	if len(s.Fleets[1].Fields) != 2 {
		t.Errorf("aliased fields: %d", len(s.Fleets[1].Fields))
	}
	bomb := "name: t\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
		"fleets:\n  - name: f\n    topic: x/{index}\n    labels: {l: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}\n    fields: {v: 1}\n"
	if _, err := Load("x.yaml", []byte(bomb)); err == nil {
		t.Error("a billion-laughs document loaded")
	}
}
