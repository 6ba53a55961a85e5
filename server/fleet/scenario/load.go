package scenario

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mqttlab/mqttlab/protocol"
)

// Limits of a scenario file. They keep a mistyped count or a hostile file
// from exhausting the machine; the load scenario stays well within them.
const (
	MaxFileSize  = 1 << 20   // bytes of YAML
	MaxDevices   = 1_000_000 // devices of all fleets together
	MaxFleets    = 256
	MaxFields    = 64 // fields of one fleet
	MaxListItems = 10_000
	MinInterval  = time.Millisecond
)

// Load parses and validates a scenario file. filename is used in error
// messages only. On failure the error is an Errors holding every problem
// found, each with file, line, field path and what was expected.
func Load(filename string, data []byte) (*Scenario, error) {
	d := &decoder{file: filename, lines: map[*Fleet]int{}}
	if len(data) > MaxFileSize {
		d.errorf(0, "", "file too large: %d bytes (at most %d)", len(data), MaxFileSize)
		return nil, d.errs
	}
	root := d.parse(data)
	if root == nil {
		return nil, d.errs
	}
	s := d.scenario(root)
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	s.File = filename
	if !s.Seeded {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
		s.Seed = binary.LittleEndian.Uint64(b[:]) >> 1
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parse reads the single YAML document of data.
func (d *decoder) parse(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(0, "", "empty scenario (expected at least name and fleets)")
		} else {
			d.syntax(err)
		}
		return nil
	}
	var more yaml.Node
	switch err := dec.Decode(&more); {
	case err == nil:
		d.errorf(more.Line, "", "a scenario file holds one YAML document; remove the second (---)")
		return nil
	case !errors.Is(err, io.EOF):
		d.syntax(err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		d.errorf(0, "", "empty scenario (expected at least name and fleets)")
		return nil
	}
	return doc.Content[0]
}

// parserProblems are the errors of the YAML library's parser stage, which
// numbers lines from 0 (and omits line 0), unlike its scanner stage.
var parserProblems = []string{
	"did not find expected ',' or '}'", "did not find expected ',' or ']'",
	"did not find expected key", "did not find expected '-' indicator",
	"did not find expected node content", "did not find expected <document start>",
	"did not find expected <stream-start>", "found duplicate %YAML directive",
	"found incompatible YAML document", "found duplicate %TAG directive",
	"found undefined tag handle",
}

// syntax records a YAML syntax error at the line the library names.
func (d *decoder) syntax(err error) {
	msg := errText(err)
	line := 1 // the library omits line 0, its first line
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ":"))
		if slices.Contains(parserProblems, msg) {
			line++
		}
	}
	d.errorf(line, "", "YAML syntax: %s", msg)
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (d *decoder) scenario(root *yaml.Node) *Scenario {
	m := d.mapping(root, "")
	if m == nil {
		return nil
	}
	s := &Scenario{}
	if n, p := m.get("name"); n == nil {
		m.missing("name", "a short name such as smart-building")
	} else if v, ok := d.str(n, p); ok {
		if !namePattern.MatchString(v) || len(v) > 64 {
			d.errorf(n.Line, p, "invalid name %q (expected up to 64 letters, digits, '-', '_' or '.')", v)
		}
		s.Name = v
	}
	s.Description = m.str("description", "")
	if n, p := m.get("seed"); n != nil {
		if v, ok := d.integer(n, p); ok {
			if v < 0 {
				d.errorf(n.Line, p, "must be at least 0 (got %d)", v)
			}
			s.Seed, s.Seeded = uint64(v), true
		}
	}
	n, p := m.get("fleets")
	if n == nil {
		m.missing("fleets", "a list of fleets")
	} else if items, ok := d.seq(n, p, "fleets"); ok {
		if len(items) == 0 {
			d.errorf(n.Line, p, "expected at least one fleet")
		}
		if len(items) > MaxFleets {
			d.errorf(n.Line, p, "too many fleets: %d (at most %d)", len(items), MaxFleets)
			items = items[:MaxFleets]
		}
		names := map[string]int{}
		for i, item := range items {
			f := d.fleet(item, index(p, i), s)
			if f == nil {
				continue
			}
			if first, dup := names[f.Name]; dup && f.Name != "" {
				d.errorf(item.Line, index(p, i)+".name", "duplicate fleet name %q (first is fleets[%d])", f.Name, first)
			}
			names[f.Name] = i
			s.Fleets = append(s.Fleets, f)
		}
	}
	m.finish("")
	if len(d.errs) == 0 {
		d.checkDevices(s, n)
	}
	return s
}

