package scenario

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mqttlab/mqttlab/protocol"
)

const (
	defaultClientID = "{fleet}-{index:03}"
	defaultInterval = 10 * time.Second
)

// fleet reads one fleet: its identity, connection, publishing, payload,
// status, commands and churn, in that order since later parts refer to
// earlier ones (templates to labels, the status topic to the data topic,
// the setpoint to the fields). It returns nil only when n is no mapping.
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
