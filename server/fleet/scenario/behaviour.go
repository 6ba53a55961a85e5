package scenario

import (
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mqttlab/mqttlab/protocol"
)

// status reads the birth and will: absent means the default (retained
// online/offline on the topic beside the data topic), false disables it.
func (d *decoder) status(m *mapping, f *Fleet) *Status {
	n, p := m.get("status")
	st := &Status{QoS: protocol.QoS1, Retain: true}
	var sm *mapping
	if n != nil {
		if b, isBool := boolNode(n); isBool {
			if !b {
				return nil
			}
		} else if sm = d.mapping(n, p); sm == nil {
			return nil
		}
	}
	if sm == nil {
		sm = &mapping{d: d, path: p, line: m.lineOf("status")}
	}
	st.Topic = d.template(sm, "topic", defaultStatusTopic(f.Topic), f, true, false)
	d.checkTopic(sm, "topic", st.Topic, f, false)
	switch {
	case st.Topic == nil || f.Topic == nil:
	case st.Topic.String() == f.Topic.String():
		d.errorf(sm.lineOf("topic"), join(p, "topic"), "%q is also the data topic; set status.topic to another topic", st.Topic.String())
	case !st.Topic.Distinct(f):
		d.errorf(sm.lineOf("topic"), join(p, "topic"), "%q is the same for several devices (add {index})", st.Topic.String())
	}
	st.Online = d.template(sm, "online", "online", f, false, false)
	st.Offline = d.template(sm, "offline", "offline", f, false, false)
	st.QoS = protocol.QoS(sm.integer("qos", 1, 0, 2))
	st.Retain = sm.boolean("retain", true)
	st.WillDelay = sm.duration("will_delay", 0, 0, 0xFFFFFFFF*time.Second)
	if st.WillDelay > 0 {
		d.needV5(sm, f, "will_delay")
	}
	sm.finish("in status")
	if st.Topic == nil || st.Online == nil || st.Offline == nil {
		return nil
	}
	return st
}

// boolNode reports whether n is a YAML boolean, and its value.
func boolNode(n *yaml.Node) (value, ok bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, false
	}
	if n.Decode(&value) != nil {
		return false, false
	}
	return value, true
}

func (d *decoder) commands(m *mapping, f *Fleet) *Commands {
	n, p := m.get("commands")
	if n == nil {
		return nil
	}
	cm := d.mapping(n, p)
	if cm == nil {
		return nil
	}
	c := &Commands{Setpoint: -1}
	c.Topic = d.template(cm, "topic", "", f, true, false)
	if c.Topic == nil && !cm.has("topic") {
		cm.missing("topic", "a per-device topic template such as {fleet}/{index}/cmd")
	}
	d.checkTopic(cm, "topic", c.Topic, f, true)
	if c.Topic != nil && !c.Topic.Distinct(f) {
		d.errorf(cm.lineOf("topic"), join(p, "topic"),
			"%q is the same for several devices (add {index}; use commands.broadcast for a topic every device hears)", c.Topic.String())
	}
	c.Broadcast = d.template(cm, "broadcast", "", f, true, false)
	d.checkTopic(cm, "broadcast", c.Broadcast, f, true)
	c.QoS = protocol.QoS(cm.integer("qos", 1, 0, 2))
	c.ReplyTopic = d.template(cm, "reply_topic", "", f, true, false)
	d.checkTopic(cm, "reply_topic", c.ReplyTopic, f, false)
	c.RebootDelay = cm.duration("reboot_delay", 3*time.Second, 0, time.Hour)
	if sn, sp := cm.get("setpoint"); sn != nil {
		if name, ok := d.str(sn, sp); ok {
			c.Setpoint = -1
			for i, fl := range f.Fields {
				if fl.Name == name {
					c.Setpoint = i
				}
			}
			switch {
			case c.Setpoint < 0:
				d.errorf(sn.Line, sp, "no field %q in this fleet", name)
			default:
				if _, ok := f.Fields[c.Setpoint].Settable(); !ok {
					d.errorf(sn.Line, sp, "field %q uses model %s, which takes no setpoint (random-walk and sine do)", name, f.Fields[c.Setpoint].Model.Kind())
				}
			}
		}
	} else {
		for i, fl := range f.Fields {
			if _, ok := fl.Settable(); ok {
				c.Setpoint = i
				break
			}
		}
	}
	cm.finish("in commands")
	return c
}