// checkDevices checks the total count and that no two devices share a
// client id, which would make the broker disconnect one for the other
// forever.
func (d *decoder) checkDevices(s *Scenario, fleets *yaml.Node) {
	total := s.Devices()
	if total > MaxDevices {
		d.errorf(fleets.Line, "fleets", "too many devices: %d (at most %d)", total, MaxDevices)
		return
	}
	// Hash the ids rather than keep them: a million strings would cost
	// seconds; a hash match is confirmed by comparing the ids themselves.
	type owner struct{ fleet, index int32 }
	seed := maphash.MakeSeed()
	seen := make(map[uint64]owner, min(total, 1<<16))
	var buf, other []byte
	for fi, f := range s.Fleets {
		if f.Count > 1 && f.ClientID.Fixed() {
			d.errorf(d.lines[f], fmt.Sprintf("fleets[%d].client_id", fi),
				"%q gives all %d devices the same client id (add {index})", f.ClientID.String(), f.Count)
			continue
		}
		for i := 0; i < f.Count; i++ {
			buf = f.ClientID.Append(buf[:0], f, i)
			h := maphash.Bytes(seed, buf)
			if o, dup := seen[h]; dup {
				of := s.Fleets[o.fleet]
				if other = of.ClientID.Append(other[:0], of, int(o.index)); bytes.Equal(buf, other) {
					d.errorf(d.lines[f], fmt.Sprintf("fleets[%d].client_id", fi),
						"device %d has client id %q, as device %d of fleet %q (client ids must be unique)",
						f.FirstIndex+i, buf, of.FirstIndex+int(o.index), of.Name)
					return
				}
			}
			seen[h] = owner{int32(fi), int32(i)}
		}
	}
}

const (
	defaultClientID = "{fleet}-{index:03}"
	defaultInterval = 10 * time.Second
)

func (d *decoder) fleet(n *yaml.Node, path string, s *Scenario) *Fleet {
	m := d.mapping(n, path)
	if m == nil {
		return nil
	}
	f := &Fleet{Scenario: s, FirstIndex: 1, Version: protocol.V5}
	if n, p := m.get("name"); n == nil {
		m.missing("name", "a name such as thermostat")
	} else if v, ok := d.str(n, p); ok {
		if !namePattern.MatchString(v) || len(v) > 64 || strings.ContainsAny(v, "/+#") {
			d.errorf(n.Line, p, "invalid fleet name %q (expected up to 64 letters, digits, '-', '_' or '.')", v)
		}
		f.Name = v
	}
	f.Description = m.str("description", "")
	f.Count = int(m.integer("count", 1, 1, MaxDevices))
	f.FirstIndex = int(m.integer("first_index", 1, 0, 1_000_000_000))
	f.Version = d.version(m)
	f.Labels = d.labels(m)

	f.ClientID = d.template(m, "client_id", defaultClientID, f, true, true)
	d.lines[f] = m.lineOf("client_id")
	f.Username = d.template(m, "username", "", f, false, false)
	f.Password = d.template(m, "password", "", f, false, false)
	f.KeepAlive = m.duration("keepalive", 60*time.Second, 0, 65535*time.Second)
	f.Session = d.session(m, f)
	f.Ramp = m.duration("ramp", 0, 0, time.Hour)

	f.Topic = d.template(m, "topic", "", f, true, false)
	if f.Topic == nil && !m.has("topic") {
		m.missing("topic", "a topic template such as building/{zone}/{fleet}/{index}")
	}
	if !d.checkTopic(m, "topic", f.Topic, f, false) {
		f.Topic = nil // the status topic derived from it would only repeat the error
	}
	f.Interval = m.duration("interval", defaultInterval, MinInterval, 24*time.Hour)
	f.Jitter = d.jitter(m, f.Interval)
	f.QoS = protocol.QoS(m.integer("qos", 0, 0, 2))
	f.Retain = m.boolean("retain", false)
	f.Expiry = m.duration("expiry", 0, 0, 0xFFFFFFFF*time.Second)
	if f.Expiry > 0 {
		d.needV5(m, f, "expiry")
	}
	f.Format = d.format(m)

	if n, p := m.get("fields"); n == nil {
		m.missing("fields", "a mapping of payload fields, e.g. temp: {model: sine, period: 1h}")
	} else {
		d.fields(n, p, m.keyLine("fields"), f)
	}
	f.Status = d.status(m, f)
	f.Commands = d.commands(m, f)
	f.Churn = d.churn(m, f)
	m.finish("in a fleet")
	return f
}

func (d *decoder) version(m *mapping) protocol.Version {
	n, p := m.get("version")
	if n == nil {
		return protocol.V5
	}
	if !d.scalar(n, p, `"3.1.1" or "5.0"`) {
		return protocol.V5
	}
	switch n.Value {
	case "3.1.1", "4":
		return protocol.V311
	case "5.0", "5":
		return protocol.V5
	}
	d.errorf(n.Line, p, `unknown MQTT version %s (expected "3.1.1" or "5.0")`, describe(n))
	return protocol.V5
}

func (d *decoder) needV5(m *mapping, f *Fleet, key string) {
	if f.Version != protocol.V5 {
		d.errorf(m.lineOf(key), join(m.path, key), "needs version 5.0 (the fleet uses %s)", f.Version)
	}
}

var labelPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func (d *decoder) labels(m *mapping) []Label {
	n, p := m.get("labels")
	if n == nil {
		return nil
	}
	lm := d.mapping(n, p)
	if lm == nil {
		return nil
	}
	var labels []Label
	for i, k := range lm.keys {
		lm.used[i] = true
		kp := join(p, k.Value)
		switch {
		case !labelPattern.MatchString(k.Value):
			d.errorf(k.Line, kp, "invalid label name (expected letters, digits, '_' or '-', starting with a letter)")
			continue
		case k.Value == "fleet" || k.Value == "scenario" || k.Value == "index" || k.Value == "client_id":
			d.errorf(k.Line, kp, "{%s} is built in; choose another label name", k.Value)
			continue
		}
		v := d.resolve(lm.values[i])
		if v == nil {
			continue
		}
		l := Label{Key: k.Value}
		if v.Kind == yaml.SequenceNode {
			if len(v.Content) == 0 || len(v.Content) > MaxListItems {
				d.errorf(v.Line, kp, "expected 1 to %d values", MaxListItems)
				continue
			}
			for j, e := range v.Content {
				if e = d.resolve(e); e == nil {
					continue
				}
				if s, ok := d.str(e, index(kp, j)); ok {
					l.Values = append(l.Values, s)
				}
			}
		} else if s, ok := d.str(v, kp); ok {
			l.Values = []string{s}
		}
		labels = append(labels, l)
	}
	return labels
}

// template reads a template; def is used when the key is absent (empty:
// nil).
func (d *decoder) template(m *mapping, key, def string, f *Fleet, strict, self bool) *Template {
	n, p := m.get(key)
	src, line := def, m.line
	if n != nil {
		s, ok := d.str(n, p)
		if !ok {
			return nil
		}
		src, line = s, n.Line
		if s == "" {
			d.errorf(line, p, "must not be empty")
			return nil
		}
	}
	if src == "" {
		return nil
	}
	t, err := parseTemplate(src, f.Labels, strict, self)
	if err != nil {
		d.errorf(line, p, "%v", err)
		return nil
	}
	return t
}