func (d *decoder) churn(m *mapping, f *Fleet) *Churn {
	n, p := m.get("churn")
	if n == nil {
		return nil
	}
	cm := d.mapping(n, p)
	if cm == nil {
		return nil
	}
	c := &Churn{Offline: Range{30 * time.Second, 30 * time.Second}}
	c.After = cm.duration("after", 0, 0, 0)
	c.Every = cm.duration("every", 0, 0, 0)
	if c.Every > 0 && c.Every < time.Second {
		d.errorf(cm.lineOf("every"), join(p, "every"), "must be at least 1s (got %s)", c.Every)
	}
	if rn, rp := cm.get("rate"); rn != nil {
		c.Rate = d.rate(rn, rp)
	}
	c.Probability = cm.float("probability", 0, 0, 1)
	kinds := 0
	for _, on := range []bool{c.Scheduled(), c.Rate > 0, c.Probability > 0} {
		if on {
			kinds++
		}
	}
	if kinds != 1 && !cm.has("rate") {
		d.errorf(cm.line, p, "expected exactly one of after/every (a schedule), rate (e.g. 6/h) or probability (per publish); got %d", kinds)
	}
	if on, op := cm.get("offline"); on != nil {
		if r, ok := d.rangeOf(on, op, time.Millisecond); ok {
			c.Offline = r
		}
	}
	switch cm.choice("mode", "disconnect", "disconnect", "drop", "mixed") {
	case "drop":
		c.Mode = ChurnDrop
	case "mixed":
		c.Mode = ChurnMixed
	}
	if dn, dp := cm.get("devices"); dn != nil {
		if items, ok := d.seq(dn, dp, "device numbers"); ok {
			for i, e := range items {
				if e = d.resolve(e); e == nil {
					continue
				}
				v, ok := d.integer(e, index(dp, i))
				if !ok {
					continue
				}
				if v < int64(f.FirstIndex) || v >= int64(f.FirstIndex+f.Count) {
					d.errorf(e.Line, index(dp, i), "no device %d in this fleet (devices are %d to %d)", v, f.FirstIndex, f.FirstIndex+f.Count-1)
					continue
				}
				c.Devices = append(c.Devices, int(v))
			}
		}
	}
	c.Fraction = cm.float("fraction", 0, 0, 1)
	if len(c.Devices) > 0 && c.Fraction > 0 {
		d.errorf(cm.lineOf("fraction"), join(p, "fraction"), "give devices or fraction, not both")
	}
	cm.finish("in churn")
	return c
}

// rate reads "N/s", "N/m", "N/h" or "N/d" as events per second.
func (d *decoder) rate(n *yaml.Node, p string) float64 {
	const hint = "a rate such as 6/h, 1/m or 0.5/d"
	if !d.scalar(n, p, hint) {
		return 0
	}
	num, unit, ok := strings.Cut(strings.ReplaceAll(n.Value, " ", ""), "/")
	per := map[string]float64{"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if !ok || per == 0 || err != nil || v <= 0 || v > 1e6 {
		d.errorf(n.Line, p, "expected %s, got %s", hint, describe(n))
		return 0
	}
	return v / per
}

// defaultStatusTopic puts the status beside the data: a fixed last level
// (building/{zone}/{index}/telemetry) is replaced by status, a last level
// with a placeholder (sensors/{index}) gets /status appended.
func defaultStatusTopic(topic *Template) string {
	if topic == nil {
		return ""
	}
	src := topic.String()
	i := strings.LastIndexByte(src, '/')
	if i >= 0 && !strings.Contains(src[i:], "{") && src[i+1:] != "status" {
		return src[:i+1] + "status"
	}
	return src + "/status"
}