// checkTopic expands t for the first and last device and checks the
// result is a valid topic name (or filter).
func (d *decoder) checkTopic(m *mapping, key string, t *Template, f *Fleet, filter bool) bool {
	if t == nil || f.Name == "" {
		return true
	}
	p := join(m.path, key)
	for _, i := range []int{0, max(f.Count-1, 0)} {
		topic := t.Expand(f, i)
		var err error
		if filter {
			err = protocol.ValidFilter(topic)
		} else {
			err = protocol.ValidTopicName(topic)
		}
		if err != nil {
			what := "topic name"
			if filter {
				what = "topic filter"
			}
			d.errorf(m.lineOf(key), p, "%q expands to %q, not a valid %s: %v", t.String(), topic, what, err)
			return false
		}
		if strings.HasPrefix(topic, "$") {
			d.errorf(m.lineOf(key), p, "%q expands to %q: topics starting with $ are the broker's", t.String(), topic)
			return false
		}
	}
	return true
}

func (d *decoder) session(m *mapping, f *Fleet) Session {
	s := Session{Clean: true}
	n, p := m.get("session")
	if n == nil {
		return s
	}
	sm := d.mapping(n, p)
	if sm == nil {
		return s
	}
	s.Clean = sm.boolean("clean", true)
	s.Expiry = sm.duration("expiry", 0, 0, 0xFFFFFFFF*time.Second)
	if s.Expiry > 0 {
		d.needV5(sm, f, "expiry")
	}
	sm.finish("in session")
	return s
}

func (d *decoder) jitter(m *mapping, interval time.Duration) time.Duration {
	n, p := m.get("jitter")
	if n == nil {
		return 0
	}
	if !d.scalar(n, p, "a duration or a percentage of the interval") {
		return 0
	}
	var j time.Duration
	if pct, ok := strings.CutSuffix(strings.TrimSpace(n.Value), "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
		if err != nil || v < 0 || v >= 100 {
			d.errorf(n.Line, p, "expected a percentage from 0%% to below 100%%, got %s", describe(n))
			return 0
		}
		j = time.Duration(float64(interval) * v / 100)
	} else {
		var ok bool
		if j, ok = d.duration(n, p); !ok {
			return 0
		}
	}
	if j >= interval {
		d.errorf(n.Line, p, "must be less than the interval %s (got %s)", interval, n.Value)
		return 0
	}
	return j
}

func (d *decoder) format(m *mapping) Format {
	switch m.choice("format", "json", "json", "plain", "csv", "hex") {
	case "plain":
		return Plain
	case "csv":
		return CSV
	case "hex":
		return Hex
	}
	return JSON
}

// rangeOf reads a duration or a [min, max] pair.
func (d *decoder) rangeOf(n *yaml.Node, p string, lo time.Duration) (Range, bool) {
	if n.Kind == yaml.SequenceNode {
		if len(n.Content) != 2 {
			d.errorf(n.Line, p, "expected a duration or [min, max], got a list of %d", len(n.Content))
			return Range{}, false
		}
		a, ok1 := d.durationNode(n.Content[0], index(p, 0))
		b, ok2 := d.durationNode(n.Content[1], index(p, 1))
		if !ok1 || !ok2 {
			return Range{}, false
		}
		if a > b {
			d.errorf(n.Line, p, "min %s is above max %s", a, b)
			return Range{}, false
		}
		if a < lo {
			d.errorf(n.Line, p, "must be at least %s (got %s)", lo, a)
			return Range{}, false
		}
		return Range{a, b}, true
	}
	v, ok := d.durationNode(n, p)
	if ok && v < lo {
		d.errorf(n.Line, p, "must be at least %s (got %s)", lo, v)
		return Range{}, false
	}
	return Range{v, v}, ok
}

func (d *decoder) durationNode(n *yaml.Node, p string) (time.Duration, bool) {
	if n = d.resolve(n); n == nil {
		return 0, false
	}
	return d.duration(n, p)
}
